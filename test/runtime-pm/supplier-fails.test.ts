// Runtime PM when a runtime suspend fails: the device stays active and the gets that waited on it (its own, its consumers') go on, as in Linux.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add, rpmCalls, rpmTrace } from "./helpers";
import { OK, IO, FAILED, PENDING, D_FAILED, T_STANDBY, TEST_NONE, RPM_ACTIVE, RPM_SUSPENDED, RPM_SUSPENDING, RequestQueue, STATUS_NAMES } from "../../runtime";
import type { Behaviour } from "../runtime/fakes";

/**
 * P (autosuspendMs 1) supplies C (its child); C is put down at once, P's delay runs out 1 ms later and its
 * runtimeSuspend starts with `rs`. While P is SUSPENDING, C gets a user and a request (the repro of the review).
 */
function consumerWaits(rs: Behaviour) {
  const env = new Env({ defaultBudgetUs: 5_000 });
  const P = add(env, { name: "P", autosuspendMs: 1 });
  const C = add(env, { name: "C", parent: "P" });
  const done: string[] = [];
  const q = new RequestQueue(4, () => OK, (t, s) => done.push(t + ":" + STATUS_NAMES[s] + "@" + env.platform.now()));
  C.queue = q;
  env.pm.seal();
  const pc = env.pm.port(C.id), pp = env.pm.port(P.id);
  pc.registerQueue(q);
  pc.get(); pc.put();
  P.rs = rs;
  env.platform.advance(1_500);
  const before = pp.runtimeState;
  const answers = [pc.get(), q.submit(7)];
  return { env, P, C, pc, pp, q, done, before, answers };
}

describe("a supplier's runtime suspend fails while a consumer waits to resume on it", () => {
  test("IO after 2 ms: P stays active, C resumes at once (no retry of P), request 7 is served then", () => {
    const w = consumerWaits({ kind: "pending", afterUs: 2_000, status: IO });
    w.env.platform.advance(1_000_000);
    expect({
      before: w.before, answers: w.answers, C: w.pc.runtimeState, usage: w.pc.usage, P: w.pp.runtimeState, done: w.done,
      calls: rpmCalls(w.env), trace: rpmTrace(w.env), failures: w.env.pm.rpm.failures[w.P.id], active: w.env.pm.rpm.active[w.P.id],
    }).toEqual({
      before: RPM_SUSPENDING, answers: [PENDING, OK], C: RPM_ACTIVE, usage: 1, P: RPM_ACTIVE, done: ["7:OK@3000"],
      calls: ["C:runtimeSuspend", "P:runtimeSuspend", "P:runtimeSuspend:done", "C:runtimeResume"],
      trace: ["C rpm-state suspending", "C rpm-state suspended", "P rpm-state suspending", "P rpm-state active", "P rpm-fail IO", "C rpm-state resuming", "C rpm-state active"],
      failures: 1, active: 1,
    });
  });

  test("a hung suspend: TIMEOUT at P's 5 ms budget, then the same: C resumes, request 7 served, no retry storm", () => {
    const w = consumerWaits({ kind: "hang" });
    w.env.platform.advance(1_000_000);
    expect({ C: w.pc.runtimeState, P: w.pp.runtimeState, done: w.done, calls: rpmCalls(w.env), trace: rpmTrace(w.env) }).toEqual({
      C: RPM_ACTIVE, P: RPM_ACTIVE, done: ["7:OK@6000"],
      calls: ["C:runtimeSuspend", "P:runtimeSuspend", "C:runtimeResume"],
      trace: ["C rpm-state suspending", "C rpm-state suspended", "P rpm-state suspending", "P rpm-state active", "P rpm-fail TIMEOUT", "C rpm-state resuming", "C rpm-state active"],
    });
  });

  test("afterwards the pair works as before: P gets a user of its own, C is put down, P suspends only after both are gone", () => {
    const w = consumerWaits({ kind: "pending", afterUs: 2_000, status: IO });
    w.env.platform.advance(2_600);
    expect(w.pp.get()).toBe(OK);
    w.env.platform.advance(60_000_000);
    expect([w.done, w.pc.runtimeState, w.pc.usage]).toEqual([["7:OK@3000"], RPM_ACTIVE, 1]);
    w.P.rs = { kind: "ok" };
    w.pc.put();
    w.env.platform.advance(10_000);
    expect([w.pc.runtimeState, w.pp.runtimeState]).toEqual([RPM_SUSPENDED, RPM_ACTIVE]); // P's own user holds it
    w.pp.put();
    expect(rpmCalls(w.env).slice(4)).toEqual(["C:runtimeSuspend", "P:runtimeSuspend"]);
    expect([w.pc.runtimeState, w.pp.runtimeState]).toEqual([RPM_SUSPENDED, RPM_SUSPENDED]);
  });

  test("P's own get during its failing suspend: PENDING, then active; the next put suspends it and nothing resumes it again", () => {
    const env = new Env();
    const P = add(env, { name: "P" });
    env.pm.seal();
    const pp = env.pm.port(P.id);
    pp.get(); P.rs = { kind: "pending", afterUs: 500, status: IO };
    pp.put();
    expect([pp.runtimeState, pp.get()]).toEqual([RPM_SUSPENDING, PENDING]);
    env.platform.advance(500);
    expect([pp.runtimeState, pp.usage]).toEqual([RPM_ACTIVE, 1]);
    P.rs = { kind: "ok" };
    pp.put(); // suspend now: the get it answered is over, so no resume follows
    env.platform.advance(1_000_000);
    expect([pp.runtimeState, rpmCalls(env)]).toEqual([RPM_SUSPENDED, ["P:runtimeSuspend", "P:runtimeSuspend:done", "P:runtimeSuspend"]]);
  });

  test("no delay: a refused suspend after a put waits for the next put, not the end of the next system attempt", () => {
    const env = new Env();
    const P = add(env, { name: "P" });
    env.pm.seal();
    const pp = env.pm.port(P.id);
    pp.get(); P.rs = { kind: "fail", status: IO };
    pp.put();
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(1_000_000);
    expect([env.outcomes, pp.runtimeState, rpmCalls(env)]).toEqual([[OK], RPM_ACTIVE, ["P:runtimeSuspend", "P:prepare", "P:suspend", "P:powerOffNoIrq!", "P:powerOnNoIrq!", "P:resume"]]);
    P.rs = { kind: "ok" };
    pp.get(); pp.put();
    expect(pp.runtimeState).toBe(RPM_SUSPENDED);
  });
});

