// Virtual clock for the tuned baselines: a binary timer heap with eager removal (clearTimeout semantics), Promise sleep, setImmediate driving.
declare function setImmediate(callback: () => void): unknown;

/** A pending timer; `pos` is its index in the heap (-1 once fired or cleared), so clear is O(log n). */
export interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  pos: number;
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * What a competent engineer's host gives them: libuv keeps timers in a binary min-heap and
 * `clearTimeout` takes the entry out at once, so a cancelled budget costs nothing later. The naive
 * baseline's PromiseClock only marks cancelled entries and leaves them in the heap (they are popped,
 * and paid for, at the end of the cycle); this one removes them, which is the "timers cancelled
 * eagerly" of issue 12. Same driving rule as PromiseClock (one timer per setImmediate turn, after the
 * promise jobs drained), so virtual time and the calibrated turn cost mean the same in both.
 */
export class EagerClock {
  t = 0;
  private readonly heap: Timer[] = [];
  private seq = 0;
  /** setImmediate turns the last drive took (the bench subtracts their calibrated cost). */
  ticks = 0;
  fired = 0;
  private idle: () => void = () => {};
  /** Bound once: the drive loop's turn, so driving allocates no closure per timer. */
  private readonly tick = (): void => {
    this.ticks++;
    const next = this.pop();
    if (next === undefined) {
      this.idle();
      return;
    }
    if (next.at > this.t) this.t = next.at;
    this.fired++;
    next.fn();
    setImmediate(this.tick);
  };

  now(): number {
    return this.t;
  }

  after(us: number, fn: () => void): Timer {
    const timer: Timer = { at: this.t + us, seq: this.seq++, fn, pos: this.heap.length };
    this.heap.push(timer);
    this.up(timer.pos);
    return timer;
  }

  /** clearTimeout: out of the heap now; a timer that already fired or was cleared is left alone. */
  clear(timer: Timer): void {
    const i = timer.pos;
    if (i < 0) return;
    timer.pos = -1;
    const h = this.heap;
    const last = h.pop() as Timer;
    if (i === h.length) return;
    h[i] = last;
    last.pos = i;
    this.up(i);
    this.down(last.pos);
  }

  sleep(us: number): Promise<void> {
    return new Promise((resolve) => {
      this.after(us, resolve);
    });
  }

  /** Runs timers in order until none is left, then calls `idle`. */
  drive(idle: () => void): void {
    this.ticks = 0;
    this.idle = idle;
    setImmediate(this.tick);
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    top.pos = -1;
    const last = h.pop() as Timer;
    if (h.length > 0) {
      h[0] = last;
      last.pos = 0;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    const x = h[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (!before(x, p)) break;
      h[i] = p;
      p.pos = i;
      i = parent;
    }
    h[i] = x;
    x.pos = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const x = h[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && before(h[r], h[l]) ? r : l;
      if (!before(h[m], x)) break;
      h[i] = h[m];
      h[m].pos = i;
      i = m;
    }
    h[i] = x;
    x.pos = i;
  }
}
