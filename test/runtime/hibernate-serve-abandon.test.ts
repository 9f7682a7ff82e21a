// A hibernate asked for inside serve (abandonServed): every request completes once with its own answer on every way the sleep can end; the image is not restored twice.
import { expect, test } from "vitest";
import { Env, imageOfEvery } from "../runtime/fakes";
import { OK, PENDING, IO, INVALID, T_HIBERNATE, TEST_NONE, ROLE_STORAGE, ROLE_WAKE, RequestQueue, STATUS_NAMES } from "../../runtime";
import { E_SLEEP_ENTER } from "../../runtime/trace";

function counters(q: RequestQueue) {
  return { bal: q.submitted === q.refused + q.completed + q.length, len: q.length, parkedNow: q.parkedNow, replayed: q.replayed, parked: q.parked, ab: q.completedAborted, sf: q.serveFaults };
}

/** cmd queue; serve(1) starts an op (its driver finishes it later with q.done), asks for a hibernate, answers PENDING. */
function board(mode: "sync" | "async", s3fail = false) {
  const env = new Env();
  env.add({ name: "flash", roles: ROLE_STORAGE });
  const cmd = env.add({ name: "cmd" });
  const done: string[] = [];
  let opFor = -1;
  const q: RequestQueue = new RequestQueue(4, (t: number): number => {
    opFor = t;
    if (t === 1) env.pm.port(cmd.id).requestSuspend(T_HIBERNATE, TEST_NONE);
    return PENDING;
  }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
  cmd.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
  cmd.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  if (s3fail) cmd.behaviour.powerOffNoIrq = { kind: "fail", status: IO };
  env.pm.seal();
  env.pm.port(cmd.id).registerQueue(q);
  env.platform.sleepMode = mode;
  return { env, q, done, op: () => opFor };
}

test("a hibernate asked for in serve and rolled back in S3: the abandoned request's later done() is its own, the next request gets its own answer", () => {
  const b = board("sync", true);
  expect(b.q.submit(1)).toBe(OK);
  const afterAttempt = { done: b.done.slice(), outcome: STATUS_NAMES[b.env.outcomes[0]], c: counters(b.q) };
  expect(b.q.submit(3)).toBe(OK);        // the application resubmits / goes on after the rollback
  b.q.done(OK);                          // the hardware op serve(1) started finishes: its driver answers
  const after = b.done.slice();
  b.q.done(IO);                          // the op for 3 finishes with an error
  expect({ afterAttempt, after, final: b.done.slice(), c: counters(b.q) }).toEqual({
    afterAttempt: { done: ["1:ABORTED"], outcome: "IO", c: afterAttempt.c },
    after: ["1:ABORTED"],                // 3 should still be in flight
    final: ["1:ABORTED", "3:IO"],
    c: counters(b.q),
  });
});

test("the deep sleep refused (sleep returns): 1 ABORTED, its later done dropped, 3 served", () => {
  const b = board("sync");
  expect(b.q.submit(1)).toBe(OK);
  const first = b.done.slice();
  b.q.submit(3);
  b.q.done(OK); // late answer of op 1
  expect({ first, done: b.done.slice(), c: counters(b.q) }).toEqual({ first: ["1:ABORTED"], done: ["1:ABORTED"], c: counters(b.q) });
});

test("serve calls done(OK) then asks, answers PENDING", () => {
  const env = new Env();
  env.add({ name: "flash", roles: ROLE_STORAGE });
  const cmd = env.add({ name: "cmd" });
  const done: string[] = [];
  const q: RequestQueue = new RequestQueue(4, (t) => { q.done(OK); if (t === 1) env.pm.port(cmd.id).requestSuspend(T_HIBERNATE, TEST_NONE); return PENDING; }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
  cmd.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
  cmd.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  env.pm.seal(); env.pm.port(cmd.id).registerQueue(q);
  env.platform.sleepMode = "sync";
  q.submit(1); q.submit(2);
  expect({ done, c: counters(q) }).toEqual({ done: ["1:ABORTED", "2:OK"], c: { bal: true, len: 0, parkedNow: 0, replayed: 0, parked: 0, ab: 1, sf: 0 } });
});

test("nested queues, one serve throwing: serve of A submits to B whose serve asks then throws", () => {
  const env = new Env();
  env.add({ name: "flash", roles: ROLE_STORAGE });
  const cmd = env.add({ name: "cmd" });
  const done: string[] = [];
  const qb: RequestQueue = new RequestQueue(4, (t) => { if (t === 10) { env.pm.port(cmd.id).requestSuspend(T_HIBERNATE, TEST_NONE); throw new Error("x"); } return OK; }, (t, s) => done.push("B" + t + ":" + STATUS_NAMES[s]));
  const qa: RequestQueue = new RequestQueue(4, (t) => { if (t === 1) { qb.submit(10); qa.submit(2); } return OK; }, (t, s) => done.push("A" + t + ":" + STATUS_NAMES[s]));
  cmd.behaviour.suspend = { kind: "call", fn: () => { qa.gate(); qb.gate(); return OK; } };
  cmd.behaviour.resume = { kind: "call", fn: () => { qa.open(); qb.open(); return OK; } };
  env.pm.seal(); env.pm.port(cmd.id).registerQueue(qa); env.pm.port(cmd.id).registerQueue(qb);
  env.platform.sleepMode = "sync";
  qa.submit(1);
  qa.submit(5); qb.submit(11);
  expect({ done, a: counters(qa), b: counters(qb) }).toEqual({ done: ["A1:ABORTED", "B10:ABORTED", "A2:OK", "A5:OK", "B11:OK"], a: counters(qa), b: counters(qb) });
  expect([counters(qa).bal, counters(qb).bal, qb.serveFaults]).toEqual([true, true, 1]);
});

test("image: restored image, then a TEST_NONE hibernate woken by the sleep-enter listener (never slept): resumeFromImage stays INVALID", () => {
  const env = new Env();
  env.add({ name: "flash", roles: ROLE_STORAGE });
  env.add({ name: "sensor" });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  env.pm.seal();
  imageOfEvery(env.pm);
  expect(env.pm.resumeFromImage(-1)).toBe(OK);
  let arm = true;
  env.pm.trace.setListener((slot) => { if (arm && env.pm.trace.eventAt(slot) === E_SLEEP_ENTER) { arm = false; env.pm.irq.raise(0); } });
  env.pm.suspend(T_HIBERNATE, TEST_NONE);
  expect([STATUS_NAMES[env.outcomes[env.outcomes.length - 1]], env.log.includes("platform:sleep")]).toEqual(["WAKEUP", false]);
  expect(env.pm.resumeFromImage(-1)).toBe(INVALID);
});

test("image: restored image, then a TEST_NONE hibernate whose deep sleep the platform refuses (sleep returns a cause): resumeFromImage stays INVALID", () => {
  const env = new Env();
  env.add({ name: "flash", roles: ROLE_STORAGE });
  env.add({ name: "sensor" });
  env.pm.seal();
  imageOfEvery(env.pm);
  expect(env.pm.resumeFromImage(-1)).toBe(OK);
  env.platform.sleepMode = "sync";
  env.pm.suspend(T_HIBERNATE, TEST_NONE);
  expect(env.log.includes("platform:sleep")).toBe(true);
  expect(env.pm.resumeFromImage(-1)).toBe(INVALID);
});
