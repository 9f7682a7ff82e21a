// The conformance kit's shared steps and expectations: the case's board, standby cycles, and what must hold after them (used by kit.ts).
import { expect } from "vitest";
import { IO, T_STANDBY, TEST_PLATFORM, D_ACTIVE, D_FAILED, STATUS_NAMES, STAGE_NAMES, STATE_NAMES } from "../../runtime/status";
import { SLEEP_HOLD } from "../board/sim-sleep";
import type { CaseBoard, DriverCase } from "./case";
import { holdRuntimeDevices } from "./hold";
import { heldLockCount, watchBusAfterSuspend, type BusWatch } from "./watch";

/** A device state by name (runtime/status.ts STATE_NAMES), for messages: "failed", not its number. */
export function stateName(state: number): string {
  return STATE_NAMES[state] ?? "state " + state;
}

/** Every device's system state, as "name=state" with the state's name. */
export function states(b: CaseBoard): string[] {
  const g = b.sim.pm.graph;
  const out: string[] = [];
  for (let d = 0; d < g.count; d++) out.push(g.names[d] + "=" + stateName(b.sim.pm.deviceState(d)));
  return out;
}

/** What `states` reads with every device active. */
export function allActive(b: CaseBoard): string[] {
  return b.sim.wiring.definition.devices.map((d) => d.name + "=" + stateName(D_ACTIVE));
}

/** What `states` reads with exactly `down` failed and every other device active. */
export function failedOnly(b: CaseBoard, down: readonly string[]): string[] {
  return b.sim.wiring.definition.devices.map((d) => d.name + "=" + stateName(down.includes(d.name) ? D_FAILED : D_ACTIVE));
}

/**
 * The fix for a device still failed, or marked active with its chip unusable, after the runtime's
 * re-probe. A driver without a `reprobe` hook has no re-probe to blame: the runtime counts a missing
 * hook as OK, so the device is marked active without the chip being touched (docs/writing-a-driver.md
 * "Cold boot: start()"); the message says so rather than describing a re-probe that never ran.
 */
export function reprobeFix(b: CaseBoard, c: DriverCase, fix: string): string {
  if (hasReprobe(b, c)) return fix;
  return c.device + " has no reprobe(token) hook, so a failed device is marked active without touching the chip: add " +
    "reprobe that re-initialises it (from scratch, answering IO when the chip does not answer)";
}

/** The bus watch of each board the kit made (`board`). */
const watches = new WeakMap<CaseBoard, BusWatch>();

/**
 * The case's board for the system checks, its device's bus I/O watched from now on (./watch.ts) and
 * every device with runtime hooks held up (./hold.ts: a board's `autosuspendMs` would otherwise let
 * it sit the standby out, its injected faults never firing).
 */
export function board(c: DriverCase): CaseBoard {
  const b = c.make();
  holdRuntimeDevices(b);
  watches.set(b, watchBusAfterSuspend(b.sim, c.device));
  return b;
}

/** The last failure the power manager recorded, as "device stage status" (for messages). */
export function lastFailure(b: CaseBoard): string {
  const stats = b.sim.pm.stats;
  const slot = stats.failureSlot(0);
  if (slot < 0) return "none recorded";
  return b.sim.pm.graph.names[stats.failDevice[slot]] + " " + STAGE_NAMES[stats.failStage[slot]];
}

/** A standby attempt from idle, held 1 s of virtual time: its outcome. */
export function cycle(b: CaseBoard, c: DriverCase): number {
  if (c.exercise) c.exercise(b);
  const n = b.outcomes.length;
  startStandby(b, c);
  b.sim.advance(1_000_000);
  expect(b.outcomes.length, c.device + ": the standby attempt did not end within 1 s: a hook answered PENDING and never completed " +
    "(last failure: " + lastFailure(b) + "); call port.complete(token, status) when the work it waits for ends").toBe(n + 1);
  return b.outcomes[n];
}

/** pm.suspend(standby, TEST_PLATFORM) accepted. */
export function startStandby(b: CaseBoard, c: DriverCase): void {
  expect(STATUS_NAMES[b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)], c.device + ": pm.suspend(standby) was refused: the board was not idle " +
    "after the case's make/exercise (an attempt or re-probe still running); leave the power manager idle").toBe("OK");
}

/** A cycle that must succeed: its outcome OK, else the failing hook named. */
export function expectCycleOk(b: CaseBoard, c: DriverCase, what: string): void {
  const outcome = STATUS_NAMES[cycle(b, c)];
  expect(outcome, c.device + ": " + what + " ended " + outcome + " (failed hook: " + lastFailure(b) + "): with nothing injected every " +
    "hook must answer OK, or PENDING and then complete OK within its budget").toBe("OK");
}

/** The snapshot the case reads equals the one before. */
export function expectRestored(b: CaseBoard, c: DriverCase, before: number[], after: string): void {
  expect(c.snapshot(b), c.device + ": its state (the case's snapshot) differs from before " + after + ": save what the chip and driver " +
    "need in S2 (port.state) and restore it in R1/R2 (powerOnNoIrq/resume), also when the chip lost it").toEqual(before);
}

