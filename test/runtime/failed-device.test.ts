// A failed device loses nothing: its waiting requests complete with FAILED, new ones are refused, a re-probe brings it back.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import {
  OK, IO, FAILED, PENDING, BUSY, INVALID, T_STANDBY, T_HIBERNATE, TEST_NONE, D_ACTIVE, D_FAILED, P_IDLE, P_REPROBING,
  ROLE_STORAGE, RequestQueue,
  STAGE_NAMES, STATUS_NAMES, TraceEvents,
} from "../../runtime";

/** A sensor whose S2 gates its queue and R2 reopens it, plus a bus it hangs off. */
function sensorBoard(config = {}) {
  const env = new Env(config);
  env.add({ name: "bus" });
  const dev = env.add({ name: "sensor", parent: "bus" });
  const done: string[] = [];
  let served = 0;
  const q = new RequestQueue(4, () => { served++; return OK; }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
  dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
  dev.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  env.pm.seal();
  env.pm.port(dev.id).registerQueue(q);
  env.platform.sleepMode = "async";
  return { env, dev, q, done, served: () => served };
}

/** The trace ring as "device stage event status" lines, system records as "-". */
function trace(env: Env, from = 0): string[] {
  const tr = env.pm.trace;
  const out: string[] = [];
  for (let i = from; i < tr.length; i++) {
    const s = tr.slot(i);
    const d = tr.deviceAt(s) < 0 ? "-" : env.pm.graph.names[tr.deviceAt(s)];
    const st = tr.stageAt(s) < 0 ? "-" : STAGE_NAMES[tr.stageAt(s)];
    out.push([d, st, TraceEvents.EVENT_NAMES[tr.eventAt(s)], tr.statusAt(s)].join(" "));
  }
  return out;
}

describe("requests of a device whose resume failed", () => {
  test("parked requests complete with FAILED once the attempt ends; new ones are refused at submit with FAILED", () => {
    const { env, dev, q, done } = sensorBoard();
    dev.behaviour.powerOnNoIrq = { kind: "fail", status: IO };
    dev.behaviour.reprobe = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([q.submit(1), q.submit(2)]).toEqual([OK, OK]);
    expect(done).toEqual([]);
    env.platform.wakeNow(0);
    expect(env.outcomes).toEqual([IO]);
    expect(env.pm.deviceState(dev.id)).toBe(D_FAILED);
    expect(done).toEqual(["1:FAILED", "2:FAILED"]);
    expect(q.submit(3)).toBe(FAILED);
    // The queue's own R2 `open` cannot bring it back: only a successful re-probe does.
    q.open();
    expect(q.submit(4)).toBe(FAILED);
    expect([q.completedFailed, q.refusedFailed, q.submitted, q.refused + q.completed + q.length]).toEqual([2, 2, 4, 4]);
  });
});

describe("re-probe", () => {
  test("runs at the first idle moment; OK makes the device active and its queue serves again", () => {
    const { env, dev, q, done, served } = sensorBoard();
    dev.behaviour.resume = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.wakeNow(0);
    expect(env.pm.deviceState(dev.id)).toBe(D_FAILED);
    const mark = env.pm.trace.length;
    env.platform.advance(0);
    expect(trace(env, mark)).toEqual([
      "- reprobe stage-begin 0", "sensor reprobe done 0", "- reprobe stage-end 0",
    ]);
    expect(env.pm.deviceState(dev.id)).toBe(D_ACTIVE);
    expect(q.submit(5)).toBe(OK);
    expect([done, served()]).toEqual([[ "5:OK" ], 1]);
    expect([env.pm.recovery.attempts, env.pm.recovery.recovered]).toEqual([1, 1]);
  });

  test("a failing re-probe retries after 1 s, 2 s, 4 s ... up to the cap; a success resets the backoff", () => {
    const { env, dev } = sensorBoard({ reprobeFirstUs: 1_000_000, reprobeCapUs: 4_000_000 });
    dev.behaviour.powerOnNoIrq = { kind: "fail", status: IO };
    const at: number[] = [];
    dev.behaviour.reprobe = { kind: "call", fn: () => { at.push(env.platform.t / 1e6); return IO; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.wakeNow(0);
    env.platform.advance(16_000_000);
    // Due at once (t = 0), then after 1 s, 2 s, 4 s, and 4 s again (the cap).
    expect(at).toEqual([0, 1, 3, 7, 11, 15]);
    dev.behaviour.reprobe = { kind: "ok" };
    env.platform.advance(4_000_000);
    expect([at.length, env.pm.deviceState(dev.id)]).toEqual([6, D_ACTIVE]);
    expect(env.pm.recovery.dueIn(dev.id, env.platform.t)).toBe(-1);
  });

  test("recover(d) re-probes at once whatever the backoff; INVALID for a device that is not failed", () => {
    const { env, dev } = sensorBoard({ reprobeFirstUs: 60_000_000 });
    expect(env.pm.recover(dev.id)).toBe(INVALID);
    expect(env.pm.recover(99)).toBe(INVALID);
    dev.behaviour.resume = { kind: "fail", status: IO };
    dev.behaviour.reprobe = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.wakeNow(0);
    env.platform.advance(0);
    expect(dev.calls.reprobe).toBe(1);
    env.platform.advance(1_000);
    expect(dev.calls.reprobe).toBe(1);
    dev.behaviour.reprobe = { kind: "ok" };
    expect(env.pm.recover(dev.id)).toBe(OK);
    env.platform.advance(0);
    expect([dev.calls.reprobe, env.pm.deviceState(dev.id)]).toEqual([2, D_ACTIVE]);
  });

  test("recover(d) while d's re-probe is in flight: when that re-probe fails, the next one runs at once, not after the backoff", () => {
    const env = new Env({ reprobeFirstUs: 60_000_000 });
    const dev = env.add({ name: "sensor" });
    dev.behaviour.resume = { kind: "fail", status: IO };
    env.pm.seal();
    const at: number[] = [];
    dev.behaviour.reprobe = { kind: "call", fn: (t) => { at.push(env.platform.t); env.later(1_000, () => env.pm.complete(t, IO)); return PENDING; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(100);
    expect([at.length, env.pm.recover(dev.id)]).toEqual([1, OK]);
    env.platform.advance(10_000_000);
    // The first re-probe failed at +1 ms; the one asked for ran right then; the next after the 60 s backoff.
    expect(at.length).toBe(2);
    expect(at[1] - at[0]).toBe(1_000);
  });

  test("a pending re-probe holds the runtime: a suspend meanwhile answers BUSY, then works", () => {
    const { env, dev } = sensorBoard();
    dev.behaviour.resume = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.wakeNow(0);
    dev.behaviour.reprobe = { kind: "pending", afterUs: 2_000 };
    env.platform.advance(0);
    expect(env.pm.phase).toBe(P_REPROBING);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(BUSY);
    env.platform.advance(2_000);
    expect([env.pm.phase, env.pm.deviceState(dev.id)]).toEqual([P_IDLE, D_ACTIVE]);
    dev.behaviour.resume = { kind: "ok" };
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.wakeNow(0);
    expect(env.outcomes).toEqual([IO, OK]);
    expect(PENDING).toBe(1);
  });

  test("a device without a reprobe hook comes back at the first idle moment (nothing to re-initialise)", () => {
    const env = new Env();
    const led = env.add({ name: "led" });
    // Which hooks a driver has is read at seal (hook-table.ts).
    (led as unknown as { reprobe?: unknown }).reprobe = undefined;
    env.pm.seal();
    led.behaviour.powerOnNoIrq = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.pm.deviceState(led.id)).toBe(D_FAILED);
    env.platform.advance(0);
    expect(env.pm.deviceState(led.id)).toBe(D_ACTIVE);
  });
});

describe("hibernate and the storage device", () => {
  test("refused at once while the storage device is failed (FAILED); standby still works; without a storage device the platform decides", () => {
    const none = new Env();
    none.add({ name: "led" });
    none.pm.seal();
    // No storage device: the platform keeps the image (ESP32 RTC memory) or refuses the deep sleep itself.
    expect(none.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);

    const env = new Env({ reprobeFirstUs: 60_000_000 });
    const flash = env.add({ name: "flash", roles: ROLE_STORAGE });
    env.pm.seal();
    flash.behaviour.resume = { kind: "fail", status: IO };
    flash.behaviour.reprobe = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(0);
    expect(env.pm.deviceState(flash.id)).toBe(D_FAILED);
    expect(env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(FAILED);
    expect(env.pm.stats.attempts).toBe(1);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
  });

  test("a re-probe gets its own budget (stageBudgetUs.reprobe): a slow chip reset is not cut at the default", () => {
    const env = new Env();
    const panel = env.add({ name: "panel", stageBudgetUs: { reprobe: 300_000 } });
    env.pm.seal();
    panel.behaviour.resume = { kind: "fail", status: IO };
    panel.behaviour.reprobe = { kind: "pending", afterUs: 250_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(400_000);
    expect(env.pm.deviceState(panel.id)).toBe(D_ACTIVE);
    expect(env.pm.stats.timeouts).toBe(0);
  });
});

describe("a completion callback that throws while a failed device's requests are drained", () => {
  test("is counted; every other waiting request still completes with FAILED, in order", () => {
    const env = new Env();
    const dev = env.add({ name: "sensor" });
    env.pm.seal();
    const done: string[] = [];
    const q = new RequestQueue(8, () => OK, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); if (t === 2) throw new Error("app bug"); });
    env.pm.port(dev.id).registerQueue(q);
    dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    dev.behaviour.resume = { kind: "fail", status: IO };
    dev.behaviour.reprobe = { kind: "fail", status: IO };
    env.platform.sleepMode = "async";
    env.pm.suspend(T_STANDBY, TEST_NONE);
    for (let t = 1; t <= 4; t++) q.submit(t);
    env.platform.wakeNow(0);
    expect(done).toEqual(["1:FAILED", "2:FAILED", "3:FAILED", "4:FAILED"]);
    expect(env.pm.stats.listenerFaults).toBe(1);
    expect(env.pm.phase).toBe(P_IDLE);
  });
});
