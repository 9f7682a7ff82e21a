// A consumer cut off by a failed supplier, whose other supplier refuses to runtime-suspend: answered FAILED, never a retry loop.
import { describe, expect, test } from "vitest";
import { Env, type Behaviour } from "../runtime/fakes";
import { add, rpmCalls } from "./helpers";
import { OK, IO, FAILED, STATE_NAMES, RPM_STATE_NAMES } from "../../runtime";

/** bus (no autosuspend delay: a put suspends it now) and pwr supply chip; the bus's runtime suspend answers `refuse`. */
function board(refuse: Behaviour): { env: Env; states: () => string } {
  const env = new Env();
  const bus = add(env, { name: "bus" });
  const pwr = add(env, { name: "pwr" });
  add(env, { name: "chip", parent: "bus", needs: ["pwr"] });
  bus.rs = refuse;
  env.pm.seal();
  const chip = env.pm.port(2);
  expect([chip.get(), chip.put()]).toEqual([OK, OK]); // chip down; the bus refuses (stays up); pwr down
  env.platform.advance(20_000); // a hung refusal times out after the bus's S2 budget (10 ms)
  pwr.rr = { kind: "fail", status: IO }; // pwr will not come back: it fails, and its re-probe fails too
  pwr.behaviour.reprobe = { kind: "fail", status: IO };
  const states = (): string => [0, 1, 2].map((d) => STATE_NAMES[env.pm.deviceState(d)] + "/" + RPM_STATE_NAMES[env.pm.rpm.state[d]]).join(" ");
  return { env, states };
}

describe("design.md, runtime PM errors: a refused runtime suspend is tried again after its delay or at the next put, never in a loop", () => {
  test("refused with an error: the consumer's get answers FAILED; the bus, which refused at the last put, is not asked again", () => {
    const { env, states } = board({ kind: "fail", status: IO });
    const before = rpmCalls(env).length;
    // It recursed (the cut-off chip released the bus, which refused, so the chip was asked again...) until the stack
    // overflowed; then each of pwr's re-probes asked the bus again. Only a put or a consumer's suspend asks it now.
    expect(env.pm.port(2).get()).toBe(FAILED);
    env.platform.advance(1_000_000);
    expect(rpmCalls(env).slice(before)).toEqual(["pwr:runtimeResume", "pwr:reprobe", "pwr:reprobe"]);
    expect(states()).toBe("active/active failed/active active/suspended");
    expect(env.pm.rpm.failures[0]).toBe(1);
  });

  test("refused by timing out: not asked again at every budget", () => {
    const { env, states } = board({ kind: "hang" });
    const before = rpmCalls(env).length;
    expect(env.pm.port(2).get()).toBe(FAILED);
    env.platform.advance(1_000_000);
    // It was asked again each time its budget ran out: 102 runtime suspends in this second, with no put.
    expect(rpmCalls(env).slice(before)).toEqual(["pwr:runtimeResume", "pwr:reprobe", "pwr:reprobe"]);
    expect(states()).toBe("active/active failed/active active/suspended");
  });

  test("once the failed supplier is back the consumer resumes; its next put asks the bus again (the next put)", () => {
    const { env, states } = board({ kind: "fail", status: IO });
    const chip = env.pm.port(2);
    expect(chip.get()).toBe(FAILED);
    env.devices.pwr.behaviour.reprobe = { kind: "ok" };
    env.platform.advance(5_000_000);
    expect(states()).toBe("active/active active/active active/active");
    const before = rpmCalls(env).length;
    expect(chip.put()).toBe(OK);
    expect(rpmCalls(env).slice(before)).toEqual(["chip:runtimeSuspend", "bus:runtimeSuspend", "pwr:runtimeSuspend"]);
    expect(states()).toBe("active/active active/suspended active/suspended");
  });
});
