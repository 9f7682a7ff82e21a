// Every shipped driver by name: the table the simulator and tests boot any board with (a firmware links only its board's own table).
import type { DriverTable } from "./types";
import { Button } from "../drivers/button/button";
import { Led } from "../drivers/led/led";
import { I2cBus } from "../drivers/i2c-bus/i2c-bus";
import { SpiBus } from "../drivers/spi-bus/spi-bus";
import { Bme280 } from "../drivers/bme280/bme280";
import { W25q } from "../drivers/w25q/w25q";
import { Telemetry } from "../drivers/telemetry/telemetry";
import { UartConsole } from "../drivers/uart-console/uart-console";
import { Ili9341 } from "../drivers/ili9341/ili9341";
import { Ft6206 } from "../drivers/ft6206/ft6206";
import { Backlight } from "../drivers/backlight/backlight";

export type { DriverFactory } from "./types";

/** A plain object: a new driver is one line. Importing it links every driver, so device firmware uses its board's table instead. */
export const DRIVERS: DriverTable = Object.freeze({
  "button": (ctx) => new Button(ctx),
  "led": (ctx) => new Led(ctx),
  "i2c-bus": (ctx) => new I2cBus(ctx),
  "spi-bus": (ctx) => new SpiBus(ctx),
  "bme280": (ctx) => new Bme280(ctx),
  "w25q": (ctx) => new W25q(ctx),
  "telemetry": (ctx) => new Telemetry(ctx),
  "uart-console": (ctx) => new UartConsole(ctx),
  "ili9341": (ctx) => new Ili9341(ctx),
  "ft6206": (ctx) => new Ft6206(ctx),
  "backlight": (ctx) => new Backlight(ctx),
});
