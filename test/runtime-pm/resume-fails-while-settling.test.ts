// A runtime resume that fails while a hibernate waits for it: the device is failed before anyone hears of it, left out, re-probed.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add, rpmCalls } from "./helpers";
import { OK, IO, PENDING, FAILED, T_STANDBY, T_HIBERNATE, TEST_NONE, RPM_SUSPENDED, RPM_ACTIVE, RPM_STATE_NAMES, TraceEvents, STATE_NAMES, STATUS_NAMES, RequestQueue } from "../../runtime";

describe("guarantees, a failed device comes back: a runtime resume that times out while a hibernate settles", () => {
  test("a listener that takes a get when the bus's state turns active finds it failed: the chip stays down, the hibernate leaves the bus out, it is re-probed", () => {
    const env = new Env();
    env.platform.sleepMode = "async";
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 });
    chip.behaviour.suspend = { kind: "pending", afterUs: 1_000 };
    env.pm.seal();
    env.platform.advance(0);
    expect([env.pm.rpm.state[0], env.pm.rpm.state[1]]).toEqual([RPM_SUSPENDED, RPM_SUSPENDED]);
    bus.rr = { kind: "hang" }; // no answer: TIMEOUT after its R2 budget, and the bus is failed
    // Telemetry that reads the chip as soon as the bus is up (the state record of a failed resume says active too).
    const answers: number[] = [];
    env.pm.trace.setListener((slot) => {
      const tr = env.pm.trace;
      if (tr.eventAt(slot) === TraceEvents.E_RPM_STATE && tr.deviceAt(slot) === 0 && tr.statusAt(slot) === RPM_ACTIVE) answers.push(env.pm.port(1).get());
    });
    expect(env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK); // waits for the runtime resumes first
    env.platform.advance(20_000);
    // Before, the get resumed the chip on the failing bus and the hibernate started with the bus a member: its S2 wrote
    // "suspended" over "failed" and it was never re-probed (end: bus suspended, done callback OK).
    expect(answers).toEqual([FAILED]);
    if (env.platform.sleeping) env.platform.wakeNow(0); // a hibernate the platform kept RAM through
    env.platform.advance(5_000_000);
    expect(rpmCalls(env)).toEqual(["chip:runtimeSuspend", "bus:runtimeSuspend", "bus:runtimeResume", "bus:reprobe", "chip:runtimeResume"]);
    expect(env.outcomes).toEqual([OK]);
    expect([0, 1].map((d) => STATE_NAMES[env.pm.deviceState(d)] + "/" + RPM_STATE_NAMES[env.pm.rpm.state[d]])).toEqual(["active/active", "active/active"]);
  });

  test("a standby asked for by a completion callback the failure runs: it starts once that transition has done its action, nothing runs asleep", () => {
    const env = new Env();
    const sensor = add(env, { name: "sensor", autosuspendMs: 1 });
    const chip = add(env, { name: "chip", parent: "sensor" });
    const done: string[] = [];
    let answer = -1;
    const note = (who: string) => (t: number, st: number): void => {
      done.push(who + " " + t + ":" + STATUS_NAMES[st] + (env.platform.sleeping || env.platform.masked ? " while asleep or masked" : ""));
      if (who === "sensor" && st === FAILED) answer = env.pm.suspend(T_STANDBY, TEST_NONE);
    };
    const sq = new RequestQueue(4, () => OK, note("sensor")), cq = new RequestQueue(4, () => OK, note("chip"));
    env.pm.seal();
    const sp = env.pm.port(sensor.id), cp = env.pm.port(chip.id);
    sp.registerQueue(sq);
    cp.registerQueue(cq);
    expect([cp.get(), cp.put()]).toEqual([OK, OK]);
    env.platform.advance(5_000); // both runtime-suspended
    sensor.queue = sq; sq.gate(); chip.queue = cq; cq.gate();
    sensor.rr = { kind: "pending", afterUs: 2_000, status: IO }; // its runtime resume fails: it is failed
    sensor.behaviour.reprobe = { kind: "fail", status: IO };
    expect([sq.submit(1), sp.get(), cp.get(), cq.submit(7)]).toEqual([OK, PENDING, PENDING, OK]);
    env.platform.sleepMode = "async";
    env.platform.advance(2_500);
    // The standby ran inside the failure (S1 to the sleep), and the rest of the transition then ran asleep, IRQs masked:
    // the chip's request completed FAILED there, and the sensor's records came after the sleep record.
    expect([answer, done]).toEqual([OK, ["sensor 1:FAILED", "chip 7:FAILED"]]);
    // The attempt begins in the callback and waits: its S1 starts after the sensor's state and failure records.
    expect(hookEvents(env).slice(-11)).toEqual([
      "- suspend-begin", "sensor rpm-state", "sensor rpm-fail", "- stage-begin", "- stage-end", "- stage-begin", "- stage-end",
      "- mask", "- stage-begin", "- stage-end", "- sleep-enter",
    ]);
    expect(env.platform.sleeping).toBe(true);
  });
});

/** "device event" for every record in the ring, oldest first. */
function hookEvents(env: Env): string[] {
  const tr = env.pm.trace, out: string[] = [];
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i), d = tr.deviceAt(s);
    out.push((d >= 0 ? env.pm.graph.names[d] : "-") + " " + TraceEvents.EVENT_NAMES[tr.eventAt(s)]);
  }
  return out;
}
