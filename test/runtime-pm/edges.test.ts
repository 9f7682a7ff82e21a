// Device runtime PM at its edges: delays of 0, puts during transitions, failed suppliers, forged tokens, budgets, bad answers.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add, rpmCalls } from "./helpers";
import {
  OK, IO, FAILED, PENDING, PROTOCOL, T_STANDBY, T_HIBERNATE, TEST_NONE, TEST_DEVICES, D_ACTIVE, D_FAILED,
  RPM_ACTIVE, RPM_SUSPENDED, RPM_SUSPENDING, RPM_RESUMING, ROLE_STORAGE, P_IDLE, PowerManager,
} from "../../runtime";
import { BASE_CONFIG, FakePlatform } from "../runtime/fakes";

describe("A: a bus with autosuspendMs 0", () => {
  test("a chip's get resumes the bus then the chip (sync hooks: OK)", () => {
    const env = new Env();
    const bus = add(env, { name: "bus", autosuspendMs: 0 });
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    const cp = env.pm.port(chip.id), bp = env.pm.port(bus.id);
    expect([cp.runtimeState, bp.runtimeState]).toEqual([RPM_SUSPENDED, RPM_SUSPENDED]);
    const got = cp.get();
    env.platform.advance(1_000_000);
    expect({ got, chip: cp.runtimeState, bus: bp.runtimeState, usage: cp.usage, calls: rpmCalls(env) })
      .toEqual({ got: OK, chip: RPM_ACTIVE, bus: RPM_ACTIVE, usage: 1, calls: expect.anything() });
  });
});

