// What arrives while the stage walk is inside a hook: another device's completion, a second completion, a wake.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { makeTree } from "./tree";
import { OK, PENDING, WAKEUP, PROTOCOL, T_STANDBY, TEST_NONE, D_ACTIVE, S_SUSPEND, STAGE_NAMES } from "../../runtime";
import { EVENT_NAMES } from "../../runtime/trace";

/** The trace ring's hook records of one stage, as "device:event". */
function hookRecords(env: Env, stage: number): string[] {
  const tr = env.pm.trace;
  const out: string[] = [];
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i);
    if (tr.device[s] < 0 || tr.stage[s] !== stage) continue;
    out.push(env.pm.graph.names[tr.device[s]] + ":" + EVENT_NAMES[tr.event[s]]);
  }
  return out;
}

/** Two independent devices: the walk reaches `pender` first in S2 (suspend walks the order backwards). */
function pair(): { env: Env; pender: ReturnType<Env["add"]>; caller: ReturnType<Env["add"]> } {
  const env = new Env();
  const caller = env.add({ name: "caller" });
  const pender = env.add({ name: "pender" });
  env.pm.seal();
  return { env, pender, caller };
}

describe("a completion from inside another device's hook", () => {
  test("is taken as soon as that hook returns: the pending device finishes first, the stage goes on, the cycle ends OK", () => {
    const { env, pender, caller } = pair();
    let token = -1;
    pender.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    caller.behaviour.suspend = { kind: "call", fn: () => { env.pm.complete(token, OK); return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect(hookRecords(env, S_SUSPEND)).toEqual(["pender:pending", "pender:done", "caller:done"]);
    expect(env.outcomes).toEqual([OK]);
    expect(env.pm.stats.lateCompletions).toBe(0);
    expect(env.states()).toEqual(["caller=" + D_ACTIVE, "pender=" + D_ACTIVE]);
  });

  test("a second completion of the same token from inside the hook is late (counted, ignored)", () => {
    const { env, pender, caller } = pair();
    let token = -1;
    pender.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    caller.behaviour.suspend = { kind: "call", fn: () => { env.pm.complete(token, OK); env.pm.complete(token, OK); return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect(env.outcomes).toEqual([OK]);
    expect(env.pm.stats.lateCompletions).toBe(1);
  });

  test("an error completed from inside another hook fails the stage; that hook's own OK still counts and is rolled back", () => {
    const { env, pender, caller } = pair();
    let token = -1;
    pender.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    caller.behaviour.suspend = { kind: "call", fn: () => { env.pm.complete(token, 5); return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect(hookRecords(env, S_SUSPEND)).toEqual(["pender:pending", "pender:fail", "caller:done", "pender:rollback"]);
    expect(env.outcomes).toEqual([5]);
    const st = env.pm.stats;
    expect([env.pm.graph.names[st.failDevice[st.failureSlot(0)]], STAGE_NAMES[st.failStage[st.failureSlot(0)]]]).toEqual(["pender", "suspend"]);
    // The caller advanced in S2 (its answer came after the failure but counts): rollback resumes it.
    expect(env.log.filter((l) => l.startsWith("caller:"))).toEqual(["caller:prepare", "caller:suspend", "caller:resume"]);
    expect(env.states()).toEqual(["caller=" + D_ACTIVE, "pender=" + D_ACTIVE]);
  });

  test("its own completion followed by OK is a protocol error (it must answer PENDING)", () => {
    const { env, pender } = pair();
    pender.behaviour.suspend = { kind: "call", fn: (t) => { env.pm.complete(t, OK); return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([PROTOCOL]);
  });

  test("its own completion followed by PENDING finishes the hook with that status", () => {
    const { env, pender } = pair();
    pender.behaviour.suspend = { kind: "call", fn: (t) => { env.pm.complete(t, OK); return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect(env.outcomes).toEqual([OK]);
    expect(hookRecords(env, S_SUSPEND)).toEqual(["pender:done", "caller:done"]);
  });
});

describe("a wake raised from inside a hook of a stage that may pend", () => {
  test("that hook's answer counts, no other device starts, the attempt rolls back with WAKEUP", () => {
    const env = makeTree();
    env.devices.display.behaviour.suspend = { kind: "call", fn: () => { env.pm.irq.raise(0); return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    const suspends = env.log.filter((l) => l.endsWith(":suspend")).map((l) => l.split(":")[0]);
    // The walk stopped right after the display: the devices it reaches later never got their S2 call.
    expect(suspends[suspends.length - 1]).toBe("display");
    expect(env.outcomes).toEqual([WAKEUP]);
    expect(env.log).toContain("display:resume");
  });
});
