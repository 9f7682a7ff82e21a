// ESP-IDF v6.0 components/esp_timer/include/esp_timer.h, transcribed: the microsecond clock (host syntax check).
#pragma once
#include <stdint.h>
/** Microseconds since boot; compensated across light sleep by esp_light_sleep_start. */
int64_t esp_timer_get_time(void);
