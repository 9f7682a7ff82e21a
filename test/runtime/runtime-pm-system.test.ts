// Device runtime PM meeting requests and system suspends: requests wake a runtime-suspended device, standby skips it, hibernate takes it.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, PENDING, BUSY, T_STANDBY, T_HIBERNATE, TEST_NONE, TEST_DEVICES, RPM_ACTIVE, RPM_SUSPENDED } from "../../runtime";
import { RpmDevice, add, sensor, rpmCalls } from "../runtime-pm/helpers";

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