describe("a supplier does not go down under a consumer waiting to resume", () => {
  /** On `env`: C, child of P and needing Q (P and Q with autosuspendMs 1), sealed, C got and put once. */
  function consumerOfTwo(env: Env) {
    const P = add(env, { name: "P", autosuspendMs: 1 });
    const Q = add(env, { name: "Q", autosuspendMs: 1 });
    const C = add(env, { name: "C", parent: "P", needs: ["Q"] });
    env.pm.seal();
    const pc = env.pm.port(C.id);
    pc.get(); pc.put();
    return { P, Q, C, pc };
  }

  test("C needs P and Q; P's suspend fails while Q's still runs: P is not retried while C waits, C resumes when Q is back", () => {
    const env = new Env();
    const { P, Q, pc } = consumerOfTwo(env);
    P.rs = { kind: "pending", afterUs: 500, status: IO };
    Q.rs = { kind: "pending", afterUs: 5_000 };
    env.platform.advance(1_000);
    expect(pc.get()).toBe(PENDING);
    env.platform.advance(1_000_000);
    expect({ C: pc.runtimeState, P: env.pm.port(P.id).runtimeState, Q: env.pm.port(Q.id).runtimeState, calls: rpmCalls(env) }).toEqual({
      C: RPM_ACTIVE, P: RPM_ACTIVE, Q: RPM_ACTIVE,
      calls: ["C:runtimeSuspend", "P:runtimeSuspend", "Q:runtimeSuspend", "P:runtimeSuspend:done", "Q:runtimeSuspend:done", "Q:runtimeResume", "C:runtimeResume"],
    });
  });

  test("a consumer cut off by a failed supplier holds none: C needs P and Q, Q's resume fails, P idles down after its 1 ms", () => {
    const env = new Env({ reprobeFirstUs: 1_000_000 });
    const { P, Q, pc } = consumerOfTwo(env);
    env.platform.advance(2_000);
    Q.rr = { kind: "fail", status: IO };
    Q.behaviour.reprobe = { kind: "fail", status: IO };
    expect(pc.get()).toBe(FAILED);
    env.platform.advance(5_000);
    expect({ P: env.pm.port(P.id).runtimeState, Q: env.pm.deviceState(Q.id), C: pc.runtimeState, calls: rpmCalls(env) }).toEqual({
      P: RPM_SUSPENDED, Q: D_FAILED, C: RPM_SUSPENDED,
      calls: ["C:runtimeSuspend", "P:runtimeSuspend", "Q:runtimeSuspend", "P:runtimeResume", "Q:runtimeResume", "Q:reprobe", "P:runtimeSuspend"],
    });
  });

  test("a bus with no delay whose chip gets a user during the chip's pending suspend: the bus stays up (not down and up again)", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus" });
    env.pm.seal();
    const cp = env.pm.port(chip.id);
    cp.get();
    chip.rs = { kind: "pending", afterUs: 500 };
    cp.put();
    expect(cp.get()).toBe(PENDING);
    env.platform.advance(1_000);
    expect([cp.runtimeState, env.pm.port(bus.id).runtimeState, rpmCalls(env)])
      .toEqual([RPM_ACTIVE, RPM_ACTIVE, ["chip:runtimeSuspend", "chip:runtimeSuspend:done", "chip:runtimeResume"]]);
    expect(bus.id).toBe(0);
  });
});

