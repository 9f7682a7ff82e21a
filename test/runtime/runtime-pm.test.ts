// Device runtime PM: get/put counting, autosuspend on the virtual clock, parent/child, requests never lost, system suspend skipping, errors.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import {
  OK, IO, FAILED, PENDING, PROTOCOL, TIMEOUT, THREW, BUSY, T_STANDBY, T_HIBERNATE, TEST_NONE, TEST_DEVICES, D_ACTIVE, D_FAILED,
  RPM_ACTIVE, RPM_SUSPENDED, RPM_SUSPENDING, STATUS_NAMES, RuntimePmTable, PowerManager,
} from "../../runtime";
import { BASE_CONFIG, FakePlatform } from "./fakes";
import { RpmDevice, add, sensor, rpmTrace } from "../runtime-pm/helpers";

function rpmCalls(env: Env): string[] {
  return env.log.filter((l) => /:(runtimeSuspend|runtimeResume|prepare|suspend|powerOffNoIrq!|powerOnNoIrq!|resume)(:done)?$/.test(l));
}

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
    const dev = add(env, { name: "led" }, false); // with autosuspendMs it is refused at seal (edges.test.ts)
    env.pm.seal();
    const port = env.pm.port(dev.id);
    expect([port.get(), port.put(), port.putAutosuspend()]).toEqual([OK, OK, PROTOCOL]);
    env.platform.advance(1_000_000);
    expect(port.runtimeState).toBe(RPM_ACTIVE);
    expect(rpmTrace(env)).toEqual(["led rpm-bad-put PROTOCOL"]);
  });

  test("one runtime hook without the other is refused at boot, naming the device and the fix", () => {
    const env = new Env();
    const hooks = { runtimeSuspend: () => OK };
    env.pm.register({ name: "half", hooks });
    expect(() => env.pm.seal()).toThrow('boards/test-board: device "half" has runtimeSuspend without runtimeResume: implement both runtime hooks or neither');
  });

  test("autosuspendMs is checked at register, naming board, device, field and range", () => {
    const pm = new PowerManager(BASE_CONFIG, new FakePlatform([]));
    expect(() => pm.register({ name: "flash", hooks: {}, autosuspendMs: -1 })).toThrow(/boards\/test-board: device "flash" autosuspendMs is -1: must be an integer 0\.\.2000000 ms/);
    expect(() => pm.register({ name: "flash", hooks: {}, autosuspendMs: 1.5 })).toThrow(/autosuspendMs is 1.5/);
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

describe("requests to a runtime-suspended device", () => {
  test("wake it first and wait in its queue while its resume pends; never lost, served in order", () => {
    const env = new Env();
    const { dev, done, port, submit } = sensor(env);
    env.platform.advance(10_000);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    dev.rr = { kind: "pending", afterUs: 2_000 };
    dev.rr = { kind: "call", fn: (token) => { env.later(2_000, () => { dev.queue!.open(); port.complete(token, OK); }); return PENDING; } };
    expect([submit(1), submit(2)]).toEqual([OK, OK]);
    expect([done, port.usage]).toEqual([[], 2]);
    env.platform.advance(2_000);
    expect(done).toEqual(["1:OK", "2:OK"]);
    expect(port.usage).toBe(0);
    env.platform.advance(10_000);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
  });
});

describe("system suspend and runtime PM", () => {
  test("a runtime-suspended device is skipped, stays down through the resume, and wakes on demand after", () => {
    const env = new Env();
    add(env, { name: "bus" }, false);
    const { done, port, submit } = sensor(env, 10);
    env.platform.advance(10_000);
    env.log.length = 0;
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.outcomes).toEqual([OK]);
    expect(env.calls()).toEqual(["bus:prepare", "bus:suspend", "bus:powerOffNoIrq!", "bus:powerOnNoIrq!", "bus:resume"]);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    expect(submit(7)).toBe(OK);
    expect(done).toEqual(["7:OK"]);
    expect(rpmCalls(env).filter((l) => l.startsWith("sensor"))).toEqual(["sensor:runtimeResume"]);
  });

  test("a request during the attempt waits for its end, then wakes the device; nothing is lost", () => {
    const env = new Env();
    const { done, port, submit } = sensor(env, 10);
    env.platform.advance(10_000);
    env.platform.sleepMode = "async";
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(submit(3)).toBe(OK);
    expect([done, port.runtimeState]).toEqual([[], RPM_SUSPENDED]);
    env.platform.wakeNow(0);
    expect(done).toEqual(["3:OK"]);
    expect(port.runtimeState).toBe(RPM_ACTIVE);
  });

  test("a runtime suspend in flight: the system suspend waits for it before S1, then skips the device", () => {
    const env = new Env();
    add(env, { name: "bus" }, false);
    const dev = add(env, { name: "flash", autosuspendMs: 0 }) as RpmDevice;
    dev.rs = { kind: "pending", afterUs: 1_000 };
    env.pm.seal();
    env.platform.advance(0);
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(rpmCalls(env)).toEqual(["flash:runtimeSuspend"]);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(BUSY);
    env.platform.advance(1_000);
    expect(env.outcomes).toEqual([OK]);
    expect(rpmCalls(env)).toEqual(["flash:runtimeSuspend", "flash:runtimeSuspend:done", "bus:prepare", "bus:suspend", "bus:powerOffNoIrq!", "bus:powerOnNoIrq!", "bus:resume"]);
  });

  test("a hibernate brings runtime-suspended devices back first (parents first) and takes every device", () => {
    const env = new Env();
    add(env, { name: "bus", autosuspendMs: 0 });
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 }) as RpmDevice;
    env.pm.seal();
    env.platform.advance(0);
    expect(rpmCalls(env)).toEqual(["chip:runtimeSuspend", "bus:runtimeSuspend"]);
    chip.rr = { kind: "pending", afterUs: 100 };
    env.log.length = 0;
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_HIBERNATE, TEST_DEVICES)).toBe(OK);
    expect(rpmCalls(env)).toEqual(["bus:runtimeResume", "chip:runtimeResume"]);
    env.platform.advance(100);
    env.platform.advance(1_000); // the devices-level hold
    expect(env.outcomes).toEqual([OK]);
    expect(rpmCalls(env)).toEqual(["bus:runtimeResume", "chip:runtimeResume", "chip:runtimeResume:done",
      "chip:prepare", "bus:prepare", "chip:suspend", "bus:suspend", "chip:powerOffNoIrq!", "bus:powerOffNoIrq!",
      "bus:powerOnNoIrq!", "chip:powerOnNoIrq!", "bus:resume", "chip:resume",
      // Idle again after the (test) hibernate: down again on their delay (0 here: at once, the chip first).
      "chip:runtimeSuspend", "bus:runtimeSuspend"]);
    expect(env.pm.port(chip.id).runtimeState).toBe(RPM_SUSPENDED);
  });
});

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
