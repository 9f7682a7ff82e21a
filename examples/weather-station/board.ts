// The weather station's board: the shipped ESP32-DevKitC V4 (BME280, button, telemetry UART, flash, console) plus the station itself as a device.
import { deepFreeze, type BoardDefinition, type DriverTable } from "quiesce/boards";
import { DEVKITC_DRIVERS, ESP32_DEVKITC } from "quiesce/boards/esp32-devkitc/board";
import { WeatherApp } from "./weather-app";

/** What a user changes: the sampling period and whether the station sleeps in standby or hibernate between samples. */
export const WEATHER = deepFreeze({
  /** Seconds between samples (the RTC timer wake). */
  periodUs: 60_000_000,
  /** 0: standby (light sleep, RAM kept, wakes in ~0.5 ms); 1: hibernate (deep sleep, the flash image restores it). */
  hibernate: 0,
});

/** Board entries are data: `weather` needs the sensor and the UART, so it suspends first and resumes last. */
export function weatherBoard(periodUs: number = WEATHER.periodUs, hibernate: number = WEATHER.hibernate, console = true, sleep = 0): BoardDefinition {
  // Without the console: no device on UART0 and no console wake line (a release build for the field).
  const keep = (name: string): boolean => console || name !== "console";
  return deepFreeze(Object.assign({}, ESP32_DEVKITC, {
    name: "ESP32-DevKitC V4 weather station",
    file: "examples/weather-station/board",
    // sleep 2 (the energy benchmark's governor policy): the idle governor on, the station only keeps its period.
    pm: sleep === 2 ? Object.assign({}, ESP32_DEVKITC.pm, { governor: { enabled: true, minIdleUs: 10_000 } }) : ESP32_DEVKITC.pm,
    wakeSources: ESP32_DEVKITC.wakeSources.filter((w) => keep(w.device)),
    devices: [
      ...ESP32_DEVKITC.devices.filter((d) => keep(d.name)),
      // A reading in flight at S2: the BME280's forced measurement (9.3 ms) plus one frame on the wire.
      { name: "weather", driver: "weather", needs: ["bme280", "telemetry"], options: { periodUs, hibernate, sleep }, stageBudgetUs: { suspend: 50_000 } },
    ],
  }));
}

export const WEATHER_BOARD: BoardDefinition = weatherBoard();

/** The DevKitC's drivers and the station's own. */
export const WEATHER_DRIVERS: DriverTable = Object.freeze(Object.assign({}, DEVKITC_DRIVERS, {
  "weather": (ctx: Parameters<DriverTable[string]>[0]) => new WeatherApp(ctx),
}));
