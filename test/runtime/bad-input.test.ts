// Bad arguments to the public methods: each gets its documented answer (INVALID, false, -1, null or a named throw) and nothing changes.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { GOV } from "./governor-helpers";
import {
  RequestQueue, TraceRing, PmLocks, OK, PENDING, BUSY, INVALID, FAILED, ABORTED, STATUS_NAMES,
  T_STANDBY, TEST_NONE, TEST_DEVICES, D_FAILED, LOCK_APP,
} from "../../runtime";

/** An object whose valueOf throws: a range check (`x >= 0`) calls it. */
const THROWS_ON_VALUE = { valueOf(): number { throw new Error("valueOf"); } };
/** Values that are no index, status, size or listener (-0 is 0, a valid index: left out); 0n and 1n pass a range check and throw at `x | 0`. */
const BAD: unknown[] = [NaN, 1.5, "0", "1", {}, [], null, undefined, true, 2 ** 53, -1, 1e300, Infinity, -Infinity, 10n, 0n, 1n, THROWS_ON_VALUE];
const show = (v: unknown): string => (typeof v === "bigint" ? v + "n" : typeof v === "string" ? JSON.stringify(v) : String(v));
/** What `f` answered, or "throws: <message>". */
function answer(f: () => unknown): unknown {
  try { return f(); } catch (e) { return "throws: " + (e as Error).message; }
}

/** Two devices (a with a wake line 3 and a request block), sealed. */
function fresh(): Env {
  const env = new Env();
  env.add({ name: "a", requestBlocks: 1 });
  env.add({ name: "b" });
  env.pm.irq.register(3, () => {}, false);
  env.pm.seal();
  return env;
}

/** Everything a bad argument could have changed: phase, device states, stats, trace, governor, locks, IRQ counts, timers. */
function snapshot(env: Env): string {
  const pm = env.pm, g = pm.governor, s = pm.stats, l = pm.locks, irq = pm.irq;
  return JSON.stringify({
    phase: pm.phase, states: env.states(), log: env.log.slice(), outcomes: env.outcomes.slice(),
    stats: [s.attempts, s.successes, s.failures, s.busyRefusals, s.lateCompletions, s.listenerFaults, s.protocolErrors, s.resumeFailures],
    trace: [pm.trace.total, pm.trace.listenerFaults],
    governor: [g.enabled, g.appDeadline, g.appConstraintUs, Array.from(g.deviceDeadline), Array.from(g.deviceConstraintUs), g.total],
    locks: [l.created, l.held, l.badHandles, l.badReleases, Array.from(l.count)],
    irq: [Array.from(irq.raisedCount), Array.from(irq.deliveredCount), irq.handlerFaults],
    recovery: [Array.from((pm.recovery as unknown as { due: Float64Array }).due), pm.recovery.attempts],
    timer: env.platform.nextDeadline(),
  });
}

/** Calls `f(v)` for every bad value on one env: each answer, and the snapshot after, must be as before. */
function expectEvery(env: Env, values: unknown[], f: (v: never) => unknown, want: unknown): void {
  const before = snapshot(env);
  for (const v of values) {
    expect([show(v), answer(() => f(v as never))]).toEqual([show(v), want]);
    expect(snapshot(env)).toBe(before);
  }
}

