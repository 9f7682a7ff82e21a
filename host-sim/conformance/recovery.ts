// The conformance kit's recovery checks: a resume-stage failure fails the device until the runtime's re-probe (the driver's reprobe) brings it back.
import { expect } from "vitest";
import { STATUS_NAMES } from "../../runtime/status";
import { F_FAIL, F_HANG, F_NONE } from "../board/faults";
import type { DriverCase } from "./case";
import {
  afterReprobe, board, expectAllActive, expectCycleOk, expectNoViolation, expectQuietAfterS2, expectServes, failAndPark,
  failedBy, failedOnly, lastFailure, reprobeFix, stateName,
} from "./checks";

/** The resume-stage faults the kit injects: hook, fault mode, the attempt's outcome. */
export const RESUME_FAULTS = [["powerOnNoIrq", F_FAIL, "IO"], ["resume", F_FAIL, "IO"], ["resume", F_HANG, "TIMEOUT"]] as const;

/**
 * A resume stage that fails cannot be undone: the device (and, for R1 of a bus, its chips, which
 * find it unpowered) is failed the moment the attempt ends, a request parked on it completes with
 * FAILED and a new one is refused with FAILED. At the next idle moment the runtime re-probes it
 * (the driver's `reprobe`, from scratch): with the chip healthy it is active and serves again.
 */
export function checkResumeFault(c: DriverCase, hook: "powerOnNoIrq" | "resume", mode: number, outcome: string): void {
  const b = board(c);
  const down = failedBy(b, c, hook);
  const seen = failAndPark(b, c, hook, mode);
  const fault = (mode === F_HANG ? "a hang" : "a failure") + " (injected) at its " + hook;
  expect(b.outcomes.map((s) => STATUS_NAMES[s]), c.device + ": with " + fault + " the attempt must end once, " + outcome +
    " (failed hook: " + lastFailure(b) + "): another hook failed or never completed").toEqual([outcome]);
  expect(seen.states, c.device + ": when the attempt with " + fault + " ended, exactly " + down.join(", ") + " must be failed " +
    "and every other device active: another device's resume hook failed").toEqual(failedOnly(b, down));
  expect(b.sim.pm.stats.resumeFailures, c.device + ": more resume failures were counted than " + fault + " causes (" + down.length +
    "): another resume hook failed").toBe(down.length);
  if (c.submit) {
    expect(STATUS_NAMES[seen.parked], c.device + ": a request made while the board slept was refused: while suspended the queue " +
      "must park requests (gate it in S2), not refuse them").toBe("OK");
    expect(seen.completed.map((s) => STATUS_NAMES[s]), c.device + ": the request parked during the sleep must complete once, FAILED, " +
      "when the device failed at its " + hook + ": register the queue with port.registerQueue so the runtime fails it").toEqual(["FAILED"]);
    expect(STATUS_NAMES[seen.refused], c.device + ": a request made right after it failed at its " + hook + " must be refused " +
      "FAILED until a re-probe succeeds: register the queue with port.registerQueue").toBe("FAILED");
  }
  b.sim.faults.set(c.device, hook, F_NONE);
  b.sim.advance(1_000_000);
  expectAllActive(b, c, "1 s after " + fault + " (the runtime re-probes a failed device at the next idle moment: " +
    reprobeFix(b, c, "its reprobe must re-initialise the chip from scratch and answer OK") + ")");
  expect(b.sim.pm.recovery.recovered, c.device + ": no re-probe brought it back after " + fault + ": implement reprobe(token) " +
    "(re-initialise from scratch, answer OK or PENDING then complete)").toBeGreaterThanOrEqual(1);
  const after = afterReprobe(b, c);
  expectServes(b, c, after, true);
  expectCycleOk(b, c, "the standby cycle " + after);
  expectNoViolation(b, c);
  expectQuietAfterS2(b, c);
}

/** A chip still broken at the re-probe keeps the device failed; retried with a doubling backoff until the chip answers. */
export function checkBrokenChip(c: DriverCase): void {
  const b = board(c);
  const pm = b.sim.pm;
  const d = pm.graph.names.indexOf(c.device);
  const seen = failAndPark(b, c, "powerOnNoIrq", F_FAIL, () => b.sim.chipFault(c.device, "nak"));
  b.sim.faults.set(c.device, "powerOnNoIrq", F_NONE);
  expect(seen.states, c.device + ": a failure (injected) at its powerOnNoIrq did not mark it failed").toContain(c.device + "=failed");
  const broken = "with its chip not answering (NAK)";
  b.sim.advance(10_000); // the first re-probe ran at the idle moment and failed
  expect(stateName(pm.deviceState(d)), reprobeFix(b, c, c.device + ": its re-probe answered OK " + broken + ": check that the " +
    "chip answers (read its id) and answer IO when it does not")).toBe("failed");
  const first = pm.recovery.attempts;
  expect(pm.recovery.dueIn(d, b.sim.now()), c.device + ": after a failed re-probe the next must wait about 1 s (the runtime's " +
    "backoff): a re-probe answered too early or twice").toBeGreaterThan(900_000);
  b.sim.advance(1_000_000); // second try after ~1 s, also failed: the next waits ~2 s
  expect(stateName(pm.deviceState(d)), c.device + ": its second re-probe answered OK " + broken + ": answer IO when the chip " +
    "does not answer").toBe("failed");
  expect(pm.recovery.attempts, c.device + ": expected exactly one more re-probe after ~1 s: a re-probe answered PENDING and " +
    "never completed, or completed twice").toBe(first + 1);
  expect(pm.recovery.dueIn(d, b.sim.now()), c.device + ": after a second failed re-probe the next must wait about 2 s " +
    "(doubling backoff)").toBeGreaterThan(1_500_000);
  if (c.submit) expect(STATUS_NAMES[c.submit(b)], c.device + ": a request made while it is failed must be refused FAILED: " +
    "register the queue with port.registerQueue").toBe("FAILED");
  b.sim.chipFault(c.device, "none");
  b.sim.advance(2_500_000);
  expect(stateName(pm.deviceState(d)), c.device + ": the chip answers again but the next re-probe did not bring the device " +
    "back: reprobe must re-initialise the chip from scratch and answer OK").toBe("active");
  expectAllActive(b, c, "after the chip answered again and a re-probe ran");
  expectServes(b, c, "after the re-probe that found the chip again", true);
  expectNoViolation(b, c);
}
