// A trace listener that completes another device from a record written outside the walk (an asynchronous completion, a budget expiry): taken after this one's bookkeeping, as inside the walk.
import { describe, expect, test } from "vitest";
import { OK, PENDING, IO, TIMEOUT, T_STANDBY, TEST_NONE, S_PREPARE, S_SUSPEND, S_RESUME, D_ACTIVE, RequestQueue } from "../../runtime";
import { E_HOOK_DONE, E_HOOK_FAIL, E_TIMEOUT } from "../../runtime/trace";
import { Env } from "./fakes";

/** Calls `act` once, from the listener of the first record of `event` for device `id` in `stage`. */
function onRecord(env: Env, event: number, id: number, stage: number, act: () => void): void {
  let fired = false;
  env.pm.trace.setListener((slot) => {
    const tr = env.pm.trace;
    if (!fired && tr.eventAt(slot) === event && tr.deviceAt(slot) === id && tr.stageAt(slot) === stage) { fired = true; act(); }
  });
}

/**
 * Devices a and b both answer PENDING to `hook`; a suspend starts; a completes with `aStatus` 100 us later
 * from a timer, and the listener of a's `event` record in `stage` completes b with `bStatus`.
 */
function twoPending(env: Env, hook: "suspend" | "resume", event: number, stage: number, aStatus: number, bStatus: number) {
  const a = env.add({ name: "a" });
  const b = env.add({ name: "b" });
  let tokA = -1, tokB = -1;
  a.behaviour[hook] = { kind: "call", fn: (t) => { tokA = t; return PENDING; } };
  b.behaviour[hook] = { kind: "call", fn: (t) => { tokB = t; return PENDING; } };
  env.pm.seal();
  onRecord(env, event, a.id, stage, () => env.pm.complete(tokB, bStatus));
  expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
  env.later(100, () => env.pm.complete(tokA, aStatus));
  return { env, a, b };
}

describe("a listener completes another device from a record written outside the walk", () => {
  test("an IO completed from the listener of another device's asynchronous S1 done record: the attempt ends IO once, every device active and serving", () => {
    const env = new Env();
    const bus = env.add({ name: "bus" });
    const a = env.add({ name: "a", parent: "bus" });
    const b = env.add({ name: "b" });
    let tokA = -1, tokB = -1;
    a.behaviour.prepare = { kind: "call", fn: (t) => { tokA = t; return PENDING; } };
    b.behaviour.prepare = { kind: "call", fn: (t) => { tokB = t; return PENDING; } };
    env.pm.seal();
    const q = new RequestQueue(2, () => OK, () => {});
    env.pm.port(bus.id).registerQueue(q);
    onRecord(env, E_HOOK_DONE, a.id, S_PREPARE, () => env.pm.complete(tokB, IO));
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.later(100, () => env.pm.complete(tokA, OK));
    env.platform.advance(10_000_000);
    // It failed the bus (no hook of it ran) after the attempt ended, never re-probed; its queue refused FAILED.
    expect({ outcomes: env.outcomes, states: env.states(), reprobes: bus.calls.reprobe, submit: q.submit(1), calls: env.calls() }).toEqual({
      outcomes: [IO], states: ["bus=" + D_ACTIVE, "a=" + D_ACTIVE, "b=" + D_ACTIVE], reprobes: 0, submit: OK,
      calls: ["a:prepare", "b:prepare"],
    });
  });

  test("an OK completed from the listener of another device's asynchronous S2 fail record: the attempt ends IO without sleeping, the other rolled back", () => {
    const { env } = twoPending(new Env(), "suspend", E_HOOK_FAIL, S_SUSPEND, IO, OK);
    env.platform.advance(50_000);
    // It settled S2 as a success inside the listener: S3 ran on a, the board slept, the attempt ended OK.
    expect({ outcomes: env.outcomes, slept: env.log.includes("platform:sleep"), calls: env.calls(), states: env.states() }).toEqual({
      outcomes: [IO], slept: false, calls: ["b:prepare", "a:prepare", "b:suspend", "a:suspend", "b:resume"], states: ["a=" + D_ACTIVE, "b=" + D_ACTIVE],
    });
  });

  test("an IO completed from the listener of an R2 done record: that device is failed and re-probed, the others stay active", () => {
    const { env, a, b } = twoPending(new Env({ reprobeFirstUs: 1_000_000 }), "resume", E_HOOK_DONE, S_RESUME, OK, IO);
    env.platform.advance(5_000_000);
    expect({ outcomes: env.outcomes, states: env.states(), reprobes: [a.calls.reprobe, b.calls.reprobe] }).toEqual({
      outcomes: [IO], states: ["a=" + D_ACTIVE, "b=" + D_ACTIVE], reprobes: [0, 1],
    });
  });

  test("a budget expiry whose record's listener completes another device, whose done record's listener fails a third: S2 ends with the timeout, all rolled back", () => {
    const env = new Env({ defaultBudgetUs: 1_000 });
    const a = env.add({ name: "a" });
    const b = env.add({ name: "b" });
    const c = env.add({ name: "c" });
    let tokB = -1, tokC = -1;
    a.behaviour.suspend = { kind: "hang" };
    b.behaviour.suspend = { kind: "call", fn: (t) => { tokB = t; return PENDING; } };
    c.behaviour.suspend = { kind: "call", fn: (t) => { tokC = t; return PENDING; } };
    env.pm.seal();
    let step = 0;
    env.pm.trace.setListener((slot) => {
      const tr = env.pm.trace;
      if (step === 0 && tr.eventAt(slot) === E_TIMEOUT && tr.deviceAt(slot) === a.id) { step = 1; env.pm.complete(tokB, OK); }
      else if (step === 1 && tr.eventAt(slot) === E_HOOK_DONE && tr.deviceAt(slot) === b.id && tr.stageAt(slot) === S_SUSPEND) { step = 2; env.pm.complete(tokC, IO); }
    });
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(50_000);
    expect({ step, outcomes: env.outcomes, slept: env.log.includes("platform:sleep"), states: env.states(), calls: env.calls() }).toEqual({
      step: 2, outcomes: [TIMEOUT], slept: false, states: ["a=" + D_ACTIVE, "b=" + D_ACTIVE, "c=" + D_ACTIVE], calls: env.calls(),
    });
  });
});
