// The runtime-PM part of the conformance kit: drivers with runtime hooks keep the runtime-PM contract (docs/writing-a-driver.md).
import { expect, it } from "vitest";
import { OK, PENDING, PROTOCOL, T_STANDBY, TEST_PLATFORM, RPM_SUSPENDED, RPM_STATE_NAMES, STATUS_NAMES, STAGE_NAMES } from "../../runtime/status";
import { E_HOOK_DONE, E_HOOK_PENDING, E_HOOK_FAIL, E_RPM_FAIL } from "../../runtime/trace";
import type { CaseBoard, DriverCase } from "./case";
import { holdDevice, snapshotActive } from "./hold";

/** The driver object's own runtime hooks (before the simulator's fault wrapper). */
function hooksOf(b: CaseBoard, c: DriverCase): { suspend: boolean; resume: boolean } {
  const drv = b.sim.driver(c.device) as unknown as { runtimeSuspend?: unknown; runtimeResume?: unknown };
  return { suspend: typeof drv.runtimeSuspend === "function", resume: typeof drv.runtimeResume === "function" };
}

/** The longest autosuspend delay of any device with runtime hooks on the board, µs (0: none). */
function longestDelay(b: CaseBoard): number {
  const rpm = b.sim.pm.rpm;
  let most = 0;
  for (let k = 0; k < b.sim.pm.graph.count; k++) if (rpm.capable[k] !== 0 && rpm.delayUs[k] > most) most = rpm.delayUs[k];
  return most;
}

/**
 * Every device with runtime hooks goes down (a get and a put each: a supplier goes down only once its
 * consumers did, so the order does not matter), then time passes for PENDING hooks and for a supplier's
 * own `autosuspendMs` (it idles down that long after its last consumer). Returns the device's runtime
 * state and how many runtime suspends of it ended from here: a device that had already idled down by
 * itself is woken by the get and taken down again by the put, one suspend either way.
 */
function allDown(b: CaseBoard, d: number): { state: number; suspends: number } {
  const pm = b.sim.pm;
  const base = pm.rpm.suspends[d];
  // Every get before any put: a put that took a supplier down while its consumer was still down would have the
  // consumer's get bring it up again, one suspend too many for a check that counts them.
  const taken: number[] = [];
  for (let k = 0; k < pm.graph.count; k++) {
    if (pm.rpm.capable[k] === 0 || pm.rpm.usage[k] !== 0) continue;
    holdDevice(b, k, "the kit's get before taking every device with runtime hooks down");
    taken.push(k);
  }
  for (const k of taken) {
    expect(STATUS_NAMES[pm.port(k).put()], pm.graph.names[k] + ": port.put() after a get was refused: its runtime hooks must " +
      "answer a status (OK, PENDING then a completion)").toBe("OK");
  }
  const limit = longestDelay(b) + 1_000_000;
  for (let t = 0; t < limit && pm.rpm.state[d] !== RPM_SUSPENDED; t += 10_000) b.sim.advance(10_000);
  return { state: pm.rpm.state[d], suspends: pm.rpm.suspends[d] - base };
}

/**
 * A request on the device: its queue's (`submit`, completion awaited) or a use without one (`use`); a
 * case with neither, the kit's own get and put. Returns how many runtime resumes of the device ended
 * OK meanwhile: counted, not read from its state afterwards, as a device with a short `autosuspendMs`
 * is down again by the time the request's wait is over.
 */
function request(b: CaseBoard, c: DriverCase, d: number): number {
  const base = b.sim.pm.rpm.resumes[d];
  if (c.submit) {
    const n = b.completed.length;
    expect(STATUS_NAMES[c.submit(b)], c.device + ": a request on the runtime-suspended device was refused: accept it and wake " +
      "the device first (port.get() before the work, port.put() after)").toBe("OK");
    b.sim.advance(500_000);
    expect(b.completed.slice(n).map((s) => STATUS_NAMES[s]), c.device + ": a request made while runtime-suspended did not " +
      "complete OK within 500 ms: take port.get(), serve it once runtimeResume is done, then port.put()").toEqual(["OK"]);
  } else if (c.use) {
    c.use(b);
    b.sim.advance(500_000);
  } else {
    holdDevice(b, d, "the kit's request, the case having neither submit nor use");
    b.sim.pm.port(d).putAutosuspend();
  }
  return b.sim.pm.rpm.resumes[d] - base;
}

/** The request woke the device first, with exactly one runtimeResume. */
function expectWoken(c: DriverCase, woke: number, when: string): void {
  expect(woke, c.device + ": a request " + when + " did not wake it (no runtimeResume ran): take port.get() before serving " +
    "a request (the runtime then calls runtimeResume)").toBeGreaterThan(0);
  expect(woke, c.device + ": one request " + when + " took " + woke + " runtimeResumes instead of one: a get/put pair too many " +
    "or a completion twice").toBe(1);
}

