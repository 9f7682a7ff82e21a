// A queue whose request is being served is not idle: an S2 hook run from inside that serve (a suspend it asked for) waits for it.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, PENDING, T_STANDBY, TEST_NONE, RequestQueue, STATUS_NAMES } from "../../runtime";

/** A command device's driver as docs/writing-a-driver.md has it: S2 gates the queue and waits while a request is busy. */
function commandDevice(serveAnswer: "pending" | "ok") {
  const env = new Env();
  const cmd = env.add({ name: "cmd" });
  const seen: string[] = [];
  let drainToken = -1;
  const q: RequestQueue = new RequestQueue(4, (t: number): number => {
    seen.push("serve " + t + " begins, idle " + q.idle);
    if (t === 1) env.pm.port(cmd.id).requestSuspend(T_STANDBY, TEST_NONE);
    seen.push("serve " + t + " answers, after " + env.calls().join(" "));
    if (serveAnswer === "ok") return OK;
    env.later(500, () => { seen.push("io " + t + " done at " + env.platform.t); q.done(OK); });
    return PENDING;
  }, (t, s) => seen.push("complete " + t + ":" + STATUS_NAMES[s]));
  q.setDrainListener(() => { if (drainToken >= 0) { const tk = drainToken; drainToken = -1; env.pm.port(cmd.id).complete(tk, OK); } });
  cmd.behaviour.suspend = { kind: "call", fn: (token) => { q.gate(); seen.push("S2 sees idle " + q.idle); if (q.idle) return OK; drainToken = token; return PENDING; } };
  cmd.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  env.pm.seal();
  env.pm.port(cmd.id).registerQueue(q);
  return { env, q, seen };
}

/** What the driver saw, up to serve's answer: the S2 run inside serve finds the queue busy. */
const INSIDE_SERVE = ["serve 1 begins, idle false", "S2 sees idle false", "serve 1 answers, after cmd:prepare cmd:suspend"];

describe("RequestQueue.idle while serve runs", () => {
  test.each([
    ["PENDING: S2 waits for the transfer, the sleep comes after its done", "pending", ["io 1 done at 500", "complete 1:OK"], 500],
    ["OK at once: the drain listener ends S2 as serve returns", "ok", ["complete 1:OK"], 0],
  ] as const)("serve answers %s", (_name, answer, after, s2Us) => {
    const { env, q, seen } = commandDevice(answer);
    expect(q.submit(1)).toBe(OK);
    env.platform.advance(20_000);
    // Before the fix S2 saw the queue idle and the board slept, and resumed, inside serve.
    expect(seen).toEqual([...INSIDE_SERVE, ...after]);
    expect([STATUS_NAMES[env.outcomes[0]], env.log.filter((l) => l === "platform:sleep").length, env.pm.stats.lastByStage[1][0]]).toEqual(["OK", 1, s2Us]);
    expect([q.idle, q.gated, q.length, q.submitted - (q.refused + q.completed + q.length)]).toEqual([true, false, 0, 0]);
  });

  test("outside serve, idle is as before: true with nothing in flight, false while one is", () => {
    const { q } = commandDevice("pending");
    expect(q.idle).toBe(true);
    q.submit(2);
    expect(q.idle).toBe(false);
    q.done(OK);
    expect(q.idle).toBe(true);
  });
});
