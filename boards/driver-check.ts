// Boot-time checks of the driver table and the drivers it makes: a factory (not a class), option keys as an array, the driver object and its numbers, the pools.
import { LIMITS, describeValue, outOfRange } from "../runtime/limits";
import type { BoardDefinition, BoardDevice } from "./types";

/** How errors name the driver table by default: the firmware's boot is given it as BootOptions.drivers (the simulator names its own field). */
export const DRIVER_TABLE_FIELD = "BootOptions.drivers";

/** What a value is, for the messages below: undefined and arrays named as such (describeValue says "an object" for an array). @boot */
function kind(v: unknown): string {
  if (v === undefined) return "undefined";
  return Array.isArray(v) ? "an array" : describeValue(v);
}

/**
 * A driver table entry before boot calls it: a function, not the driver's class (calling a class throws
 * "Class constructor X cannot be invoked without 'new'", naming neither device nor fix), with its option
 * keys (DriverFactory.options), if any, an array of strings: a string "pin" would be searched as text,
 * accepting "p" and "in". Throws "<board>: devices: "<device>" uses driver "<driver>", whose ...: <fix> in <table>". @boot
 */
export function checkFactory(def: BoardDefinition, d: BoardDevice, entry: unknown, table: string): void {
  // The messages are built only on a mistake: boot's garbage is counted against the XS heap (test/xs/creation-peak.test.ts).
  if (typeof entry !== "function") throw new Error(entryIs(def, d) + kind(entry) + ", not a factory: make it driverFactory((ctx) => new YourDriver(ctx), [its option keys]) in " + table);
  const proto = (entry as { readonly prototype?: { readonly attach?: unknown } }).prototype;
  // A factory is an arrow function (no prototype) or a plain function with an empty one: a prototype with attach is the driver's class.
  if (typeof proto === "object" && proto !== null && typeof proto.attach === "function") throw notAFactory(def, d, entry, table);
  checkKeys(def, d, (entry as { readonly options?: unknown }).options, "option keys are", "driverFactory(make, ", ")", table);
  // Its own pin keys (driverFactory's third argument): a string would leave the pin-clash check off in silence.
  checkKeys(def, d, (entry as { readonly pins?: unknown }).pins, "pin keys are", "driverFactory(make, OPTIONS, ", ")", table);
}

/** `keys` (undefined: none declared) is an array of strings, or throws naming the fix. @boot */
function checkKeys(def: BoardDefinition, d: BoardDevice, keys: unknown, what: string, before: string, after: string, table: string): void {
  if (keys === undefined) return;
  let strings = Array.isArray(keys);
  for (let i = 0; strings && i < (keys as unknown[]).length; i++) if (typeof (keys as unknown[])[i] !== "string") strings = false;
  if (strings) return;
  const example = typeof keys === "string" ? JSON.stringify([keys]) : "[\"pin\", ...]";
  throw new Error(def.file + ": devices: \"" + d.name + "\" uses driver \"" + d.driver + "\", whose " + what + " " + kind(keys) +
    ", not an array of strings: declare them as " + before + example + after + " in " + table);
}

/** "<board>: devices: "<device>" uses driver "<driver>", whose driver table entry is ". @boot */
function entryIs(def: BoardDefinition, d: BoardDevice): string {
  return def.file + ": devices: \"" + d.name + "\" uses driver \"" + d.driver + "\", whose driver table entry is ";
}

/** The error for a class in the table where its factory goes. @boot */
function notAFactory(def: BoardDefinition, d: BoardDevice, entry: Function, table: string): Error {
  const name = entry.name === "" ? "YourDriver" : entry.name;
  return new Error(entryIs(def, d) + "the class " + name + ", not a factory: write driverFactory((ctx) => new " + name + "(ctx), [its option keys]) in " + table);
}

/**
 * After calling `entry` threw `e`: the error to report. A class whose attach is not on its prototype
 * (an arrow-function field) passes checkFactory; where the engine keeps the source (Node; not XS) it
 * says `class`, and calling it threw "Class constructor X cannot be invoked without 'new'". @boot
 */
export function constructFailed(def: BoardDefinition, d: BoardDevice, entry: Function, e: unknown, table: string): Error {
  if (/^class\b/.test(Function.prototype.toString.call(entry))) return notAFactory(def, d, entry, table);
  const why = e instanceof Error ? e.message : String(e);
  return new Error(def.file + ": devices: constructing \"" + d.name + "\" (driver " + d.driver + ") failed: " + why);
}

