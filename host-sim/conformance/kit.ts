// The driver conformance kit: the same checks over any driver on a simulated board (import from "quiesce/conformance" in a vitest file).
import { describe, expect, it } from "vitest";
import { OK, IO, T_STANDBY, TEST_PLATFORM, D_ACTIVE, D_FAILED, STATUS_NAMES, STAGE_COUNT, STAGE_NAMES } from "../../runtime/status";
import { F_FAIL, F_HANG, F_NONE, HOOK_NAMES } from "../board/faults";
import { SLEEP_HOLD } from "../board/sim-sleep";
import type { CaseBoard, DriverCase } from "./case";
import { describeRuntimeConformance } from "./runtime";
import { heldLockCount, watchBusAfterSuspend, type BusWatch } from "./watch";

function states(b: CaseBoard): string[] {
  const g = b.sim.pm.graph;
  const out: string[] = [];
  for (let d = 0; d < g.count; d++) out.push(g.names[d] + "=" + b.sim.pm.deviceState(d));
  return out;
}

function allActive(b: CaseBoard): string[] {
  return b.sim.wiring.definition.devices.map((d) => d.name + "=" + D_ACTIVE);
}

/** The bus watch of each board the kit made (`board`). */
const watches = new WeakMap<CaseBoard, BusWatch>();

/** The case's board, its device's bus I/O watched from now on (./watch.ts). */
function board(c: DriverCase): CaseBoard {
  const b = c.make();
  watches.set(b, watchBusAfterSuspend(b.sim, c.device));
  return b;
}

/** The last failure the power manager recorded, as "device stage status" (for messages). */
function lastFailure(b: CaseBoard): string {
  const stats = b.sim.pm.stats;
  const slot = stats.failureSlot(0);
  if (slot < 0) return "none recorded";
  return b.sim.pm.graph.names[stats.failDevice[slot]] + " " + STAGE_NAMES[stats.failStage[slot]];
}

/** A standby attempt from idle, held 1 s of virtual time: its outcome. */
function cycle(b: CaseBoard, c: DriverCase): number {
  if (c.exercise) c.exercise(b);
  const n = b.outcomes.length;
  startStandby(b, c);
  b.sim.advance(1_000_000);
  expect(b.outcomes.length, c.device + ": the standby attempt did not end within 1 s: a hook answered PENDING and never completed " +
    "(last failure: " + lastFailure(b) + "); call port.complete(token, status) when the work it waits for ends").toBe(n + 1);
  return b.outcomes[n];
}

/** pm.suspend(standby, TEST_PLATFORM) accepted. */
function startStandby(b: CaseBoard, c: DriverCase): void {
  expect(STATUS_NAMES[b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)], c.device + ": pm.suspend(standby) was refused: the board was not idle " +
    "after the case's make/exercise (an attempt or re-probe still running); leave the power manager idle").toBe("OK");
}

/** A cycle that must succeed: its outcome OK, else the failing hook named. */
function expectCycleOk(b: CaseBoard, c: DriverCase, what: string): void {
  const outcome = STATUS_NAMES[cycle(b, c)];
  expect(outcome, c.device + ": " + what + " ended " + outcome + " (failed hook: " + lastFailure(b) + "): with nothing injected every " +
    "hook must answer OK, or PENDING and then complete OK within its budget").toBe("OK");
}

/** The snapshot the case reads equals the one before. */
function expectRestored(b: CaseBoard, c: DriverCase, before: number[], after: string): void {
  expect(c.snapshot(b), c.device + ": its state (the case's snapshot) differs from before " + after + ": save what the chip and driver " +
    "need in S2 (port.state) and restore it in R1/R2 (powerOnNoIrq/resume), also when the chip lost it").toEqual(before);
}

/** Every device active again. */
function expectAllActive(b: CaseBoard, c: DriverCase, after: string): void {
  expect(states(b), c.device + ": not every device is active (state " + D_ACTIVE + ") " + after + ": each resume hook (and a rollback's " +
    "mirror) must answer OK so its device is active again").toEqual(allActive(b));
}

