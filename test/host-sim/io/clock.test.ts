// VirtualClock: (deadline, slot) ordering, re-entrant scheduling, throwing callbacks, limits, PRNG replay.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../host-sim/core/clock";
import { Xorshift32 } from "../../../host-sim/core/xorshift";

describe("VirtualClock", () => {
  it("fires by deadline, ties in slot order, and lands on the target time", () => {
    const c = new VirtualClock(4);
    const trace: string[] = [];
    const a = c.createTimer(() => trace.push("a@" + c.now()));
    const b = c.createTimer(() => trace.push("b@" + c.now()));
    const d = c.createTimer(() => trace.push("d@" + c.now()));
    c.schedule(d, 100);
    c.schedule(b, 50);
    c.schedule(a, 100);
    expect(c.nextDeadline()).toBe(50);
    expect(c.advance(99)).toBe(1);
    expect(c.now()).toBe(99);
    expect(c.advance(1)).toBe(2);
    expect(trace).toEqual(["b@50", "a@100", "d@100"]);
    expect(c.nextDeadline()).toBe(Infinity);
  });

  it("runs timers a callback arms for now, and re-arming replaces the deadline", () => {
    const c = new VirtualClock(3);
    const trace: string[] = [];
    let n = 0;
    const tick = c.createTimer(() => {
      trace.push("tick@" + c.now());
      if (++n < 3) c.schedule(tick, 10);
      c.schedule(zero, 0);
    });
    const zero = c.createTimer(() => trace.push("zero@" + c.now()));
    c.schedule(tick, 500);
    c.schedule(tick, 5); // replaces 500
    c.runUntil(1000);
    expect(trace).toEqual(["tick@5", "zero@5", "tick@15", "zero@15", "tick@25", "zero@25"]);
    expect(c.now()).toBe(1000);
    expect(c.fired).toBe(6);
  });

  it("is deterministic: the same schedule replays the same trace", () => {
    const run = (): string[] => {
      const c = new VirtualClock(8, 42);
      const out: string[] = [];
      const handles: number[] = [];
      for (let i = 0; i < 8; i++) handles.push(c.createTimer(() => {
        out.push(i + "@" + c.now());
        if (c.now() < 5000) c.schedule(handles[i], Math.floor(c.random() * 300));
      }));
      for (let i = 0; i < 8; i++) c.schedule(handles[i], (i * 37) % 5);
      c.runUntil(6000);
      return out;
    };
    const a = run();
    expect(a.length).toBeGreaterThan(100);
    expect(run()).toEqual(a);
  });

  it("stays consistent when a callback throws", () => {
    const c = new VirtualClock(2);
    const trace: string[] = [];
    const bad = c.createTimer(() => {
      throw new Error("boom");
    });
    const good = c.createTimer(() => trace.push("good@" + c.now()));
    c.schedule(bad, 10);
    c.schedule(good, 20);
    expect(() => c.advance(100)).toThrow("boom");
    expect(c.now()).toBe(10);
    expect(c.isArmed(bad)).toBe(false);
    expect(c.isArmed(good)).toBe(true);
    c.advance(90);
    expect(trace).toEqual(["good@20"]);
    expect(c.now()).toBe(100);
  });

  it("refuses nested advance, bad handles, negative delays and slot exhaustion, naming the fix", () => {
    const c = new VirtualClock(1);
    const t = c.createTimer(() => c.advance(1));
    expect(() => c.createTimer(() => {})).toThrow(/all 1 timer slots are taken; construct the clock with more slots/);
    expect(() => c.schedule(3, 1)).toThrow(/timer handle 3 was not returned by createTimer/);
    expect(() => c.schedule(t, -1)).toThrow(/must be a finite number >= 0/);
    c.schedule(t, 1);
    expect(() => c.advance(5)).toThrow(/from inside timer 0; schedule a timer instead/);
    expect(() => c.runUntil(0)).toThrow(/before now/);
  });

  it("keeps whole microseconds: fractional delays round up, never early", () => {
    const c = new VirtualClock(1);
    const at: number[] = [];
    const t = c.createTimer(() => at.push(c.now()));
    c.schedule(t, 0.2);
    expect(c.deadlineOf(t)).toBe(1);
    c.advance(0.5);
    expect([c.now(), at]).toEqual([1, [1]]);
    c.schedule(t, 86.8);
    c.advance(100);
    expect(at).toEqual([1, 88]);
  });

  it("reports a zero-delay livelock instead of hanging", () => {
    const c = new VirtualClock(1, 1, 1000);
    const spin = c.createTimer(() => c.schedule(spin, 0));
    c.schedule(spin, 7);
    expect(() => c.advance(10)).toThrow(/livelock: more than 1000 timers fired at t=7 us without time advancing \(last: slot 0\)/);
    expect(c.now()).toBe(7);
    c.cancel(spin);
    c.advance(3);
    expect(c.now()).toBe(10);
  });

  it("runUntilIdle stops at idle or at the limit", () => {
    const c = new VirtualClock(2);
    let n = 0;
    const t = c.createTimer(() => {
      if (++n < 5) c.schedule(t, 100);
    });
    c.schedule(t, 100);
    expect(c.runUntilIdle(10_000)).toBe(true);
    expect(c.now()).toBe(500);
    const forever = c.createTimer(() => c.schedule(forever, 1000));
    c.schedule(forever, 0);
    expect(c.runUntilIdle(2500)).toBe(false);
    expect(c.now()).toBe(3000);
  });

  it("seeded PRNG reproduces its sequence and stays in [0, 1)", () => {
    const a = new VirtualClock(1, 1234);
    const b = new VirtualClock(1, 1234);
    const other = new VirtualClock(1, 1235);
    const sa: number[] = [];
    const sb: number[] = [];
    const so: number[] = [];
    for (let i = 0; i < 1000; i++) {
      sa.push(a.random());
      sb.push(b.random());
      so.push(other.random());
    }
    expect(sb).toEqual(sa);
    expect(so).not.toEqual(sa);
    expect(Math.min(...sa)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...sa)).toBeLessThan(1);
    const mean = sa.reduce((x, y) => x + y, 0) / sa.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    a.seed(1234);
    expect(a.random()).toBe(sa[0]);
    // Marsaglia's xorshift32 (13, 17, 5) from state 1: first outputs 270369, 67634689.
    const x = new Xorshift32(1);
    expect([x.nextUint32(), x.nextUint32()]).toEqual([270369, 67634689]);
    expect(new Xorshift32(0).nextUint32()).not.toBe(0);
  });
});
