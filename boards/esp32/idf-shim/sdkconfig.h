// ESP-IDF v6.0 (Moddable SDK 8.2.x build) sdkconfig values quiesce-native.c reads: the ESP32 (dual core) defaults, for the host syntax check only.
#pragma once
#define CONFIG_IDF_TARGET_ESP32 1
#define CONFIG_ESP_IPC_ISR_ENABLE 1
#ifndef CONFIG_FREERTOS_UNICORE
#define CONFIG_FREERTOS_UNICORE 0
#endif
#define CONFIG_ESP_INT_WDT_TIMEOUT_MS 300