describe("a supplier's runtime resume fails while a consumer waits to resume behind it", () => {
  /** bus -> chip, both runtime-suspended; the chip's queue is gated by its runtimeSuspend; the bus's next runtime resume fails after 100 µs. */
  function cutOff(reprobe: "fail" | "ok") {
    const env = new Env({ reprobeFirstUs: 1_000, reprobeCapUs: 8_000 });
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus" });
    const done: string[] = [];
    const q = new RequestQueue(4, () => OK, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    chip.queue = q;
    env.pm.seal();
    const cp = env.pm.port(chip.id);
    cp.registerQueue(q);
    cp.get(); cp.put();
    bus.rr = { kind: "pending", afterUs: 100, status: IO };
    bus.behaviour.reprobe = reprobe === "fail" ? { kind: "fail", status: IO } : { kind: "ok" };
    const answers = [cp.get(), q.submit(7)];
    return { env, bus, chip, cp, q, done, answers };
  }

  test("the consumer's waiting request completes FAILED once the supplier failed; later submits are refused FAILED; the queue balances", () => {
    const w = cutOff("fail");
    w.env.platform.advance(600_000_000);
    expect({
      answers: w.answers, done: w.done, bus: w.env.pm.deviceState(w.bus.id), chip: w.env.pm.deviceState(w.chip.id), chipRpm: w.cp.runtimeState,
      later: STATUS_NAMES[w.q.submit(8)], length: w.q.length, balance: w.q.submitted - (w.q.refused + w.q.completed + w.q.length),
    }).toEqual({
      // The chip itself is not failed (D_ACTIVE = 0, not re-probed): it waits, runtime-suspended, for its supplier.
      answers: [PENDING, OK], done: ["7:FAILED"], bus: D_FAILED, chip: 0, chipRpm: RPM_SUSPENDED,
      later: "FAILED", length: 0, balance: 0,
    });
  });

  test("a get after the supplier failed answers FAILED and the queue refuses at once", () => {
    const w = cutOff("fail");
    w.env.platform.advance(200);
    w.cp.put();
    expect([STATUS_NAMES[w.cp.get()], STATUS_NAMES[w.q.submit(9)], w.done]).toEqual(["FAILED", "FAILED", ["7:FAILED"]]);
  });

  test("the supplier's re-probe brings it back: the consumer resumes, its queue reopens and serves", () => {
    const w = cutOff("ok");
    w.env.platform.advance(200);
    expect(w.done).toEqual(["7:FAILED"]);
    w.env.platform.advance(1_000_000);
    expect([w.env.pm.deviceState(w.bus.id), w.cp.runtimeState, STATUS_NAMES[w.q.submit(10)], w.done]).toEqual([0, RPM_ACTIVE, "OK", ["7:FAILED", "10:OK"]]);
  });
});
