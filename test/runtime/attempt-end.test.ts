// How an attempt ends: each done callback gets its own attempt's outcome, in order; a callback that throws is counted and nothing is skipped.
import { describe, expect, test } from "vitest";
import { Env, statusNames } from "./fakes";
import { add } from "../runtime-pm/helpers";
import { OK, IO, BUSY, T_STANDBY, TEST_NONE, P_IDLE, RPM_SUSPENDED, WAKE_TIMER, RequestQueue, STATUS_NAMES, type PmConfig } from "../../runtime";
import { F_PARKED } from "../../runtime/flight";
import { E_SUSPEND_END } from "../../runtime/trace";
import { ESP32_STATES } from "../../boards/esp32-states";


describe("a done callback that throws", () => {
  test("is counted in stats.listenerFaults, not thrown into the driver completion that ended the attempt; the next attempt works", () => {
    const env = new Env();
    const dev = env.add({ name: "sensor" });
    env.pm.seal();
    dev.behaviour.suspend = { kind: "pending", afterUs: 100 };
    env.pm.setDoneCallback((s) => { env.outcomes.push(s); throw new Error("app bug"); });
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(() => env.platform.advance(1_000)).not.toThrow();
    expect([statusNames(env.outcomes), env.pm.phase, env.pm.stats.listenerFaults]).toEqual([["OK"], P_IDLE, 1]);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(1_000);
    expect([statusNames(env.outcomes), env.pm.stats.listenerFaults]).toEqual([["OK", "OK"], 2]);
  });

  test("after the governor's own attempt: the governor still decides, and an explicit suspend with a lock held is not taken for a lock that wakes", () => {
    const config: Partial<PmConfig> = { states: ESP32_STATES, governor: { enabled: true, minIdleUs: 1_000, wakeMarginUs: 0 } };
    const env = new Env(config);
    env.add({ name: "bus" });
    env.add({ name: "sensor", parent: "bus" });
    const app = env.pm.locks.create("app");
    let first = true;
    env.pm.setDoneCallback((s) => { env.outcomes.push(s); if (first) { first = false; throw new Error("app bug"); } });
    env.pm.seal();
    env.pm.nextDeadline(2_000_000);
    expect(() => env.platform.advance(3_000_000)).not.toThrow();
    expect([env.pm.governor.owns, env.pm.governor.ownedLast, env.pm.governor.sleeps[T_STANDBY] > 0, env.pm.stats.listenerFaults]).toEqual([false, true, true, 1]);
    env.pm.governor.enable(false);
    env.pm.locks.acquire(app);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(STATUS_NAMES[env.outcomes[env.outcomes.length - 1]]).toBe("OK");
  });

  test("a request to a runtime-suspended device made during the attempt is still served once the system is idle", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    const other = env.add({ name: "other" });
    const served: string[] = [];
    const q = new RequestQueue(4, () => OK, (t, s) => { served.push(t + ":" + STATUS_NAMES[s]); });
    dev.queue = q;
    env.pm.setDoneCallback(() => { throw new Error("app bug"); });
    env.pm.seal();
    const port = env.pm.port(dev.id);
    port.registerQueue(q);
    port.get();
    port.put();
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    other.behaviour.prepare = { kind: "pending", afterUs: 100 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    port.get();
    q.submit(7);
    expect(() => env.platform.advance(10_000)).not.toThrow();
    expect(served).toEqual(["7:OK"]);
  });
});

