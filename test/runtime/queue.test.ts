// Request queue: parking from S2 to R1, FIFO replay, FULL at submit, balanced counters, block-pool serialisation, the DevKitC queues registered for parked accounting.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { RequestQueue, BlockPool, OK, PENDING, FULL, IO, INVALID, T_STANDBY, TEST_NONE, TEST_PLATFORM, P_IDLE, P_SUSPENDING } from "../../runtime";
import { Env } from "./fakes";
import { applyOps, queueOps } from "./queue-helpers";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SLEEP_HOLD } from "../../host-sim/board/sim-sleep";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import type { W25q } from "../../drivers/w25q/w25q";
import { F_PARKED, F_OUTCOME } from "../../runtime/flight";

function balanced(q: RequestQueue): void {
  expect(q.submitted).toBe(q.refused + q.completed + q.length);
}

describe("RequestQueue", () => {
  test("gated: parks; reopened: replays FIFO; full: refuses at submit and keeps nothing", () => {
    const served: number[] = [];
    const done: string[] = [];
    const q = new RequestQueue(4, (t) => { served.push(t); return OK; }, (t, s) => done.push(t + ":" + s));
    expect(q.submit(1)).toBe(OK);
    q.gate();
    expect([q.submit(2), q.submit(3), q.submit(4), q.submit(5), q.submit(6)]).toEqual([OK, OK, OK, OK, FULL]);
    expect(served).toEqual([1]);
    expect(q.parked).toBe(4);
    balanced(q);
    q.open();
    expect(served).toEqual([1, 2, 3, 4, 5]);
    expect(done).toEqual(["1:0", "2:0", "3:0", "4:0", "5:0"]);
    expect([q.refused, q.replayed, q.parkedNow]).toEqual([1, 4, 0]);
    balanced(q);
  });

  test("a token that is not a 32-bit integer is refused INVALID and kept nowhere (the ring would hand back another token)", () => {
    const served: number[] = [];
    const done: string[] = [];
    const q = new RequestQueue(4, (t) => { served.push(t); return OK; }, (t, s) => done.push(t + ":" + s));
    const bad: unknown[] = [1.5, 2 ** 32 + 5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, "3", null, undefined];
    expect(bad.map((t) => q.submit(t as number))).toEqual(bad.map(() => INVALID));
    expect([q.submit(-7), q.submit(2 ** 31 - 1)]).toEqual([OK, OK]);
    expect([served, done]).toEqual([[-7, 2 ** 31 - 1], ["-7:0", (2 ** 31 - 1) + ":0"]]);
    expect([q.refused, q.length]).toEqual([bad.length, 0]);
    balanced(q);
  });

  test("an in-flight request finishes while gated and tells the drain listener once", () => {
    const q = new RequestQueue(4, () => PENDING, () => undefined);
    let drained = 0;
    q.setDrainListener(() => drained++);
    q.submit(1);
    q.submit(2);
    q.gate();
    expect(q.idle).toBe(false);
    q.done(OK);
    expect([drained, q.idle, q.length]).toEqual([1, true, 1]);
    q.open();
    expect(q.idle).toBe(false);
    q.done(IO);
    expect(q.completed).toBe(2);
    balanced(q);
  });

  test("exhausted block pool: requests wait at the head (serialised), none refused or lost", () => {
    const pool = new BlockPool(1, 16, 2);
    const order: number[] = [];
    let held = -1;
    const q: RequestQueue = new RequestQueue(8, (t) => {
      held = pool.acquire(0);
      if (held < 0) return FULL;
      return PENDING;
    }, (t) => { order.push(t); pool.release(held); });
    for (let i = 1; i <= 5; i++) expect(q.submit(i)).toBe(OK);
    const other = pool.acquire(1);
    expect(other).toBe(-1); // the one block is in flight for request 1
    for (let i = 0; i < 5; i++) q.done(OK);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(q.refused).toBe(0);
    balanced(q);
  });

  test("property: any interleaving of submit/gate/open/done completes every accepted request exactly once, in order", () => {
    fc.assert(fc.property(queueOps(200), fc.integer({ min: 1, max: 8 }), (ops, cap) => {
      const completions = new Map<number, number>();
      const order: number[] = [];
      const q = new RequestQueue(cap, () => PENDING, (t) => { completions.set(t, (completions.get(t) ?? 0) + 1); order.push(t); });
      const accepted = applyOps(q, ops);
      q.open();
      while (!q.idle) q.done(OK);
      expect(order).toEqual(accepted);
      for (const n of completions.values()) expect(n).toBe(1);
      expect(q.submitted).toBe(q.refused + q.completed + q.length);
      expect(q.length).toBe(0);
    }), { numRuns: 300 });
  });
});

