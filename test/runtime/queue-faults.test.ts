// Request queue faults: a completion callback or a serve that throws never wedges the queue, every accepted request still completes once, in order.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { RequestQueue, OK, PENDING, THREW, ABORTED, IO, T_STANDBY, TEST_NONE, D_ACTIVE, P_IDLE, STATUS_NAMES } from "../../runtime";
import { Env } from "./fakes";
import { applyOps, queueOps } from "./queue-helpers";

function balanced(q: RequestQueue): boolean {
  return q.submitted === q.refused + q.completed + q.length;
}

const BUG = new Error("app bug");

describe("RequestQueue: a completion callback that throws", () => {
  test("is counted and kept; the queue goes on: the requests behind it and later ones are served, in order", () => {
    const done: string[] = [];
    let sync = false;
    const q = new RequestQueue(4, (t) => (t === 1 || sync ? OK : PENDING), (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); if (t === 1) throw BUG; });
    q.submit(0); q.submit(1); q.submit(2); q.submit(3);
    q.done(OK); // 0 completes, 1 is served at once and its callback throws, 2 goes in flight
    expect({ done, length: q.length, idle: q.idle, faults: q.callbackFaults, last: q.lastFault }).toEqual({ done: ["0:OK", "1:OK"], length: 2, idle: false, faults: 1, last: BUG });
    sync = true;
    q.done(IO);
    expect(q.submit(4)).toBe(OK);
    expect({ done, length: q.length, balanced: balanced(q), submitted: q.submitted, completed: q.completed })
      .toEqual({ done: ["0:OK", "1:OK", "2:IO", "3:OK", "4:OK"], length: 0, balanced: true, submitted: 5, completed: 5 });
  });

  test("while a gated queue replays at open: the rest of the replay goes on", () => {
    const done: string[] = [];
    const q = new RequestQueue(4, () => OK, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); if (t === 2) throw BUG; });
    q.gate();
    for (let t = 1; t <= 4; t++) q.submit(t);
    q.open();
    expect([done, q.length, q.replayed, q.parkedNow, q.callbackFaults, balanced(q)]).toEqual([["1:OK", "2:OK", "3:OK", "4:OK"], 0, 4, 0, 1, true]);
  });

  test("a callback that submits again and then throws: the new request is served after the ones before it", () => {
    const done: string[] = [];
    const q = new RequestQueue(4, () => OK, (t) => { done.push(String(t)); if (t === 1) { q.submit(9); throw BUG; } });
    q.gate();
    q.submit(1); q.submit(2);
    q.open();
    expect([done, q.callbackFaults, balanced(q)]).toEqual([["1", "2", "9"], 1, true]);
  });

  test("while waiting requests are completed (completeWaiting): each completes once, none is left", () => {
    const done: string[] = [];
    const q = new RequestQueue(4, () => PENDING, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); if (t !== 0) throw BUG; });
    q.submit(0); q.gate(); q.submit(1); q.submit(2); q.submit(3);
    q.completeWaiting(ABORTED);
    expect([done, q.length, q.waiting, q.callbackFaults, q.completedAborted]).toEqual([["1:ABORTED", "2:ABORTED", "3:ABORTED"], 1, 0, 3, 3]);
    q.done(OK);
    expect([done.length, q.length, balanced(q)]).toEqual([4, 0, true]);
  });
});

