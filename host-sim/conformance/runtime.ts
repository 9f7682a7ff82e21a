// The runtime-PM part of the conformance kit: drivers with runtime hooks keep the runtime-PM contract (docs/writing-a-driver.md).
import { expect, it, type TestContext } from "vitest";
import { OK, PROTOCOL, T_STANDBY, TEST_PLATFORM, RPM_ACTIVE, RPM_SUSPENDED, RPM_STATE_NAMES, STATUS_NAMES } from "../../runtime/status";
import { E_HOOK_DONE, E_HOOK_PENDING, E_HOOK_FAIL, E_RPM_FAIL } from "../../runtime/trace";
import type { CaseBoard, DriverCase } from "./case";

/** The driver object's own runtime hooks (before the simulator's fault wrapper). */
function hooksOf(b: CaseBoard, c: DriverCase): { suspend: boolean; resume: boolean } {
  const drv = b.sim.driver(c.device) as unknown as { runtimeSuspend?: unknown; runtimeResume?: unknown };
  return { suspend: typeof drv.runtimeSuspend === "function", resume: typeof drv.runtimeResume === "function" };
}

/**
 * Every device with runtime hooks goes down (a get and a put each: a supplier goes down only once its
 * consumers did, so the order does not matter), then time passes for PENDING hooks. Returns the
 * device's runtime state.
 */
function allDown(b: CaseBoard, d: number): number {
  const pm = b.sim.pm;
  for (let k = 0; k < pm.graph.count; k++) {
    if (pm.rpm.capable[k] === 0 || pm.rpm.usage[k] !== 0) continue;
    const port = pm.port(k);
    const who = pm.graph.names[k];
    expect(STATUS_NAMES[port.get()], who + ": port.get() on an idle device with runtime hooks was refused: its runtimeResume " +
      "must answer OK (or PENDING, then complete OK)").toBe("OK");
    expect(STATUS_NAMES[port.put()], who + ": port.put() after a get was refused: its runtime hooks must answer a status " +
      "(OK, PENDING then a completion)").toBe("OK");
  }
  for (let i = 0; i < 100 && pm.rpm.state[d] !== RPM_SUSPENDED; i++) b.sim.advance(10_000);
  return pm.rpm.state[d];
}

/** A request on the device: its queue's (`submit`, completion awaited) or a use without one (`use`). */
function request(b: CaseBoard, c: DriverCase): void {
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
  }
}

/**
 * How both runtime-suspended checks start: a fresh board settled 100 ms, the device's index, and the
 * state its runtime cycles must restore. Skips the check (throws) for a device without runtime hooks.
 */
