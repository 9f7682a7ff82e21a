// Wakes raised from stage-begin and sleep record listeners at every stage and test level: suspend stages stop, rollback and resume stages do not.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, IO, T_STANDBY, TEST_NONE, TEST_DEVICES, TEST_PLATFORM, ROLE_WAKE, STATUS_NAMES, P_IDLE } from "../../runtime";
import { E_SLEEP_ENTER, E_STAGE_BEGIN } from "../../runtime/trace";

function board(on: (env: Env, event: number, stage: number) => void) {
  const env = new Env();
  env.add({ name: "a" });
  const b = env.add({ name: "b" });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  env.pm.seal();
  env.pm.trace.setListener((slot) => on(env, env.pm.trace.eventAt(slot), env.pm.trace.stageAt(slot)));
  return { env, b };
}
const resumed = (env: Env) => env.calls().filter((c) => c.endsWith(":resume")).sort();

describe("wakes from listeners", () => {
  for (const level of [TEST_NONE, TEST_DEVICES, TEST_PLATFORM]) {
    test("S1 begin, test level " + level + ": nobody prepares, WAKEUP", () => {
      let raised = false;
      const { env } = board((e, ev, st) => { if (!raised && ev === E_STAGE_BEGIN && st === 0) { raised = true; e.pm.irq.raise(0); } });
      env.pm.suspend(T_STANDBY, level);
      expect([STATUS_NAMES[env.outcomes[0]], env.calls(), env.pm.phase]).toEqual(["WAKEUP", [], P_IDLE]);
    });
    test("sleep record, test level " + level + ": no platform call, everything resumed, WAKEUP", () => {
      let raised = false;
      const { env } = board((e, ev) => { if (!raised && ev === E_SLEEP_ENTER) { raised = true; e.pm.irq.raise(0); } });
      env.pm.suspend(T_STANDBY, level);
      env.platform.advance(10_000);
      expect([STATUS_NAMES[env.outcomes[0]], env.log.includes("platform:sleep"), resumed(env), env.pm.phase]).toEqual(["WAKEUP", false, ["a:resume", "b:resume", "button:resume"], P_IDLE]);
    });
  }
  test("a rollback mirror's begin record (R2 after b's S2 failed): rollback is not stopped, every advanced device resumes", () => {
    let raised = false;
    const { env, b } = board((e, ev, st) => { if (!raised && ev === E_STAGE_BEGIN && st === 5) { raised = true; e.pm.irq.raise(0); } });
    b.behaviour.suspend = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    const calls = env.calls();
    expect([raised, STATUS_NAMES[env.outcomes[0]], calls.filter((c) => c.endsWith(":resume")).length, calls.filter((c) => c.endsWith(":suspend")).length - 1]).toEqual([true, "IO", calls.filter((c) => c.endsWith(":suspend")).length - 1, calls.filter((c) => c.endsWith(":suspend")).length - 1]);
  });
  test("R1/R2 begin records after a sleep: nothing stopped, all resume, OK", () => {
    const { env } = board((e, ev, st) => { if (ev === E_STAGE_BEGIN && (st === 4 || st === 5)) e.pm.irq.raise(0); });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([STATUS_NAMES[env.outcomes[0]], resumed(env)]).toEqual(["OK", ["a:resume", "b:resume", "button:resume"]]);
  });
  test("S3 begin (masked): S3 runs, nothing sleeps, WAKEUP", () => {
    const { env } = board((e, ev, st) => { if (ev === E_STAGE_BEGIN && st === 2) e.pm.irq.raise(0); });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([STATUS_NAMES[env.outcomes[0]], env.log.includes("platform:sleep"), resumed(env)]).toEqual(["WAKEUP", false, ["a:resume", "b:resume", "button:resume"]]);
  });
});