describe("runtime hooks are called by name, as the stage hooks are", () => {
  test("which a driver has is read at seal; one replaced later is the one called; one removed later fails THREW", () => {
    const env = new Env();
    const chip = add(env, { name: "chip", autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    const cp = env.pm.port(chip.id);
    expect(cp.runtimeState).toBe(RPM_SUSPENDED);
    const calls: string[] = [];
    (chip as unknown as { runtimeResume: (t: number) => number }).runtimeResume = () => { calls.push("new resume"); return OK; };
    expect(cp.get()).toBe(OK);
    expect([cp.runtimeState, calls]).toEqual([RPM_ACTIVE, ["new resume"]]);
    delete (chip as unknown as { runtimeSuspend?: unknown }).runtimeSuspend;
    Object.setPrototypeOf(chip, Object.prototype); // the class's method is gone too
    cp.put();
    env.platform.advance(1_000);
    // The suspend threw (no such method): the device stays active, the failure is counted.
    expect([cp.runtimeState, env.pm.rpm.failures[chip.id]]).toEqual([RPM_ACTIVE, 1]);
  });
});

describe("autosuspendMs without runtime hooks", () => {
  test("is refused at seal, naming the device and the fix (it was ignored: the device never suspended)", () => {
    const env = new Env();
    add(env, { name: "led", autosuspendMs: 5 }, false);
    expect(() => env.pm.seal()).toThrow(new Error(
      "boards/test-board: device \"led\" has autosuspendMs but no runtime hooks: implement runtimeSuspend and runtimeResume, or remove autosuspendMs"));
  });
});

describe("B/C: a put while a runtime hook is in flight", () => {
  test("B: get+put during a PENDING runtimeSuspend (no autosuspendMs): the get still resumes it (as Linux), the put suspends it again: suspended, usage 0", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    dev.rs = { kind: "pending", afterUs: 500 };
    env.pm.seal();
    const p = env.pm.port(dev.id);
    p.get(); p.put();
    expect(p.runtimeState).toBe(RPM_SUSPENDING);
    expect(p.get()).toBe(PENDING);
    expect(p.put()).toBe(OK);
    env.platform.advance(10_000_000);
    expect({ state: p.runtimeState, usage: p.usage, calls: rpmCalls(env) })
      .toEqual({ state: RPM_SUSPENDED, usage: 0, calls: ["flash:runtimeSuspend", "flash:runtimeSuspend:done", "flash:runtimeResume", "flash:runtimeSuspend", "flash:runtimeSuspend:done"] });
  });

  test("C: put during a PENDING runtimeResume (no autosuspendMs): suspended again once the resume ends", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    env.pm.seal();
    const p = env.pm.port(dev.id);
    p.get(); p.put();
    expect(p.runtimeState).toBe(RPM_SUSPENDED);
    dev.rr = { kind: "pending", afterUs: 500 };
    expect(p.get()).toBe(PENDING);
    expect(p.runtimeState).toBe(RPM_RESUMING);
    expect(p.put()).toBe(OK);
    env.platform.advance(10_000_000);
    expect({ state: p.runtimeState, usage: p.usage }).toEqual({ state: RPM_SUSPENDED, usage: 0 });
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

describe("F: a runtime-suspended chip on a failed bus", () => {
  function setup() {
    const env = new Env();
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus" });
    env.pm.seal();
    const cp = env.pm.port(chip.id);
    cp.get(); cp.put(); // chip down, then the bus
    expect(env.pm.port(bus.id).runtimeState).toBe(RPM_SUSPENDED);
    bus.rr = { kind: "fail", status: IO };
    bus.behaviour.reprobe = { kind: "fail", status: IO }; // the bus stays broken
    const got = cp.get();
    return { env, bus, chip, cp, got };
  }

  test("F1: the chip's get does not answer OK (chip resumed) over a bus whose runtime resume just failed", () => {
    const { env, bus, cp, got } = setup();
    env.platform.advance(60_000_000);
    expect(env.pm.deviceState(bus.id)).toBe(D_FAILED);
    expect({ got, chip: cp.runtimeState }).toEqual({ got: FAILED, chip: expect.anything() });
  });

  test("F2: a hibernate then ends (or is refused); the runtime does not stay BUSY forever", () => {
    const { env } = setup();
    env.platform.sleepMode = "sync";
    const s = env.pm.suspend(T_HIBERNATE, TEST_DEVICES);
    env.platform.advance(60_000_000);
    expect({ s, phase: env.pm.phase, outcomes: env.outcomes.length, next: env.pm.suspend(T_STANDBY, TEST_NONE) })
      .toEqual({ s: expect.anything(), phase: P_IDLE, outcomes: 1, next: OK });
  });
});

describe("F3: hibernate hangs when a runtime-suspended consumer's supplier is failed", () => {
  test("two chips on a bus; chip1's get fails the bus; a hibernate never ends, every later suspend BUSY", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" });
    const c1 = add(env, { name: "chip1", parent: "bus" });
    const c2 = add(env, { name: "chip2", parent: "bus" });
    env.pm.seal();
    const p1 = env.pm.port(c1.id), p2 = env.pm.port(c2.id);
    p1.get(); p2.get(); p1.put(); p2.put();
    expect(env.pm.port(bus.id).runtimeState).toBe(RPM_SUSPENDED);
    bus.rr = { kind: "fail", status: IO };
    bus.behaviour.reprobe = { kind: "fail", status: IO };
    const got1 = p1.get();
    expect(env.pm.deviceState(bus.id)).toBe(D_FAILED);
    env.platform.advance(1_000); // the bus's first re-probe fails too
    env.platform.sleepMode = "sync";
    const s = env.pm.suspend(T_HIBERNATE, TEST_DEVICES);
    env.platform.advance(600_000_000); // 10 minutes
    expect({ got1, s, phase: env.pm.phase, outcomes: env.outcomes.length, next: env.pm.suspend(T_STANDBY, TEST_NONE), chip2: p2.runtimeState, reprobes: bus.calls.reprobe })
      .toEqual({ got1: FAILED, s: OK, phase: P_IDLE, outcomes: 1, next: OK, chip2: expect.anything(), reprobes: expect.anything() });
  });

  test("a plain bus (no runtime hooks) failing its system resume under a runtime-suspended chip: the same hang", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" }, false);
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    expect(env.pm.port(chip.id).runtimeState).toBe(RPM_SUSPENDED);
    bus.behaviour.resume = { kind: "fail", status: IO };
    bus.behaviour.reprobe = { kind: "fail", status: IO };
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.pm.deviceState(bus.id)).toBe(D_FAILED);
    const got = env.pm.port(chip.id).get();
    const s = env.pm.suspend(T_HIBERNATE, TEST_DEVICES);
    env.platform.advance(600_000_000);
    expect({ got, s, phase: env.pm.phase, outcomes: env.outcomes.length, next: env.pm.suspend(T_STANDBY, TEST_NONE) })
      .toEqual({ got: FAILED, s: OK, phase: P_IDLE, outcomes: 2, next: OK });
  });
});

describe("G: the storage device fails its runtime resume at the start of a hibernate", () => {
  test("the hibernate ends FAILED (its done callback; `suspend` had answered OK: it started), never sleeps without its image writer", () => {
    const env = new Env();
    add(env, { name: "sensor" }, false);
    const flash = add(env, { name: "flash", roles: ROLE_STORAGE, autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    expect(env.pm.port(flash.id).runtimeState).toBe(RPM_SUSPENDED);
    flash.rr = { kind: "fail", status: IO };
    flash.behaviour.reprobe = { kind: "fail", status: IO };
    env.log.length = 0;
    env.platform.sleepMode = "async";
    const s = env.pm.suspend(T_HIBERNATE, TEST_NONE);
    const slept = env.log.includes("platform:sleep");
    expect({ s, slept, flashSuspend: env.log.includes("flash:suspend"), outcomes: env.outcomes })
      .toEqual({ s: OK, slept: false, flashSuspend: false, outcomes: [FAILED] });
  });
});

describe("H: forged runtime-PM tokens", () => {
  test("a fraction or a token + 2^32 is late, as the stage engine treats forged tokens", () => {
    for (const forge of [(t: number) => t + 0.5, (t: number) => t + 2 ** 32]) {
      const env = new Env();
      const dev = add(env, { name: "flash" });
      let token = -1;
      dev.rs = { kind: "call", fn: (t) => { token = t; return PENDING; } };
      env.pm.seal();
      const p = env.pm.port(dev.id);
      p.get(); p.put();
      expect(p.runtimeState).toBe(RPM_SUSPENDING);
      p.complete(forge(token), OK);
      expect({ state: p.runtimeState, late: env.pm.rpm.late }).toEqual({ state: RPM_SUSPENDING, late: 1 });
    }
  });
});

describe("I: a runtime hook that runs another device's runtime hook (nested get)", () => {
  test("A's completion made inside its hook after B's get still counts", () => {
    const env = new Env({ defaultBudgetUs: 5_000 });
    const a = add(env, { name: "a" });
    const b = add(env, { name: "b" });
    env.pm.seal();
    const ap = env.pm.port(a.id), bp = env.pm.port(b.id);
    ap.get(); ap.put(); bp.get(); bp.put();
    a.rr = { kind: "call", fn: (t) => { ap.complete(t, OK); bp.get(); return PENDING; } };
    ap.get();
    env.platform.advance(10_000);
    expect({ a: ap.runtimeState, fail: env.pm.deviceState(a.id), late: env.pm.rpm.late })
      .toEqual({ a: RPM_ACTIVE, fail: D_ACTIVE, late: 0 });
  });
});

describe("K: autosuspendMs at boot", () => {
  test("each bad value is refused; 0 and 2,000,000 accepted", () => {
    const bad: unknown[] = [-1, 1.5, 2_000_001, "50", NaN, Infinity, null, 2 ** 31, true, [], {}];
    const res = bad.map((v) => {
      const pm = new PowerManager(BASE_CONFIG, new FakePlatform([]));
      try { pm.register({ name: "f", hooks: {}, autosuspendMs: v as number }); return String(v) + ": accepted"; } catch (e) { return "refused"; }
    });
    expect(res.filter((r) => r !== "refused")).toEqual([]);
    for (const v of [0, 2_000_000]) {
      const pm = new PowerManager(BASE_CONFIG, new FakePlatform([]));
      expect(() => pm.register({ name: "f", hooks: {}, autosuspendMs: v })).not.toThrow();
    }
  });
});

describe("L: budgets and late completions", () => {
  test("a hung runtimeSuspend while a standby waits: the standby starts after its budget, the device takes part", () => {
    const env = new Env({ defaultBudgetUs: 5_000 });
    const dev = add(env, { name: "flash", autosuspendMs: 0 });
    const tokens: number[] = [];
    dev.rs = { kind: "call", fn: (t) => { tokens.push(t); return PENDING; } };
    env.pm.seal();
    env.platform.advance(0);
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(4_999);
    expect(env.outcomes).toEqual([]);
    env.platform.advance(1);
    expect(env.outcomes).toEqual([OK]);
    expect(env.calls()).toContain("flash:suspend");
    const first = tokens[0];
    env.pm.port(dev.id).complete(first, OK);
    // after the standby it idled again (delay 0): a second runtimeSuspend is in flight with a new token
    expect([env.pm.rpm.late, env.pm.port(dev.id).runtimeState, tokens.length]).toEqual([1, RPM_SUSPENDING, 2]);
  });

  test("a hung runtimeResume during a hibernate's settle: failed after the budget, the hibernate goes on", () => {
    const env = new Env({ defaultBudgetUs: 5_000 });
    const dev = add(env, { name: "flash", autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    dev.rr = { kind: "hang" };
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_HIBERNATE, TEST_DEVICES)).toBe(OK);
    env.platform.advance(5_000);
    env.platform.advance(2_000);
    expect(env.outcomes.length).toBe(1);
  });

  test("runtime hook answers: twice-complete, complete after answering OK, garbage", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    let token = -1;
    dev.rs = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    env.pm.seal();
    const p = env.pm.port(dev.id);
    p.get(); p.put();
    p.complete(token, OK);
    p.complete(token, OK);
    expect([p.runtimeState, env.pm.rpm.late]).toEqual([RPM_SUSPENDED, 1]);
    dev.rr = { kind: "call", fn: (t) => { p.complete(t, OK); return OK; } };
    p.get();
    expect(env.pm.deviceState(dev.id)).toBe(D_FAILED); // PROTOCOL on a resume: failed-device rule
    const st = env.pm.rpm.lastError[dev.id];
    expect(st).toBe(PROTOCOL);
  });
});