function settled(c: DriverCase, ctx: TestContext): { b: CaseBoard; d: number; before: number[] } {
  const b = c.make();
  const d = b.sim.pm.graph.names.indexOf(c.device);
  if (b.sim.pm.rpm.capable[d] === 0) ctx.skip();
  b.sim.advance(100_000);
  return { b, d, before: c.snapshot(b) };
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

/**
 * Registers the runtime-PM checks for one case (inside its describe). Every driver: both runtime hooks
 * or neither. A driver with them: runtime-suspended, a request made at once (while its hook may still
 * be in flight) wakes it first and is served, and the state a cycle restores (`snapshot`) is back; the
 * usage count returns to 0 and a put at 0 is refused (PROTOCOL), never negative; a standby skips it
 * (no S1..R2 hook of it runs, it stays down) and it is served after; no hook fails, answers anything
 * but a status, or completes twice. Zero allocation is the XS suites' (test/xs).
 */
export function describeRuntimeConformance(c: DriverCase): void {
  it("runtime hooks: both or neither", () => {
    const b = c.make();
    const h = hooksOf(b, c);
    expect(h.suspend ? "runtimeSuspend" + (h.resume ? " and runtimeResume" : " without runtimeResume") : h.resume ? "runtimeResume without runtimeSuspend" : "neither",
      c.device + ": the driver has one runtime hook without the other: implement both runtimeSuspend and runtimeResume, or neither")
      .toMatch(/^(neither|runtimeSuspend and runtimeResume)$/);
  });

  it("runtime-suspended: a request wakes it first and is served, state restored; usage never negative", (ctx) => {
    const { b, d, before } = settled(c, ctx);
    const pm = b.sim.pm;
    const port = pm.port(d);
    // A put without a get is refused and counted; the count stays 0.
    expect([STATUS_NAMES[port.put()], port.usage, pm.rpm.badPuts], c.device + ": a port.put() without a get must be refused " +
      "(PROTOCOL), counted once and leave the usage count at 0: the driver made gets or puts of its own at boot; pair each " +
      "port.put() with an earlier port.get()").toEqual([STATUS_NAMES[PROTOCOL], 0, 1]);
    expect(RPM_STATE_NAMES[allDown(b, d)], c.device + ": it did not runtime-suspend within 1 s of its usage count reaching 0: " +
      "runtimeSuspend must answer OK, or PENDING and complete, and the driver must not hold a get of its own").toBe("suspended");
    expect(pm.rpm.suspends[d], c.device + ": runtimeSuspend ran more than once for one put: a completion came twice").toBe(1);
    request(b, c);
    expect(RPM_STATE_NAMES[port.runtimeState], c.device + ": a request did not wake it: take port.get() before serving a " +
      "request (the runtime then calls runtimeResume)").toBe("active");
    expect(pm.rpm.resumes[d], c.device + ": one request should take one runtimeResume: a get/put pair too many or a " +
      "completion twice").toBe(1);
    expect(c.snapshot(b), c.device + ": its state (the case's snapshot) differs after a runtime suspend and resume: " +
      "runtimeResume must restore what runtimeSuspend changed").toEqual(before);
    expect(port.usage, c.device + ": its usage count is not back to 0 after a request: call port.put() once for every " +
      "port.get(), also when the request fails").toBe(0);
    // Down again, and a request made at once: it waits for the hook in flight, never lost.
    const port2 = pm.port(d);
    expect([STATUS_NAMES[port2.get()], STATUS_NAMES[port2.put()]], c.device + ": a get and a put on the awake device were " +
      "refused: its runtime hooks must answer a status").toEqual(["OK", "OK"]);
    request(b, c);
    for (let i = 0; i < 100 && port.runtimeState !== RPM_ACTIVE; i++) b.sim.advance(10_000);
    if (c.submit || c.use) expect(RPM_STATE_NAMES[port.runtimeState], c.device + ": a request made while its runtimeSuspend " +
      "may still be in flight did not wake it within 1 s: the request must wait for that hook and then take the device up " +
      "again (port.get()), never be lost").toBe("active");
    expect(port.usage, c.device + ": its usage count is not back to 0: call port.put() once for every port.get()").toBe(0);
    expectClean(b, d);
  });

  it("runtime-suspended: a standby skips it (no system hook of it runs, it stays down); served after", (ctx) => {
    const { b, d, before } = settled(c, ctx);
    const pm = b.sim.pm;
    expect(RPM_STATE_NAMES[allDown(b, d)], c.device + ": it did not runtime-suspend within 1 s of its usage count reaching " +
      "0: runtimeSuspend must answer OK, or PENDING and complete").toBe("suspended");
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
      if (tr.deviceAt(s) === d && (ev === E_HOOK_DONE || ev === E_HOOK_PENDING || ev === E_HOOK_FAIL)) ran.push("stage " + tr.stageAt(s));
    }
    expect(ran, c.device + ": system hooks of it ran (stages listed) although it was runtime-suspended: it took a get of its " +
      "own (port.get() without a put) or its runtimeSuspend did not complete").toEqual([]);
    expect(RPM_STATE_NAMES[pm.rpm.state[d]], c.device + ": a standby woke it from runtime suspend: nothing but a request " +
      "(port.get()) may wake it").toBe("suspended");
    request(b, c);
    if (c.submit || c.use) {
      expect(RPM_STATE_NAMES[pm.rpm.state[d]], c.device + ": a request after the standby did not wake it: take port.get() " +
        "before serving a request").toBe("active");
      expect(c.snapshot(b), c.device + ": its state (the case's snapshot) differs after a standby it sat out runtime-suspended " +
        "and a request: runtimeResume must restore what runtimeSuspend changed").toEqual(before);
    }
    expect(pm.rpm.usage[d], c.device + ": its usage count is not back to 0: call port.put() once for every port.get()").toBe(0);
    expectClean(b, d);
  });
}
