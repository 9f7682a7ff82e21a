// System attempts and runtime PM: gets and puts during an attempt, delays kept across it, resumes pending at its start.
import { describe, expect, test } from "vitest";
import { Env, imageOfEvery } from "../runtime/fakes";
import { add, rpmCalls, sensor } from "./helpers";
import {
  OK, PENDING, BUSY, IO, WAKEUP, ROLE_WAKE, T_STANDBY, TEST_NONE, D_ACTIVE, RPM_ACTIVE, RPM_SUSPENDED, RPM_RESUMING, P_IDLE, WAKE_NONE,
} from "../../runtime";

describe("M: get+put of a runtime-suspended device during a standby (no autosuspendMs)", () => {
  test("the get still resumes it after the attempt (as Linux); the put suspends it again: suspended, usage 0", () => {
    const env = new Env();
    add(env, { name: "other" }, false);
    const dev = add(env, { name: "flash" });
    env.pm.seal();
    const p = env.pm.port(dev.id);
    p.get(); p.put();
    expect(p.runtimeState).toBe(RPM_SUSPENDED);
    env.platform.sleepMode = "async";
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(p.get()).toBe(PENDING);
    expect(p.put()).toBe(OK);
    env.platform.wakeNow(0);
    env.platform.advance(10_000_000);
    expect({ state: p.runtimeState, usage: p.usage, calls: rpmCalls(env).filter((c) => c.startsWith("flash")) })
      .toEqual({ state: RPM_SUSPENDED, usage: 0, calls: ["flash:runtimeSuspend", "flash:runtimeResume", "flash:runtimeSuspend"] });
  });
});

describe("D/E: a 'suspend now' deferred by a system attempt is lost", () => {
  test("D: put() to 0 while a standby sleeps (no autosuspendMs): suspended after the attempt", () => {
    const env = new Env();
    add(env, { name: "other" }, false);
    const dev = add(env, { name: "flash" });
    env.pm.seal();
    const p = env.pm.port(dev.id);
    p.get();
    env.platform.sleepMode = "async";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(p.put()).toBe(OK); // e.g. a request's completion callback during the attempt
    env.platform.advance(1_000); // asleep a while (the runtime PM timer fires meanwhile)
    env.platform.wakeNow(0);
    expect(env.outcomes).toEqual([OK]);
    env.platform.advance(10_000_000);
    expect({ state: p.runtimeState, usage: p.usage }).toEqual({ state: RPM_SUSPENDED, usage: 0 });
  });

  test("E: a bus (no delay) whose last child's runtimeSuspend ends while a standby waits for it: the bus goes down after", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 });
    chip.rs = { kind: "pending", afterUs: 1_000 };
    env.pm.seal();
    env.platform.advance(0);
    env.platform.sleepMode = "async";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(1_000); // the chip's suspend ends; the standby starts and sleeps
    env.platform.advance(5_000);
    env.platform.wakeNow(0);
    env.platform.advance(10_000_000);
    expect({ chip: env.pm.port(chip.id).runtimeState, bus: env.pm.port(bus.id).runtimeState, active: env.pm.rpm.active[bus.id] })
      .toEqual({ chip: RPM_SUSPENDED, bus: RPM_SUSPENDED, active: 0 });
  });
});

describe("O: the autosuspend delay is restarted by every system attempt", () => {
  test("idle 300 ms with a 50 ms delay, a standby every 30 ms (governor-like): the device should have runtime-suspended", () => {
    const env = new Env();
    add(env, { name: "other" }, false);
    const dev = add(env, { name: "flash", autosuspendMs: 50 });
    env.pm.seal();
    env.platform.sleepMode = "sync";
    for (let i = 0; i < 10; i++) {
      env.platform.advance(30_000);
      expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    }
    expect({ state: env.pm.port(dev.id).runtimeState, suspends: env.pm.rpm.suspends[dev.id], t: env.platform.t })
      .toEqual({ state: RPM_SUSPENDED, suspends: 1, t: expect.anything() });
  });
});

