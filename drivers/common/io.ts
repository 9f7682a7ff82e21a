// The ECMA-419 IO shapes drivers use (structural, so the same driver takes Moddable's or the simulator's classes).
import type { Platform } from "../../runtime/platform";
import type { DevicePort } from "../../runtime/port";
import type { PmHooks } from "../../runtime/driver";

/** embedded:io/digital instance. */
export interface DigitalIo {
  read(): number;
  write(value: number): void;
  close(): void;
}

/** embedded:io/digital class: modes and edges are statics, as on Moddable (values differ per host). */
export interface DigitalClass {
  new (options: {
    pin: number; mode: number; edge?: number; onReadable?: (this: unknown, triggered: number) => void;
    initialValue?: number; target?: unknown;
  }): DigitalIo;
  readonly Input: number;
  readonly InputPullUp: number;
  readonly Output: number;
  readonly Rising: number;
  readonly Falling: number;
}

/** embedded:io/i2c instance: one per target address; a NAK throws. */
export interface I2cIo {
  write(buffer: Uint8Array, stop?: boolean): void;
  read(buffer: Uint8Array, stop?: boolean): unknown;
  close(): void;
}

/** embedded:io/i2c class: one instance per target address. */
export interface I2cClass {
  new (options: { data: number; clock: number; hz: number; address: number; port?: number; target?: unknown }): I2cIo;
}

/**
 * embedded:io/spi instance: one per chip select. Moddable keeps /CS asserted across write/read/
 * transfer calls until `flush(true)`, so a command, its address and its data can be separate calls.
 */
export interface SpiIo {
  write(buffer: Uint8Array): void;
  read(buffer: Uint8Array): unknown;
  transfer(buffer: Uint8Array): void;
  flush(deselect?: boolean): void;
  close(): void;
}

/** embedded:io/spi class: one instance per chip select. */
export interface SpiClass {
  new (options: {
    clock: number; in?: number; out?: number; select?: number; hz: number; mode?: number; port?: number;
    active?: number; target?: unknown;
  }): SpiIo;
}

/** embedded:io/serial instance (format "buffer"). */
export interface SerialIo {
  /** A number writes one byte (format "number"), a buffer all of it (format "buffer"). */
  write(value: number | Uint8Array): void;
  read(buffer: Uint8Array): unknown;
  close(): void;
}

/** embedded:io/serial class: one instance per UART port. */
export interface SerialClass {
  new (options: {
    port: number; transmit?: number; receive?: number; baud: number;
    onReadable?: (this: unknown, bytes: number) => void; onWritable?: (this: unknown, bytes: number) => void;
    format?: string; target?: unknown;
  }): SerialIo;
}

/** The part of Moddable's `embedded:provider/builtin` device object the drivers read. */
export interface IoProvider {
  io: {
    Digital: DigitalClass;
    I2C: I2cClass;
    SPI: SpiClass;
    Serial: SerialClass;
  };
}

/** The board's pool sizes a driver may size its own tables from (read at construction). */
export interface PoolLimits {
  readonly stateArenaBytes: number;
  readonly blockCount: number;
  readonly blockSize: number;
}

/**
 * What boot hands every driver constructor: the platform, the provider, its board entry's options,
 * its parent driver (a bus), its IRQ line, the pool sizes. Drivers read what they need once, at
 * construction; the runtime itself reaches them only through the port given to `attach`.
 */
export interface DriverContext {
  /** Device name from the board (names its errors). */
  name: string;
  /** The board file, e.g. "boards/esp32-devkitc" (named in configuration errors). */
  board: string;
  limits: PoolLimits;
  platform: Platform;
  device: IoProvider;
  options: { readonly [key: string]: unknown };
  /** The parent device's driver, already constructed (a bus), or null. */
  parent: BoardDriver | null;
  /** The IRQ line this device's interrupts enter the runtime on, or -1. */
  irqLine: number;
}

/** A driver as boot sees it: the hooks it needs (any it leaves out answer OK) plus `attach`. */
export interface BoardDriver extends PmHooks {
  /** Boot, after the runtime sealed its registry: the driver's only handle on the runtime. */
  attach(port: DevicePort): void;
  /** What the driver needs from S1 unless its board entry overrides it. */
  readonly stateBytes?: number;
  readonly requestBlocks?: number;
  readonly roles?: number;
}

/** A numeric option's allowed values: integers min..max unless `integer` is false (then any finite number in range). */
export interface OptionRange {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** Shown after the range ("Hz", "µs"). */
  readonly unit?: string;
}

/** Without a range an option must be an integer that fits an Int32 (every driver option today is one). */
const INT32_OPTION: OptionRange = Object.freeze({ min: -2_147_483_647, max: 2_147_483_647 });

/**
 * Reads a numeric board option, or throws naming the board, the device, the option, the allowed range
 * and the fix. NaN, Infinity, strings and (unless `range.integer` is false) fractions are refused; the
 * fallback is the driver's own and is not checked. @boot
 */
export function numberOption(ctx: DriverContext, key: string, fallback?: number, range: OptionRange = INT32_OPTION): number {
  const v = ctx.options[key];
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new Error(ctx.board + ": device \"" + ctx.name + "\" needs option \"" + key + "\": add it to its board entry");
  }
  let verb: string | null = null;
  if (typeof v !== "number") verb = "write it as a number";
  else if (!(v === v)) verb = "set a number";
  else if (v > range.max) verb = "lower it";
  else if (v < range.min) verb = "raise it";
  else if (range.integer !== false && Math.floor(v) !== v) verb = "use a whole number";
  if (verb === null) return v as number;
  const shown = typeof v === "string" ? JSON.stringify(v.length > 24 ? v.slice(0, 24) + "..." : v) + " (a string)" : typeof v === "number" ? String(v) : "a " + (v === null ? "null" : typeof v);
  throw new Error(ctx.board + ": device \"" + ctx.name + "\" option \"" + key + "\" is " + shown + ": must be " +
    (range.integer !== false ? "an integer " : "a number ") + range.min + ".." + range.max + (range.unit ? " " + range.unit : "") +
    ": " + verb + " in its board entry");
}

/** The parent driver as the class the child needs, or throws naming the fix. @boot */
export function parentOf<T>(ctx: DriverContext, kind: string, is: (p: BoardDriver) => boolean): T {
  const p = ctx.parent;
  if (p === null || !is(p)) {
    throw new Error(ctx.board + ": device \"" + ctx.name + "\" must have an " + kind + " as parent: set parent to the " + kind + " device it is wired to");
  }
  return p as unknown as T;
}