describe("RequestQueue: a serve that throws", () => {
  test("completes that request with THREW (counted, kept) and serves the next: submit answers OK, never throws", () => {
    const done: string[] = [];
    const q = new RequestQueue(4, (t) => { if (t === 0) throw BUG; return OK; }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    expect([q.submit(0), q.submit(1)]).toEqual([OK, OK]);
    expect({ done, length: q.length, serveFaults: q.serveFaults, last: q.lastFault, balanced: balanced(q) })
      .toEqual({ done: ["0:THREW", "1:OK"], length: 0, serveFaults: 1, last: BUG, balanced: true });
  });
});

describe("RequestQueue: an answer that is no status", () => {
  test("from serve or done (undefined, 1.5, true, 70000, a string; PENDING from done) completes that request PROTOCOL; the next are served", () => {
    const done: string[] = [];
    const answers: unknown[] = [undefined, 1.5, true, 70_000, "0"];
    const q = new RequestQueue(8, (t) => (t < answers.length ? answers[t] : t === 9 ? PENDING : OK) as number, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    for (let t = 0; t < answers.length; t++) expect(q.submit(t)).toBe(OK);
    expect(q.submit(9)).toBe(OK);
    q.done(undefined as unknown as number);
    expect(q.submit(9)).toBe(OK);
    q.done(PENDING);
    expect(q.submit(10)).toBe(OK);
    expect(done).toEqual(["0:PROTOCOL", "1:PROTOCOL", "2:PROTOCOL", "3:PROTOCOL", "4:PROTOCOL", "9:PROTOCOL", "9:PROTOCOL", "10:OK"]);
    expect(balanced(q)).toBe(true);
  });
});

describe("RequestQueue: done called inside serve", () => {
  test("before serve answered PENDING: that is the request's completion, taken when serve returns; the next are served", () => {
    const done: string[] = [];
    const q: RequestQueue = new RequestQueue(4, (t) => { if (t === 1) q.done(IO); return t === 1 ? PENDING : OK; }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    expect([q.submit(1), q.submit(2)]).toEqual([OK, OK]);
    expect([done, q.length, q.idle, balanced(q)]).toEqual([["1:IO", "2:OK"], 0, true, true]);
  });

  test("and serve then answers a status (not PENDING): PROTOCOL, as a hook that completes itself and answers", () => {
    const done: string[] = [];
    const q: RequestQueue = new RequestQueue(4, (t) => { q.done(OK); return OK; }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    expect(q.submit(1)).toBe(OK);
    expect(q.submit(2)).toBe(OK);
    expect([done, q.length, balanced(q)]).toEqual([["1:PROTOCOL", "2:PROTOCOL"], 0, true]);
  });
});

describe("RequestQueue: property with faults", () => {
  test("any interleaving of submit/gate/open/done with throwing serves and callbacks: each accepted request completes exactly once, in order, and nothing is left after open and done", () => {
    fc.assert(fc.property(queueOps(120), fc.integer({ min: 1, max: 6 }),
      fc.func(fc.constantFrom("ok", "pending", "throw")), fc.func(fc.boolean()), (ops, cap, serveKind, completeThrows) => {
        const order: number[] = [];
        const q = new RequestQueue(cap, (t) => {
          const k = serveKind(t);
          if (k === "throw") throw BUG;
          return k === "ok" ? OK : PENDING;
        }, (t) => { order.push(t); if (completeThrows(t)) throw BUG; });
        const accepted = applyOps(q, ops, () => balanced(q));
        if (accepted === null) return false;
        q.open();
        for (let i = 0; i < cap + 1 && q.length > 0; i++) q.done(OK);
        return q.length === 0 && balanced(q) && JSON.stringify(order) === JSON.stringify(accepted);
      }), { numRuns: 300 });
  });
});

describe("a throwing completion callback in the runtime", () => {
  /** The review's t13: requests parked during a standby, replayed by the driver's R2 (`q.open()`); request 2's callback throws. */
  function replay(serve: (t: number) => number, throwOn: number) {
    const env = new Env();
    const dev = env.add({ name: "sensor" });
    env.pm.seal();
    const done: string[] = [];
    const q = new RequestQueue(8, serve, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); if (t === throwOn) throw BUG; });
    env.pm.port(dev.id).registerQueue(q);
    dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    dev.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
    env.platform.sleepMode = "async";
    env.pm.suspend(T_STANDBY, TEST_NONE);
    for (let t = 1; t <= 4; t++) q.submit(t);
    env.platform.wakeNow(0);
    return { env, dev, q, done };
  }

  test("during R2's replay: the attempt ends OK, the device stays active, the rest are served; counted in stats.listenerFaults", () => {
    const { env, dev, q, done } = replay(() => OK, 2);
    expect({ outcomes: env.outcomes, state: env.pm.deviceState(dev.id), phase: env.pm.phase, done, faults: env.pm.stats.listenerFaults, q: q.callbackFaults })
      .toEqual({ outcomes: [OK], state: D_ACTIVE, phase: P_IDLE, done: ["1:OK", "2:OK", "3:OK", "4:OK"], faults: 1, q: 1 });
    expect(q.submit(5)).toBe(OK);
    env.platform.advance(10_000_000);
    expect([done.slice(4), q.length, balanced(q)]).toEqual([["5:OK"], 0, true]);
  });

  test("a failed device whose drained requests' callback throws: re-probed, it is active and its queue serves again", () => {
    const env = new Env();
    const dev = env.add({ name: "sensor" });
    env.pm.seal();
    const done: string[] = [];
    const q = new RequestQueue(8, () => OK, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); if (t % 2 === 0) throw BUG; });
    env.pm.port(dev.id).registerQueue(q);
    dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    dev.behaviour.resume = { kind: "fail", status: IO };
    env.platform.sleepMode = "async";
    env.pm.suspend(T_STANDBY, TEST_NONE);
    for (let t = 1; t <= 3; t++) q.submit(t);
    env.platform.wakeNow(0);
    env.platform.advance(10_000_000); // the re-probe
    expect([env.pm.deviceState(dev.id), q.submit(4), q.submit(5)]).toEqual([D_ACTIVE, OK, OK]);
    expect({ done, callbackFaults: q.callbackFaults, listenerFaults: env.pm.stats.listenerFaults, length: q.length, balanced: balanced(q) })
      .toEqual({ done: ["1:FAILED", "2:FAILED", "3:FAILED", "4:OK", "5:OK"], callbackFaults: 2, listenerFaults: 2, length: 0, balanced: true });
  });

  test("a serve that throws during R2's replay: that request completes THREW, the others OK, the device stays active", () => {
    const { env, dev, q, done } = replay((t) => { if (t === 3) throw BUG; return OK; }, -1);
    expect({ outcomes: env.outcomes, state: env.pm.deviceState(dev.id), done, serveFaults: q.serveFaults, listenerFaults: env.pm.stats.listenerFaults })
      .toEqual({ outcomes: [OK], state: D_ACTIVE, done: ["1:OK", "2:OK", "3:THREW", "4:OK"], serveFaults: 1, listenerFaults: 0 });
  });
});

