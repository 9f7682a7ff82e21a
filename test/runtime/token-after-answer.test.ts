// A token whose hook already answered at once is late from whatever the walk runs next (a record's listener, a give-up listener): it never counts as the next device's answer; a platform clock that throws then is not charged to it.
import { describe, expect, test } from "vitest";
import { OK, IO, T_STANDBY, TEST_NONE, S_SUSPEND, S_POWER_OFF, D_ACTIVE, D_SUSPENDED, D_OFF } from "../../runtime";
import { E_HOOK_DONE } from "../../runtime/trace";
import { Env } from "./fakes";

/** Three devices walked a, b, c (no edges); `hook` of each records its token. */
function three(env: Env, hook: "suspend" | "powerOffNoIrq" | "resume") {
  const tok: Record<string, number> = {};
  const devs = ["a", "b", "c"].map((name) => {
    const dev = env.add({ name });
    dev.behaviour[hook] = { kind: "call", fn: (t) => { tok[name] = t; return OK; } };
    return dev;
  });
  return { tok, devs };
}

describe("a token whose hook answered OK at once", () => {
  for (const [hook, stage] of [["suspend", S_SUSPEND], ["powerOffNoIrq", S_POWER_OFF]] as const) {
    test(`completed from the listener of its own ${hook} done record: late, not held, and the next device's answer stands`, () => {
      const env = new Env();
      const { tok, devs } = three(env, hook);
      env.pm.seal();
      const seen: boolean[] = [];
      let fired = false;
      env.pm.trace.setListener((slot) => {
        const tr = env.pm.trace;
        if (fired || tr.eventAt(slot) !== E_HOOK_DONE || tr.deviceAt(slot) !== devs[0].id || tr.stageAt(slot) !== stage) return;
        fired = true;
        seen.push(env.pm.holds(tok.a), env.pm.port(devs[0].id).holds(tok.a));
        env.pm.complete(tok.a, IO);
      });
      expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
      env.platform.advance(1_000_000);
      expect({ fired, seen, late: env.pm.stats.lateCompletions, outcomes: env.outcomes, slept: env.log.includes("platform:sleep"), states: env.states() }).toEqual({
        fired: true, seen: [false, false], late: 1, outcomes: [OK], slept: true, states: ["a=" + D_ACTIVE, "b=" + D_ACTIVE, "c=" + D_ACTIVE],
      });
    });
  }

  test("a resume failure's give-up listener completes that device's own token: late; the device after it resumes", () => {
    const env = new Env({ reprobeFirstUs: 10_000_000 });
    const { tok, devs } = three(env, "resume");
    devs[1].behaviour.resume = { kind: "call", fn: (t) => { tok.b = t; return IO; } };
    env.pm.seal();
    env.pm.port(devs[1].id).onGiveUp(() => env.pm.complete(tok.b, OK));
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(1_000_000);
    // b failed (re-probed later); c's OK answer is its own, not b's completion taken as c's.
    expect({ late: env.pm.stats.lateCompletions, outcomes: env.outcomes, c: env.pm.deviceState(devs[2].id), a: env.pm.deviceState(devs[0].id) }).toEqual({
      late: 1, outcomes: [IO], c: D_ACTIVE, a: D_ACTIVE,
    });
  });
});

describe("the platform clock throws right after a hook answered OK", () => {
  for (const [hook, stage] of [["suspend", D_SUSPENDED], ["powerOffNoIrq", D_OFF]] as const) {
    test(`in ${hook}: the throw is the platform's, not the device's: it goes up, and the device that answered keeps its state`, () => {
      const env = new Env();
      const { devs } = three(env, hook);
      let armed = false;
      const now = env.platform.now.bind(env.platform);
      env.platform.now = () => { if (armed) { armed = false; throw new Error("clock"); } return now(); };
      devs[1].behaviour[hook] = { kind: "call", fn: () => { armed = true; return OK; } };
      env.pm.seal();
      let thrown: unknown = null;
      try { env.pm.suspend(T_STANDBY, TEST_NONE); } catch (e) { thrown = e; }
      // Not charged to b as THREW (its hook acted and answered OK): it reached the stage's state, like c before it
      // (a suspend stage walks c, b, a); a was not called.
      expect({ thrown: (thrown as Error)?.message, c: env.pm.deviceState(devs[2].id), b: env.pm.deviceState(devs[1].id), failures: env.pm.stats.failTotal }).toEqual({
        thrown: "clock", c: stage, b: stage, failures: 0,
      });
    });
  }
});
