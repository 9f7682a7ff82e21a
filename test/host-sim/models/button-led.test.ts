// Button bounce schedule (seeded, bounded, settles on the right level) and LED current from the resistor law.
import { describe, expect, it } from "vitest";
import { Button } from "../../../host-sim/models/button";
import { Led } from "../../../host-sim/models/led";
import { createPrng } from "../../../host-sim/models/prng";
import { FakeClock } from "./fake-clock";

function recorder(clock: FakeClock): { trace: Array<[number, number]>; onLevel: (level: number) => void } {
  const trace: Array<[number, number]> = [];
  return { trace, onLevel: (level: number) => trace.push([clock.now(), level]) };
}

describe("button", () => {
  it("press bounces 5 times within 2 ms and settles low (active-low, pull-up)", () => {
    const clock = new FakeClock();
    const r = recorder(clock);
    const b = new Button({ clock, random: createPrng(42), minTransitions: 5, maxTransitions: 5, onLevel: r.onLevel });
    expect(b.level()).toBe(1);
    clock.advance(100);
    b.press();
    expect(b.settled()).toBe(false);
    clock.advance(5000);
    expect(r.trace.map((e) => e[1])).toEqual([0, 1, 0, 1, 0]);
    for (const [t] of r.trace) expect(t - 100).toBeLessThanOrEqual(2000);
    for (let i = 1; i < r.trace.length; i++) expect(r.trace[i][0]).toBeGreaterThan(r.trace[i - 1][0]);
    expect(b.level()).toBe(0);
    expect(b.settled()).toBe(true);
    expect(b.edgeCount()).toBe(5);
  });

  it("replays the same schedule from the same seed and a different one from another seed", () => {
    const run = (seed: number): Array<[number, number]> => {
      const clock = new FakeClock();
      const r = recorder(clock);
      const b = new Button({ clock, random: createPrng(seed), onLevel: r.onLevel });
      b.press();
      clock.advance(3000);
      b.release();
      clock.advance(3000);
      return r.trace;
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
    // Default 3..7 transitions per action, odd, ending released.
    expect(a.length % 2).toBe(0);
    expect(a[a.length - 1][1]).toBe(1);
  });

  it("draws Vdd / R_PU only while the contact is closed", () => {
    const clock = new FakeClock();
    const b = new Button({ clock, random: createPrng(1), minTransitions: 1, maxTransitions: 1 });
    expect(b.currentUa()).toBe(0);
    b.press();
    clock.advance(2000);
    expect(b.currentUa()).toBeCloseTo((3.3 / 45_000) * 1e6, 6); // 73.33 uA
    b.release();
    clock.advance(2000);
    expect(b.currentUa()).toBe(0);
  });

  it("faults: stall sticks at the present level, nak reads released", () => {
    const clock = new FakeClock();
    const b = new Button({ clock, random: createPrng(3), minTransitions: 1, maxTransitions: 1 });
    b.setFault("stall");
    b.press();
    clock.advance(3000);
    expect(b.level()).toBe(1);
    b.setFault("none");
    b.press();
    clock.advance(3000);
    expect(b.level()).toBe(0);
    b.setFault("nak");
    expect(b.level()).toBe(1);
    b.reset();
    b.press();
    clock.advance(3000);
    expect(b.level()).toBe(0);
    expect(() => b.setFault("jammed" as never)).toThrow(/use "none", "nak" or "stall"/);
  });
});

describe("led", () => {
  it("draws (3.3 - 2.0) / 680 = 1.91 mA when lit, nothing otherwise", () => {
    const led = new Led();
    expect(led.currentUa()).toBe(0);
    led.setLevel(1);
    expect(led.currentUa()).toBeCloseTo(1911.76, 1);
    led.setLevel(0);
    expect(led.currentUa()).toBe(0);
  });

  it("active-low wiring, open-LED fault, notifications", () => {
    let changes = 0;
    const led = new Led({ activeLow: true, resistorOhms: 1000 });
    led.setPowerListener(() => changes++);
    expect(led.lit()).toBe(false);
    led.setLevel(0);
    expect(led.currentUa()).toBeCloseTo(1300, 6);
    led.setFault("nak");
    expect(led.currentUa()).toBe(0);
    led.reset();
    expect(led.lit()).toBe(false);
    expect(changes).toBe(3);
    expect(() => new Led({ resistorOhms: 0 })).toThrow(/resistorOhms must be > 0/);
  });
});
