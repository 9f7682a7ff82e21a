// Requests parked when a hibernate passes S2: ABORTED only when it goes on to the deep sleep; a wake before that replays them.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, IO, ABORTED, T_HIBERNATE, TEST_NONE, ROLE_STORAGE, ROLE_WAKE, RequestQueue, STATUS_NAMES, S_POWER_OFF } from "../../runtime";
import { E_STAGE_BEGIN } from "../../runtime/trace";

/** flash (storage), a sensor whose S2 gates its queue and parks request 7 in it, and a wake button on line 0. */
function board() {
  const env = new Env();
  const flash = env.add({ name: "flash", roles: ROLE_STORAGE });
  const sensor = env.add({ name: "sensor" });
  env.add({ name: "button", roles: ROLE_WAKE, wakeLine: 0 });
  const done: string[] = [];
  // "!" marks a completion that ran with IRQs masked (none should).
  const q = new RequestQueue(4, () => OK, (t, s) => done.push(t + ":" + STATUS_NAMES[s] + (env.platform.masked > 0 ? "!" : "")));
  sensor.behaviour.suspend = { kind: "call", fn: () => { q.gate(); q.submit(7); return OK; } };
  sensor.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  return { env, flash, sensor, q, done, seal: () => { env.pm.seal(); env.pm.port(sensor.id).registerQueue(q); } };
}

describe("a wake before the hibernate's deep sleep", () => {
  test("raised while the flash writes the image (S2, synchronous): WAKEUP, no sleep, request 7 replayed at R2", () => {
    const b = board();
    b.flash.behaviour.suspend = { kind: "call", fn: () => { b.env.pm.irq.raise(0); return OK; } };
    b.seal();
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect([STATUS_NAMES[b.env.outcomes[0]], b.env.log.includes("platform:sleep"), b.done, b.q.completedAborted]).toEqual(["WAKEUP", false, ["7:OK"], 0]);
  });

  test("the button pressed while the flash's S2 is PENDING: the same", () => {
    const b = board();
    b.flash.behaviour.suspend = { kind: "pending", afterUs: 500 };
    b.seal();
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    b.env.platform.advance(100);
    b.env.pm.irq.raise(0);
    b.env.platform.advance(10_000);
    expect([STATUS_NAMES[b.env.outcomes[0]], b.env.log.includes("platform:sleep"), b.done]).toEqual(["WAKEUP", false, ["7:OK"]]);
  });

  test("an ABORTED callback that raises a wake itself: the hibernate aborts (WAKEUP, no sleep); its request stays ABORTED, completed once", () => {
    const b = board();
    const done: string[] = [];
    const q2 = new RequestQueue(2, () => OK, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); b.env.pm.irq.raise(0); });
    b.sensor.behaviour.suspend = { kind: "call", fn: () => { q2.gate(); q2.submit(8); return OK; } };
    b.sensor.behaviour.resume = { kind: "call", fn: () => { q2.open(); return OK; } };
    b.env.pm.seal();
    b.env.pm.port(b.sensor.id).registerQueue(q2);
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect([STATUS_NAMES[b.env.outcomes[0]], b.env.log.includes("platform:sleep"), done, q2.length]).toEqual(["WAKEUP", false, ["8:ABORTED"], 0]);
  });
});

describe("stated limit (guarantees.md): a failure in S3, after the requests were aborted with IRQs still on", () => {
  test("rolls back with the system up, request 7 stays ABORTED (completed once) and is served when submitted again", () => {
    const b = board();
    b.sensor.behaviour.powerOffNoIrq = { kind: "fail", status: IO };
    b.seal();
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect([STATUS_NAMES[b.env.outcomes[0]], b.env.log.includes("platform:sleep"), b.done]).toEqual(["IO", false, ["7:ABORTED"]]);
    expect(b.q.submit(7)).toBe(OK);
    expect(b.done).toEqual(["7:ABORTED", "7:OK"]);
  });
});

describe("a hibernate that sleeps", () => {
  test("request 7 completes ABORTED once, before S3 masks IRQs", () => {
    const b = board();
    b.seal();
    b.env.platform.sleepMode = "sync";
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect([b.env.log.includes("platform:sleep"), b.done, b.q.completedAborted]).toEqual([true, ["7:ABORTED"], 1]);
  });

  test("a request submitted with IRQs masked (another driver's S3 hook, a listener on S3's begin record) is refused ABORTED at submit: no completion runs masked, none is parked to be lost with RAM", () => {
    const b = board();
    const answers: number[] = [];
    b.env.add({ name: "other" }).behaviour.powerOffNoIrq = { kind: "call", fn: () => { answers.push(b.q.submit(42)); return OK; } };
    b.seal();
    b.env.pm.trace.setListener((slot) => {
      const t = b.env.pm.trace;
      if (t.eventAt(slot) === E_STAGE_BEGIN && t.stageAt(slot) === S_POWER_OFF) answers.push(b.q.submit(43));
    });
    b.env.platform.sleepMode = "sync";
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    // It completed 42 ABORTED at the end of S3, with IRQs masked ("42:ABORTED!").
    expect([b.env.log.includes("platform:sleep"), answers, b.done, b.q.length, b.q.completedAborted])
      .toEqual([true, [ABORTED, ABORTED], ["7:ABORTED"], 0, 1]);
    expect(b.q.submitted).toBe(b.q.refused + b.q.completed + b.q.length);
  });

  test("an ABORTED callback that submits again is refused ABORTED at submit (the queue closed before the aborts ran)", () => {
    const b = board();
    const answers: number[] = [];
    const done: string[] = [];
    const q2 = new RequestQueue(4, () => OK, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); answers.push(q2.submit(t + 100)); });
    b.sensor.behaviour.suspend = { kind: "call", fn: () => { q2.gate(); q2.submit(8); return OK; } };
    b.sensor.behaviour.resume = { kind: "call", fn: () => { q2.open(); return OK; } };
    b.env.pm.seal();
    b.env.pm.port(b.sensor.id).registerQueue(q2);
    b.env.platform.sleepMode = "sync";
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect([b.env.log.includes("platform:sleep"), done, answers, q2.length]).toEqual([true, ["8:ABORTED"], [ABORTED], 0]);
  });
});
