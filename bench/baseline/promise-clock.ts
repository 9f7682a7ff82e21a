// Baseline's virtual clock, written the idiomatic way: closures in a sorted array, Promise-returning sleep, setImmediate driving.
declare function setImmediate(callback: () => void): unknown;

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * What a typical async codebase does: `await clock.sleep(us)`, `setTimeout`-style handles, a
 * Promise per wait. Time is virtual so the latency runs are exact; `drive` fires the earliest timer
 * once the microtask queue has drained (setImmediate runs after promise jobs on XS and Node), so
 * every await chain a timer started has settled before time moves on. Timers sit in a binary heap
 * (O(log n), like a host timer queue) and cancel marks the entry, so the baseline is not charged a
 * linear scan the runtime would not pay either.
 */
export class PromiseClock {
  t = 0;
  private heap: Entry[] = [];
  private seq = 0;
  /** setImmediate turns the last drive took (the bench subtracts their calibrated cost). */
  ticks = 0;
  fired = 0;

  now(): number {
    return this.t;
  }

  after(us: number, fn: () => void): Entry {
    const entry: Entry = { at: this.t + us, seq: this.seq++, fn, cancelled: false };
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      const swap = h[i];
      h[i] = h[parent];
      h[parent] = swap;
      i = parent;
    }
    return entry;
  }

  cancel(entry: Entry): void {
    entry.cancelled = true;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0];
      const last = h.pop() as Entry;
      if (h.length > 0) {
        h[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < h.length && before(h[l], h[m])) m = l;
          if (r < h.length && before(h[r], h[m])) m = r;
          if (m === i) break;
          const swap = h[i];
          h[i] = h[m];
          h[m] = swap;
          i = m;
        }
      }
      if (!top.cancelled) return top;
    }
    return undefined;
  }

  sleep(us: number): Promise<void> {
    return new Promise((resolve) => this.after(us, resolve));
  }

  /** Runs timers in order until none is left, then calls `idle`. */
  drive(idle: () => void): void {
    this.ticks = 0;
    const tick = (): void => {
      this.ticks++;
      const next = this.pop();
      if (next === undefined) {
        idle();
        return;
      }
      if (next.at > this.t) this.t = next.at;
      this.fired++;
      next.fn();
      setImmediate(tick);
    };
    setImmediate(tick);
  }
}
