// ESP-IDF v6.0 components/esp_system/include/esp_ipc_isr.h, transcribed: stalling the other CPU (host syntax check).
#pragma once
#include "sdkconfig.h"
#ifdef CONFIG_ESP_IPC_ISR_ENABLE
/** Busy-waits the other CPU inside a high-priority interrupt until esp_ipc_isr_release_other_cpu(); calls nest. */
void esp_ipc_isr_stall_other_cpu(void);
void esp_ipc_isr_release_other_cpu(void);
#else
#define esp_ipc_isr_stall_other_cpu()
#define esp_ipc_isr_release_other_cpu()
#endif