describe("requests across a suspend", () => {
  /** A device with a queue: S2 gates and drains (PENDING), R2 reopens. */
  function makeQueued(env: Env, served: number[], completed: string[]) {
    const dev = env.add({ name: "sensor" });
    let drainToken = -1;
    let inflight = -1;
    const q = new RequestQueue(4, (t) => { served.push(t); inflight = t; return PENDING; }, (t, s) => completed.push(t + ":" + s));
    q.setDrainListener(() => { if (drainToken >= 0) { const tk = drainToken; drainToken = -1; env.pm.complete(tk, OK); } });
    dev.suspend = (token: number) => { q.gate(); if (q.idle) return OK; drainToken = token; return PENDING; };
    dev.resume = () => { q.open(); return OK; };
    env.pm.seal();
    return { q, finish: () => q.done(OK), inflight: () => inflight };
  }

  test("submitted from S2 to R1 are parked, replayed in order in R2; in-flight finished in S2; FULL at capacity", () => {
    const env = new Env();
    env.platform.sleepMode = "async";
    const served: number[] = [];
    const completed: string[] = [];
    const { q, finish } = makeQueued(env, served, completed);
    q.submit(100);
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.pm.phase).toBe(P_SUSPENDING); // S2 waits for request 100
    expect(q.submit(1)).toBe(OK);
    finish();
    expect(completed).toEqual(["100:0"]);
    expect(env.platform.sleeping).toBe(true);
    expect([q.submit(2), q.submit(3), q.submit(4), q.submit(5)]).toEqual([OK, OK, OK, FULL]);
    env.platform.wakeNow(0);
    expect(served).toEqual([100, 1]);
    for (let i = 0; i < 3; i++) finish();
    expect(served).toEqual([100, 1, 2, 3, 4]);
    finish();
    expect(completed).toEqual(["100:0", "1:0", "2:0", "3:0", "4:0"]);
    expect([q.parked, q.replayed, q.refused]).toEqual([4, 4, 1]);
    balanced(q);
    expect(env.outcomes).toEqual([OK]);
  });
});

describe("registered request queues (DevKitC): parked requests reach pm.parkedNow and the flight recorder", () => {
  test("bme280, telemetry and flash queues are registered once each at boot", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 3 });
    const q = sim.pm.recorder.queues;
    expect([
      q.filter((x) => x === sim.driver<Bme280>("bme280").queue).length,
      q.filter((x) => x === sim.driver<Telemetry>("telemetry").queue).length,
      q.filter((x) => x === sim.driver<W25q>("flash").queue).length,
    ]).toEqual([1, 1, 1]);
  });

  test("requests parked during a suspend show in parkedNow, then in that attempt's F_PARKED; all complete after resume", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 3 });
    sim.advance(10_000); // bme280 t_startup
    const done: string[] = [];
    sim.driver<Bme280>("bme280").setClient(new Int32Array(3), null, (t, s) => done.push(t + ":" + s));
    sim.driver<Telemetry>("telemetry").setClient((t, s) => done.push(t + ":" + s));
    sim.driver<W25q>("flash").setClient((t, s) => done.push(t + ":" + s));
    const pm = sim.pm;
    // One attempt with nothing parked first: its record must say 0.
    expect(pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    sim.advance(1_000_000);
    expect(pm.phase).toBe(P_IDLE);
    expect(pm.flight.table[pm.flight.recent(0) + F_PARKED]).toBe(0);

    expect(pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    for (let i = 0; i < 2000 && sim.platform.sleeping !== SLEEP_HOLD; i++) sim.advance(50);
    expect(sim.platform.sleeping).toBe(SLEEP_HOLD);
    const record = new Uint8Array([1, 2, 3, 4]);
    const page = new Uint8Array([0xa5, 0x5a]);
    expect([
      sim.driver<Bme280>("bme280").sample(11),
      sim.driver<Telemetry>("telemetry").send(12, record, 4),
      sim.driver<W25q>("flash").program(13, 0x20000, page),
      sim.driver<Bme280>("bme280").sample(14),
    ]).toEqual([OK, OK, OK, OK]);
    expect(pm.recorder.parkedNow()).toBe(4);
    sim.advance(1_000_000);
    expect(pm.phase).toBe(P_IDLE);
    const base = pm.flight.recent(0);
    expect([pm.flight.total, pm.flight.table[base + F_OUTCOME], pm.flight.table[base + F_PARKED]]).toEqual([2, OK, 4]);
    expect(pm.recorder.parkedNow()).toBe(0);
    expect(pm.recorder.parkedTotal()).toBe(4);
    expect(done.slice().sort()).toEqual(["11:0", "12:0", "13:0", "14:0"]);
    expect(sim.violations.list).toEqual([]);
  });
});
