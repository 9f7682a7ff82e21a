// ESP32 idle states for the governor (pm.states): light sleep as standby, deep sleep as hibernate, with ESP-IDF's latencies and a derived break-even.
import { T_STANDBY, T_HIBERNATE } from "../runtime/status";
import type { IdleState } from "../runtime/policy";
import { deepFreeze } from "./freeze";

/*
 * Where the numbers come from (docs/idle-policy.md has the derivation; /work/shared/datasheet-figures.md
 * the sources). Currents: ESP32 Series Datasheet v4.2 Table 8: active (modem-sleep, 160 MHz dual core)
 * 27 mA at the low end, light sleep 0.8 mA, deep sleep with RTC memory 10 µA.
 *
 * Light sleep (standby):
 * - exit 536 µs: ESP-IDF sleep_modes.c, hardware wake 60 µs (DEFAULT_HARDWARE_OUT_OVERHEAD_US) plus the
 *   software sleep-out path 476 µs (DEFAULT_SLEEP_OUT_OVERHEAD_US without CONFIG_PM_SLP_IRAM_OPT); the
 *   simulator charges the same (host-sim/board/sim-platform.ts LIGHT_SLEEP_*).
 * - entry 200 µs: no published figure; an estimate of esp_light_sleep_start's software path (wake-source
 *   setup, UART flush check, RTC configuration), to be replaced by a measurement.
 * - break-even 5 ms: the transitions (736 µs at 27 mA = 19.9 µC) against the saving (27 - 0.8 mA) pay off
 *   after 0.76 ms; rounded up to 5 ms to cover the runtime's own S1..R2 walk over the devices (1-3 ms of
 *   CPU on the DevKitC in the simulator) until the energy benchmark measures it.
 *
 * Deep sleep (hibernate), a reboot that resumes from the image:
 * - exit 40 ms: wake to flash ready 2.35 ms (250 + 100 * 240 / 240 MHz + the 2,000 µs flash-ready delay,
 *   ESP-IDF DEEP_SLEEP_TIME_OVERHEAD_US and ESP_SLEEP_WAIT_FLASH_READY_EXTRA_DELAY) plus a boot to the
 *   application of about 37 ms (ESP-IDF examples/system/startup_time, minimum-boot settings).
 * - entry 50 ms: the image written in S1/S2 (a W25Q 4 KB sector erase, tSE typ 45 ms, plus page programs,
 *   tPP typ 0.4 ms each) on a board with a storage device; a board that keeps the image in RTC memory
 *   may lower it.
 * - break-even 3.1 s: the transitions (90 ms at 27 mA = 2.43 mC) against light sleep's extra current
 *   (0.8 - 0.01 mA = 0.79 mA): 2.43 / 0.79 = 3.08 s. Below that, standby is the cheaper sleep.
 */
export const ESP32_LIGHT_SLEEP: IdleState = deepFreeze({ target: T_STANDBY, entryUs: 200, exitUs: 536, breakEvenUs: 5_000 });
export const ESP32_DEEP_SLEEP: IdleState = deepFreeze({ target: T_HIBERNATE, entryUs: 50_000, exitUs: 40_000, breakEvenUs: 3_100_000 });
/*
 * Deep sleep with the image in RTC slow memory (a board with no storage device: the platform keeps the
 * arena, ESP32 TRM §1.3.2.2, ESP-IDF RTC_DATA_ATTR), so no flash erase or program on the way down:
 * - entry 5 ms: the runtime's S1..S3 walk (the simulator charges 165 + 208 + 130 µs of dispatch per
 *   device, host-sim/board/dispatch-cost.ts: 4 ms for 8 devices) plus esp_deep_sleep_start (no
 *   published figure); an estimate.
 * - exit 37 ms: wake to flash ready 2.35 ms plus the boot to the application, 37 ms from the wake in
 *   all (ESP-IDF examples/system/startup_time); what the simulator charges (host-sim/board/sleep-latency.ts).
 *   The runtime's own R1/R2 walk after it is the governor's `wakeMarginUs`.
 * - break-even 1.5 s: (42 ms at 27 mA = 1.13 mC) against light sleep's extra (0.8 - 0.01 mA): 1.44 s.
 */
export const ESP32_DEEP_SLEEP_RTC: IdleState = deepFreeze({ target: T_HIBERNATE, entryUs: 5_000, exitUs: 37_000, breakEvenUs: 1_500_000 });
/** Light sleep and deep sleep with the image in RTC memory, for a board without a storage device. */
export const ESP32_STATES_RTC: readonly IdleState[] = deepFreeze([ESP32_LIGHT_SLEEP, ESP32_DEEP_SLEEP_RTC]);
/** Both, shallowest first, as `pm.states` lists them. */
export const ESP32_STATES: readonly IdleState[] = deepFreeze([ESP32_LIGHT_SLEEP, ESP32_DEEP_SLEEP]);
/** The governor as ESP32 boards ship it: off until the board (or the application, `pm.governor.enable(true)`) turns it on. */
export const ESP32_GOVERNOR_OFF = deepFreeze({ enabled: false, minIdleUs: 10_000 });
