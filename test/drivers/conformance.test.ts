// Driver conformance: every driver case goes through full cycles, injected failures, chip resets, with no timing violation.
import { describe, expect, it } from "vitest";
import {
  OK, IO, T_STANDBY, TEST_PLATFORM, D_ACTIVE, D_FAILED, STATUS_NAMES,
} from "../../runtime/status";
import { F_FAIL, F_HANG, F_NONE, HOOK_NAMES } from "../../host-sim/board/faults";
import { SLEEP_HOLD } from "../../host-sim/board/sim-platform";
import { DEVKITC_CASES, MODDABLE_TWO_CASES, type CaseBoard, type DriverCase } from "./cases";

/** Every driver of every board, through the same checks. */
export const CASES: DriverCase[] = [...DEVKITC_CASES, ...MODDABLE_TWO_CASES];

function states(b: CaseBoard): string[] {
  const g = b.sim.pm.graph;
  const out: string[] = [];
  for (let d = 0; d < g.count; d++) out.push(g.names[d] + "=" + b.sim.pm.deviceState(d));
  return out;
}

function allActive(b: CaseBoard): string[] {
  return b.sim.wiring.definition.devices.map((d) => d.name + "=" + D_ACTIVE);
}

function cycle(b: CaseBoard, c: DriverCase): number {
  if (c.exercise) c.exercise(b);
  const n = b.outcomes.length;
  expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
  b.sim.advance(1_000_000);
  expect(b.outcomes.length).toBe(n + 1);
  return b.outcomes[n];
}

/** Bus misuse counters (I2cBus, SpiBus: a transfer while the bus was off) summed over the board's buses. */
function busMisuse(b: CaseBoard): number {
  const booted = b.sim.booted;
  if (booted === null) return -1;
  let n = 0;
  for (const d of b.sim.wiring.definition.devices) {
    if (d.driver !== "i2c-bus" && d.driver !== "spi-bus") continue;
    n += (booted.drivers[d.name] as unknown as { misuse: number }).misuse;
  }
  return n;
}

describe.each(CASES.map((c) => [c.device, c] as const))("driver conformance: %s", (_name, c) => {
  it("full cycle: OK, state restored, all devices active, no timing violation", () => {
    const b = c.make();
    if (c.exercise) c.exercise(b);
    b.sim.advance(100_000);
    const before = c.snapshot(b);
    expect(STATUS_NAMES[cycle(b, c)]).toBe("OK");
    b.sim.advance(100_000);
    expect(c.snapshot(b)).toEqual(before);
    expect(states(b)).toEqual(allActive(b));
    expect(b.sim.violations.list).toEqual([]);
    expect(busMisuse(b)).toBe(0);
  });

  it("idempotent: 5 repeated cycles leave the same state", () => {
    const b = c.make();
    if (c.exercise) c.exercise(b);
    b.sim.advance(100_000);
    const before = c.snapshot(b);
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      results.push(STATUS_NAMES[cycle(b, c)]);
      b.sim.advance(100_000);
      expect(c.snapshot(b)).toEqual(before);
    }
    expect(results).toEqual(["OK", "OK", "OK", "OK", "OK"]);
    expect(b.sim.pm.stats.successes).toBe(5);
    expect(b.sim.violations.list).toEqual([]);
  });

  for (const hook of ["prepare", "suspend", "powerOffNoIrq"] as const) {
    it("failure at " + hook + " rolls back to fully active, state intact, next cycle OK", () => {
      const b = c.make();
      if (c.exercise) c.exercise(b);
      b.sim.advance(100_000);
      const before = c.snapshot(b);
      b.sim.faults.set(c.device, hook, F_FAIL, IO);
      expect(STATUS_NAMES[cycle(b, c)]).toBe("IO");
      const slot = b.sim.pm.stats.failureSlot(0);
      expect(b.sim.pm.graph.names[b.sim.pm.stats.failDevice[slot]]).toBe(c.device);
      expect(b.sim.pm.stats.failStage[slot]).toBe(HOOK_NAMES.indexOf(hook));
      b.sim.advance(100_000);
      expect(states(b)).toEqual(allActive(b));
      expect(c.snapshot(b)).toEqual(before);
      b.sim.faults.set(c.device, hook, F_NONE);
      expect(STATUS_NAMES[cycle(b, c)]).toBe("OK");
      b.sim.advance(100_000);
      expect(c.snapshot(b)).toEqual(before);
      expect(b.sim.violations.list).toEqual([]);
      expect(busMisuse(b)).toBe(0);
    });
  }

  for (const hook of ["prepare", "suspend", "resume"] as const) {
    it("a hang at " + hook + " ends at the device's budget (TIMEOUT) and the system ends fully active", () => {
      const b = c.make();
      b.sim.faults.set(c.device, hook, F_HANG);
      expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
      b.sim.advance(3_000_000);
      expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["TIMEOUT"]);
      expect(b.sim.pm.stats.timeouts).toBe(1);
      const expected = allActive(b).map((s) => (hook === "resume" && s.startsWith(c.device + "=") ? c.device + "=" + D_FAILED : s));
      expect(states(b)).toEqual(expected);
      b.sim.faults.set(c.device, hook, F_NONE);
      if (hook === "resume") return; // a failed resume leaves the device failed until its driver recovers it
      expect(STATUS_NAMES[cycle(b, c)]).toBe("OK");
      expect(b.sim.violations.list).toEqual([]);
    });
  }

  for (const hook of ["powerOnNoIrq", "resume"] as const) {
    it("failure at " + hook + " marks this device failed (and, for R1 of a bus, its chips); the rest resume", () => {
      const b = c.make();
      b.sim.faults.set(c.device, hook, F_FAIL, IO);
      expect(STATUS_NAMES[cycle(b, c)]).toBe("IO");
      // A bus that stays off after a failed R1 takes its chips down with it (they find it unpowered).
      const defs = b.sim.wiring.definition.devices;
      const down = defs.filter((d) => d.name === c.device || (hook === "powerOnNoIrq" && d.parent === c.device)).map((d) => d.name);
      const expected = defs.map((d) => d.name + "=" + (down.includes(d.name) ? D_FAILED : D_ACTIVE));
      expect(states(b)).toEqual(expected);
      expect(b.sim.pm.stats.resumeFailures).toBe(down.length);
      expect(b.sim.violations.list).toEqual([]);
    });
  }

  if (c.chipReset) {
    it("chip power-cycled while suspended: R1 restores it, state equal, no violation", () => {
      const b = c.make();
      if (c.exercise) c.exercise(b);
      b.sim.advance(100_000);
      const before = c.snapshot(b);
      expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
      for (let i = 0; i < 1000 && b.sim.platform.sleeping !== SLEEP_HOLD; i++) b.sim.advance(1_000);
      expect(b.sim.platform.sleeping).toBe(SLEEP_HOLD);
      b.sim.chipReset(c.device);
      b.sim.advance(1_000_000);
      expect(b.outcomes).toEqual([OK]);
      b.sim.advance(100_000);
      expect(c.snapshot(b)).toEqual(before);
      expect(states(b)).toEqual(allActive(b));
      expect(b.sim.violations.list).toEqual([]);
    });
  }
});
