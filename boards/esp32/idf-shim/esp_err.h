// ESP-IDF v6.0 components/esp_common/include/esp_err.h, transcribed (types and the codes quiesce-native.c uses) for the host syntax check.
#pragma once
#include <stdint.h>
#include <stdbool.h>
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_FAIL -1
#define ESP_ERR_NO_MEM 0x101
#define ESP_ERR_INVALID_ARG 0x102
#define ESP_ERR_INVALID_STATE 0x103
#define ESP_ERR_NOT_SUPPORTED 0x106