describe("held: a standby while a runtime resume with queued requests is pending", () => {
  test("waits for it, the device takes part, the requests are served once", () => {
    const env = new Env();
    const { dev, q, done, port } = sensor(env, 10);
    env.platform.advance(10_000);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    dev.rr = { kind: "call", fn: (t) => { env.later(2_000, () => { q.open(); port.complete(t, OK); }); return PENDING; } };
    port.get(); q.submit(1);
    expect(port.runtimeState).toBe(RPM_RESUMING);
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).not.toBe(OK);
    env.platform.advance(2_000);
    expect(env.outcomes).toEqual([OK]);
    expect(done).toEqual(["1:OK"]);
    expect(env.calls()).toContain("sensor:suspend");
    expect(env.pm.deviceState(dev.id)).toBe(D_ACTIVE);
  });
});

describe("a hibernate image resumed after a device runtime-suspended in the new boot", () => {
  test("every device resumes from the image (R1, R2), the runtime-suspended one too: active, its area released, its delay restarted", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" }, false);
    const flash = add(env, { name: "flash", parent: "bus", stateBytes: 16, autosuspendMs: 0 });
    env.pm.seal();
    const p = env.pm.port(flash.id);
    expect(p.get()).toBe(OK);
    p.put();
    env.platform.advance(1_000);
    expect(p.runtimeState).toBe(RPM_SUSPENDED);
    env.log.length = 0;
    imageOfEvery(env.pm);
    expect(env.pm.resumeFromImage(WAKE_NONE)).toBe(OK);
    env.platform.advance(100_000);
    expect(rpmCalls(env)).toEqual(["bus:powerOnNoIrq!", "flash:powerOnNoIrq!", "bus:resume", "flash:resume", "flash:runtimeSuspend"]);
    expect([env.pm.phase, env.pm.deviceState(bus.id), env.pm.deviceState(flash.id), env.pm.arena.reservedBytes]).toEqual([P_IDLE, D_ACTIVE, D_ACTIVE, 0]);
    // autosuspendMs 0 and no user: it goes down again once the system is idle, as at boot.
    expect(p.runtimeState).toBe(RPM_SUSPENDED);
  });

  test("while a runtime hook is in flight the image waits: BUSY, nothing changed; after it ends, OK", () => {
    const env = new Env();
    const flash = add(env, { name: "flash", stateBytes: 16, autosuspendMs: 0 });
    env.pm.seal();
    flash.rs = { kind: "pending", afterUs: 500 };
    const p = env.pm.port(flash.id);
    p.get();
    p.put();
    expect(p.runtimeState).not.toBe(RPM_SUSPENDED);
    expect(env.pm.resumeFromImage(WAKE_NONE)).toBe(BUSY);
    expect([env.pm.phase, env.pm.deviceState(flash.id)]).toEqual([P_IDLE, D_ACTIVE]);
    env.platform.advance(1_000);
    imageOfEvery(env.pm);
    expect(env.pm.resumeFromImage(WAKE_NONE)).toBe(OK);
    env.platform.advance(100_000);
    expect([env.pm.phase, env.pm.deviceState(flash.id), env.pm.arena.reservedBytes]).toEqual([P_IDLE, D_ACTIVE, 0]);
  });
});

describe("a wake while a suspend waits for a runtime hook in flight (before S1)", () => {
  test("no device starts S1: the attempt ends WAKEUP once the hook ends, and nothing was prepared", () => {
    const env = new Env();
    const flash = add(env, { name: "flash" });
    const a = env.add({ name: "a" });
    env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
    env.pm.seal();
    let token = -1;
    flash.rs = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    const p = env.pm.port(flash.id);
    p.get();
    p.put(); // its runtime suspend is in flight
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.pm.irq.raise(0)).toBe(OK);
    p.complete(token, OK);
    expect([a.calls.prepare, flash.calls.prepare, env.outcomes, env.pm.phase]).toEqual([0, 0, [WAKEUP], P_IDLE]);
  });
});

describe("a runtime hook that completes itself twice inside its own call", () => {
  test("runtimeSuspend completes IO, then OK, and answers PENDING: the IO stands (the device stays active, one failure), the OK is late", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    env.pm.seal();
    const port = env.pm.port(dev.id);
    dev.rs = { kind: "call", fn: (t) => { port.complete(t, IO); port.complete(t, OK); return PENDING; } };
    port.get();
    port.put();
    expect([port.runtimeState, env.pm.rpm.failures[dev.id], env.pm.rpm.late]).toEqual([RPM_ACTIVE, 1, 1]);
  });
});
