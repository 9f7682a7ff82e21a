// A hibernate asked for inside a request's serve: at the deep sleep that request and the ones behind it are ABORTED, none left in RAM.
import { expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, BUSY, T_HIBERNATE, TEST_NONE, ROLE_STORAGE, RequestQueue, STATUS_NAMES } from "../../runtime";

/** The command-queue board of test/runtime/queue-drain-in-serve.test.ts; `answer` is what serve(1) answers after asking for the hibernate. */
function board(answer: number) {
  const env = new Env();
  env.add({ name: "flash", roles: ROLE_STORAGE });
  const cmd = env.add({ name: "cmd" });
  const done: string[] = [];
  const q: RequestQueue = new RequestQueue(4, (t: number): number => {
    if (t === 1) { q.submit(2); env.pm.port(cmd.id).requestSuspend(T_HIBERNATE, TEST_NONE); return answer; }
    return OK;
  }, (t, s) => done.push(t + ":" + STATUS_NAMES[s]));
  cmd.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
  cmd.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  env.pm.seal();
  env.pm.port(cmd.id).registerQueue(q);
  // What RAM holds when the chip enters the deep sleep (ESP32: esp_deep_sleep_start does not return; the reboot loses it).
  const atSleep: { length: number; done: string[] }[] = [];
  const sleep = env.platform.sleep.bind(env.platform);
  env.platform.sleep = (target, test, hold) => { atSleep.push({ length: q.length, done: done.slice() }); return sleep(target, test, hold); };
  env.platform.sleepMode = "async"; // the deep sleep does not return a cause
  return { env, q, done, atSleep };
}

test("serve answers OK after asking: at the deep sleep request 1 (being served) and 2 are ABORTED, the ring is empty; serve's answer is dropped", () => {
  const b = board(OK);
  expect(b.q.submit(1)).toBe(OK);
  expect(b.atSleep).toEqual([{ length: 0, done: ["1:ABORTED", "2:ABORTED"] }]); // every accepted request completed (or ABORTED) before RAM is lost
});

test("serve answers BUSY (no buffer yet) after asking: the same", () => {
  const b = board(BUSY);
  expect(b.q.submit(1)).toBe(OK);
  expect(b.atSleep).toEqual([{ length: 0, done: ["1:ABORTED", "2:ABORTED"] }]);
});
