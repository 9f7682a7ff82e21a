// Device runtime PM usage counts: get/put counting, autosuspend on the virtual clock, a bus kept up by its chip.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, PENDING, PROTOCOL, RPM_ACTIVE, RPM_SUSPENDED, RPM_SUSPENDING, RuntimePmTable } from "../../runtime";
import { RpmDevice, add, rpmCalls, rpmTrace } from "../runtime-pm/helpers";

describe("the table", () => {
  test("one row per state and event, every next a state", () => {
    expect(RuntimePmTable.checkRpmTable()).toBeNull();
  });
});

describe("get/put counting", () => {
  test("get counts, put at zero suspends now, the next get resumes: whole trace", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    env.pm.seal();
    const port = env.pm.port(dev.id);
    expect([port.get(), port.get(), port.usage]).toEqual([OK, OK, 2]);
    expect([port.put(), port.usage, port.runtimeState]).toEqual([OK, 1, RPM_ACTIVE]);
    expect([port.put(), port.usage, port.runtimeState]).toEqual([OK, 0, RPM_SUSPENDED]);
    expect([port.get(), port.runtimeState]).toEqual([OK, RPM_ACTIVE]);
    expect(rpmCalls(env)).toEqual(["flash:runtimeSuspend", "flash:runtimeResume"]);
    expect(rpmTrace(env)).toEqual(["flash rpm-state suspending", "flash rpm-state suspended", "flash rpm-state resuming", "flash rpm-state active"]);
    expect([env.pm.rpm.suspends[dev.id], env.pm.rpm.resumes[dev.id]]).toEqual([1, 1]);
  });

  test("a put without a get answers PROTOCOL, is counted and traced, and the count never goes negative", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    env.pm.seal();
    const port = env.pm.port(dev.id);
    expect([port.put(), port.putAutosuspend(), port.usage, env.pm.rpm.badPuts]).toEqual([PROTOCOL, PROTOCOL, 0, 2]);
    expect(rpmTrace(env)).toEqual(["flash rpm-bad-put PROTOCOL", "flash rpm-bad-put PROTOCOL"]);
    expect(port.get()).toBe(OK);
    expect(port.usage).toBe(1);
  });

  test("a device without runtime hooks counts users but never runtime-suspends", () => {
    const env = new Env();
    const dev = add(env, { name: "led" }, false); // with autosuspendMs it is refused at seal (test/runtime-pm/boot-checks.test.ts)
    env.pm.seal();
    const port = env.pm.port(dev.id);
    expect([port.get(), port.put(), port.putAutosuspend()]).toEqual([OK, OK, PROTOCOL]);
    env.platform.advance(1_000_000);
    expect(port.runtimeState).toBe(RPM_ACTIVE);
    expect(rpmTrace(env)).toEqual(["led rpm-bad-put PROTOCOL"]);
  });
});

describe("autosuspend on the virtual clock", () => {
  test("idle from boot: down after the delay, not a microsecond before", () => {
    const env = new Env();
    const dev = add(env, { name: "flash", autosuspendMs: 50 });
    env.pm.seal();
    env.platform.advance(49_999);
    expect(env.pm.port(dev.id).runtimeState).toBe(RPM_ACTIVE);
    env.platform.advance(1);
    expect(env.pm.port(dev.id).runtimeState).toBe(RPM_SUSPENDED);
    expect(rpmTrace(env)).toEqual(["flash rpm-state suspending", "flash rpm-state suspended"]);
  });

  test("putAutosuspend waits the delay from the last put; a get meanwhile cancels it", () => {
    const env = new Env();
    const dev = add(env, { name: "flash", autosuspendMs: 10 });
    env.pm.seal();
    const port = env.pm.port(dev.id);
    port.get();
    env.platform.advance(20_000);
    expect(port.runtimeState).toBe(RPM_ACTIVE); // in use: no delay runs
    port.putAutosuspend();
    env.platform.advance(9_000);
    port.get(); // re-get at 9 ms: the pending autosuspend is cancelled
    env.platform.advance(50_000);
    expect([port.runtimeState, rpmCalls(env)]).toEqual([RPM_ACTIVE, []]);
    port.putAutosuspend();
    env.platform.advance(9_999);
    expect(port.runtimeState).toBe(RPM_ACTIVE);
    env.platform.advance(1);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    expect(rpmCalls(env)).toEqual(["flash:runtimeSuspend"]);
  });

  test("a PENDING runtime suspend: a get meanwhile waits for it, then resumes at once", () => {
    const env = new Env();
    const dev = add(env, { name: "flash", autosuspendMs: 0 }) as RpmDevice;
    dev.rs = { kind: "pending", afterUs: 500 };
    env.pm.seal();
    env.platform.advance(0);
    const port = env.pm.port(dev.id);
    expect(port.runtimeState).toBe(RPM_SUSPENDING);
    expect(port.get()).toBe(PENDING);
    env.platform.advance(500);
    expect(port.runtimeState).toBe(RPM_ACTIVE);
    expect(rpmCalls(env)).toEqual(["flash:runtimeSuspend", "flash:runtimeSuspend:done", "flash:runtimeResume"]);
  });
});

describe("parent and child", () => {
  test("a bus stays active while its chip is; goes down after the chip; resumes before it", () => {
    const env = new Env();
    add(env, { name: "bus", autosuspendMs: 5 });
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 10 });
    env.pm.seal();
    env.platform.advance(9_999);
    expect(rpmCalls(env)).toEqual([]); // the bus's 5 ms passed, but its child is active
    env.platform.advance(1);
    expect(rpmCalls(env)).toEqual(["chip:runtimeSuspend"]);
    env.platform.advance(5_000);
    expect(rpmCalls(env)).toEqual(["chip:runtimeSuspend", "bus:runtimeSuspend"]);
    expect(env.pm.rpm.active[env.devices.bus.id]).toBe(0);
    expect(env.pm.port(chip.id).get()).toBe(OK);
    expect(rpmCalls(env).slice(2)).toEqual(["bus:runtimeResume", "chip:runtimeResume"]);
    expect(env.pm.rpm.active[env.devices.bus.id]).toBe(1);
  });

  test("a bus whose resume pends: the chip waits for it and its get answers PENDING", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" }) as RpmDevice;
    const chip = add(env, { name: "chip", parent: "bus" });
    env.pm.seal();
    const cp = env.pm.port(chip.id);
    cp.get();
    cp.put(); // chip down now, then the bus (its last consumer went down)
    expect(env.pm.port(bus.id).runtimeState).toBe(RPM_SUSPENDED);
    bus.rr = { kind: "pending", afterUs: 300 };
    expect(cp.get()).toBe(PENDING);
    env.platform.advance(300);
    expect(cp.runtimeState).toBe(RPM_ACTIVE);
    expect(rpmCalls(env)).toEqual(["chip:runtimeSuspend", "bus:runtimeSuspend", "bus:runtimeResume", "bus:runtimeResume:done", "chip:runtimeResume"]);
  });
});
