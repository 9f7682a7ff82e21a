// Benchmark platform: virtual microsecond clock whose timers sit in a sorted linked list (O(1) common case), plus meter probes.
import type { Platform } from "../../runtime";

/** Wake cause the platform reports when a standby sleep ends on its own hold timer (runtime WAKE_TIMER). */
const WAKE_TIMER = -2;
const NONE = -1;

/**
 * Engine-neutral: runs in XS and Node. Why not host-sim's VirtualClock: its next-due scan is O(slots)
 * per fire, so a board with one completion timer per device would cost O(N^2) per stage in the
 * *simulator*, polluting a per-device runtime cost. Here timers are kept sorted in a doubly linked
 * list on typed arrays; insertion walks back from the tail, which is O(1) when deadlines arrive in
 * order (all hooks of a stage share a delay, the stage budget timer is the tail). Equal deadlines
 * fire in scheduling order. Nothing after boot allocates.
 *
 * Probes: `setProbe(fn)` (once) is told PROBE_* at mask/unmask/sleep boundaries, so a fixture can take
 * XS meter snapshots exactly where the runtime enters and leaves the masked window.
 */
export const PROBE_MASK = 0;
export const PROBE_UNMASK = 1;
export const PROBE_SLEEP_ENTER = 2;
export const PROBE_SLEEP_EXIT = 3;

export class ListPlatform implements Platform {
  t = 0;
  readonly capacity: number;
  private readonly callbacks: (() => void)[];
  private readonly deadline: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly armed: Uint8Array;
  private head = NONE;
  private tail = NONE;
  private created = 0;
  private wake: ((cause: number) => void) | null = null;
  private probe: ((event: number) => void) | null = null;
  maskDepth = 0;
  masks = 0;
  sleeps = 0;
  fired = 0;
  /** Simulated time each platform sleep takes (us); standby wakes on its own timer (sync). */
  sleepUs = 1000;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.callbacks = new Array(capacity);
    this.deadline = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.armed = new Uint8Array(capacity);
  }

  now(): number {
    return this.t;
  }

  createTimer(callback: () => void): number {
    if (this.created === this.capacity) {
      throw new RangeError("ListPlatform: all " + this.capacity + " timers taken: construct it with more capacity");
    }
    const h = this.created++;
    this.callbacks[h] = callback;
    return h;
  }

  schedule(h: number, delayUs: number): void {
    if (this.armed[h] === 1) this.unlink(h);
    const at = this.t + delayUs;
    this.deadline[h] = at;
    let p = this.tail;
    while (p !== NONE && this.deadline[p] > at) p = this.prev[p];
    this.prev[h] = p;
    if (p === NONE) {
      this.next[h] = this.head;
      if (this.head !== NONE) this.prev[this.head] = h;
      this.head = h;
    } else {
      this.next[h] = this.next[p];
      if (this.next[p] !== NONE) this.prev[this.next[p]] = h;
      this.next[p] = h;
    }
    if (this.next[h] === NONE) this.tail = h;
    this.armed[h] = 1;
  }

  cancel(h: number): void {
    if (this.armed[h] === 1) this.unlink(h);
  }

  isArmed(h: number): boolean {
    return this.armed[h] === 1;
  }

  private unlink(h: number): void {
    const p = this.prev[h];
    const n = this.next[h];
    if (p === NONE) this.head = n;
    else this.next[p] = n;
    if (n === NONE) this.tail = p;
    else this.prev[n] = p;
    this.armed[h] = 0;
  }

  /** Fires due timers in deadline order until none is armed or the next is beyond now + maxUs. */
  runUntilIdle(maxUs: number): boolean {
    const limit = this.t + maxUs;
    while (this.head !== NONE) {
      const h = this.head;
      if (this.deadline[h] > limit) {
        this.t = limit;
        return false;
      }
      this.unlink(h);
      if (this.deadline[h] > this.t) this.t = this.deadline[h];
      this.fired++;
      this.callbacks[h]();
    }
    return true;
  }

  setProbe(probe: (event: number) => void): void {
    this.probe = probe;
  }

  maskInterrupts(): void {
    if (this.probe !== null) this.probe(PROBE_MASK);
    this.maskDepth++;
    this.masks++;
  }

  unmaskInterrupts(): void {
    this.maskDepth--;
    if (this.probe !== null) this.probe(PROBE_UNMASK);
  }

  enterSingleCpu(): void {}
  leaveSingleCpu(): void {}

  /** ESP32 light sleep: returns synchronously with the wake cause after `sleepUs` (or the test hold). */
  sleep(target: number, test: number, holdUs: number): number {
    if (this.probe !== null) this.probe(PROBE_SLEEP_ENTER);
    this.sleeps++;
    this.t += test === 0 ? this.sleepUs : holdUs;
    if (this.probe !== null) this.probe(PROBE_SLEEP_EXIT);
    return test === 0 ? WAKE_TIMER : -3;
  }

  setWakeCallback(callback: (cause: number) => void): void {
    this.wake = callback;
  }

  /** Ends an asynchronous sleep (unused by the sync sleep above; kept for hibernate-style tests). */
  wakeNow(cause: number): void {
    if (this.wake !== null) this.wake(cause);
  }
}