/** Every device active again. */
export function expectAllActive(b: CaseBoard, c: DriverCase, after: string): void {
  const now = states(b);
  // Named in the text too: vitest shortens a long array in its "expected ... to deeply equal" tail.
  const off = now.filter((s) => !s.endsWith("=" + stateName(D_ACTIVE)));
  expect(now, c.device + ": not every device is active " + after + " (" + off.join(", ") + "): each resume hook (and a " +
    "rollback's mirror) must answer OK so its device is active again").toEqual(allActive(b));
}

/** No datasheet timing rule broken on the board's chip models. */
export function expectNoViolation(b: CaseBoard, c: DriverCase): void {
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
export function expectQuietAfterS2(b: CaseBoard, c: DriverCase): void {
  const w = watches.get(b) as BusWatch;
  expect(w.attached(), c.device + ": the kit no longer sees pm.trace (the case replaced its listener): chain the listener " +
    "that was there (trace.getListener()) instead of replacing it").toBe(true);
  const first = w.late.length === 0 ? "" : w.late[0] + (w.late.length > 1 ? "; " + (w.late.length - 1) + " more listed below" : "");
  expect(w.late, c.device + " used its bus after its S2 answered OK (" + first + "): finish the transfer in flight before " +
    "answering OK (answer PENDING and complete when it ends), and talk to the chip again only from R1 (its own S3 hook may send a " +
    "sleep command)").toEqual([]);
}

/** No chip used a powered-off bus (not checked after a bus's own R1 failed: its chips then find it off, by design). */
export function expectNoMisuse(b: CaseBoard, c: DriverCase): void {
  expect(busMisuse(b), c.device + ": a chip used its bus while the bus was powered off (the buses' misuse count): finish every " +
    "transfer before S2 answers OK (answer PENDING until it ends) and touch the bus again only from R1").toBe(0);
}

/** The device holds no count of its PM lock once its work is done. */
export function expectLockReleased(b: CaseBoard, c: DriverCase, after: string): void {
  const n = heldLockCount(b.sim, c.device);
  expect(n, c.device + " still holds its PM lock (" + n + " port.lock() without port.unlock()) " + after + ", with no work in flight: " +
    "call port.unlock() once for every port.lock() when the work ends, also when it ends in an error or S2 cuts it short " +
    "(a held lock keeps the idle governor from ever sleeping)").toBe(0);
}

/** The devices a resume-stage failure of `c.device` at `hook` takes down: it, and for R1 of a bus its chips. */
export function failedBy(b: CaseBoard, c: DriverCase, hook: string): string[] {
  const defs = b.sim.wiring.definition.devices;
  return defs.filter((d) => d.name === c.device || (hook === "powerOnNoIrq" && d.parent === c.device)).map((d) => d.name);
}

/** What held when the failing attempt's outcome was reported, before any re-probe could run. */
export interface AtDone {
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
export function failAndPark(b: CaseBoard, c: DriverCase, hook: "powerOnNoIrq" | "resume", mode: number, whileAsleep?: () => void): AtDone {
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
export function holdAsleep(b: CaseBoard, c: DriverCase): void {
  startStandby(b, c);
  for (let i = 0; i < 1000 && b.sim.platform.sleeping !== SLEEP_HOLD; i++) b.sim.advance(1_000);
  expect(b.sim.platform.sleeping, c.device + ": the board did not reach its test sleep within 1 s of the suspend (failed hook: " +
    lastFailure(b) + "): S1..S3 must answer OK, or PENDING and complete within the stage's budget").toBe(SLEEP_HOLD);
}

/** Whether the device's driver has a `reprobe` hook (the driver object's own, before the simulator's fault wrapper). */
export function hasReprobe(b: CaseBoard, c: DriverCase): boolean {
  return typeof (b.sim.driver(c.device) as unknown as { reprobe?: unknown }).reprobe === "function";
}

/** How messages name the moment the runtime brought a failed device back: its re-probe, or, without the hook, the mark. */
export function afterReprobe(b: CaseBoard, c: DriverCase): string {
  return hasReprobe(b, c) ? "after its re-probe" : "after the runtime marked it active again (it has no reprobe hook)";
}

/** The device's queue accepts a request again and completes it OK; `reprobed`: it is back from failed (the fix names reprobe). */
export function expectServes(b: CaseBoard, c: DriverCase, after: string, reprobed = false): void {
  if (!c.submit) return;
  const n = b.completed.length;
  expect(STATUS_NAMES[c.submit(b)], c.device + ": a request was refused " + after + ": reopen the queue in R2 (and after a " +
    "successful re-probe) so it takes requests again").toBe("OK");
  b.sim.advance(200_000);
  const fix = "the driver must serve its queue again once active";
  expect(b.completed.slice(n).map((s) => STATUS_NAMES[s]), c.device + ": a request made " + after + " did not complete OK within " +
    "200 ms: " + (reprobed ? reprobeFix(b, c, fix) : fix)).toEqual(["OK"]);
}
