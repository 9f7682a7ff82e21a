// The driver conformance kit: the same checks over any driver on a simulated board (import from "quiesce/conformance" in a vitest file).
import { describe, expect, it } from "vitest";
import { OK, IO, T_STANDBY, TEST_PLATFORM, D_ACTIVE, D_FAILED, STATUS_NAMES, STAGE_COUNT } from "../../runtime/status";
import { F_FAIL, F_HANG, F_NONE, HOOK_NAMES } from "../board/faults";
import { SLEEP_HOLD } from "../board/sim-sleep";
import type { CaseBoard, DriverCase } from "./case";
import { describeRuntimeConformance } from "./runtime";

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

/** The devices a resume-stage failure of `c.device` at `hook` takes down: it, and for R1 of a bus its chips. */
function failedBy(b: CaseBoard, c: DriverCase, hook: string): string[] {
  const defs = b.sim.wiring.definition.devices;
  return defs.filter((d) => d.name === c.device || (hook === "powerOnNoIrq" && d.parent === c.device)).map((d) => d.name);
}

/** What held when the failing attempt's outcome was reported, before any re-probe could run. */
interface AtDone {
  states: string[];
  /** Requests completed by then; the request parked during the sleep; a submit made at that moment. */
  completed: number[];
  parked: number;
  refused: number;
}

/**
 * One standby attempt (TEST_PLATFORM hold) whose resume-stage `hook` of `c.device` fails with `mode`;
 * while held asleep a request is parked on the device (if it has a queue) and `whileAsleep` runs.
 */
function failAndPark(b: CaseBoard, c: DriverCase, hook: "powerOnNoIrq" | "resume", mode: number, whileAsleep?: () => void): AtDone {
  const seen: AtDone = { states: [], completed: [], parked: -1, refused: -1 };
  b.sim.onDone(() => {
    if (seen.states.length > 0) return;
    seen.states = states(b);
    seen.completed = b.completed.slice();
    if (c.submit) seen.refused = c.submit(b);
  });
  b.sim.faults.set(c.device, hook, mode, IO);
  expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
  for (let i = 0; i < 1000 && b.sim.platform.sleeping !== SLEEP_HOLD; i++) b.sim.advance(1_000);
  expect(b.sim.platform.sleeping).toBe(SLEEP_HOLD);
  if (c.submit) seen.parked = c.submit(b);
  if (whileAsleep) whileAsleep();
  for (let i = 0; i < 3000 && b.outcomes.length === 0; i++) b.sim.advance(1_000);
  return seen;
}

/** The device's queue accepts a request again and completes it OK. */
function expectServes(b: CaseBoard, c: DriverCase): void {
  if (!c.submit) return;
  const n = b.completed.length;
  expect(STATUS_NAMES[c.submit(b)]).toBe("OK");
  b.sim.advance(200_000);
  expect(b.completed.slice(n).map((s) => STATUS_NAMES[s])).toEqual(["OK"]);
}

/**
 * Registers, with vitest, the conformance suite for every case: full cycles restore the snapshot,
 * five cycles are idempotent, a failure at S1/S2/S3 rolls back to fully active, a hang at S1/S2 ends
 * at the device's budget, a resume-stage failure marks the device failed (parked requests complete
 * FAILED, new ones are refused) until the runtime's re-probe brings it back, and, where the case says
 * so, a chip still broken at the re-probe keeps it failed and a chip power-cycled while suspended is
 * restored by R1. No datasheet timing violation anywhere. Drivers with runtime hooks also keep the
 * runtime-PM contract (./runtime.ts). Call it at the top level of a test file.
 */
