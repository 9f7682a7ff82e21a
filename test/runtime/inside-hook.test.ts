// What arrives while the stage walk is inside a hook: another device's completion, a second completion, a wake.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { makeTree } from "./tree";
import { OK, PENDING, WAKEUP, PROTOCOL, IO, TIMEOUT, ROLE_WAKE, T_STANDBY, TEST_NONE, D_ACTIVE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, STAGE_NAMES } from "../../runtime";
import { EVENT_NAMES, E_HOOK_DONE, E_HOOK_PENDING, E_LATE } from "../../runtime/trace";
import { BAD_COMPLETED, BAD_UNDEFINED, BAD_BOOLEAN } from "../../runtime/stats";

/** The trace ring's hook records of one stage, as "device:event". */
function hookRecords(env: Env, stage: number): string[] {
  const tr = env.pm.trace;
  const out: string[] = [];
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i);
    if (tr.deviceAt(s) < 0 || tr.stageAt(s) !== stage) continue;
    out.push(env.pm.graph.names[tr.deviceAt(s)] + ":" + EVENT_NAMES[tr.eventAt(s)]);
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

  test("a hook that completes itself twice inside its own call (IO, then OK) and answers PENDING: the first stands, the second is late", () => {
    const { env, pender } = pair();
    pender.behaviour.suspend = { kind: "call", fn: (t) => { env.pm.complete(t, IO); env.pm.complete(t, OK); return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect([env.outcomes, env.pm.stats.lateCompletions, hookRecords(env, S_SUSPEND).filter((r) => r.startsWith("pender"))])
      .toEqual([[IO], 1, ["pender:late", "pender:fail", "pender:rollback"]]);
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
    // Counted and kept as any bad answer (it was not: protocolErrors stayed 0), with the status it answered.
    const st = env.pm.stats;
    expect([env.outcomes, st.protocolErrors, env.pm.graph.names[st.badAnswerDevice], STAGE_NAMES[st.badAnswerStage], st.badAnswerKind, st.badAnswerNumber])
      .toEqual([[PROTOCOL], 1, "pender", "suspend", BAD_COMPLETED, OK]);
  });

  test("its own completion followed by an answer that is no status, or a completion that is no status followed by OK: one bad answer each, kept as what was no status", () => {
    const kinds: unknown[] = [];
    for (const [done, answer] of [[OK, undefined], [OK, true], [undefined, OK]] as [unknown, unknown][]) {
      const { env, pender } = pair();
      pender.behaviour.suspend = { kind: "call", fn: (t) => { env.pm.complete(t, done as number); return answer as number; } };
      env.pm.suspend(T_STANDBY, TEST_NONE);
      const st = env.pm.stats;
      // It was counted twice (the completion, then the answer), and `true` kept as BAD_COMPLETED with status 1 (PENDING).
      kinds.push([env.outcomes, st.protocolErrors, st.badAnswerKind]);
    }
    expect(kinds).toEqual([[[PROTOCOL], 1, BAD_UNDEFINED], [[PROTOCOL], 1, BAD_BOOLEAN], [[PROTOCOL], 1, BAD_UNDEFINED]]);
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

describe("a masked stage's hook (S3, R1: its own walk, runtime/masked-walk.ts) that completes its own token inside its call", () => {
  test("and answers PENDING: it finished during the call, so it answered at once with the completion's status", () => {
    const { env, pender } = pair();
    pender.behaviour.powerOffNoIrq = { kind: "call", fn: (t) => { env.pm.complete(t, OK); return PENDING; } };
    pender.behaviour.powerOnNoIrq = { kind: "call", fn: (t) => { env.pm.complete(t, OK); return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect([env.outcomes, env.pm.stats.protocolErrors, env.pm.stats.lateCompletions]).toEqual([[OK], 0, 0]);
    expect([hookRecords(env, S_POWER_OFF), hookRecords(env, S_POWER_ON)]).toEqual([["pender:done", "caller:done"], ["caller:done", "pender:done"]]);
  });

  test("and answers OK: a protocol error; the attempt rolls back and the next one works", () => {
    const { env, pender } = pair();
    pender.behaviour.powerOffNoIrq = { kind: "call", fn: (t) => { env.pm.complete(t, OK); return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect([env.outcomes, env.pm.stats.protocolErrors, env.pm.stats.badAnswerKind]).toEqual([[PROTOCOL], 1, BAD_COMPLETED]);
    expect(hookRecords(env, S_POWER_OFF)).toEqual(["pender:fail", "pender:rollback"]);
    expect(env.states()).toEqual(["caller=" + D_ACTIVE, "pender=" + D_ACTIVE]);
    pender.behaviour.powerOffNoIrq = { kind: "ok" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect(env.outcomes).toEqual([PROTOCOL, OK]);
  });

  test("with an error, twice: the first stands, the second is late; S3 fails and rolls back", () => {
    const { env, pender } = pair();
    pender.behaviour.powerOffNoIrq = { kind: "call", fn: (t) => { env.pm.complete(t, IO); env.pm.complete(t, OK); return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    expect([env.outcomes, env.pm.stats.lateCompletions, hookRecords(env, S_POWER_OFF)]).toEqual([[IO], 1, ["pender:late", "pender:fail", "pender:rollback"]]);
    expect(env.states()).toEqual(["caller=" + D_ACTIVE, "pender=" + D_ACTIVE]);
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

/** Three independent devices; suspend walks c, b, a; c is the wake source (line 0). */
function three(): { env: Env; a: ReturnType<Env["add"]>; b: ReturnType<Env["add"]>; c: ReturnType<Env["add"]> } {
  const env = new Env();
  const a = env.add({ name: "a" });
  const b = env.add({ name: "b" });
  const c = env.add({ name: "c", roles: ROLE_WAKE, wakeLine: 0 });
  env.pm.seal();
  return { env, a, b, c };
}

describe("what a trace listener does while the walk runs is taken before the next device starts", () => {
  test("a wake raised on a PENDING record starts no further device", () => {
    const { env, b } = three();
    b.behaviour.prepare = { kind: "pending", afterUs: 100 };
    let fired = false;
    env.pm.trace.setListener((slot) => {
      if (!fired && env.pm.trace.eventAt(slot) === E_HOOK_PENDING) { fired = true; env.pm.irq.raise(0); }
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(20_000);
    expect(env.log.filter((l) => l.endsWith(":prepare"))).toEqual(["c:prepare", "b:prepare"]);
    expect(env.outcomes).toEqual([WAKEUP]);
  });

  test("an error completed on a done record stops the suspend before the next device", () => {
    const { env, b, c } = three();
    let token = -1;
    c.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    let fired = false;
    env.pm.trace.setListener((slot) => {
      const tr = env.pm.trace;
      if (!fired && tr.eventAt(slot) === E_HOOK_DONE && tr.deviceAt(slot) === b.id && tr.stageAt(slot) === S_SUSPEND) { fired = true; env.pm.complete(token, IO); }
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(20_000);
    expect(env.log.filter((l) => l.endsWith(":suspend"))).toEqual(["c:suspend", "b:suspend"]);
    expect(env.outcomes).toEqual([IO]);
  });

  test("an error completed on a PENDING record stops the suspend before the next device", () => {
    const { env, b, c } = three();
    let token = -1;
    c.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    b.behaviour.suspend = { kind: "hang" };
    let fired = false;
    env.pm.trace.setListener((slot) => {
      const tr = env.pm.trace;
      if (!fired && tr.eventAt(slot) === E_HOOK_PENDING && tr.deviceAt(slot) === b.id) { fired = true; env.pm.complete(token, IO); }
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(20_000);
    expect(env.log.filter((l) => l.endsWith(":suspend"))).toEqual(["c:suspend", "b:suspend"]);
    expect(env.outcomes).toEqual([IO]);
  });

  test("a completion of the device its own PENDING record names is that device's completion, not a late one", () => {
    const { env, b } = three();
    let token = -1;
    b.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    let fired = false;
    env.pm.trace.setListener((slot) => {
      const tr = env.pm.trace;
      if (!fired && tr.eventAt(slot) === E_HOOK_PENDING && tr.deviceAt(slot) === b.id) { fired = true; env.pm.complete(token, OK); }
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(20_000);
    expect(env.outcomes).toEqual([OK]);
    expect(env.pm.stats.lateCompletions).toBe(0);
    expect(hookRecords(env, S_SUSPEND).filter((r) => r.startsWith("b:"))).toEqual(["b:pending", "b:done"]);
  });
});

describe("a trace listener that throws", () => {
  test("is counted on every record it threw on; the walk, the completions and the cycle go on as without it", () => {
    const { env, b } = three();
    b.behaviour.suspend = { kind: "pending", afterUs: 100 };
    const seen: number[] = [];
    env.pm.trace.setListener((slot) => {
      seen.push(slot);
      throw new Error("listener bug");
    });
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(20_000);
    expect(env.outcomes).toEqual([OK]);
    expect(env.states()).toEqual(["a=" + D_ACTIVE, "b=" + D_ACTIVE, "c=" + D_ACTIVE]);
    expect(env.pm.trace.listenerFaults).toBe(seen.length);
    expect(seen.length).toBe(env.pm.trace.total);
    expect(hookRecords(env, S_SUSPEND)).toEqual(["c:done", "b:pending", "a:done", "b:done"]);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(20_000);
    expect(env.outcomes).toEqual([OK, OK]);
  });
});

describe("completions that race a throw or a timeout", () => {
  test("a hook that completes another device with an error and then throws: the completion came first and is the failure", () => {
    const { env, pender, caller } = pair();
    let token = -1;
    pender.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    caller.behaviour.suspend = { kind: "call", fn: () => { env.pm.complete(token, IO); throw new Error("boom"); } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(1_000);
    const st = env.pm.stats;
    expect(env.outcomes).toEqual([IO]);
    expect(env.pm.graph.names[st.failDevice[st.failureSlot(0)]]).toBe("pender");
    expect(hookRecords(env, S_SUSPEND).slice(0, 3)).toEqual(["pender:pending", "pender:fail", "caller:fail"]);
  });

  test("a give-up listener that completes another held device with an error: the timeout stays first, both roll back, nobody is failed", () => {
    const env = new Env({ reprobeFirstUs: 100_000_000 } as never);
    const a = env.add({ name: "a" });
    const b = env.add({ name: "b", budgetUs: 1_000 });
    env.add({ name: "c" });
    env.pm.seal();
    let ta = -1;
    b.behaviour.suspend = { kind: "hang" };
    a.behaviour.suspend = { kind: "call", fn: (t) => { ta = t; return PENDING; } };
    env.pm.port(b.id).onGiveUp(() => { env.pm.complete(ta, IO); });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(5_000);
    expect(hookRecords(env, S_SUSPEND)).toEqual(["c:done", "b:pending", "a:pending", "b:timeout", "b:fail", "a:fail", "b:rollback"]);
    // b timed out in S2, so it may have half-acted: its mirror (R2) runs, and c's; a never reached S2.
    expect(env.log.filter((l) => l.endsWith(":resume"))).toEqual(["b:resume", "c:resume"]);
    expect(env.outcomes).toEqual([TIMEOUT]);
    expect(env.pm.stats.resumeFailures).toBe(0);
    expect(env.states()).toEqual(["a=" + D_ACTIVE, "b=" + D_ACTIVE, "c=" + D_ACTIVE]);
  });
});

describe("tokens that name no stage in flight", () => {
  /** The late records, as "device@stage". */
  function lateRecords(env: Env): string[] {
    const tr = env.pm.trace;
    const out: string[] = [];
    for (let i = 0; i < tr.length; i++) { const s = tr.slot(i); if (tr.eventAt(s) === E_LATE) out.push(tr.deviceAt(s) + "@" + tr.stageAt(s)); }
    return out;
  }

  test("NaN, -1, a fraction, a token 2^32 off and a string are late, from no device, at no stage; the real one still counts", () => {
    const { env, pender } = pair();
    let token = -1;
    pender.behaviour.suspend = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    for (const forged of [NaN, -1, token + 0.5, token + 2 ** 32, "x" as unknown as number]) env.pm.complete(forged, OK);
    expect(env.pm.stats.lateCompletions).toBe(5);
    expect(lateRecords(env)).toEqual(["-1@-1", "-1@-1", "-1@-1", "-1@-1", "-1@-1"]);
    env.pm.complete(token, OK);
    env.platform.advance(1_000);
    expect(env.outcomes).toEqual([OK]);
  });

  test("a completion older than the last 64 stage runs is late at an unknown stage (-1); a recent one names its stage", () => {
    const env = new Env();
    const a = env.add({ name: "a", budgetUs: 1_000 });
    env.pm.seal();
    const tokens: number[] = [];
    a.behaviour.suspend = { kind: "call", fn: (t) => { tokens.push(t); return tokens.length === 1 ? PENDING : OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(5_000); // S2 timed out, rolled back
    env.pm.complete(tokens[0], OK);
    expect(lateRecords(env)).toEqual(["0@" + S_SUSPEND]);
    for (let i = 0; i < 30; i++) { env.pm.suspend(T_STANDBY, TEST_NONE); env.platform.advance(5_000); }
    env.pm.complete(tokens[0], OK);
    expect(lateRecords(env).slice(-1)).toEqual(["0@-1"]);
    expect(env.pm.stats.lateCompletions).toBe(2);
  });
});
