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
    expect(STATUS_NAMES[port.get()]).toBe("OK");
    expect(STATUS_NAMES[port.put()]).toBe("OK");
  }
  for (let i = 0; i < 100 && pm.rpm.state[d] !== RPM_SUSPENDED; i++) b.sim.advance(10_000);
  return pm.rpm.state[d];
}

/** A request on the device: its queue's (`submit`, completion awaited) or a use without one (`use`). */
function request(b: CaseBoard, c: DriverCase): void {
  if (c.submit) {
    const n = b.completed.length;
    expect(STATUS_NAMES[c.submit(b)]).toBe("OK");
    b.sim.advance(500_000);
    expect(b.completed.slice(n).map((s) => STATUS_NAMES[s])).toEqual(["OK"]);
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
  expect({ failures: rpm.failures[d], last: STATUS_NAMES[rpm.lastError[d]], late: rpm.late }).toEqual({ failures: 0, last: "OK", late: 0 });
  const tr = b.sim.pm.trace;
  for (let i = 0; i < tr.length; i++) if (tr.eventAt(tr.slot(i)) === E_RPM_FAIL) expect(b.sim.pm.graph.names[tr.deviceAt(tr.slot(i))] + " runtime hook failed").toBe("no runtime hook failure");
  expect(b.sim.violations.list).toEqual([]);
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
    expect(h.suspend ? "runtimeSuspend" + (h.resume ? " and runtimeResume" : " without runtimeResume") : h.resume ? "runtimeResume without runtimeSuspend" : "neither")
      .toMatch(/^(neither|runtimeSuspend and runtimeResume)$/);
  });

  it("runtime-suspended: a request wakes it first and is served, state restored; usage never negative", (ctx) => {
    const { b, d, before } = settled(c, ctx);
    const pm = b.sim.pm;
    const port = pm.port(d);
    // A put without a get is refused and counted; the count stays 0.
    expect([STATUS_NAMES[port.put()], port.usage, pm.rpm.badPuts]).toEqual([STATUS_NAMES[PROTOCOL], 0, 1]);
    expect(RPM_STATE_NAMES[allDown(b, d)]).toBe("suspended");
    expect(pm.rpm.suspends[d]).toBe(1);
    request(b, c);
    expect(RPM_STATE_NAMES[port.runtimeState]).toBe("active");
    expect(pm.rpm.resumes[d]).toBe(1);
    expect(c.snapshot(b)).toEqual(before);
    expect(port.usage).toBe(0);
    // Down again, and a request made at once: it waits for the hook in flight, never lost.
    const port2 = pm.port(d);
    expect([STATUS_NAMES[port2.get()], STATUS_NAMES[port2.put()]]).toEqual(["OK", "OK"]);
    request(b, c);
    for (let i = 0; i < 100 && port.runtimeState !== RPM_ACTIVE; i++) b.sim.advance(10_000);
    if (c.submit || c.use) expect(RPM_STATE_NAMES[port.runtimeState]).toBe("active");
    expect(port.usage).toBe(0);
    expectClean(b, d);
  });

  it("runtime-suspended: a standby skips it (no system hook of it runs, it stays down); served after", (ctx) => {
    const { b, d, before } = settled(c, ctx);
    const pm = b.sim.pm;
    expect(RPM_STATE_NAMES[allDown(b, d)]).toBe("suspended");
    const from = pm.trace.total;
    const n = b.outcomes.length;
    expect(pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    b.sim.advance(1_000_000);
    expect(b.outcomes.slice(n).map((s) => STATUS_NAMES[s])).toEqual(["OK"]);
    const tr = pm.trace;
    expect(tr.total - from).toBeLessThanOrEqual(tr.capacity);
    const ran: string[] = [];
    for (let i = tr.length - (tr.total - from); i < tr.length; i++) {
      const s = tr.slot(i);
      const ev = tr.eventAt(s);
      if (tr.deviceAt(s) === d && (ev === E_HOOK_DONE || ev === E_HOOK_PENDING || ev === E_HOOK_FAIL)) ran.push("stage " + tr.stageAt(s));
    }
    expect(ran).toEqual([]);
    expect(RPM_STATE_NAMES[pm.rpm.state[d]]).toBe("suspended");
    request(b, c);
    if (c.submit || c.use) {
      expect(RPM_STATE_NAMES[pm.rpm.state[d]]).toBe("active");
      expect(c.snapshot(b)).toEqual(before);
    }
    expect(pm.rpm.usage[d]).toBe(0);
    expectClean(b, d);
  });
}
