// The done callback's suspend (begun, its stages after the callback returned) against runtime hooks, the image, recover and throws.
import { describe, expect, test } from "vitest";
import { Env, attemptRecords, statusNames, imageOfEvery } from "./fakes";
import { add } from "../runtime-pm/helpers";
import { OK, BUSY, INVALID, IO, PENDING, T_STANDBY, T_HIBERNATE, TEST_NONE, TEST_DEVICES, P_IDLE, P_SUSPENDING, ROLE_STORAGE, ROLE_WAKE, STATUS_NAMES, D_FAILED } from "../../runtime";


describe("done callback", () => {
  test("suspends, then asks resumeFromImage, recover and suspend again: BUSY, INVALID, BUSY; then throws: the begun attempt still runs", () => {
    const env = new Env();
    const a = env.add({ name: "a" });
    env.pm.seal();
    const seen: unknown[] = [];
    let n = 0;
    env.pm.setDoneCallback((s) => {
      env.outcomes.push(s);
      if (n++ > 0) return;
      seen.push(env.pm.suspend(T_STANDBY, TEST_NONE), env.pm.phase, env.pm.resumeFromImage(0), env.pm.recover(a.id), env.pm.suspend(T_STANDBY, TEST_NONE));
      throw new Error("app");
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([seen, statusNames(env.outcomes), attemptRecords(env), env.pm.stats.listenerFaults, env.pm.phase]).toEqual([[OK, P_SUSPENDING, BUSY, INVALID, BUSY], ["OK", "OK"], "BEBE", 1, P_IDLE]);
  });

  test("a hibernate begun from the callback (runtime devices brought back first), wake raised before its stages start: WAKEUP, no device started", () => {
    const env = new Env();
    env.add({ name: "flash", roles: ROLE_STORAGE });
    env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
    const r = add(env, { name: "rdev" });
    env.pm.seal();
    const rp = env.pm.port(r.id); rp.get(); rp.put();
    let n = 0; const seen: number[] = [];
    env.pm.setDoneCallback((s) => {
      env.outcomes.push(s);
      if (n++ > 0) return;
      seen.push(env.pm.suspend(T_HIBERNATE, TEST_DEVICES), env.pm.irq.raise(0));
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    const calls = env.calls();
    expect([seen, statusNames(env.outcomes), attemptRecords(env)]).toEqual([[OK, OK], ["OK", "WAKEUP"], "BEBE"]);
    expect(calls.filter((c) => c.endsWith(":prepare")).length).toBe(2); // only attempt 1 prepares (rdev runtime-suspended, skipped)
  });

  test("resumeFromImage from inside a done callback (system idle): the image attempt ends nested; outcomes in order, records alternate", () => {
    const env = new Env();
    env.add({ name: "a" });
    env.pm.seal();
    imageOfEvery(env.pm);
    let n = 0; const seen: number[] = [];
    env.pm.setDoneCallback((s) => { env.outcomes.push(s); if (n++ === 0) seen.push(env.pm.resumeFromImage(-1), env.pm.resumeFromImage(-1)); });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([seen, statusNames(env.outcomes), env.pm.phase]).toEqual([[OK, INVALID], ["OK", "OK"], P_IDLE]);
  });
});
