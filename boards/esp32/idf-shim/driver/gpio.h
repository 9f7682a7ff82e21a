// ESP-IDF v6.0 components/esp_driver_gpio/include/driver/gpio.h + hal/gpio_types.h, transcribed (host syntax check).
#pragma once
#include "esp_err.h"
typedef enum {
    GPIO_NUM_NC = -1,
    GPIO_NUM_0 = 0,
    GPIO_NUM_39 = 39,
    GPIO_NUM_MAX = 40,
} gpio_num_t;
typedef enum {
    GPIO_INTR_DISABLE = 0,
    GPIO_INTR_POSEDGE = 1,
    GPIO_INTR_NEGEDGE = 2,
    GPIO_INTR_ANYEDGE = 3,
    GPIO_INTR_LOW_LEVEL = 4,
    GPIO_INTR_HIGH_LEVEL = 5,
    GPIO_INTR_MAX,
} gpio_int_type_t;
/** Only GPIO_INTR_LOW_LEVEL / GPIO_INTR_HIGH_LEVEL; also sets the pin's interrupt type to that level. */
esp_err_t gpio_wakeup_enable(gpio_num_t gpio_num, gpio_int_type_t intr_type);
esp_err_t gpio_wakeup_disable(gpio_num_t gpio_num);
esp_err_t gpio_set_intr_type(gpio_num_t gpio_num, gpio_int_type_t intr_type);
int gpio_get_level(gpio_num_t gpio_num);
