// Virtual microsecond clock with a fixed set of timer slots fired in (deadline, slot) order, plus a seeded PRNG.
import type { Clock } from "./contracts";
import { Xorshift32 } from "./xorshift";

/** Unarmed slot. -1 rather than Infinity keeps the deadline table all small integers (see below). */
const UNARMED = -1;

/**
 * Nothing here reads real time: time moves only when the harness calls advance/runUntil/runUntilIdle,
 * so every run replays exactly. Slots are created at boot (createTimer allocates the callback slot
 * once); schedule/cancel/advance only read and write a fixed table of numbers.
 *
 * Time is whole microseconds: a fractional delay is rounded up (a timer never fires early). That
 * keeps every deadline a small integer, which XS stores in a slot and V8 as a Smi: under
 * `node --jitless` a Float64Array read or a fractional number boxes a HeapNumber, which would show up
 * as allocation in the Node zero-allocation check. (Past 2^30 us, about 17.9 virtual minutes, V8
 * boxes again; XS never does.) Callers that need sub-microsecond pacing (UART bytes) carry the
 * remainder themselves.
 *
 * Ordering: among due timers the earliest deadline fires first; equal deadlines fire in slot order
 * (creation order). A callback may schedule or cancel any timer, including its own; a timer it arms
 * for "now" fires in the same advance.
 */
export class VirtualClock implements Clock {
  /** Timer slots this clock was built with. */
  readonly capacity: number;
  private readonly deadlines: number[];
  private readonly callbacks: (() => void)[];
  private created = 0;
  private t = 0;
  /** Slot whose callback is running, or -1. */
  private firingSlot = -1;
  private readonly rng: Xorshift32;
  /** Callbacks fired since construction. */
  fired = 0;
  /** Draws uniformly from [0, 1); a function value, so it can be handed to models as their random source. */
  readonly random: () => number;
  /** Fires allowed at one instant within one advance before it is called a livelock. */
  readonly maxFiresPerInstant: number;
  private sameInstant = 0;

  constructor(slots: number, seed = 1, maxFiresPerInstant = 1_000_000) {
    if (!(slots >= 1) || slots !== Math.floor(slots)) {
      throw new RangeError("VirtualClock: slots " + String(slots) + " is not a positive integer; pass how many timers the board creates");
    }
    this.capacity = slots;
    this.deadlines = new Array(slots);
    for (let i = 0; i < slots; i++) this.deadlines[i] = UNARMED;
    this.callbacks = new Array(slots);
    for (let i = 0; i < slots; i++) this.callbacks[i] = noop;
    this.rng = new Xorshift32(seed);
    this.random = this.rng.random;
    this.maxFiresPerInstant = maxFiresPerInstant;
  }

  now(): number {
    return this.t;
  }

  /** Timer slots handed out so far. */
  get timersCreated(): number {
    return this.created;
  }

  createTimer(callback: () => void): number {
    if (this.created === this.capacity) {
      throw new RangeError("VirtualClock: all " + String(this.capacity) + " timer slots are taken; construct the clock with more slots");
    }
    if (typeof callback !== "function") {
      throw new TypeError("VirtualClock.createTimer: callback must be a function");
    }
    const handle = this.created++;
    this.callbacks[handle] = callback;
    return handle;
  }

  schedule(handle: number, delayUs: number): void {
    this.check(handle);
    if (!(delayUs >= 0) || delayUs === Infinity) {
      throw new RangeError("VirtualClock.schedule: delay " + String(delayUs) + " us must be a finite number >= 0");
    }
    this.deadlines[handle] = this.t + Math.ceil(delayUs);
  }

  cancel(handle: number): void {
    this.check(handle);
    this.deadlines[handle] = UNARMED;
  }

  isArmed(handle: number): boolean {
    this.check(handle);
    return this.deadlines[handle] !== UNARMED;
  }

  /** Absolute deadline of `handle` in us, or Infinity if unarmed. */
  deadlineOf(handle: number): number {
    this.check(handle);
    const d = this.deadlines[handle];
    return d === UNARMED ? Infinity : d;
  }

  /** Earliest armed deadline (absolute us), or Infinity when no timer is armed. */
  nextDeadline(): number {
    const d = this.deadlines;
    let best = UNARMED;
    for (let i = 0; i < this.created; i++) {
      const di = d[i];
      if (di !== UNARMED && (best === UNARMED || di < best)) best = di;
    }
    return best === UNARMED ? Infinity : best;
  }