describe("RequestQueue: done called without its queue", () => {
  test("on an IO object (an ECMA-419 callback's this) it throws naming the fix; the request stays in flight and completes once done is called on the queue", () => {
    const done: string[] = [];
    const q = new RequestQueue(2, () => PENDING, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    expect(q.submit(7)).toBe(OK);
    // The driver's mistake: handing `done` to an IO object as its completion callback.
    const io = { onWritable: q.done };
    let caught: unknown = null;
    try { (function driverWriteDone(): void { io.onWritable(OK); })(); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toBe("queue.done(status) was called without its queue (passed as a callback?): call it on the queue, e.g. onWritable() { queue.done(OK); }");
    expect((caught as Error).stack).toMatch(/driverWriteDone/);
    // It returned silently before: the request stayed in flight forever. Nothing was taken.
    expect({ done, length: q.length, idle: q.idle }).toEqual({ done: [], length: 1, idle: false });
    q.done(OK);
    expect({ done, length: q.length, balanced: balanced(q) }).toEqual({ done: ["7:OK"], length: 0, balanced: true });
    // A late done on the queue itself is still ignored quietly (not in flight: nothing to complete).
    q.done(OK);
    expect(done).toEqual(["7:OK"]);
  });
});

describe("RequestQueue: a driver's wrong answers are counted", () => {
  test("a second done (nothing in flight) is counted in lateDones; a serve or done answer that is no status in badAnswers; each request still completes once", () => {
    const done: string[] = [];
    const answers: unknown[] = [PENDING, undefined, "0", PENDING];
    const q = new RequestQueue(4, () => answers.shift() as number, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    q.submit(1); // in flight
    q.done(OK);
    q.done(OK); // the driver answers twice: nothing in flight, counted
    q.submit(2); // serve answers undefined: PROTOCOL
    q.submit(3); // "0": PROTOCOL
    q.submit(4); // in flight
    q.done(PENDING); // no final status: PROTOCOL
    expect({ done, lateDones: q.lateDones, badAnswers: q.badAnswers, balanced: balanced(q) })
      .toEqual({ done: ["1:OK", "2:PROTOCOL", "3:PROTOCOL", "4:PROTOCOL"], lateDones: 1, badAnswers: 3, balanced: true });
    // A serve that completes its request with done(OK) and then answers OK (not PENDING): PROTOCOL, counted (it was not).
    const r = new RequestQueue(2, (t) => { r.done(OK); return OK; }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    r.submit(5);
    expect([done[done.length - 1], r.badAnswers, r.lateDones]).toEqual(["5:PROTOCOL", 1, 0]);
  });
});
