// The simulated platform's timer pool: clock slots made once and handed to each boot's runtime and drivers, forgotten at a reboot.
import type { SimTime } from "./sim-time";

function noop(): void {}

/**
 * Slots are made at construction, so a reboot (deep-sleep wake) can hand the same slots to the new
 * boot: `reset` cancels them and forgets the old callbacks, which is what losing RAM does to the old
 * firmware's timers.
 */
export class SimTimerPool {
  private readonly time: SimTime;
  private readonly slots: Int32Array;
  private readonly callbacks: (() => void)[];
  private created = 0;

  constructor(time: SimTime, size: number) {
    this.time = time;
    this.slots = new Int32Array(size);
    this.callbacks = new Array(size);
    const self = this;
    for (let i = 0; i < size; i++) {
      this.callbacks[i] = noop;
      const k = i;
      this.slots[i] = time.createTimer(function poolTimer(): void {
        self.callbacks[k]();
      });
    }
  }

  /** The next free slot, now calling `callback`; RangeError when every slot is taken. */
  create(callback: () => void): number {
    if (this.created === this.slots.length) {
      throw new RangeError("SimPlatform: all " + this.slots.length + " runtime timer slots are used; raise timerSlots in SimBoardOptions");
    }
    this.callbacks[this.created] = callback;
    return this.created++;
  }

  schedule(handle: number, delayUs: number): void {
    this.time.schedule(this.slots[handle], delayUs);
  }

  cancel(handle: number): void {
    this.time.cancel(this.slots[handle]);
  }

  /**
   * The earliest armed timer made from this pool, absolute µs, or -1. The virtual clock knows each
   * slot's deadline; the models' own timers and the platform's wake timer are not in the pool.
   */
  nextDeadline(): number {
    const clock = this.time.clock;
    let best = -1;
    for (let i = 0; i < this.created; i++) {
      const t = clock.deadlineOf(this.slots[i]);
      if (t !== Infinity && (best < 0 || t < best)) best = t;
    }
    return best;
  }

  /** Reboot: every slot cancelled and free again, its callback forgotten. */
  reset(): void {
    for (let i = 0; i < this.created; i++) {
      this.time.cancel(this.slots[i]);
      this.callbacks[i] = noop;
    }
    this.created = 0;
  }
}