  /** Moves time forward `us`, firing every timer due on the way. Returns how many fired. */
  advance(us: number): number {
    if (!(us >= 0) || us === Infinity) {
      throw new RangeError("VirtualClock.advance: " + String(us) + " us must be a finite number >= 0");
    }
    return this.runUntil(this.t + Math.ceil(us));
  }

  /** Fires due timers in order until time `target` (absolute us), then sets now() to it. Returns how many fired. */
  runUntil(target: number): number {
    if (this.firingSlot >= 0) {
      throw new Error("VirtualClock: advance/runUntil called from inside timer " + String(this.firingSlot) + "; schedule a timer instead");
    }
    if (!(target >= this.t) || target === Infinity) {
      throw new RangeError("VirtualClock.runUntil: target " + String(target) + " us is before now (" + String(this.t) + ") or not finite");
    }
    target = Math.ceil(target);
    let count = 0;
    this.sameInstant = 0;
    for (;;) {
      const slot = this.dueSlot(target);
      if (slot < 0) break;
      this.fire(slot);
      count++;
    }
    this.t = target;
    return count;
  }

  /**
   * Fires timers in order until none is armed, but never past now() + maxUs. Time stops at the last
   * timer fired when it goes idle, or at the limit otherwise. Returns true if it went idle.
   */
  runUntilIdle(maxUs: number): boolean {
    if (this.firingSlot >= 0) {
      throw new Error("VirtualClock: runUntilIdle called from inside timer " + String(this.firingSlot) + "; schedule a timer instead");
    }
    if (!(maxUs >= 0) || maxUs === Infinity) {
      throw new RangeError("VirtualClock.runUntilIdle: limit " + String(maxUs) + " us must be a finite number >= 0");
    }
    const limit = this.t + Math.ceil(maxUs);
    this.sameInstant = 0;
    for (;;) {
      const next = this.nextDeadline();
      if (next === Infinity) return true;
      if (next > limit) {
        this.t = limit;
        return false;
      }
      this.fire(this.dueSlot(limit));
    }
  }

  /** Reseeds the PRNG (a test replays a jitter schedule from its seed). */
  seed(seed: number): void {
    this.rng.seed(seed);
  }

  /** Uniform integer in [0, n) from the seeded PRNG. */
  randomInt(n: number): number {
    return this.rng.int(n);
  }

  /** Earliest due slot (deadline <= target, ties to the lowest slot), or -1. */
  private dueSlot(target: number): number {
    const d = this.deadlines;
    let best = -1;
    let bestDeadline = 0;
    for (let i = 0; i < this.created; i++) {
      const di = d[i];
      if (di !== UNARMED && di <= target && (best < 0 || di < bestDeadline)) {
        best = i;
        bestDeadline = di;
      }
    }
    return best;
  }

  /**
   * Time jumps to the deadline and the slot is disarmed before the callback runs, so a callback that
   * throws leaves a consistent clock: the error propagates, the remaining timers stay armed, and the
   * next advance carries on from here.
   */
  private fire(slot: number): void {
    const at = this.deadlines[slot];
    // Zero-delay re-arming forever (an ISR that re-raises at once, a handler that never drains its
    // source) would spin at one instant; on hardware time would pass, here the run would hang.
    if (at === this.t) {
      if (++this.sameInstant > this.maxFiresPerInstant) {
        this.sameInstant = 0;
        throw new Error("VirtualClock: livelock: more than " + String(this.maxFiresPerInstant) + " timers fired at t=" + String(at) + " us without time advancing (last: slot " + String(slot) + "); something re-arms for 0 us forever");
      }
    } else {
      this.sameInstant = 0;
    }
    this.t = at;
    this.deadlines[slot] = UNARMED;
    this.fired++;
    this.firingSlot = slot;
    try {
      this.callbacks[slot]();
    } finally {
      this.firingSlot = -1;
    }
  }

  private check(handle: number): void {
    if (!(handle >= 0 && handle < this.created) || handle !== Math.floor(handle)) {
      throw new RangeError("VirtualClock: timer handle " + String(handle) + " was not returned by createTimer (" + String(this.created) + " created)");
    }
  }
}

function noop(): void {}
