// ESP-IDF v6.0 components/esp_hw_support/include/esp_rtc_time.h, transcribed: the RTC clock that runs through deep sleep (host syntax check).
#pragma once
#include <stdint.h>
/** Microseconds of the RTC timer: keeps counting through deep sleep (not reset by the wake). */
uint64_t esp_rtc_get_time_us(void);
