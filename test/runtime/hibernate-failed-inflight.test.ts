// A failed device's request still in flight when a hibernate commits to its deep sleep: completed before it, in order.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, IO, PENDING, T_STANDBY, T_HIBERNATE, TEST_NONE, D_FAILED, RequestQueue, STATUS_NAMES } from "../../runtime";

describe("guarantees, no request lost: nothing a failed device holds is left in RAM for a hibernate's reboot", () => {
  test("the request in flight and the one waiting behind it complete FAILED, in order, before the deep sleep; the driver's later done is dropped", () => {
    const env = new Env();
    const dev = env.add({ name: "sensor" });
    const done: string[] = [];
    // serve answers PENDING; the driver's I/O ends 50 ms later.
    const q: RequestQueue = new RequestQueue(4, () => { env.later(50_000, () => q.done(OK)); return PENDING; }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
    dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    // R2 reopens the queue (request 1 is served, in flight), then the chip answers an error: the device fails.
    dev.behaviour.resume = { kind: "call", fn: () => { q.open(); return IO; } };
    dev.behaviour.reprobe = { kind: "fail", status: IO };
    env.pm.seal();
    env.pm.port(dev.id).registerQueue(q);
    env.platform.sleepMode = "async";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect([q.submit(1), q.submit(2)]).toEqual([OK, OK]);
    env.platform.wakeNow(0);
    expect([env.pm.deviceState(dev.id), q.length, done]).toEqual([D_FAILED, 2, []]);
    // At once a hibernate: the sensor is no member, so no S2 waits for its I/O; the reboot would lose both requests.
    let atSleep: string[] = [];
    const sleep = env.platform.sleep.bind(env.platform);
    env.platform.sleep = (t, test, hold) => { atSleep = [String(q.length), ...done]; return sleep(t, test, hold); };
    expect(env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    // Before: request 1 was still in the ring at the sleep, and request 2 had completed ABORTED ahead of it.
    expect(atSleep).toEqual(["0", "1:FAILED", "2:FAILED"]);
    // A deep sleep the platform kept RAM through (the simulator's async sleep): the driver's done still comes, completes nothing.
    env.platform.wakeNow(0);
    env.platform.advance(100_000);
    expect(done).toEqual(["1:FAILED", "2:FAILED"]);
    expect([q.submitted, q.refused + q.completed + q.length, q.completedFailed, q.completedAborted]).toEqual([2, 2, 2, 0]);
  });
});
