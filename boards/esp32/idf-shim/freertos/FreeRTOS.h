// ESP-IDF v6.0 components/freertos (Xtensa portmacro.h, spinlock.h), transcribed: the portMUX spinlock critical section (host syntax check).
#pragma once
#include <stdint.h>
#include "sdkconfig.h"
typedef struct {
    uint32_t owner;
    uint32_t count;
} spinlock_t;
typedef spinlock_t portMUX_TYPE;
#define SPINLOCK_FREE 0xB33FFFFF
#define portMUX_FREE_VAL SPINLOCK_FREE
#define portMUX_INITIALIZER_UNLOCKED { .owner = portMUX_FREE_VAL, .count = 0 }
/** Disables interrupts up to XCHAL_EXCM_LEVEL on this core and takes the spinlock; nests. */
void vPortEnterCritical(portMUX_TYPE *mux);
void vPortExitCritical(portMUX_TYPE *mux);
#define portENTER_CRITICAL(mux) vPortEnterCritical(mux)
#define portEXIT_CRITICAL(mux) vPortExitCritical(mux)
