// A stand-in for XS's xsmc.h so quiesce-native.c runs on the host (test/esp32/native-wake.test.ts): arguments and the result are plain doubles.
#pragma once
#include <stdint.h>
typedef struct xsMachineRecord xsMachine;
typedef int32_t xsIntegerValue;
typedef uint32_t xsUnsignedValue;
extern double gArgs[8];
extern double gResult;
#define xsArg(i) (gArgs[i])
#define xsResult gResult
#define xsmcToInteger(v) ((xsIntegerValue)(v))
#define xsmcToNumber(v) ((double)(v))
#define xsmcSetInteger(slot, v) ((slot) = (double)(v))
#define xsmcSetNumber(slot, v) ((slot) = (double)(v))
#define xsmcGetBufferReadable(slot, data, length) (*(data) = 0, *(length) = 0)
#define xsmcGetBufferWritable(slot, data, length) (*(data) = 0, *(length) = 0)