describe("the outcome each done callback is told", () => {
  test("a FAILED request's callback asks for another suspend while the attempt ends: BUSY; the attempt reports its IO", () => {
    const env = new Env({ reprobeFirstUs: 60_000_000 });
    const dev = env.add({ name: "sensor" });
    const asked: string[] = [];
    const q = new RequestQueue(4, () => OK, () => { asked.push(STATUS_NAMES[env.pm.suspend(T_STANDBY, TEST_NONE)]); });
    dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); q.submit(5); return OK; } };
    dev.behaviour.resume = { kind: "fail", status: IO };
    env.pm.seal();
    env.pm.port(dev.id).registerQueue(q);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([asked, statusNames(env.outcomes), env.pm.stats.busyRefusals]).toEqual([["BUSY"], ["IO"], 1]);
  });

  test("a trace listener on the attempt's end record asks for another suspend: BUSY (the records of one attempt come before the next one's)", () => {
    const env = new Env();
    const a = env.add({ name: "a" });
    env.pm.seal();
    a.behaviour.prepare = { kind: "fail", status: IO };
    const asked: number[] = [];
    env.pm.trace.setListener((slot) => { if (env.pm.trace.eventAt(slot) === E_SUSPEND_END) asked.push(env.pm.suspend(T_STANDBY, TEST_NONE)); });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([asked, statusNames(env.outcomes)]).toEqual([[BUSY], ["IO"]]);
  });

  test("the done callback itself may start the next attempt: outcomes arrive in order, each its own", () => {
    const env = new Env();
    const a = env.add({ name: "a" });
    env.pm.seal();
    a.behaviour.prepare = { kind: "fail", status: IO };
    const told: string[] = [];
    env.pm.setDoneCallback((s) => {
      told.push(STATUS_NAMES[s]);
      if (told.length === 1) { a.behaviour.prepare = { kind: "ok" }; expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK); }
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([told, env.pm.phase, env.pm.stats.attempts]).toEqual([["IO", "OK"], P_IDLE, 2]);
  });

  test("a done callback that suspends every time: each next attempt starts once the callback returned, so 5,000 synchronous attempts chain at one stack depth", () => {
    const env = new Env();
    for (let i = 0; i < 4; i++) env.add({ name: "d" + i });
    env.pm.seal();
    let told = 0, inside = 0, deepest = 0;
    const seen: string[] = [];
    env.pm.setDoneCallback((s) => {
      inside++;
      deepest = Math.max(deepest, inside);
      told++;
      if (STATUS_NAMES[s] !== "OK") seen.push(told + ":" + STATUS_NAMES[s]);
      const calls = env.log.length;
      // Begun (the runtime is busy with it), its stages not yet run: they start when this callback has returned.
      if (told < 5_000) seen.push(...(env.pm.suspend(T_STANDBY, TEST_NONE) !== OK || env.pm.phase === P_IDLE || env.log.length !== calls ? ["not deferred at " + told] : []));
      inside--;
    });
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([told, deepest, seen, env.pm.phase, env.pm.stats.attempts, env.pm.stats.listenerFaults]).toEqual([5_000, 1, [], P_IDLE, 5_000, 0]);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.pm.stats.attempts).toBe(5_001);
  });
});

describe("registerQueue", () => {
  test("a value that is no RequestQueue is refused at boot naming the fix; nothing is kept and suspends work", () => {
    const env = new Env();
    env.add({ name: "a" });
    for (const bad of [null, {}, 5]) {
      expect(() => env.pm.registerQueue(bad as unknown as RequestQueue)).toThrow(
        "boards/test-board: registerQueue: " + String(bad) + " is no RequestQueue: pass the queue the driver made with new RequestQueue(capacity, serve, done)");
      expect(env.pm.recorder.queues.length).toBe(0);
    }
    env.pm.seal();
    expect(() => env.pm.port(0).registerQueue(null as unknown as RequestQueue)).toThrow("registerQueue: null is no RequestQueue");
    expect([env.pm.suspend(T_STANDBY, TEST_NONE), statusNames(env.outcomes)]).toEqual([OK, ["OK"]]);
  });

  test("a queue registered twice (the same port, or two) is refused the second time naming the fix; it is counted once", () => {
    const env = new Env();
    const a = env.add({ name: "a" });
    const b = env.add({ name: "b" });
    const q = new RequestQueue(4, () => OK, () => {});
    a.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    a.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
    env.pm.seal();
    env.pm.port(a.id).registerQueue(q);
    const twice = "boards/test-board: registerQueue: this queue is registered already (its requests would be counted twice): register each queue once, through its own device's port";
    expect(() => env.pm.port(a.id).registerQueue(q)).toThrow(twice);
    expect(() => env.pm.port(b.id).registerQueue(q)).toThrow(twice);
    expect(env.pm.recorder.queues.length).toBe(1);
    // Parked while asleep: the flight record counts it once (it read 2).
    env.platform.sleepMode = "async";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(q.submit(7)).toBe(OK);
    env.platform.wakeNow(WAKE_TIMER);
    expect([env.pm.flight.table[env.pm.flight.recent(0) + F_PARKED], q.parked, statusNames(env.outcomes)]).toEqual([1, 1, ["OK"]]);
  });
});
