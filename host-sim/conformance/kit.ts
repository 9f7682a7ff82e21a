// The driver conformance kit: the same checks over any driver on a simulated board (import from "quiesce/conformance" in a vitest file).
import { describe, expect, it } from "vitest";
import { IO, STATUS_NAMES, STAGE_COUNT, STAGE_NAMES } from "../../runtime/status";
import { F_FAIL, F_HANG, F_NONE, HOOK_NAMES } from "../board/faults";
import type { DriverCase } from "./case";
import {
  board, cycle, expectAllActive, expectCycleOk, expectLockReleased, expectNoMisuse, expectNoViolation, expectQuietAfterS2,
  expectRestored, holdAsleep, lastFailure, startStandby,
} from "./checks";
import { checkBrokenChip, checkResumeFault, RESUME_FAULTS } from "./recovery";
import { describeRuntimeConformance } from "./runtime";

/**
 * Registers, with vitest, the conformance suite for every case: full cycles restore the snapshot,
 * five cycles are idempotent, a failure at S1/S2/S3 rolls back to fully active, a hang at S1/S2 ends
 * at the device's budget, a resume-stage failure marks the device failed (parked requests complete
 * FAILED, new ones are refused) until the runtime's re-probe brings it back, and, where the case says
 * so, a chip still broken at the re-probe keeps it failed and a chip power-cycled while suspended is
 * restored by R1. No datasheet timing violation anywhere; once its S2 answered OK the device does no
 * bus I/O until its R1/R2 (its own S3 hook excepted), on any board; no chip uses a powered-off bus; the
 * device's PM lock is released once its work is done. Drivers with runtime hooks also keep the
 * runtime-PM contract (./runtime.ts). Every failed check says what the driver did wrong and the fix.
 * Call it at the top level of a test file.
 */
