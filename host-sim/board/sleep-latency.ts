// ESP32 sleep entry/exit and deep-sleep boot latencies the simulated platform charges, with their ESP-IDF sources.

/*
 * Wake latency: time from the wake event to the firmware running again. ESP-IDF charges these for
 * the ESP32 (components/esp_hw_support/sleep_modes.c and Kconfig):
 * - light sleep: DEFAULT_HARDWARE_OUT_OVERHEAD_US 60 us, plus DEFAULT_SLEEP_OUT_OVERHEAD_US, the
 *   software sleep-out path: 212 us with CONFIG_PM_SLP_IRAM_OPT (code in IRAM), else 476 us. The
 *   option defaults to n, so 60 + 476 = 536 us unless a board says otherwise.
 * - deep sleep: DEEP_SLEEP_TIME_OVERHEAD_US 250 + 100 * 240 / f_CPU(MHz) us until the wake stub
 *   (350 us at 240 MHz), plus CONFIG_ESP_SLEEP_WAIT_FLASH_READY_EXTRA_DELAY 2000 us (ESP32 default)
 *   before flash is read: 2350 us, then the reboot.
 * The SoC draws active current from the wake event on (it is running the exit path).
 */
export const LIGHT_SLEEP_HW_OUT_US = 60;
export const LIGHT_SLEEP_SW_OUT_US = 476;
export const LIGHT_SLEEP_SW_OUT_IRAM_US = 212;
export const DEEP_SLEEP_FLASH_READY_US = 2000;

/** Deep-sleep wake to flash-ready at `cpuMhz`: 250 + 100 * 240 / f_CPU + 2000 us. */
export function deepSleepWakeUs(cpuMhz: number): number {
  return 250 + (100 * 240) / cpuMhz + DEEP_SLEEP_FLASH_READY_US;
}

/*
 * Light-sleep entry: the software path from esp_light_sleep_start to the chip sleeping, at active
 * current. Current ESP-IDF has no constant for it (it measures `sleep_time_overhead_in` at run time);
 * ESP-IDF v4.x for the ESP32 charged LIGHT_SLEEP_TIME_OVERHEAD_US = 250 + 30 * 240 / f_CPU us, "extra
 * time it takes to enter and exit light sleep". ASSUMPTION (unverified): that whole figure, 280 us
 * at 240 MHz, is taken as the entry path, and the exit is charged separately (above).
 */
export function lightSleepEntryUs(cpuMhz: number): number {
  return 250 + (30 * 240) / cpuMhz;
}

/*
 * Deep-sleep wake, after the flash is ready (deepSleepWakeUs): second-stage bootloader, app image
 * load, start-up to the firmware's first line. ESP-IDF examples/system/startup_time (settings for the
 * shortest boot) shows the app's first log line at 37 ms; the first 2,350 us of those are charged by
 * deepSleepWakeUs, so 34,650 us remain. UNVERIFIED: an example's output, not a specification; the
 * Moddable/XS VM start is not included. Charged at active current (an upper bound: the ROM and the
 * bootloader may run the CPU slower; no datasheet gives a boot current).
 */
export const DEEP_SLEEP_APP_BOOT_US = 37_000 - 2_350;
