// Runtime hooks and their answers: called by name, forged tokens, budgets, late, repeated and bad completions.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add } from "./helpers";
import { OK, PENDING, PROTOCOL, T_STANDBY, T_HIBERNATE, TEST_NONE, TEST_DEVICES, D_FAILED, RPM_ACTIVE, RPM_SUSPENDED, RPM_SUSPENDING } from "../../runtime";

/** A flash put down after a get: its runtime suspend answers PENDING and keeps the token it was given (`token()`). */
function suspending() {
  const env = new Env();
  const dev = add(env, { name: "flash" });
  let token = -1;
  dev.rs = { kind: "call", fn: (t) => { token = t; return PENDING; } };
  env.pm.seal();
  const p = env.pm.port(dev.id);
  p.get(); p.put();
  return { env, dev, p, token: () => token };
}

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

describe("H: forged runtime-PM tokens", () => {
  test("a fraction or a token + 2^32 is late, as the stage engine treats forged tokens", () => {
    for (const forge of [(t: number) => t + 0.5, (t: number) => t + 2 ** 32]) {
      const { env, p, token } = suspending();
      expect(p.runtimeState).toBe(RPM_SUSPENDING);
      p.complete(forge(token()), OK);
      expect({ state: p.runtimeState, late: env.pm.rpm.late }).toEqual({ state: RPM_SUSPENDING, late: 1 });
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
    // Its timed-out suspend was refused: with a delay of 0 it is not asked again at the end of the standby (design.md:
    // not before a put); it was, at the end of every system attempt. The late completion changes nothing.
    expect([env.pm.rpm.late, env.pm.port(dev.id).runtimeState, tokens.length]).toEqual([1, RPM_ACTIVE, 1]);
    // The next put asks again, with a new token.
    expect([env.pm.port(dev.id).get(), env.pm.port(dev.id).put()]).toEqual([OK, OK]);
    expect([env.pm.port(dev.id).runtimeState, tokens.length]).toEqual([RPM_SUSPENDING, 2]);
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
    const { env, dev, p, token } = suspending();
    p.complete(token(), OK);
    p.complete(token(), OK);
    expect([p.runtimeState, env.pm.rpm.late]).toEqual([RPM_SUSPENDED, 1]);
    dev.rr = { kind: "call", fn: (t) => { p.complete(t, OK); return OK; } };
    p.get();
    expect(env.pm.deviceState(dev.id)).toBe(D_FAILED); // PROTOCOL on a resume: failed-device rule
    const st = env.pm.rpm.lastError[dev.id];
    expect(st).toBe(PROTOCOL);
  });
});
