// Test-only virtual clock and violation recorder for the chip-model suites (the real clock lives in host-sim/core).
import type { Clock, ViolationSink } from "../../../host-sim/core/contracts";

export class FakeClock implements Clock {
  private t = 0;
  private readonly callbacks: Array<() => void> = [];
  private readonly deadlines: number[] = [];

  now(): number {
    return this.t;
  }

  createTimer(callback: () => void): number {
    this.callbacks.push(callback);
    this.deadlines.push(-1);
    return this.callbacks.length - 1;
  }

  schedule(handle: number, delayUs: number): void {
    this.deadlines[handle] = this.t + delayUs;
  }

  cancel(handle: number): void {
    this.deadlines[handle] = -1;
  }

  /** Runs every timer due up to now + us, in deadline order, then sets the clock to now + us. */
  advance(us: number): void {
    const end = this.t + us;
    for (;;) {
      let next = -1;
      for (let i = 0; i < this.deadlines.length; i++) {
        const d = this.deadlines[i];
        if (d >= 0 && d <= end && (next < 0 || d < this.deadlines[next])) next = i;
      }
      if (next < 0) break;
      this.t = this.deadlines[next];
      this.deadlines[next] = -1;
      this.callbacks[next]();
    }
    this.t = end;
  }

  /** Advances to an absolute time. */
  advanceTo(t: number): void {
    this.advance(t - this.t);
  }
}

export class Violations implements ViolationSink {
  readonly list: string[] = [];
  violation(chip: string, rule: string): void {
    this.list.push(chip + ": " + rule);
  }
  take(): string[] {
    return this.list.splice(0, this.list.length);
  }
}
