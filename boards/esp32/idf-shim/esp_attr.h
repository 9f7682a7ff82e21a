// ESP-IDF v6.0 components/esp_common/include/esp_attr.h, transcribed: the section attributes quiesce-native.c uses (host syntax check).
#pragma once
// RTC slow memory keeps its contents through deep sleep (not through power-on reset): ESP32 TRM 31.3.
#define RTC_DATA_ATTR __attribute__((section(".rtc.data")))
#define RTC_NOINIT_ATTR __attribute__((section(".rtc_noinit")))
#define IRAM_ATTR __attribute__((section(".iram1")))
