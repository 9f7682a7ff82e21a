// ESP-IDF v6.0 components/esp_hw_support/include/esp_sleep.h, transcribed (ESP32 branch: the declarations quiesce-native.c calls) for the host syntax check.
#pragma once
#include <stdint.h>
#include "esp_err.h"
#include "driver/gpio.h"
typedef enum {
    ESP_PD_DOMAIN_RTC_PERIPH,
    ESP_PD_DOMAIN_RTC_SLOW_MEM,
    ESP_PD_DOMAIN_RTC_FAST_MEM,
    ESP_PD_DOMAIN_XTAL,
    ESP_PD_DOMAIN_RC_FAST,
    ESP_PD_DOMAIN_VDDSDIO,
    ESP_PD_DOMAIN_MAX
} esp_sleep_pd_domain_t;
typedef enum {
    ESP_PD_OPTION_OFF,
    ESP_PD_OPTION_ON,
    ESP_PD_OPTION_AUTO
} esp_sleep_pd_option_t;
typedef enum {
    ESP_SLEEP_WAKEUP_UNDEFINED,
    ESP_SLEEP_WAKEUP_ALL,
    ESP_SLEEP_WAKEUP_EXT0,
    ESP_SLEEP_WAKEUP_EXT1,
    ESP_SLEEP_WAKEUP_TIMER,
    ESP_SLEEP_WAKEUP_TOUCHPAD,
    ESP_SLEEP_WAKEUP_ULP,
    ESP_SLEEP_WAKEUP_GPIO,
    ESP_SLEEP_WAKEUP_UART,
    ESP_SLEEP_WAKEUP_UART1,
    ESP_SLEEP_WAKEUP_UART2,
    ESP_SLEEP_WAKEUP_WIFI,
    ESP_SLEEP_WAKEUP_COCPU,
    ESP_SLEEP_WAKEUP_COCPU_TRAP_TRIG,
    ESP_SLEEP_WAKEUP_BT,
} esp_sleep_source_t;
typedef esp_sleep_source_t esp_sleep_wakeup_cause_t;
enum {
    ESP_ERR_SLEEP_REJECT = ESP_ERR_INVALID_STATE,
    ESP_ERR_SLEEP_TOO_SHORT_SLEEP_DURATION = ESP_ERR_INVALID_ARG,
};
esp_err_t esp_sleep_disable_wakeup_source(esp_sleep_source_t source);
esp_err_t esp_sleep_enable_timer_wakeup(uint64_t time_in_us);
/** ESP32 RTC GPIOs only: 0, 2, 4, 12-15, 25-27, 32-39. Needs RTC_PERIPH powered. */
esp_err_t esp_sleep_enable_ext0_wakeup(gpio_num_t gpio_num, int level);
/** ESP32 (original): ALL_LOW wakes when every selected pin is low, ANY_HIGH when any is high. */
typedef enum {
    ESP_EXT1_WAKEUP_ALL_LOW = 0,
    ESP_EXT1_WAKEUP_ANY_HIGH = 1,
} esp_sleep_ext1_wakeup_mode_t;
/** RTC GPIOs only (io_mask bit n = GPIO n), one mode for all; overwrites a previous ext1 configuration. */
esp_err_t esp_sleep_enable_ext1_wakeup(uint64_t io_mask, esp_sleep_ext1_wakeup_mode_t level_mode);
/** The ext1 pins that caused the last wake (bit n = GPIO n). */
uint64_t esp_sleep_get_ext1_wakeup_status(void);
/** Light sleep only; any GPIO armed with gpio_wakeup_enable, each at its own level. */
esp_err_t esp_sleep_enable_gpio_wakeup(void);
/** ESP32: UART0 and UART1 only, and only through their IO_MUX RX pads (GPIO3 for UART0). */
esp_err_t esp_sleep_enable_uart_wakeup(int uart_num);
esp_err_t esp_sleep_pd_config(esp_sleep_pd_domain_t domain, esp_sleep_pd_option_t option);
/** Returns ESP_OK after wakeup, ESP_ERR_SLEEP_REJECT if a wake source was already active. */
esp_err_t esp_light_sleep_start(void);
/** Does not return unless the sleep is rejected (a wake source set before the request). */
esp_err_t esp_deep_sleep_try_to_start(void);
/** v6.0: every source that caused the wake, as bits (1 << esp_sleep_source_t); 0 after a reset that was no wake. */
uint32_t esp_sleep_get_wakeup_causes(void);
/** Deprecated in v6.0 (one cause only): declared deprecated here so the host check fails if it comes back. */
__attribute__((deprecated("use esp_sleep_get_wakeup_causes"))) esp_sleep_wakeup_cause_t esp_sleep_get_wakeup_cause(void);
