// The simulated board's time: the virtual clock plus CPU time spent in busy loops (so a spin on now() ends).
import type { Clock } from "../core/contracts";
import type { VirtualClock } from "../core/clock";

/**
 * The virtual clock only moves when the harness advances it, so a driver spinning on platform.now()
 * for tRES1 would spin forever. Each platform.now() call therefore costs CPU time (`spend`): a floor
 * under the clock that only moves forward. Everything on the board (models, IO, runtime timers) reads
 * this object, so they all agree on the time; schedules are relative to it; when the harness advances
 * the clock past the floor, the floor stops mattering. Allocation-free after construction.
 */
export class SimTime implements Clock {
  /** The virtual clock underneath: timers fire only when the harness runs it. */
  readonly clock: VirtualClock;
  private floor = 0;

  constructor(clock: VirtualClock) {
    this.clock = clock;
  }

  /** Board time, µs: the virtual clock, or the CPU-time floor if `spend` moved it further. */
  now(): number {
    const t = this.clock.now();
    return t > this.floor ? t : this.floor;
  }

  /** CPU time passes without the event loop running (a busy-wait iteration). */
  spend(us: number): number {
    this.floor = this.now() + us;
    return this.floor;
  }

  createTimer(callback: () => void): number {
    return this.clock.createTimer(callback);
  }

  schedule(handle: number, delayUs: number): void {
    this.clock.schedule(handle, delayUs + (this.now() - this.clock.now()));
  }

  /** Disarms timer `handle` (no-op if not armed). */
  cancel(handle: number): void {
    this.clock.cancel(handle);
  }

  /** The earliest armed deadline (absolute µs), Infinity when no timer is armed. */
  nextDeadline(): number {
    return this.clock.nextDeadline();
  }

  /** Fires every timer due up to absolute `target` (never before now()). */
  runUntil(target: number): number {
    const now = this.now();
    return this.clock.runUntil(target > now ? target : now);
  }

  /** Runs the timers due in the next `us` from now(); returns how many fired. */
  advance(us: number): number {
    return this.runUntil(this.now() + us);
  }

  /** Runs timers until none is armed or `maxUs` passed. */
  runUntilIdle(maxUs: number): boolean {
    const now = this.now();
    if (this.clock.now() < now) this.clock.runUntil(now);
    return this.clock.runUntilIdle(maxUs);
  }
}