export function describeDriverConformance(cases: readonly DriverCase[]): void {
  describe.each(cases.map((c) => [c.device, c] as const))("driver conformance: %s", (_name, c) => {
    it("full cycle: OK, state restored, all devices active, no timing violation, no bus I/O after S2, lock released", () => {
      const b = board(c);
      if (c.exercise) c.exercise(b);
      b.sim.advance(100_000);
      const before = c.snapshot(b);
      expectCycleOk(b, c, "a standby cycle");
      b.sim.advance(100_000);
      expectRestored(b, c, before, "after a standby cycle");
      expectAllActive(b, c, "after a standby cycle");
      expectNoViolation(b, c);
      expectQuietAfterS2(b, c);
      expectNoMisuse(b, c);
      expectLockReleased(b, c, "100 ms after a standby cycle");
    });

    it("idempotent: 5 repeated cycles leave the same state", () => {
      const b = board(c);
      if (c.exercise) c.exercise(b);
      b.sim.advance(100_000);
      const before = c.snapshot(b);
      for (let i = 0; i < 5; i++) {
        expectCycleOk(b, c, "standby cycle " + (i + 1) + " of 5");
        b.sim.advance(100_000);
        expectRestored(b, c, before, "after standby cycle " + (i + 1) + " of 5 (a cycle must restore the same state every time)");
      }
      expect(b.sim.pm.stats.successes, c.device + ": 5 standby cycles did not count 5 successes: every cycle must end OK").toBe(5);
      expectNoViolation(b, c);
      expectQuietAfterS2(b, c);
      expectNoMisuse(b, c);
      expectLockReleased(b, c, "after 5 standby cycles");
    });

    for (const hook of ["prepare", "suspend", "powerOffNoIrq"] as const) {
      it("failure at " + hook + " rolls back to fully active, state intact, next cycle OK", () => {
        const b = board(c);
        if (c.exercise) c.exercise(b);
        b.sim.advance(100_000);
        const before = c.snapshot(b);
        b.sim.faults.set(c.device, hook, F_FAIL, IO);
        const after = "after the rollback of a failure (injected) at its " + hook;
        const outcome = STATUS_NAMES[cycle(b, c)];
        expect(outcome, c.device + ": with its " + hook + " failing (IO injected) the attempt ended " + outcome + " (failed hook: " +
          lastFailure(b) + "): an earlier hook failed, or a rollback hook did not answer OK").toBe("IO");
        const slot = b.sim.pm.stats.failureSlot(0);
        expect(b.sim.pm.graph.names[b.sim.pm.stats.failDevice[slot]] + " " + STAGE_NAMES[b.sim.pm.stats.failStage[slot]],
          c.device + ": the attempt's recorded failure is not the one injected at its " + hook + ": another hook failed first; " +
          "with nothing injected every hook must answer OK").toBe(c.device + " " + STAGE_NAMES[HOOK_NAMES.indexOf(hook)]);
        b.sim.advance(100_000);
        expectAllActive(b, c, after);
        expectRestored(b, c, before, after + " (a rollback's mirror hook undoes what the stages before did)");
        b.sim.faults.set(c.device, hook, F_NONE);
        expectCycleOk(b, c, "the standby cycle " + after);
        b.sim.advance(100_000);
        expectRestored(b, c, before, "after a standby cycle that followed the rollback of a failure at its " + hook);
        expectNoViolation(b, c);
        expectQuietAfterS2(b, c);
        expectNoMisuse(b, c);
        expectLockReleased(b, c, after + " and a cycle");
      });
    }

    for (const hook of ["prepare", "suspend"] as const) {
      it("a hang at " + hook + " ends at the device's budget (TIMEOUT) and the system ends fully active", () => {
        const b = board(c);
        b.sim.faults.set(c.device, hook, F_HANG);
        startStandby(b, c);
        // Past the device's own budget for the stage (a sensor's S1 may wait 30 s), and the other devices' rollback.
        const g = b.sim.pm.graph;
        // HOOK_NAMES is in stage order: a hook's index is its stage id.
        const budget = g.budgetUs[g.names.indexOf(c.device) * STAGE_COUNT + HOOK_NAMES.indexOf(hook)];
        b.sim.advance(Math.max(3_000_000, budget + 1_000_000));
        expect(b.outcomes.map((s) => STATUS_NAMES[s]), c.device + ": with its " + hook + " hanging (injected) the attempt must end " +
          "once, TIMEOUT, at the stage's budget (failed hook: " + lastFailure(b) + "): a rollback hook did not answer in time").toEqual(["TIMEOUT"]);
        expect(b.sim.pm.stats.timeouts, c.device + ": more than the injected hang timed out: another hook answered PENDING and did " +
          "not complete within its budget").toBe(1);
        expectAllActive(b, c, "after the rollback of a hang (injected) at its " + hook);
        b.sim.faults.set(c.device, hook, F_NONE);
        expectCycleOk(b, c, "the standby cycle after the rollback of a hang at its " + hook);
        expectNoViolation(b, c);
        expectQuietAfterS2(b, c);
      });
    }

    // A resume stage that fails cannot be undone: failed at once, then re-probed (./recovery.ts).
    for (const [hook, mode, outcome] of RESUME_FAULTS) {
      it((mode === F_HANG ? "a hang" : "failure") + " at " + hook + ": failed at once, requests FAILED; re-probed at the next idle " +
        "moment, active and serving", () => checkResumeFault(c, hook, mode, outcome));
    }

    if (c.brokenChip) {
      it("a chip still broken at the re-probe keeps the device failed; retried with a doubling backoff until the chip answers",
        () => checkBrokenChip(c));
    }

    describeRuntimeConformance(c);

    if (c.chipReset) {
      it("chip power-cycled while suspended: R1 restores it, state equal, no violation", () => {
        const b = board(c);
        if (c.exercise) c.exercise(b);
        b.sim.advance(100_000);
        const before = c.snapshot(b);
        holdAsleep(b, c);
        b.sim.chipReset(c.device);
        b.sim.advance(1_000_000);
        expect(b.outcomes.map((s) => STATUS_NAMES[s]), c.device + ": with its chip power-cycled during the sleep the attempt must " +
          "end OK (failed hook: " + lastFailure(b) + "): R1 must find the chip's registers at their defaults and rewrite them").toEqual(["OK"]);
        b.sim.advance(100_000);
        expectRestored(b, c, before, "after its chip was power-cycled during the sleep (R1 must detect a reset chip and restore its " +
          "configuration)");
        expectAllActive(b, c, "after its chip was power-cycled during the sleep");
        expectNoViolation(b, c);
        expectQuietAfterS2(b, c);
      });
    }
  });
}
