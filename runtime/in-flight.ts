// Hooks in flight: completion tokens per run, the PENDING set, and the one budget timer over their deadlines.
import type { Platform } from "./platform";

/**
 * A token is the run's serial * TOKEN_STRIDE + device: one serial per stage run rather than a
 * generation per device, so issuing a token is one OR in the engine's walk. A device gets one hook
 * call per run, so (serial, device) names that call; a completion for an older serial, or for a
 * device no longer awaited, is late. Serials wrap at 2^18 so every token is a small integer (an XS
 * integer slot; a V8 Smi), never a boxed double.
 */
export const TOKEN_SHIFT = 12;
/** Token = serial * TOKEN_STRIDE + device id: the device is `token % TOKEN_STRIDE`. */
export const TOKEN_STRIDE = 1 << TOKEN_SHIFT;
export const SERIAL_MASK = (1 << 18) - 1;
/** `started` keeps a call's time modulo this (an Int32 store wraps): an elapsed time past it is reduced. */
export const START_WRAP = 4294967296;
/** `inHook` when no hook is executing. */
export const NO_HOOK = -1;
/** Runs whose stage is remembered (a late completion is recorded against the stage it answers). */
const RUNS_KEPT = 64;

/**
 * One entry per device: whether it answered PENDING and is still awaited, and that wait's deadline.
 * Deadlines are relative to the stage's epoch (set by `begin`), so they stay exact whatever the uptime. One platform timer serves every deadline: it is
 * armed for the earliest and re-armed after each expiry. Invariant: `count` equals the number of
 * devices with `running[d] === 1`.
 */
export class InFlight {
  // The fields the walk reads on every call come first: XS finds an own property by walking the
  // object's slots in the order they were defined.
  /** The device whose hook is executing right now (a completion from inside it is taken on return), or -1. */
  inHook = NO_HOOK;
  private readonly platform: Platform;
  private readonly devices: () => number;
  /** The current run's serial, and its tokens' base (serial << TOKEN_SHIFT): device d's token is `base | d`. */
  serial = 0;
  base = 0;
  /** 1 while a device's PENDING hook is awaited; read-only outside this class. */
  readonly running: Uint8Array;
  /** The stage of the last RUNS_KEPT runs, by serial. */
  private readonly runStage: Int8Array;
  private readonly runSerial: Int32Array;
  /**
   * Each awaited hook's deadline, relative to the stage's epoch (the engine's walk writes `await` inline).
   * Float64, not Int32: a hook started late in a long stage with the largest budget (2e9 µs) has a
   * deadline past 2^31 µs, which an Int32 would wrap negative (expired at once).
   */
  readonly deadline: Float64Array;
  /**
   * When each awaited hook was called, relative to the stage's epoch, modulo 2^32 (START_WRAP). Int32:
   * it is read on every completion, and Node's interpreter boxes every Float64Array read. A call more
   * than 2^31 µs (36 min) into a stage wraps; `elapsed` is still exact, since an awaited hook is done
   * or expired within its budget (at most 2e9 µs, under 2^32).
   */
  readonly started: Int32Array;
  private readonly timer: number;
  /** The budget timer's deadline (relative to the epoch), -1 when it is not armed; read-only outside this class. */
  timerAt = -1;
  /** The stage's start (platform µs); read-only outside this class. */
  epoch = 0;
  /** Devices awaited (answered PENDING, neither completed nor expired). */
  count = 0;

  constructor(platform: Platform, maxDevices: number, devices: () => number, onTimer: () => void) {
    this.platform = platform;
    this.devices = devices;
    this.running = new Uint8Array(maxDevices);
    this.runStage = new Int8Array(RUNS_KEPT).fill(-1);
    this.runSerial = new Int32Array(RUNS_KEPT).fill(-1);
    this.deadline = new Float64Array(maxDevices);
    this.started = new Int32Array(maxDevices);
    this.timer = platform.createTimer(onTimer);
  }

  /** A run of `stage` starts: a new token serial; times from now on are relative to this moment. */
  begin(now: number, stage: number): void {
    const serial = (this.serial + 1) & SERIAL_MASK;
    this.serial = serial;
    this.base = serial << TOKEN_SHIFT;
    const slot = serial % RUNS_KEPT;
    this.runStage[slot] = stage;
    this.runSerial[slot] = serial;
    this.epoch = now;
    this.count = 0;
  }

  /** The stage whose run issued `token`, or -1 when that run is too old to remember. */
  stageOf(token: number): number {
    const serial = token >> TOKEN_SHIFT;
    const slot = serial % RUNS_KEPT;
    return serial >= 0 && this.runSerial[slot] === serial ? this.runStage[slot] : -1;
  }

  /** Microseconds since the stage began. */
  since(now: number): number {
    return now - this.epoch;
  }

  /** True while `token` is device d's stage in flight, also inside its own hook call. */
  holds(token: number): boolean {
    if (typeof token !== "number") return false; // a BigInt would throw at `&`
    const d = token & (TOKEN_STRIDE - 1);
    // A forged device id past the table reads undefined: not running.
    return (token >> TOKEN_SHIFT) === this.serial && (this.running[d] === 1 || this.inHook === d);
  }

  /** Device d answered PENDING to a call made at `now`: awaited until `budgetUs` after it. */
  await(d: number, now: number, budgetUs: number): void {
    this.started[d] = now - this.epoch;
    this.running[d] = 1;
    this.count++;
    const at = now - this.epoch + budgetUs;
    this.deadline[d] = at;
    if (this.timerAt < 0 || at < this.timerAt) this.arm(at, now);
  }

  /** The budget timer for deadline `at` (relative to the epoch), at platform time `now`: it is the earliest. */
  arm(at: number, now: number): void {
    this.timerAt = at;
    this.platform.schedule(this.timer, at - (now - this.epoch));
  }

  /** Microseconds since device d's awaited hook was called. */
  elapsed(d: number, now: number): number {
    const us = now - this.epoch - this.started[d];
    return us < START_WRAP ? us : us % START_WRAP;
  }

  /** Device d's awaited hook completed. */
  done(d: number): void {
    this.running[d] = 0;
    this.count--;
  }

  /** Device d's wait is over by budget: it is no longer awaited, so its eventual completion is late. */
  expire(d: number): void {
    this.done(d);
  }

  /** The first awaited device whose deadline has passed at `now`, or -1; re-arms the timer when none is due. */
  nextExpired(now: number): number {
    const rel = now - this.epoch;
    let next = -1;
    for (let d = 0; d < this.devices(); d++) {
      if (this.running[d] === 0) continue;
      if (this.deadline[d] <= rel) return d;
      if (next < 0 || this.deadline[d] < next) next = this.deadline[d];
    }
    if (next >= 0) {
      this.timerAt = next;
      this.platform.schedule(this.timer, next - rel);
    }
    return -1;
  }

  /** The timer fired: nothing is armed until `nextExpired` re-arms it. */
  fired(): void {
    this.timerAt = -1;
  }

  /** The stage settled: no deadline is left to watch. */
  stop(): void {
    if (this.timerAt >= 0) {
      this.platform.cancel(this.timer);
      this.timerAt = -1;
    }
  }
}
