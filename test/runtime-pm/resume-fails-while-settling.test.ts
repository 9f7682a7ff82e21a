// A runtime resume that fails while a hibernate waits for it: the device is failed before anyone hears of it, left out, re-probed.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add, rpmCalls } from "./helpers";
import { OK, FAILED, T_HIBERNATE, TEST_NONE, RPM_SUSPENDED, RPM_ACTIVE, RPM_STATE_NAMES, TraceEvents, STATE_NAMES } from "../../runtime";

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
});
