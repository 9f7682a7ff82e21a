// The allowed range of every number handed to the runtime or a board at boot (one frozen table, read by every check and its error message), and the boot-time refusals of bad sizes and listeners.
import { ROLE_STORAGE, ROLE_WAKE, T_STANDBY, T_HIBERNATE } from "./status";

/** An integer range (inclusive), the unit it is counted in, and where the value lands (why the range). */
export interface Limit {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly lands: string;
  /** An IRQ line: also below the configuration's `irqLines` (the static `max` is the widest allowed). */
  readonly line?: boolean;
}

/** Budgets land in Int32Array tables (and are added to times): kept well below 2^31 - 1. */
export const MAX_BUDGET_US = 2_000_000_000;
/** The widest `irqLines`: a trace record's status holds a line in 10 signed bits (runtime/trace.ts), so 0..511. */
export const MAX_IRQ_LINES = 512;

function limit(min: number, max: number, unit: string, lands: string, line?: boolean): Limit {
  return Object.freeze(line ? { min, max, unit, lands, line } : { min, max, unit, lands });
}

const BUDGET = limit(1, MAX_BUDGET_US, "µs", "Int32Array budgetUs (device x stage)");
const LINE = limit(0, MAX_IRQ_LINES - 1, "", "Int16Array wakeLine, IrqController tables", true);
const GPIO = limit(0, 63, "", "GPIO number (ESP32 0..39, ESP32-S3 0..48)");
const TIME = limit(0, MAX_BUDGET_US, "µs", "timer delays, driver fields");
const BYTE = limit(0, 255, "", "one register byte");
const FLAG = limit(0, 1, "", "on/off flag");
const QUEUE = limit(1, 1024, "requests", "RequestQueue ring");

/** `new RequestQueue(capacity, ...)`: the ring's size (a driver's `queue` option has the same range). */
export const QUEUE_CAPACITY: Limit = QUEUE;

/**
 * The table. Keys are the field as errors name it: `pm.<size>` for PmConfig, `device.<field>` for a
 * DeviceSpec or board device entry, `board.<field>` for the rest of a board definition, `option.<key>`
 * for a driver option a board sets (read by boards/validate.ts; drivers read them through numberOption),
 * `states.<field>` for each `pm.states` entry and `governor.<field>` for `pm.governor` (nested, not sizes).
 */
export const LIMITS: { readonly [field: string]: Limit } = Object.freeze({
  "pm.maxDevices": limit(1, 4096, "devices", "completion tokens carry the device in 12 bits (runtime/in-flight.ts TOKEN_SHIFT), ids in Int16Array, maxDevices x STAGE_COUNT Int32Array budgets"),
  "pm.stateArenaBytes": limit(0, 16_777_216, "bytes", "one ArrayBuffer, Int32Array offsets"),
  "pm.blockCount": limit(0, 32_767, "blocks", "block ids in Int16Array (free stack, owner, quota)"),
  "pm.blockSize": limit(1, 65_536, "bytes", "one Uint8Array view per block"),
  "pm.irqLines": limit(1, MAX_IRQ_LINES, "lines", "a trace record carries a line in 10 signed bits (runtime/trace.ts)"),
  "pm.traceRecords": limit(1, 65_536, "records", "trace ring (a Float64Array and two Int32Arrays)"),
  "pm.defaultBudgetUs": BUDGET,
  "pm.testHoldUs": limit(0, MAX_BUDGET_US, "µs", "platform sleep hold"),
  "pm.failureHistory": limit(1, 1024, "records", "stats failure ring (index modulo its size)"),
  "pm.flightRecords": limit(1, 256, "records", "flight recorder in the state arena (Float64Array)"),
  "pm.traceLevel": limit(0, 2, "level", "0 off, 1 stages, 2 hooks (runtime/recorder.ts TRACE_*)"),
  "pm.reprobeFirstUs": limit(1, MAX_BUDGET_US, "µs", "Int32Array re-probe backoff"),
  "pm.reprobeCapUs": limit(1, MAX_BUDGET_US, "µs", "Int32Array re-probe backoff (the doubling stops here)"),
  "pm.maxLocks": limit(0, 1024, "locks", "PmLocks tables (Int32Array counts), beside one lock per device"),
  "governor.minIdleUs": limit(100, MAX_BUDGET_US, "µs", "the governor's timer delay"),
  "governor.wakeMarginUs": TIME,
  "states.entryUs": TIME, "states.exitUs": TIME, "states.breakEvenUs": TIME,

  "device.budgetUs": BUDGET,
  "device.stageBudgetUs.prepare": BUDGET,
  "device.stageBudgetUs.suspend": BUDGET,
  "device.stageBudgetUs.resume": BUDGET,
  "device.stageBudgetUs.reprobe": BUDGET,
  "device.stateBytes": limit(0, 16_777_216, "bytes", "Int32Array stateBytes, state arena (pm.stateArenaBytes)"),
  "device.requestBlocks": limit(0, 32_767, "blocks", "Int16Array requestBlocks, block quota"),
  "device.roles": limit(0, ROLE_STORAGE | ROLE_WAKE, "(ROLE_STORAGE 1 | ROLE_WAKE 2)", "Uint8Array roles"),
  "device.suspendCostUs": TIME,
  "device.resumeCostUs": TIME,
  "device.autosuspendMs": limit(0, 2_000_000, "ms", "Int32Array autosuspend delay in µs (runtime/runtime-pm.ts: ms x 1000 stays below 2^31); leave it out for no autosuspend"),
  "device.irq": LINE,
  "device.wakeLine": LINE,

  "board.pins": GPIO,
  "board.irq.gpioBase": LINE,
  "board.irq.uartBase": LINE,
  "board.wakeSources.line": LINE,

  "option.pin": GPIO, "option.data": GPIO, "option.clock": GPIO, "option.miso": GPIO, "option.mosi": GPIO,
  "option.select": GPIO, "option.transmit": GPIO, "option.receive": GPIO, "option.reset": GPIO, "option.dc": GPIO,
  "option.interrupt": GPIO, "option.wake": GPIO,
  "option.address": limit(0, 127, "", "7-bit I2C address"),
  "option.hz": limit(1, 80_000_000, "Hz", "bus / PWM clock (ESP32 SPI tops out at 80 MHz)"),
  "option.port": limit(0, 7, "", "controller number (I2C 0..1, SPI host 0..2, UART 0..2)"),
  "option.baud": limit(300, 5_000_000, "baud", "UART divider"),
  "option.osrsT": limit(0, 5, "", "BME280 oversampling code"),
  "option.osrsP": limit(0, 5, "", "BME280 oversampling code"),
  "option.osrsH": limit(0, 5, "", "BME280 oversampling code"),
  "option.filter": limit(0, 4, "", "BME280 IIR filter code"),
  "option.madctl": BYTE, "option.colmod": BYTE, "option.threshold": BYTE,
  "option.invert": FLAG, "option.activeLow": FLAG, "option.pwm": FLAG,
  "option.queue": QUEUE, "option.queueCapacity": QUEUE,
  "option.requestBlocks": limit(0, 32_767, "blocks", "Int16Array requestBlocks"),
  "option.fifoBytes": limit(1, 65_536, "bytes", "UART FIFO model"),
  "option.sizeBytes": limit(1, 1_073_741_824, "bytes", "flash size (24/32-bit addresses)"),
  "option.imageAddress": limit(0, 1_073_741_823, "", "flash byte address"),
  "option.resolution": limit(1, 16, "bits", "PWM resolution"),
  "option.brightness": limit(0, 65_535, "", "PWM duty"),
  "option.debounceUs": TIME, "option.longPressUs": TIME, "option.resyncQuietUs": TIME, "option.settleUs": TIME,
  "option.target": limit(T_STANDBY, T_HIBERNATE, "(T_STANDBY 1, T_HIBERNATE 2)", "suspend target"),
  "option.lineBytes": limit(16, 4_096, "bytes", "console line buffer"),
  "option.txRingBytes": limit(1_024, 1_048_576, "bytes", "console TX ring"),
  "option.rxBacklogBytes": limit(1, 65_536, "bytes", "console RX backlog"),
  "option.wakeLine": LINE,
});

