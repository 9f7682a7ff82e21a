// The weather station's board: the shipped ESP32-DevKitC V4 (BME280, button, telemetry UART, flash, console) plus the station itself as a device.
import { deepFreeze, driverFactory, type BoardDefinition, type DriverTable } from "quiesce/boards";
import { DEVKITC_DRIVERS, ESP32_DEVKITC } from "quiesce/boards/esp32-devkitc/board";
import { ESP32_STATES, ESP32_STATES_RTC } from "quiesce/boards/esp32-states";
import { WeatherApp, WEATHER_OPTIONS } from "./weather-app";

/** What a user changes: the sampling period and whether the station sleeps in standby or hibernate between samples. */
export const WEATHER = deepFreeze({
  /** Seconds between samples (the RTC timer wake). */
  periodUs: 60_000_000,
  /** 0: standby (light sleep, RAM kept, wakes in ~0.5 ms); 1: hibernate (deep sleep, the flash image restores it). */
  hibernate: 0,
});

/**
 * The governor's wake margin with the image in RTC memory: the firmware's start, the image restore and
 * the runtime's R1/R2 walk after the boot (8 devices x (66 + 74) µs of dispatch in the simulator,
 * host-sim/board/dispatch-cost.ts, plus the hooks' own work: the flash's release tRES1 and JEDEC id, the
 * BME280's registers), measured there as 2.41 ms (bench/energy-results.md, "firmware start, image
 * restore, R1/R2"); a shorter one makes the reading that much late, a longer one keeps the CPU awake waiting.
 */
export const RTC_WAKE_MARGIN_US = 2_410;

/**
 * Board entries are data: `weather` needs the sensor and the UART, so it suspends first and resumes last.
 * `rtcImage`: the flash is not the storage device, so a hibernate keeps the image (the arena, ~1.1 KB)
 * in the ESP32's RTC slow memory instead of erasing and programming a W25Q sector every time.
 */
export function weatherBoard(periodUs: number = WEATHER.periodUs, hibernate: number = WEATHER.hibernate, console = true, sleep = 0, rtcImage = false): BoardDefinition {
  // Without the console: no device on UART0 and no console wake line (a release build for the field).
  const keep = (name: string): boolean => console || name !== "console";
  const governor = rtcImage
    ? { states: ESP32_STATES_RTC, governor: { enabled: true, minIdleUs: 10_000, wakeMarginUs: RTC_WAKE_MARGIN_US } }
    : { states: ESP32_STATES, governor: { enabled: true, minIdleUs: 10_000 } };
  return deepFreeze(Object.assign({}, ESP32_DEVKITC, {
    name: "ESP32-DevKitC V4 weather station" + (rtcImage ? " (image in RTC memory)" : ""),
    file: "examples/weather-station/board",
    // sleep 2 (the energy benchmark's governor policy): the idle governor on, the station only keeps its period.
    // It re-arms its period after a hibernate reboot (weather-app.ts resume), so it may list hibernate too.
    pm: sleep === 2 ? Object.assign({}, ESP32_DEVKITC.pm, governor) : ESP32_DEVKITC.pm,
    wakeSources: ESP32_DEVKITC.wakeSources.filter((w) => keep(w.device)),
    devices: [
      // rtcImage: the W25Q stays on the board (S3 still puts it in deep power-down, 1 µA) without the storage role.
      ...ESP32_DEVKITC.devices.filter((d) => keep(d.name)).map((d) => (rtcImage && d.name === "flash" ? Object.assign({}, d, { roles: 0 }) : d)),
      // A reading in flight at S2: the BME280's forced measurement (9.3 ms) plus one frame on the wire.
      { name: "weather", driver: "weather", needs: ["bme280", "telemetry"], options: { periodUs, hibernate, sleep }, stageBudgetUs: { suspend: 50_000 } },
    ],
  }));
}

export const WEATHER_BOARD: BoardDefinition = weatherBoard();

/** The DevKitC's drivers and the station's own. */
export const WEATHER_DRIVERS: DriverTable = Object.freeze(Object.assign({}, DEVKITC_DRIVERS, {
  "weather": driverFactory((ctx) => new WeatherApp(ctx), WEATHER_OPTIONS),
}));