describe("RequestQueue", () => {
  test("a capacity that is no integer 1..1024 throws naming the argument, the range and the fix", () => {
    for (const cap of [...BAD, 0, 1025]) {
      expect(answer(() => new RequestQueue(cap as number, () => OK, () => {}))).toMatch(/^throws: new RequestQueue: capacity is .+: must be an integer 1\.\.1024 requests: .+: pass the most requests the ring holds$/);
    }
    expect(answer(() => new RequestQueue("4" as unknown as number, () => OK, () => {}))).toBe(
      "throws: new RequestQueue: capacity is \"4\" (a string): must be an integer 1..1024 requests: write it as a number: pass the most requests the ring holds");
    expect(answer(() => new RequestQueue(-1, () => OK, () => {}))).toBe(
      "throws: new RequestQueue: capacity is -1: must be an integer 1..1024 requests: raise it: pass the most requests the ring holds");
    expect(answer(() => new RequestQueue(4, 42 as never, () => {}))).toBe("throws: new RequestQueue: serve is 42, not a function: pass (token) => status");
    expect(answer(() => new RequestQueue(4, () => OK, null as never))).toBe("throws: new RequestQueue: complete is null, not a function: pass (token, status) => void");
    // The bounds themselves are taken, and the ring hands back the token submitted.
    for (const cap of [1, 1024]) {
      const served: number[] = [];
      const q = new RequestQueue(cap, (t) => { served.push(t); return OK; }, () => {});
      expect([q.submit(42), served]).toEqual([OK, [42]]);
    }
  });

  test("fail and completeWaiting answer INVALID for anything but a final error status, and change nothing", () => {
    const done: string[] = [];
    const q = new RequestQueue(4, () => OK, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    q.gate();
    expect([q.submit(1), q.submit(2)]).toEqual([OK, OK]);
    const state = (): unknown[] => [q.state, q.length, q.waiting, q.submitted, q.completed, q.refused, q.parkedNow, q.completedFailed, q.completedAborted, done.slice()];
    const before = JSON.stringify(state());
    for (const v of [...BAD, OK, PENDING, -0, 14, 99]) {
      expect([show(v), q.fail(v as number), q.completeWaiting(v as number)]).toEqual([show(v), INVALID, INVALID]);
      expect(JSON.stringify(state())).toBe(before);
    }
    // The queue still works: parked requests replay, a real failure status is taken.
    q.open();
    expect(done).toEqual(["1:OK", "2:OK"]);
    expect(q.fail(FAILED)).toBe(OK);
    expect(q.submit(3)).toBe(FAILED);
    q.revive();
    q.gate();
    q.submit(4);
    expect([q.completeWaiting(ABORTED), done]).toEqual([OK, ["1:OK", "2:OK", "4:ABORTED"]]);
  });
});

describe("the governor's setters", () => {
  test("enable answers INVALID for anything but true or false (\"false\" turned it on), and changes nothing", () => {
    const env = fresh();
    expectEvery(env, [...BAD.filter((v) => v !== true), "false", "true", 0, 1], (v) => env.pm.governor.enable(v), INVALID);
    expect(env.pm.governor.enabled).toBe(false);
    expect([env.pm.governor.enable(true), env.pm.governor.enabled, env.pm.governor.enable(false), env.pm.governor.enabled]).toEqual([OK, true, OK, false]);
  });

  test("setDeadline and constrain answer INVALID for a device that is neither -1 nor a registered id, and change nothing", () => {
    const env = fresh();
    const g = env.pm.governor;
    expectEvery(env, [...BAD.filter((v) => v !== -1), 2, 99, -2], (d) => g.setDeadline(d, 5), INVALID);
    expectEvery(env, [...BAD.filter((v) => v !== -1), 2, 99, -2], (d) => g.constrain(d, 5), INVALID);
    expect([g.setDeadline(1, 5), g.constrain(-1, 7), g.deviceDeadline[1], g.appConstraintUs]).toEqual([OK, OK, 5, 7]);
  });

  test("states.latency answers -1 for an index that names no state (it answered NaN)", () => {
    const env = new Env(GOV);
    env.add({ name: "a" });
    env.pm.seal();
    const states = env.pm.governor.states;
    expectEvery(env, [...BAD, states.count], (i) => states.latency(i), -1);
    expect(states.latency(0)).toBeGreaterThan(0);
  });

  test("decision answers null for an index that is no integer 0..DECISIONS_KEPT - 1 (-1 read a slot by wrapping)", () => {
    const env = fresh();
    env.pm.governor.enable(true);
    env.platform.advance(1_000_000);
    expect(env.pm.governor.total).toBeGreaterThan(0);
    for (const v of [...BAD, 8]) expect([show(v), env.pm.governor.decision(v as number)]).toEqual([show(v), null]);
    expect(env.pm.governor.decision(0)).not.toBeNull();
  });
});

describe("device indexes", () => {
  test("recover answers INVALID for what is no device's id (\"0\" was taken as 0), and schedules nothing", () => {
    const env = fresh();
    env.pm.failAtBoot(0);
    expectEvery(env, [...BAD, 2, 99], (d) => env.pm.recover(d), INVALID);
    expect(env.pm.deviceState(0)).toBe(D_FAILED);
    expect(env.pm.recover(0)).toBe(OK);
  });

  test("deviceState answers -1 for what is no device's id", () => {
    const env = fresh();
    expectEvery(env, [...BAD, 2, 99], (d) => env.pm.deviceState(d), -1);
    expect([env.pm.deviceState(0), env.pm.deviceState(-0)]).toEqual([0, 0]);
  });

  test("port throws naming the device and the fix (it answered undefined), before seal too", () => {
    const env = fresh();
    for (const d of [...BAD, 2]) expect(answer(() => env.pm.port(d as number))).toMatch(/^throws: boards\/test-board: port\(.+\): no such device: pass the id register returned, an integer 0\.\.1$/);
    expect(answer(() => env.pm.port("0" as never))).toBe("throws: boards/test-board: port(\"0\" (a string)): no such device: pass the id register returned, an integer 0..1");
    const early = new Env();
    early.add({ name: "a" });
    expect(answer(() => early.pm.port(0))).toBe("throws: boards/test-board: port(0): no port is made before seal: call pm.seal() first");
  });

  test("suspend checks its target and test level before it is busy: INVALID, not BUSY, and no busy refusal counted", () => {
    const env = fresh();
    expect(env.pm.suspend(T_STANDBY, TEST_DEVICES)).toBe(OK);
    expectEvery(env, [...BAD, 0, 3], (t) => env.pm.suspend(t, TEST_NONE), INVALID);
    expectEvery(env, [...BAD, 3], (t) => env.pm.suspend(T_STANDBY, t), INVALID);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(BUSY);
    expect(env.pm.stats.busyRefusals).toBe(1);
  });
});

describe("IRQ lines, trace slots, lock handles, request blocks", () => {
  test("irq.raise, locks.acquire/release, port.releaseBlock and queue.submit answer INVALID for every bad value (0n, 1n and a throwing valueOf threw), changing nothing", () => {
    const env = fresh();
    const h = env.pm.locks.create("x");
    const port = env.pm.port(0);
    const q = new RequestQueue(2, () => OK, () => {});
    const before = snapshot(env);
    const answers = BAD.map((v) => [show(v), answer(() => env.pm.irq.raise(v as number)), answer(() => env.pm.locks.acquire(v as number)),
      answer(() => env.pm.locks.release(v as number)), answer(() => port.releaseBlock(v as number)), answer(() => q.submit(v as number))]);
    // -1 is a 32-bit integer: a token the ring hands back unchanged (accepted, served at once).
    expect(answers).toEqual(BAD.map((v) => [show(v), INVALID, INVALID, INVALID, INVALID, v === -1 ? OK : INVALID]));
    // Bad handles are counted (locks.ts `badHandles`); put back so the snapshot compares the rest.
    expect(env.pm.locks.badHandles).toBe(2 * BAD.length);
    (env.pm.locks as unknown as { badHandles: number }).badHandles = 0;
    expect(snapshot(env)).toBe(before);
    // Refused at submit, so the queue's invariant holds: submitted === refused + completed + length.
    expect([q.submitted, q.refused, q.completed, q.length]).toEqual([BAD.length, BAD.length - 1, 1, 0]);
    expect([env.pm.locks.acquire(h), env.pm.locks.release(h)]).toEqual([OK, OK]);
  });

  test("isLatched and isWakeCapable answer false for a line that is no integer 0..irqLines - 1 (\"3\" read line 3)", () => {
    const env = fresh();
    env.pm.irq.mask();
    expect(env.pm.irq.raise(3)).toBe(OK);
    expectEvery(env, [...BAD, "3", 8], (l) => env.pm.irq.isLatched(l), false);
    expectEvery(env, [...BAD, "3", 8], (l) => env.pm.irq.isWakeCapable(l), false);
    expect(env.pm.irq.isLatched(3)).toBe(true);
  });

  test("slot answers -1 for an index that names no record held; the readers answer -1 for a slot that is no slot", () => {
    const env = fresh();
    env.pm.suspend(T_STANDBY, TEST_NONE);
    const tr = env.pm.trace;
    expectEvery(env, [...BAD, tr.length], (i) => tr.slot(i), -1);
    for (const read of [tr.deviceAt, tr.stageAt, tr.eventAt, tr.statusAt]) {
      expectEvery(env, [...BAD, tr.capacity], (s) => read.call(tr, s), -1);
    }
    expect([tr.slot(0), tr.eventAt(tr.slot(0))]).toEqual([0, 0]);
  });

  test("stats.failureSlot and flight.recent answer -1 for an index that names no failure or attempt held (-1 read the oldest by wrapping)", () => {
    const env = fresh();
    env.devices.a.behaviour.prepare = { kind: "fail", status: 5 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.pm.suspend(T_STANDBY, TEST_NONE);
    const st = env.pm.stats, fr = env.pm.flight;
    expectEvery(env, [...BAD, 2], (i) => st.failureSlot(i), -1);
    expectEvery(env, [...BAD, 2], (i) => fr.recent(i), -1);
    expect([st.failureSlot(0) >= 0, st.failureSlot(1) >= 0, fr.recent(0) >= 0, fr.recent(1) >= 0]).toEqual([true, true, true, true]);
  });

  test("heldFor answers 0 for a handle create never returned; block answers the empty view for no block", () => {
    const env = fresh();
    const h = env.pm.locks.create("app");
    env.pm.locks.acquire(h);
    env.platform.advance(100);
    expectEvery(env, [...BAD, "3", 99], (x) => env.pm.locks.heldFor(x, env.platform.now()), 0);
    expect(env.pm.locks.heldFor(h, env.platform.now())).toBe(100);
    const port = env.pm.port(0);
    expectEvery(env, [...BAD, 8], (b) => port.block(b).length, 0);
    expect(port.block(0).length).toBe(32);
  });
});

/** A standby whose S2 waits on device a (it answered PENDING): its token and port. */
function pendingAtS2(): { env: Env; token: number; port: ReturnType<Env["pm"]["port"]> } {
  const env = fresh();
  let token = -1;
  env.devices.a.behaviour.suspend = { kind: "call", fn: (t: number) => { token = t; return PENDING; } };
  expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
  return { env, token, port: env.pm.port(0) };
}

describe("completion tokens", () => {
  test("a BigInt token is no token: complete is counted late as any forged one, holds answers false, nothing throws", () => {
    const { env, token, port } = pendingAtS2();
    const late = env.pm.stats.lateCompletions;
    for (const t of [5n, BigInt(token)]) {
      expect([answer(() => port.holds(t as never)), answer(() => env.pm.holds(t as never))]).toEqual([false, false]);
      expect(answer(() => port.complete(t as never, OK))).toBeUndefined();
      expect(answer(() => env.pm.complete(t as never, OK))).toBeUndefined();
    }
    expect(env.pm.stats.lateCompletions).toBe(late + 4);
    // The stage still waits for the real token.
    expect([port.holds(token), env.outcomes]).toEqual([true, []]);
    port.complete(token, OK);
    expect(env.outcomes).toEqual([OK]);
  });

  test("wakeEvent and complete passed as callbacks (no port as this, or an ECMA-419 IO object) throw saying to call them on the port; the stage still completes", () => {
    const { env, token, port } = pendingAtS2();
    const before = snapshot(env);
    const message = "throws: port.wakeEvent() or port.complete(token, status) was called without its port (passed as a callback?): " +
      "call it on the port, e.g. onReadable() { port.wakeEvent(); } (an ECMA-419 callback's this is its IO object)";
    const { wakeEvent, complete } = port;
    const io = { onReadable: port.wakeEvent, onDone: port.complete }; // an IO object calls its callbacks with itself as this
    expect([answer(() => wakeEvent()), answer(() => io.onReadable()), answer(() => complete(token, OK)), answer(() => io.onDone(token, OK))])
      .toEqual([message, message, message, message]);
    // The stack shows where the call was made (the driver's callback), not where the runtime was loaded.
    const caught = ((): unknown => { try { (function driverTimerCallback(): void { complete(token, OK); })(); } catch (e) { return e; } return null; })();
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).stack).toMatch(/driverTimerCallback/);
    // Nothing was taken: no wake, no completion.
    expect(snapshot(env)).toBe(before);
    expect([port.holds(token), env.outcomes]).toEqual([true, []]);
    port.complete(token, OK);
    expect(env.outcomes).toEqual([OK]);
  });
});

