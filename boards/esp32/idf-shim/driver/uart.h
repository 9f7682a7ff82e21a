// ESP-IDF v6.0 components/esp_driver_uart/include/driver/uart.h + hal/uart_types.h, transcribed (host syntax check).
#pragma once
#include "esp_err.h"
typedef int uart_port_t;
/** Positive RX edges that wake the chip from light sleep (ESP32: 3..1023; the waking character is lost). */
esp_err_t uart_set_wakeup_threshold(uart_port_t uart_num, int wakeup_threshold);