/**
 * How both runtime-suspended checks start: a fresh board settled 100 ms, the device's index, and the
 * state its runtime cycles must restore (read with the device held up: ./hold.ts). Skips the check
 * (throws) for a device without runtime hooks.
 */
function settled(c: DriverCase, ctx: Skippable): { b: CaseBoard; d: number; before: number[] } {
  const b = c.make();
  const d = b.sim.pm.graph.names.indexOf(c.device);
  if (b.sim.pm.rpm.capable[d] === 0) ctx.skip();
  b.sim.advance(100_000);
  return { b, d, before: snapshotActive(b, c) };
}

/**
 * For a message: the device's runtime hook failures so far, if any. A runtimeSuspend that fails leaves
 * the device active, often because the runtimeResume before it answered OK with the chip still asleep.
 */
function hookFailures(b: CaseBoard, d: number): string {
  const rpm = b.sim.pm.rpm;
  if (rpm.failures[d] === 0) return "";
  return " (its runtime hooks failed " + rpm.failures[d] + " times, the last with " + STATUS_NAMES[rpm.lastError[d]] +
    ": a runtimeResume that answers OK must leave the chip awake, or the next runtimeSuspend cannot reach it)";
}

/** No runtime hook failed, answered something but a status, or completed twice (a stale token). */
function expectClean(b: CaseBoard, d: number): void {
  const rpm = b.sim.pm.rpm;
  const name = b.sim.pm.graph.names[d];
  expect({ failures: rpm.failures[d], last: STATUS_NAMES[rpm.lastError[d]], late: rpm.late }, name + ": a runtime hook failed, " +
    "answered something but a status, or completed a token twice or after the runtime gave up on it (late): answer OK, or " +
    "PENDING and complete its token exactly once").toEqual({ failures: 0, last: "OK", late: 0 });
  const tr = b.sim.pm.trace;
  for (let i = 0; i < tr.length; i++) {
    if (tr.eventAt(tr.slot(i)) !== E_RPM_FAIL) continue;
    const who = b.sim.pm.graph.names[tr.deviceAt(tr.slot(i))];
    expect(who + " runtime hook failed", who + ": a runtime hook (runtimeSuspend/runtimeResume) failed with " +
      STATUS_NAMES[tr.statusAt(tr.slot(i))] + ": with nothing injected it must answer OK").toBe("no runtime hook failure");
  }
  expect(b.sim.violations.list, name + ": a chip model reports a datasheet timing violation (listed) during runtime PM: wait the " +
    "datasheet's time before the next command (a platform timer, answering PENDING meanwhile)").toEqual([]);
}

/** What a check needs of vitest's test context: skipping (a device without runtime hooks). */
export interface Skippable {
  skip(): void;
}

/**
 * Runtime-suspended, a request (made at once, also while its runtimeSuspend may still be in flight)
 * wakes it first and is served, and the snapshot is back; usage never negative.
 */
export function checkRequestWakes(c: DriverCase, ctx: Skippable): void {
  const { b, d, before } = settled(c, ctx);
  const pm = b.sim.pm;
  const port = pm.port(d);
  // A put without a get is refused and counted; the count stays 0.
  const badPuts = pm.rpm.badPuts;
  expect([STATUS_NAMES[port.put()], port.usage, pm.rpm.badPuts - badPuts], c.device + ": a port.put() without a get must be " +
    "refused (PROTOCOL), counted once and leave the usage count at 0: the driver holds a get of its own or counted it twice; " +
    "pair each port.put() with an earlier port.get()").toEqual([STATUS_NAMES[PROTOCOL], 0, 1]);
  const down = allDown(b, d);
  expect(RPM_STATE_NAMES[down.state], c.device + ": it did not runtime-suspend within 1 s of its usage count reaching 0 (and " +
    "its suppliers' autosuspendMs)" + hookFailures(b, d) + ": runtimeSuspend must answer OK, or PENDING and complete, and the " +
    "driver must not hold a get of its own").toBe("suspended");
  expect(down.suspends, c.device + ": runtimeSuspend ran " + down.suspends + " times for the kit's one get and put: a " +
    "completion came twice, or the driver took and dropped gets of its own").toBe(1);
  expectWoken(c, request(b, c, d), "made while it was runtime-suspended");
  expect(port.usage, c.device + ": its usage count is not back to 0 after a request: call port.put() once for every " +
    "port.get(), also when the request fails").toBe(0);
  expect(snapshotActive(b, c), c.device + ": its state (the case's snapshot, read with the device held up) differs after a " +
    "runtime suspend and resume: runtimeResume must restore what runtimeSuspend changed").toEqual(before);
  // Down again, and a request made at once: it waits for the hook in flight, never lost.
  holdDevice(b, d, "the kit's get before taking it down again");
  const resumes = pm.rpm.resumes[d];
  expect(STATUS_NAMES[port.put()], c.device + ": a put on the awake device was refused: its runtime hooks must answer a " +
    "status").toBe("OK");
  request(b, c, d);
  expect(pm.rpm.resumes[d] - resumes, c.device + ": a request made while its runtimeSuspend may still be in flight did not " +
    "wake it within 500 ms (no runtimeResume ran): the request must wait for that hook and then take the device up again " +
    "(port.get()), never be lost").toBeGreaterThan(0);
  expect(port.usage, c.device + ": its usage count is not back to 0: call port.put() once for every port.get()").toBe(0);
  expectClean(b, d);
}