describe("listeners", () => {
  test("setDoneCallback, trace.setListener and onGiveUp throw for what is no function, keeping the one set; null clears", () => {
    const env = fresh();
    const tr = env.pm.trace;
    const seen: number[] = [];
    tr.setListener((slot) => seen.push(slot));
    const port = env.pm.port(0);
    for (const v of BAD.filter((x) => x !== null)) {
      expect(answer(() => env.pm.setDoneCallback(v as never))).toBe("throws: pm.setDoneCallback: the callback is " + describe_(v) + ", not a function: pass (status) => void, or null for none");
      expect(answer(() => tr.setListener(v as never))).toBe("throws: trace.setListener: the listener is " + describe_(v) + ", not a function: pass (slot) => void, or null for none");
      expect(answer(() => port.onGiveUp(v as never))).toBe("throws: device \"a\": onGiveUp: the listener is " + describe_(v) + ", not a function: pass (stage, status) => void, or null for none");
    }
    // The listeners set before are still the ones told: no fault counted.
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([env.outcomes, seen.length > 0, tr.listenerFaults, env.pm.stats.listenerFaults]).toEqual([[OK], true, 0, 0]);
    expect([answer(() => env.pm.setDoneCallback(null as never)), answer(() => tr.setListener(null as never)), answer(() => port.onGiveUp(null as never))]).toEqual([undefined, undefined, undefined]);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([env.outcomes, tr.listenerFaults, env.pm.stats.listenerFaults]).toEqual([[OK], 0, 0]);
  });
});

