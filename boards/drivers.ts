// Every shipped driver by name: the table the simulator and tests boot any board with (a firmware links only its board's own table).
import type { DriverTable } from "./types";
import { DEVKITC_DRIVERS } from "./esp32-devkitc/board";
import { MODDABLE_TWO_DRIVERS } from "./moddable-two/board";

export type { DriverFactory } from "./types";

/**
 * The shipped boards' tables together (each board module lists the drivers its devices name, so a
 * driver appears once per board that uses it). Importing it links every driver: device firmware uses
 * its board's table instead.
 */
export const DRIVERS: DriverTable = Object.freeze(Object.assign({}, DEVKITC_DRIVERS, MODDABLE_TWO_DRIVERS));