/** Numbers a driver may declare for itself, the board entry field that overrides each, and its runtime/limits.ts row. */
const DRIVER_NUMBERS: readonly (readonly [string, string, string])[] = Object.freeze([
  ["stateBytes", "stateBytes", "device.stateBytes"], ["requestBlocks", "requestBlocks", "device.requestBlocks"], ["roles", "roles", "device.roles"],
  ["suspendCostUs", "suspendCostUs", "device.suspendCostUs"], ["resumeCostUs", "resumeCostUs", "device.resumeCostUs"],
  ["autosuspendMs", "autosuspendMs", "device.autosuspendMs"], ["suspendBudgetUs", "stageBudgetUs.suspend", "device.stageBudgetUs.suspend"],
]);

/**
 * What a factory returned, before boot reads it: an object with `attach`, and each number it declares
 * that the board entry does not override within its row (boot keeps stateBytes in an Int32Array, where
 * "4" becomes 4, 4.5 becomes 4 and "x" 0, in silence). Throws naming board, device, field and fix. @boot
 */
export function checkDriver(def: BoardDefinition, d: BoardDevice, drv: unknown): void {
  if (typeof drv !== "object" || drv === null) {
    throw new Error(driverOf(def, d) + "its factory returned " + kind(drv) + ", not a driver: return the driver object from the factory, (ctx) => new YourDriver(ctx)" +
      " (not (ctx) => { new YourDriver(ctx) }), in the driver table");
  }
  const o = drv as { readonly [key: string]: unknown };
  // An async factory (or one that returns a Promise): boot is synchronous, the driver must be made at once.
  if (typeof o.then === "function") {
    throw new Error(driverOf(def, d) + "its factory returned a Promise (an async factory?), not a driver: make the driver at once, (ctx) => new YourDriver(ctx), and do slow set-up in its start()");
  }
  if (typeof o.attach !== "function") {
    throw new Error(driverOf(def, d) + "the driver's attach is " + kind(o.attach) + ", not a method: give the driver attach(port: DevicePort): void (boot calls it after seal with the device's port)");
  }
  const entry = d as unknown as { readonly [key: string]: unknown };
  const per = d.stageBudgetUs as { readonly [key: string]: unknown } | undefined;
  for (let k = 0; k < DRIVER_NUMBERS.length; k++) {
    // Indexed, not destructured: XS makes an iterator for `const [a, b] = row`.
    const key = DRIVER_NUMBERS[k][0], field = DRIVER_NUMBERS[k][1];
    const v = o[key];
    if (v === undefined) continue;
    if (field === "stageBudgetUs.suspend" ? per !== undefined && per.suspend !== undefined : entry[field] !== undefined) continue;
    const bad = outOfRange(v, LIMITS[DRIVER_NUMBERS[k][2]]);
    if (bad !== null) throw new Error(driverOf(def, d) + "the driver's " + key + " " + bad + ": fix it in the driver, or set " + field + " in the board entry");
  }
}

/** "<board>: devices: "<device>" (driver <driver>): ". @boot */
function driverOf(def: BoardDefinition, d: BoardDevice): string {
  return def.file + ": devices: \"" + d.name + "\" (driver " + d.driver + "): ";
}

/** After construction: the drivers' state/blocks against the pools, naming each device's share. */
export function checkPools(def: BoardDefinition, stateBytes: Int32Array, blocks: Int32Array): void {
  let bytes = 0;
  let nblocks = 0;
  let parts = "";
  let bparts = "";
  for (let i = 0; i < def.devices.length; i++) {
    bytes += stateBytes[i];
    nblocks += blocks[i];
    if (stateBytes[i] > 0) parts += (parts ? ", " : "") + def.devices[i].name + " " + stateBytes[i];
    if (blocks[i] > 0) bparts += (bparts ? ", " : "") + def.devices[i].name + " " + blocks[i];
  }
  if (bytes > def.pm.stateArenaBytes) {
    throw new Error(def.file + ": pool: devices save " + bytes + " bytes of state (" + parts + "), stateArenaBytes is " + def.pm.stateArenaBytes + ": raise pm.stateArenaBytes to at least " + bytes);
  }
  if (nblocks > def.pm.blockCount) {
    throw new Error(def.file + ": pool: devices reserve " + nblocks + " request blocks (" + bparts + "), blockCount is " + def.pm.blockCount + ": raise pm.blockCount to at least " + nblocks);
  }
}