/** describeValue's wording (runtime/limits.ts), for the expected messages. */
function describe_(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return JSON.stringify(v) + " (a string)";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return String(v) + " (a " + typeof v + ")";
}

describe("boot-time sizes and names", () => {
  test("new PmLocks and new TraceRing throw naming the capacity, the range and the fix (a raw RangeError before)", () => {
    for (const v of [...BAD, 5121]) {
      expect(answer(() => new PmLocks(v as number, () => 0))).toMatch(/^throws: new PmLocks: capacity is .+: must be an integer 0\.\.5120 locks: .+: pass pm\.maxLocks plus one lock per device$/);
    }
    for (const v of [...BAD, 0, 65_537]) {
      expect(answer(() => new TraceRing(v as number))).toMatch(/^throws: new TraceRing: capacity is .+: must be an integer 1\.\.65536 records: .+: pass the records the ring holds \(pm\.traceRecords\)$/);
    }
    expect(answer(() => new TraceRing(-1))).toBe("throws: new TraceRing: capacity is -1: must be an integer 1..65536 records: raise it: pass the records the ring holds (pm.traceRecords)");
    expect([new PmLocks(0, () => 0).capacity, new TraceRing(1).capacity]).toEqual([0, 1]);
  });

  test("locks.create throws for a name that is no non-empty string or an unknown kind, and makes no lock", () => {
    const locks = new PmLocks(4, () => 0);
    for (const v of [...BAD.filter((x) => typeof x !== "string"), ""]) {
      expect(answer(() => locks.create(v as string))).toBe("throws: pm.locks: create(" + describe_(v) + "): a lock's name is a non-empty string (the console's `locks` prints it): pass one");
    }
    expect(answer(() => locks.create("x", 7))).toBe("throws: pm.locks: create(\"x\", 7): the kind is LOCK_APP (0) or LOCK_DEVICE (1): leave it out for an application lock");
    expect([locks.created, locks.create("app", LOCK_APP), locks.created]).toEqual([0, 0, 1]);
  });
});
