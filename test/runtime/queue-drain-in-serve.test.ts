// A drain that runs inside a request's `serve` (its device failed there, a suspend it asked for): that request completes once, by serve's answer or ABORTED before a deep sleep.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { add } from "../runtime-pm/helpers";
import { OK, IO, T_STANDBY, T_HIBERNATE, TEST_NONE, ROLE_STORAGE, RequestQueue, STATUS_NAMES } from "../../runtime";

/** The queue's own invariant (queue.ts header) and what the callbacks saw. */
function ledger(q: RequestQueue, done: string[]) {
  return { done, length: q.length, balance: q.submitted - (q.refused + q.completed + q.length) };
}

describe("a request whose serve starts what drains its queue", () => {
  test("serve asks for a hibernate (a command queue): the one served and the ones behind it are ABORTED before the deep sleep; serve's OK is dropped", () => {
    const env = new Env();
    env.add({ name: "flash", roles: ROLE_STORAGE });
    const cmd = env.add({ name: "cmd" });
    const done: string[] = [];
    const q: RequestQueue = new RequestQueue(4, (t: number): number => { if (t === 1) { q.submit(2); env.pm.port(cmd.id).requestSuspend(T_HIBERNATE, TEST_NONE); } return OK; },
      (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    cmd.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    cmd.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
    env.pm.seal();
    env.pm.port(cmd.id).registerQueue(q);
    expect(q.submit(1)).toBe(OK);
    expect(STATUS_NAMES[env.outcomes[0]]).toBe("OK");
    // serve's answer would come after a deep sleep whose reboot loses RAM (test/runtime/hibernate-from-serve.test.ts): 1 cannot wait for it.
    expect(ledger(q, done)).toEqual({ done: ["1:ABORTED", "2:ABORTED"], length: 0, balance: 0 });
  });

  test("serve asks for a standby in which its device fails its resume: the served request completes once, with serve's answer", () => {
    const env = new Env({ reprobeFirstUs: 60_000_000 });
    const cmd = env.add({ name: "cmd" });
    const done: string[] = [];
    const q = new RequestQueue(4, (t) => { if (t === 1) env.pm.port(cmd.id).requestSuspend(T_STANDBY, TEST_NONE); return OK; },
      (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    cmd.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    cmd.behaviour.resume = { kind: "fail", status: IO };
    env.pm.seal();
    env.pm.port(cmd.id).registerQueue(q);
    expect(q.submit(1)).toBe(OK);
    expect([STATUS_NAMES[env.outcomes[0]], STATUS_NAMES[q.submit(3)]]).toEqual(["IO", "FAILED"]);
    expect(ledger(q, done)).toEqual({ done: ["1:OK"], length: 0, balance: 0 });
  });

  test("serve takes a runtime-PM get whose runtime resume fails: the served request completes once; the ones behind it FAILED, in order, after it", () => {
    const env = new Env({ reprobeFirstUs: 60_000_000 });
    const dev = add(env, { name: "flash" });
    const done: string[] = [];
    env.pm.seal();
    const port = env.pm.port(dev.id);
    // This driver powers up per request inside serve (its queue stays open while runtime-suspended).
    const q: RequestQueue = new RequestQueue(4, (t: number): number => { if (t === 9) q.submit(10), q.submit(11); port.get(); return OK; }, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); port.put(); });
    port.registerQueue(q);
    port.get(); port.put();
    dev.rr = { kind: "fail", status: IO };
    expect(q.submit(9)).toBe(OK);
    expect(ledger(q, done)).toEqual({ done: ["9:OK", "10:FAILED", "11:FAILED"], length: 0, balance: 0 });
  });
});
