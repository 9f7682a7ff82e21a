// Device runtime PM errors (the failed-device rule): a failing runtime suspend retried, a failing or timed-out resume failing the device, THREW and PROTOCOL.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, IO, FAILED, PENDING, TIMEOUT, THREW, D_ACTIVE, D_FAILED, RPM_ACTIVE, RPM_SUSPENDED, STATUS_NAMES } from "../../runtime";
import { RpmDevice, add, sensor, rpmTrace } from "../runtime-pm/helpers";

describe("errors from runtime hooks (the failed-device rule)", () => {
  test("a runtime suspend that fails leaves the device active; counted, traced, tried again after the delay", () => {
    const env = new Env();
    const dev = add(env, { name: "flash", autosuspendMs: 10 }) as RpmDevice;
    dev.rs = { kind: "fail", status: IO };
    env.pm.seal();
    env.platform.advance(10_000);
    expect(env.pm.port(dev.id).runtimeState).toBe(RPM_ACTIVE);
    env.platform.advance(10_000);
    dev.rs = { kind: "ok" };
    env.platform.advance(10_000);
    expect(env.pm.port(dev.id).runtimeState).toBe(RPM_SUSPENDED);
    expect(rpmTrace(env)).toEqual(["flash rpm-state suspending", "flash rpm-state active", "flash rpm-fail IO",
      "flash rpm-state suspending", "flash rpm-state active", "flash rpm-fail IO", "flash rpm-state suspending", "flash rpm-state suspended"]);
    expect([env.pm.rpm.failures[dev.id], env.pm.deviceState(dev.id)]).toEqual([2, D_ACTIVE]);
  });

  test("a runtime resume that fails marks the device failed: waiting requests complete FAILED, a re-probe brings it back", () => {
    const env = new Env();
    const { dev, done, port, submit, q } = sensor(env, 10);
    env.platform.advance(10_000);
    dev.rr = { kind: "pending", afterUs: 1_000, status: IO };
    expect([submit(1), submit(2)]).toEqual([OK, OK]);
    env.platform.advance(999);
    expect(done).toEqual([]);
    dev.behaviour.reprobe = { kind: "fail", status: IO }; // still broken: stays failed
    env.platform.advance(1);
    expect(env.pm.deviceState(dev.id)).toBe(D_FAILED);
    expect(done).toEqual(["1:FAILED", "2:FAILED"]);
    expect(submit(3)).toBe(FAILED); // refused at submit, never lost
    expect([port.usage, port.runtimeState]).toEqual([0, RPM_ACTIVE]);
    dev.behaviour.reprobe = { kind: "ok" };
    env.platform.advance(1_000_000); // the re-probe backoff (1 s)
    expect(env.pm.deviceState(dev.id)).toBe(D_ACTIVE);
    expect(submit(4)).toBe(OK);
    expect(done).toEqual(["1:FAILED", "2:FAILED", "4:OK"]);
    expect([q.completedFailed, q.refusedFailed]).toEqual([2, 1]);
    expect(rpmTrace(env).slice(-2)).toEqual(["sensor rpm-state active", "sensor rpm-fail IO"]);
  });

  test("a runtime resume over its budget times out (its R2 budget): failed, the driver told, a late completion ignored", () => {
    const env = new Env({ defaultBudgetUs: 5_000 });
    const dev = add(env, { name: "flash", autosuspendMs: 0 }) as RpmDevice;
    let token = -1;
    dev.rr = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    env.pm.seal();
    const heard: number[] = [];
    env.pm.port(dev.id).onGiveUp((stage, status) => heard.push(stage, status));
    env.platform.advance(0);
    expect(env.pm.port(dev.id).get()).toBe(PENDING);
    env.platform.advance(5_000);
    // Failed, then re-probed at the first idle moment (no reprobe hook: OK): active again.
    expect([env.pm.stats.resumeFailures + env.pm.rpm.failures[dev.id], env.pm.deviceState(dev.id), heard]).toEqual([1, D_ACTIVE, [-1, TIMEOUT]]);
    env.pm.port(dev.id).complete(token, OK);
    expect(env.pm.rpm.late).toBe(1);
    expect(rpmTrace(env).slice(-2)).toEqual(["flash rpm-state active", "flash rpm-fail TIMEOUT"]);
  });

  test("a throwing or badly answering runtime hook is THREW or PROTOCOL, never let through", () => {
    const env = new Env();
    const dev = add(env, { name: "flash", autosuspendMs: 1 }) as RpmDevice;
    dev.rs = { kind: "throw" };
    env.pm.seal();
    env.platform.advance(1_000);
    dev.rs = { kind: "call", fn: () => undefined as unknown as number };
    env.platform.advance(1_000);
    expect(env.pm.rpm.failures[dev.id]).toBe(2);
    expect(rpmTrace(env).filter((l) => l.includes("fail"))).toEqual(["flash rpm-fail THREW", "flash rpm-fail PROTOCOL"]);
    expect(STATUS_NAMES[env.pm.rpm.lastError[dev.id]]).toBe("PROTOCOL");
    expect(THREW).toBeGreaterThan(0);
  });
});
