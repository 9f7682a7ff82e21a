// Public surface of the ESP32 target ("quiesce/esp32", device only: it imports Moddable's timer and provider): start an application, the platform, the boot line.
export { startEsp32, withoutConsole } from "./start";
export type { Esp32StartOptions } from "./start";
export { bootLine, CONSOLE_ON_UART0, CONSOLE_DEBUG_OFF, CONSOLE_NONE } from "./boot-line";
export { Esp32Platform, MASK_NOIRQ, MASK_SLEEP } from "./platform";
export type { Esp32PlatformOptions, QuiesceNative, TimerApi } from "./platform";
export { Esp32IrqSource } from "./irq-source";
export { esp32Native } from "./native";
export { esp32WakePlan, ESP32_RTC_GPIOS, EXT1_ALL_LOW, EXT1_ANY_HIGH } from "../esp32-wake";
export type { Esp32WakePlan } from "../esp32-wake";