/** Runtime-suspended, a standby skips it (no system hook of it runs, it stays down); served after, state restored. */
export function checkStandbySkips(c: DriverCase, ctx: Skippable): void {
  const { b, d, before } = settled(c, ctx);
  const pm = b.sim.pm;
  expect(RPM_STATE_NAMES[allDown(b, d).state], c.device + ": it did not runtime-suspend within 1 s of its usage count " +
    "reaching 0 (and its suppliers' autosuspendMs)" + hookFailures(b, d) + ": runtimeSuspend must answer OK, or PENDING and " +
    "complete").toBe("suspended");
  const from = pm.trace.total;
  const n = b.outcomes.length;
  expect(STATUS_NAMES[pm.suspend(T_STANDBY, TEST_PLATFORM)], c.device + ": pm.suspend(standby) was refused with it " +
    "runtime-suspended: a runtime hook is still in flight (complete its token)").toBe(STATUS_NAMES[OK]);
  b.sim.advance(1_000_000);
  expect(b.outcomes.slice(n).map((s) => STATUS_NAMES[s]), c.device + ": a standby with it runtime-suspended did not end OK " +
    "within 1 s: the other devices' hooks failed or it was woken (no hook of a runtime-suspended device runs)").toEqual(["OK"]);
  const tr = pm.trace;
  expect(tr.total - from, "the trace ring is too small to hold one standby of this board: raise pm.traceRecords " +
    "in the board's pm sizes so the kit can read the attempt").toBeLessThanOrEqual(tr.capacity);
  const ran: string[] = [];
  for (let i = tr.length - (tr.total - from); i < tr.length; i++) {
    const s = tr.slot(i);
    const ev = tr.eventAt(s);
    if (tr.deviceAt(s) === d && (ev === E_HOOK_DONE || ev === E_HOOK_PENDING || ev === E_HOOK_FAIL)) ran.push(STAGE_NAMES[tr.stageAt(s)]);
  }
  expect(ran, c.device + ": system hooks of it ran (listed) although it was runtime-suspended: it took a get of its " +
    "own (port.get() without a put) or its runtimeSuspend did not complete").toEqual([]);
  expect(RPM_STATE_NAMES[pm.rpm.state[d]], c.device + ": a standby woke it from runtime suspend: nothing but a request " +
    "(port.get()) may wake it").toBe("suspended");
  expectWoken(c, request(b, c, d), "made after the standby");
  expect(pm.rpm.usage[d], c.device + ": its usage count is not back to 0: call port.put() once for every port.get()").toBe(0);
  expect(snapshotActive(b, c), c.device + ": its state (the case's snapshot, read with the device held up) differs after a " +
    "standby it sat out runtime-suspended and a request: runtimeResume must restore what runtimeSuspend changed").toEqual(before);
  expectClean(b, d);
}

/**
 * Registers the runtime-PM checks for one case (inside its describe). Every driver: both runtime hooks
 * or neither. A driver with them: runtime-suspended, a request made at once (while its hook may still
 * be in flight) wakes it first and is served, and the state a cycle restores (`snapshot`) is back; the
 * usage count returns to 0 and a put at 0 is refused (PROTOCOL), never negative; a standby skips it
 * (no S1..R2 hook of it runs, it stays down) and it is served after; no hook fails, answers anything
 * but a status, or completes twice. Any `autosuspendMs` on the board: counts are taken from the start
 * of each step, a wake is a runtimeResume counted while the request ran (the device may be down again
 * when it is over), and snapshots are read with the device held up (./hold.ts). Zero allocation is
 * the XS suites' (test/xs).
 */
export function describeRuntimeConformance(c: DriverCase): void {
  it("runtime hooks: both or neither", () => {
    const b = c.make();
    const h = hooksOf(b, c);
    expect(h.suspend ? "runtimeSuspend" + (h.resume ? " and runtimeResume" : " without runtimeResume") : h.resume ? "runtimeResume without runtimeSuspend" : "neither",
      c.device + ": the driver has one runtime hook without the other: implement both runtimeSuspend and runtimeResume, or neither")
      .toMatch(/^(neither|runtimeSuspend and runtimeResume)$/);
  });
  it("runtime-suspended: a request wakes it first and is served, state restored; usage never negative", (ctx) => checkRequestWakes(c, ctx));
  it("runtime-suspended: a standby skips it (no system hook of it runs, it stays down); served after", (ctx) => checkStandbySkips(c, ctx));
}