/** No datasheet timing rule broken on the board's chip models. */
function expectNoViolation(b: CaseBoard, c: DriverCase): void {
  expect(b.sim.violations.list, c.device + ": a chip model reports a datasheet timing violation (listed): wait the time the " +
    "datasheet gives before the next command (a platform timer, answering PENDING meanwhile)").toEqual([]);
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

/** The device did no bus I/O between its S2 answering OK and its R1/R2 (its own S3 hook excepted). */
function expectQuietAfterS2(b: CaseBoard, c: DriverCase): void {
  const w = watches.get(b) as BusWatch;
  expect(w.attached(), c.device + ": the kit no longer sees pm.trace (the case replaced its listener): chain the listener " +
    "that was there (trace.getListener()) instead of replacing it").toBe(true);
  const first = w.late.length === 0 ? "" : w.late[0] + (w.late.length > 1 ? "; " + (w.late.length - 1) + " more listed below" : "");
  expect(w.late, c.device + " used its bus after its S2 answered OK (" + first + "): finish the transfer in flight before " +
    "answering OK (answer PENDING and complete when it ends), and talk to the chip again only from R1 (its own S3 hook may send a " +
    "sleep command)").toEqual([]);
}

/** No chip used a powered-off bus (not checked after a bus's own R1 failed: its chips then find it off, by design). */
function expectNoMisuse(b: CaseBoard, c: DriverCase): void {
  expect(busMisuse(b), c.device + ": a chip used its bus while the bus was powered off (the buses' misuse count): finish every " +
    "transfer before S2 answers OK (answer PENDING until it ends) and touch the bus again only from R1").toBe(0);
}

/** The device holds no count of its PM lock once its work is done. */
function expectLockReleased(b: CaseBoard, c: DriverCase, after: string): void {
  const n = heldLockCount(b.sim, c.device);
  expect(n, c.device + " still holds its PM lock (" + n + " port.lock() without port.unlock()) " + after + ", with no work in flight: " +
    "call port.unlock() once for every port.lock() when the work ends, also when it ends in an error or S2 cuts it short " +
    "(a held lock keeps the idle governor from ever sleeping)").toBe(0);
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
  holdAsleep(b, c);
  if (c.submit) seen.parked = c.submit(b);
  if (whileAsleep) whileAsleep();
  for (let i = 0; i < 3000 && b.outcomes.length === 0; i++) b.sim.advance(1_000);
  return seen;
}

/** A standby attempt started and advanced until the platform holds the board asleep (TEST_PLATFORM). */
function holdAsleep(b: CaseBoard, c: DriverCase): void {
  startStandby(b, c);
  for (let i = 0; i < 1000 && b.sim.platform.sleeping !== SLEEP_HOLD; i++) b.sim.advance(1_000);
  expect(b.sim.platform.sleeping, c.device + ": the board did not reach its test sleep within 1 s of the suspend (failed hook: " +
    lastFailure(b) + "): S1..S3 must answer OK, or PENDING and complete within the stage's budget").toBe(SLEEP_HOLD);
}

/** The device's queue accepts a request again and completes it OK. */
function expectServes(b: CaseBoard, c: DriverCase, after: string): void {
  if (!c.submit) return;
  const n = b.completed.length;
  expect(STATUS_NAMES[c.submit(b)], c.device + ": a request was refused " + after + ": reopen the queue in R2 (and after a " +
    "successful re-probe) so it takes requests again").toBe("OK");
  b.sim.advance(200_000);
  expect(b.completed.slice(n).map((s) => STATUS_NAMES[s]), c.device + ": a request made " + after + " did not complete OK within " +
    "200 ms: the driver must serve its queue again once active").toEqual(["OK"]);
}

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

    /*
     * A resume stage that fails cannot be undone: the device (and, for R1 of a bus, its chips, which
     * find it unpowered) is failed the moment the attempt ends, a request parked on it completes with
     * FAILED and a new one is refused with FAILED. At the next idle moment the runtime re-probes it
     * (the driver's `reprobe`, from scratch): with the chip healthy it is active and serves again.
     */
    const resumeFaults = [["powerOnNoIrq", F_FAIL, "IO"], ["resume", F_FAIL, "IO"], ["resume", F_HANG, "TIMEOUT"]] as const;
    for (const [hook, mode, outcome] of resumeFaults) {
      it((mode === F_HANG ? "a hang" : "failure") + " at " + hook + ": failed at once, requests FAILED; re-probed at the next idle moment, active and serving", () => {
        const b = board(c);
        const down = failedBy(b, c, hook);
        const seen = failAndPark(b, c, hook, mode);
        const fault = (mode === F_HANG ? "a hang" : "a failure") + " (injected) at its " + hook;
        expect(b.outcomes.map((s) => STATUS_NAMES[s]), c.device + ": with " + fault + " the attempt must end once, " + outcome +
          " (failed hook: " + lastFailure(b) + "): another hook failed or never completed").toEqual([outcome]);
        expect(seen.states, c.device + ": when the attempt with " + fault + " ended, exactly " + down.join(", ") + " must be failed (state " +
          D_FAILED + ") and every other device active: another device's resume hook failed").toEqual(
          b.sim.wiring.definition.devices.map((d) => d.name + "=" + (down.includes(d.name) ? D_FAILED : D_ACTIVE)));
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
        expectAllActive(b, c, "1 s after " + fault + " (the runtime re-probes a failed device at the next idle moment: its reprobe " +
          "must re-initialise the chip from scratch and answer OK)");
        expect(b.sim.pm.recovery.recovered, c.device + ": no re-probe brought it back after " + fault + ": implement reprobe(token) " +
          "(re-initialise from scratch, answer OK or PENDING then complete)").toBeGreaterThanOrEqual(1);
        expectServes(b, c, "after its re-probe");
        expectCycleOk(b, c, "the standby cycle after its re-probe");
        expectNoViolation(b, c);
        expectQuietAfterS2(b, c);
      });
    }

    if (c.brokenChip) {
      it("a chip still broken at the re-probe keeps the device failed; retried with a doubling backoff until the chip answers", () => {
        const b = board(c);
        const pm = b.sim.pm;
        const d = pm.graph.names.indexOf(c.device);
        const seen = failAndPark(b, c, "powerOnNoIrq", F_FAIL, () => b.sim.chipFault(c.device, "nak"));
        b.sim.faults.set(c.device, "powerOnNoIrq", F_NONE);
        expect(seen.states, c.device + ": a failure (injected) at its powerOnNoIrq did not mark it failed").toContain(c.device + "=" + D_FAILED);
        const broken = "with its chip not answering (NAK)";
        b.sim.advance(10_000); // the first re-probe ran at the idle moment and failed
        expect(pm.deviceState(d), c.device + ": its re-probe answered OK " + broken + ": check that the chip answers (read its id) " +
          "and answer IO when it does not").toBe(D_FAILED);
        const first = pm.recovery.attempts;
        expect(pm.recovery.dueIn(d, b.sim.now()), c.device + ": after a failed re-probe the next must wait about 1 s (the runtime's " +
          "backoff): a re-probe answered too early or twice").toBeGreaterThan(900_000);
        b.sim.advance(1_000_000); // second try after ~1 s, also failed: the next waits ~2 s
        expect(pm.deviceState(d), c.device + ": its second re-probe answered OK " + broken + ": answer IO when the chip does not " +
          "answer").toBe(D_FAILED);
        expect(pm.recovery.attempts, c.device + ": expected exactly one more re-probe after ~1 s: a re-probe answered PENDING and " +
          "never completed, or completed twice").toBe(first + 1);
        expect(pm.recovery.dueIn(d, b.sim.now()), c.device + ": after a second failed re-probe the next must wait about 2 s " +
          "(doubling backoff)").toBeGreaterThan(1_500_000);
        if (c.submit) expect(STATUS_NAMES[c.submit(b)], c.device + ": a request made while it is failed must be refused FAILED: " +
          "register the queue with port.registerQueue").toBe("FAILED");
        b.sim.chipFault(c.device, "none");
        b.sim.advance(2_500_000);
        expect(pm.deviceState(d), c.device + ": the chip answers again but the next re-probe did not bring the device back: reprobe " +
          "must re-initialise the chip from scratch and answer OK").toBe(D_ACTIVE);
        expectAllActive(b, c, "after the chip answered again and a re-probe ran");
        expectServes(b, c, "after the re-probe that found the chip again");
        expectNoViolation(b, c);
      });
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
