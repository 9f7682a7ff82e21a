// The ECMA-419 IO shapes drivers use (structural, so the same driver takes Moddable's or the simulator's classes).
import type { Platform } from "../../runtime/platform";
import type { DevicePort } from "../../runtime/port";
import type { PmHooks } from "../../runtime/driver";

/** embedded:io/digital instance. */
export interface DigitalIo {
  /** The pin's level, 0 or 1. */
  read(): number;
  /** Drives an output pin to `value` (0 or 1). */
  write(value: number): void;
  /** Releases the pin. */
  close(): void;
}

/** embedded:io/digital class: modes and edges are statics, as on Moddable (values differ per host). */
export interface DigitalClass {
  new (options: {
    pin: number; mode: number; edge?: number; onReadable?: (this: unknown, triggered: number) => void;
    initialValue?: number; target?: unknown;
  }): DigitalIo;
  /** Mode: input. */
  readonly Input: number;
  /** Mode: input with the internal pull-up. */
  readonly InputPullUp: number;
  /** Mode: output. */
  readonly Output: number;
  /** Edge: rising, for `onReadable`. */
  readonly Rising: number;
  /** Edge: falling, for `onReadable`. */
  readonly Falling: number;
}

/** embedded:io/i2c instance: one per target address; a NAK throws. */
export interface I2cIo {
  /** Writes `buffer` to the target; `stop` false keeps the bus for a repeated start. */
  write(buffer: Uint8Array, stop?: boolean): void;
  /** Fills `buffer` from the target; `stop` false keeps the bus for a repeated start. */
  read(buffer: Uint8Array, stop?: boolean): unknown;
  /** Releases the bus instance. */
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
  /** Clocks `buffer` out (/CS stays asserted until `flush(true)`). */
  write(buffer: Uint8Array): void;
  /** Clocks bytes in, filling `buffer`. */
  read(buffer: Uint8Array): unknown;
  /** Full duplex: clocks `buffer` out and replaces it with the bytes clocked in. */
  transfer(buffer: Uint8Array): void;
  /** Finishes pending transfers; `deselect` true also releases /CS. */
  flush(deselect?: boolean): void;
  /** Releases the chip select instance. */
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
  /** Moves received bytes into `buffer`. */
  read(buffer: Uint8Array): unknown;
  /** Releases the UART port. */
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
  /** The ECMA-419 IO classes (Moddable's `device.io`). */
  io: {
    /** embedded:io/digital. */
    Digital: DigitalClass;
    /** embedded:io/i2c. */
    I2C: I2cClass;
    /** embedded:io/spi. */
    SPI: SpiClass;
    /** embedded:io/serial. */
    Serial: SerialClass;
  };
}

/** The board's pool sizes a driver may size its own tables from (read at construction). */
export interface PoolLimits {
  /** Bytes of the state arena (`PmConfig.stateArenaBytes`). */
  readonly stateArenaBytes: number;
  /** Blocks in the request block pool (`PmConfig.blockCount`). */
  readonly blockCount: number;
  /** Bytes per request block (`PmConfig.blockSize`). */
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
  /** The board's pool sizes. */
  limits: PoolLimits;
  /** Time and timers (the runtime's Platform). */
  platform: Platform;
  /** The IO provider its pins and buses are opened through. */
  device: IoProvider;
  /** The board entry's `options` (pins, address, ...), {} when none. */
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
  /** Request blocks the driver reserves in S1 unless its board entry overrides it. */
  readonly requestBlocks?: number;
  /** ROLE_STORAGE | ROLE_WAKE the driver declares unless its board entry overrides it. */
  readonly roles?: number;
  /** µs the device adds to a suspend (the governor's break-even), unless its board entry says. */
  readonly suspendCostUs?: number;
  /** µs the device adds to a resume (the governor's wake latency), unless its board entry says. */
  readonly resumeCostUs?: number;
  /** Runtime PM: idle this long before `runtimeSuspend`, unless its board entry says (none: no autosuspend). */
  readonly autosuspendMs?: number;
  /** Its S2 budget (µs), unless the board entry's `stageBudgetUs.suspend` says: a chip whose S2 is slow by datasheet. */
  readonly suspendBudgetUs?: number;
  /** Boot, after every driver attached: a cold start of the chip (a reboot from a hibernate image skips it). */
  start?(): void;
}

/** A numeric option's allowed values: integers min..max unless `integer` is false (then any finite number in range). */
export interface OptionRange {
  /** Smallest allowed value. */
  readonly min: number;
  /** Largest allowed value. */
  readonly max: number;
  /** Integers only (default true). */
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
