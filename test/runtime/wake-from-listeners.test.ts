// A wake (or a PM lock) that comes from a trace listener on the records the sequencer writes between stages: the suspend aborts as at any boundary.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, T_STANDBY, TEST_NONE, ROLE_WAKE, STATUS_NAMES } from "../../runtime";
import { E_SLEEP_ENTER, E_SLEEP_EXIT, E_STAGE_BEGIN, E_SUSPEND_BEGIN } from "../../runtime/trace";
import { board as governorBoard } from "./governor-helpers";

/** a, b and a wake button on line 0; `on(event, stage)` runs inside the trace listener of each record. */
function board(on: (env: Env, event: number, stage: number) => void) {
  const env = new Env();
  env.add({ name: "a" });
  env.add({ name: "b" });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  env.pm.seal();
  env.pm.trace.setListener((slot) => on(env, env.pm.trace.eventAt(slot), env.pm.trace.stageAt(slot)));
  return env;
}

describe("a wake raised by the listener of the attempt's begin record", () => {
  test("no device starts S1, the platform does not sleep: WAKEUP, delivered once", () => {
    let handled = 0;
    const env = board((e, event) => { if (event === E_SUSPEND_BEGIN) e.pm.irq.raise(0); });
    env.pm.irq.register(0, () => { handled++; }, true);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    // It was armed after the begin record: the wake was delivered, not latched as the attempt's, and the chip slept.
    expect([STATUS_NAMES[env.outcomes[0]], env.calls(), env.log.includes("platform:sleep"), handled, env.pm.phase]).toEqual(["WAKEUP", [], false, 1, 0]);
  });
});

describe("a wake raised by the listener of a stage-begin record", () => {
  test("S2's: no device starts S2; the attempt rolls back from there (S1's mirror: none of these fakes has one), WAKEUP", () => {
    let raised = false;
    const env = board((e, event, stage) => { if (!raised && event === E_STAGE_BEGIN && stage === 1) { raised = true; e.pm.irq.raise(0); } });
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([STATUS_NAMES[env.outcomes[0]], env.calls()]).toEqual(["WAKEUP", [
      "button:prepare", "b:prepare", "a:prepare",
    ]]);
    expect(env.pm.phase).toBe(0);
  });
});

describe("the listener of the sleep-enter record", () => {
  test("raises a wake: the platform does not sleep, the sleep lane closes at 0 µs, S3..S1 are rolled back, WAKEUP", () => {
    const env = board((e, event) => { if (event === E_SLEEP_ENTER) e.pm.irq.raise(0); });
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([env.log.includes("platform:sleep"), STATUS_NAMES[env.outcomes[0]], env.pm.phase]).toEqual([false, "WAKEUP", 0]);
    const calls = env.calls();
    expect(calls.slice(calls.indexOf("a:powerOffNoIrq!") + 1)).toEqual([
      "a:powerOnNoIrq!", "b:powerOnNoIrq!", "button:powerOnNoIrq!", "a:resume", "b:resume", "button:resume",
    ]);
    const t = env.pm.trace;
    let exit = -1;
    for (let i = 0; i < t.length; i++) if (t.eventAt(t.slot(i)) === E_SLEEP_EXIT) exit = t.slot(i);
    expect([exit >= 0, t.duration[exit], t.statusAt(exit)]).toEqual([true, 0, 0]); // 0 µs, woken by line 0
  });
});

describe("a PM lock taken by the listener of the sleep-enter record", () => {
  test("aborts the governor's own attempt the same way: no sleep, WAKEUP (an explicit suspend runs with locks held)", () => {
    const env = governorBoard();
    env.pm.seal();
    const lock = env.pm.locks.create("late");
    let taken = false;
    env.pm.trace.setListener((slot) => { if (!taken && env.pm.trace.eventAt(slot) === E_SLEEP_ENTER) { taken = true; env.pm.locks.acquire(lock); } });
    env.pm.nextDeadline(2_000_000);
    env.platform.advance(5_000);
    expect([taken, env.log.includes("platform:sleep"), STATUS_NAMES[env.outcomes[0]], env.pm.phase]).toEqual([true, false, "WAKEUP", 0]);
  });
});