/** `new PmLocks(capacity, ...)`: the board makes pm.maxLocks plus one lock per device (pm.maxDevices). */
export const LOCK_CAPACITY: Limit = limit(0, LIMITS["pm.maxLocks"].max + LIMITS["pm.maxDevices"].max, "locks", "PmLocks tables (Int32Array counts)");

/** Numbers that are not in the table (driver options only): finite integers that fit an Int32. */
export const ANY_INTEGER: Limit = limit(-2_147_483_647, 2_147_483_647, "", "an Int32 field");

/** "an integer 1..2000000000 µs" (with the line bound when there is one). */
export function rangeText(l: Limit, lineMax?: number): string {
  const max = lineMax !== undefined && lineMax < l.max ? lineMax : l.max;
  const note = lineMax !== undefined && lineMax < l.max ? " (below pm.irqLines " + (lineMax + 1) + ")" : "";
  return "an integer " + l.min + ".." + max + (l.unit ? " " + l.unit : "") + note;
}

/** How an offending value reads in a message: strings quoted and cut short, other types named. */
export function describeValue(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 24 ? v.slice(0, 24) + "..." : v) + " (a string)";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  if (typeof v === "function") return "a function";
  if (typeof v === "symbol") return "a symbol";
  return String(v) + " (a " + typeof v + ")";
}

/**
 * null if `v` is an integer in range, else "is <v>: must be <range>: <verb>" for the caller to finish
 * with where to fix it ("in the board entry"). `lineMax` is irqLines - 1 for line fields. @boot
 */
export function outOfRange(v: unknown, l: Limit, lineMax?: number): string | null {
  const max = lineMax !== undefined && lineMax < l.max ? lineMax : l.max;
  let verb: string | null = null;
  if (typeof v !== "number") verb = "write it as a number";
  else if (v !== v) verb = "set a number";
  else if (v > max) verb = "lower it";
  else if (v < l.min) verb = "raise it";
  else if (Math.floor(v) !== v) verb = "use a whole number";
  if (verb === null) return null;
  return "is " + describeValue(v) + ": must be " + rangeText(l, lineMax) + ": " + verb;
}

/**
 * Throws "<what> is <v>: must be <range>: <verb>: <fix>" unless `v` is an integer in `l`: a constructor's
 * size, before a typed array is made of it ("4" would make a ring of 4 that hands back undefined, -1 a raw
 * RangeError naming nothing). @boot
 */
export function checkSize(what: string, v: unknown, l: Limit, fix: string): void {
  const bad = outOfRange(v, l);
  if (bad !== null) throw new Error(what + " " + bad + ": " + fix);
}

/**
 * Throws "<what> is <v>, not a function: pass <shape>" unless `v` is a function (or null, where `nullable`
 * clears it): a number taken as a listener would fault on every call after, far from the mistake. @boot
 */
export function checkListener(what: string, v: unknown, shape: string, nullable: boolean): void {
  if (typeof v === "function" || (nullable && v === null)) return;
  throw new Error(what + " is " + describeValue(v) + ", not a function: pass " + shape + (nullable ? ", or null for none" : ""));
}
