// Hooks in flight: completion tokens with generations, the PENDING set, and the one budget timer over their deadlines.
import type { Platform } from "./platform";

/**
 * Tokens are generation * TOKEN_STRIDE + device: a completion for an old generation is recognised as late.
 * Generations wrap at 2^18 so every token is a small integer (an XS integer slot; a V8 Smi), never a boxed double.
 */
export const TOKEN_SHIFT = 12;
/** Token = generation * TOKEN_STRIDE + device id: the device is `token % TOKEN_STRIDE`. */
export const TOKEN_STRIDE = 1 << TOKEN_SHIFT;
export const GEN_MASK = (1 << 18) - 1;

/**
 * One entry per device: its current token generation, whether it answered PENDING and is still
 * awaited, and that wait's deadline. Deadlines are relative to the stage's epoch (set by `begin`),
 * so they stay small integers whatever the uptime. One platform timer serves every deadline: it is
 * armed for the earliest and re-armed after each expiry. Invariant: `count` equals the number of
 * devices with `running[d] === 1`.
 */
export class InFlight {
  private readonly platform: Platform;
  private readonly devices: () => number;
  /** Current token generation per device (the engine's hot loop issues tokens inline, as `issue` does). */
  readonly gen: Int32Array;
  private readonly running: Uint8Array;
  /** Stage of each device's last hook call: a late completion is recorded against the stage it answers. */
  readonly hookStage: Int8Array;
  private readonly deadline: Int32Array;
  /** When each awaited hook was called, relative to the stage's epoch. */
  private readonly started: Int32Array;
  private readonly timer: number;
  private timerAt = -1;
  private epoch = 0;
  /** Devices awaited (answered PENDING, neither completed nor expired). */
  count = 0;
  /** The device whose hook is executing right now (a completion from inside it is taken on return), or -1. */
  inHook = -1;

  constructor(platform: Platform, maxDevices: number, devices: () => number, onTimer: () => void) {
    this.platform = platform;
    this.devices = devices;
    this.gen = new Int32Array(maxDevices);
    this.running = new Uint8Array(maxDevices);
    this.hookStage = new Int8Array(maxDevices).fill(-1);
    this.deadline = new Int32Array(maxDevices);
    this.started = new Int32Array(maxDevices);
    this.timer = platform.createTimer(onTimer);
  }

  /** A stage starts: times from now on are relative to this moment. */
  begin(now: number): void {
    this.epoch = now;
    this.count = 0;
  }

  /** Microseconds since the stage began. */
  since(now: number): number {
    return now - this.epoch;
  }

  /** A new token for device d's hook in `stage` (older tokens of d become late). */
  issue(d: number, stage: number): number {
    const gen = (this.gen[d] + 1) & GEN_MASK;
    this.gen[d] = gen;
    this.hookStage[d] = stage;
    return (gen << TOKEN_SHIFT) | d;
  }

  /** True while `token` is device d's stage in flight, also inside its own hook call. */
  holds(token: number): boolean {
    const d = token & (TOKEN_STRIDE - 1);
    if (d >= this.devices() || (token >> TOKEN_SHIFT) !== this.gen[d]) return false;
    return this.running[d] === 1 || this.inHook === d;
  }

  /** Device d answered PENDING to a call made at `now`: awaited until `budgetUs` after it. */
  await(d: number, now: number, budgetUs: number): void {
    this.started[d] = now - this.epoch;
    this.running[d] = 1;
    this.count++;
    const at = now - this.epoch + budgetUs;
    this.deadline[d] = at;
    if (this.timerAt < 0 || at < this.timerAt) {
      this.timerAt = at;
      this.platform.schedule(this.timer, at - (now - this.epoch));
    }
  }

  /** Microseconds since device d's awaited hook was called. */
  elapsed(d: number, now: number): number {
    return now - this.epoch - this.started[d];
  }

  /** Device d's awaited hook completed. */
  done(d: number): void {
    this.running[d] = 0;
    this.count--;
  }

  /** Device d's wait is over by budget: its generation moves on, so its eventual completion is late. */
  expire(d: number): void {
    this.gen[d] = (this.gen[d] + 1) & GEN_MASK;
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