export function describeDriverConformance(cases: readonly DriverCase[]): void {
  describe.each(cases.map((c) => [c.device, c] as const))("driver conformance: %s", (_name, c) => {
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

    for (const hook of ["prepare", "suspend"] as const) {
      it("a hang at " + hook + " ends at the device's budget (TIMEOUT) and the system ends fully active", () => {
        const b = c.make();
        b.sim.faults.set(c.device, hook, F_HANG);
        expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
        // Past the device's own budget for the stage (a sensor's S1 may wait 30 s), and the other devices' rollback.
        const g = b.sim.pm.graph;
        // HOOK_NAMES is in stage order: a hook's index is its stage id.
        const budget = g.budgetUs[g.names.indexOf(c.device) * STAGE_COUNT + HOOK_NAMES.indexOf(hook)];
        b.sim.advance(Math.max(3_000_000, budget + 1_000_000));
        expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["TIMEOUT"]);
        expect(b.sim.pm.stats.timeouts).toBe(1);
        expect(states(b)).toEqual(allActive(b));
        b.sim.faults.set(c.device, hook, F_NONE);
        expect(STATUS_NAMES[cycle(b, c)]).toBe("OK");
        expect(b.sim.violations.list).toEqual([]);
      });
    }

    /*
     * A resume stage that fails cannot be undone: the device (and, for R1 of a bus, its chips, which
     * find it unpowered) is failed the moment the attempt ends, a request parked on it completes with
     * FAILED and a new one is refused with FAILED. At the next idle moment the runtime re-probes it
     * (the driver's `reprobe`, from scratch): with the chip healthy it is active and serves again.
     */
    const resumeFaults = [["powerOnNoIrq", F_FAIL, "IO"], ["resume", F_FAIL, "IO"], ["resume", F_HANG, "TIMEOUT"]] as const;
    for (const [hook, mode, outcome] of resumeFaults) {
      it((mode === F_HANG ? "a hang" : "failure") + " at " + hook + ": failed at once, requests FAILED; re-probed at the next idle moment, active and serving", () => {
        const b = c.make();
        const down = failedBy(b, c, hook);
        const seen = failAndPark(b, c, hook, mode);
        expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual([outcome]);
        expect(seen.states).toEqual(b.sim.wiring.definition.devices.map((d) => d.name + "=" + (down.includes(d.name) ? D_FAILED : D_ACTIVE)));
        expect(b.sim.pm.stats.resumeFailures).toBe(down.length);
        if (c.submit) {
          expect(STATUS_NAMES[seen.parked]).toBe("OK");
          expect(seen.completed.map((s) => STATUS_NAMES[s])).toEqual(["FAILED"]);
          expect(STATUS_NAMES[seen.refused]).toBe("FAILED");
        }
        b.sim.faults.set(c.device, hook, F_NONE);
        b.sim.advance(1_000_000);
        expect(states(b)).toEqual(allActive(b));
        expect(b.sim.pm.recovery.recovered).toBeGreaterThanOrEqual(1);
        expectServes(b, c);
        expect(STATUS_NAMES[cycle(b, c)]).toBe("OK");
        expect(b.sim.violations.list).toEqual([]);
      });
    }

    if (c.brokenChip) {
      it("a chip still broken at the re-probe keeps the device failed; retried with a doubling backoff until the chip answers", () => {
        const b = c.make();
        const pm = b.sim.pm;
        const d = pm.graph.names.indexOf(c.device);
        const seen = failAndPark(b, c, "powerOnNoIrq", F_FAIL, () => b.sim.chipFault(c.device, "nak"));
        b.sim.faults.set(c.device, "powerOnNoIrq", F_NONE);
        expect(seen.states).toContain(c.device + "=" + D_FAILED);
        b.sim.advance(10_000); // the first re-probe ran at the idle moment and failed
        expect(pm.deviceState(d)).toBe(D_FAILED);
        const first = pm.recovery.attempts;
        expect(pm.recovery.dueIn(d, b.sim.now())).toBeGreaterThan(900_000);
        b.sim.advance(1_000_000); // second try after ~1 s, also failed: the next waits ~2 s
        expect(pm.deviceState(d)).toBe(D_FAILED);
        expect(pm.recovery.attempts).toBe(first + 1);
        expect(pm.recovery.dueIn(d, b.sim.now())).toBeGreaterThan(1_500_000);
        if (c.submit) expect(STATUS_NAMES[c.submit(b)]).toBe("FAILED");
        b.sim.chipFault(c.device, "none");
        b.sim.advance(2_500_000);
        expect(pm.deviceState(d)).toBe(D_ACTIVE);
        expect(states(b)).toEqual(allActive(b));
        expectServes(b, c);
        expect(b.sim.violations.list).toEqual([]);
      });
    }

    describeRuntimeConformance(c);

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
}
