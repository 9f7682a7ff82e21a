// The weather station's firmware (mcconfig's "main"): the DevKitC board with the station device, the RTC timer set to the sampling period, the console.
import { startEsp32 } from "quiesce/esp32";
import { ConsoleApp } from "quiesce/console/console-app";
import type { Bme280 } from "quiesce/drivers/bme280/bme280";
import type { Telemetry } from "quiesce/drivers/telemetry/telemetry";
import { WEATHER, WEATHER_BOARD, WEATHER_DRIVERS } from "./board";
import type { WeatherApp } from "./weather-app";

const booted = startEsp32(WEATHER_BOARD, {
  drivers: WEATHER_DRIVERS,
  // The RTC timer ends every sleep after one period; the BOOT button ends it early (a forced reading).
  standbyTimerUs: WEATHER.periodUs,
  hibernateTimerUs: WEATHER.periodUs,
  makeConsole: function shippedConsole(pm, io) {
    return new ConsoleApp(pm, io);
  },
});
const d = booted.drivers;
(d["weather"] as unknown as WeatherApp).connect(d["bme280"] as unknown as Bme280, d["telemetry"] as unknown as Telemetry, booted.onDone);

export default booted;
