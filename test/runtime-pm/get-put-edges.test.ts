// Gets and puts at the edges of runtime transitions: a bus and chip with no delay, a put while a runtime hook is in flight.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add, rpmCalls } from "./helpers";
import { OK, PENDING, RPM_ACTIVE, RPM_SUSPENDED, RPM_SUSPENDING, RPM_RESUMING } from "../../runtime";

describe("A: a bus with autosuspendMs 0", () => {
  test("a chip's get resumes the bus then the chip (sync hooks: OK)", () => {
    const env = new Env();
    const bus = add(env, { name: "bus", autosuspendMs: 0 });
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    const cp = env.pm.port(chip.id), bp = env.pm.port(bus.id);
    expect([cp.runtimeState, bp.runtimeState]).toEqual([RPM_SUSPENDED, RPM_SUSPENDED]);
    const got = cp.get();
    env.platform.advance(1_000_000);
    expect({ got, chip: cp.runtimeState, bus: bp.runtimeState, usage: cp.usage, calls: rpmCalls(env) })
      .toEqual({ got: OK, chip: RPM_ACTIVE, bus: RPM_ACTIVE, usage: 1, calls: expect.anything() });
  });
});

describe("B/C: a put while a runtime hook is in flight", () => {
  test("B: get+put during a PENDING runtimeSuspend (no autosuspendMs): the get still resumes it (as Linux), the put suspends it again: suspended, usage 0", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    dev.rs = { kind: "pending", afterUs: 500 };
    env.pm.seal();
    const p = env.pm.port(dev.id);
    p.get(); p.put();
    expect(p.runtimeState).toBe(RPM_SUSPENDING);
    expect(p.get()).toBe(PENDING);
    expect(p.put()).toBe(OK);
    env.platform.advance(10_000_000);
    expect({ state: p.runtimeState, usage: p.usage, calls: rpmCalls(env) })
      .toEqual({ state: RPM_SUSPENDED, usage: 0, calls: ["flash:runtimeSuspend", "flash:runtimeSuspend:done", "flash:runtimeResume", "flash:runtimeSuspend", "flash:runtimeSuspend:done"] });
  });

  test("C: put during a PENDING runtimeResume (no autosuspendMs): suspended again once the resume ends", () => {
    const env = new Env();
    const dev = add(env, { name: "flash" });
    env.pm.seal();
    const p = env.pm.port(dev.id);
    p.get(); p.put();
    expect(p.runtimeState).toBe(RPM_SUSPENDED);
    dev.rr = { kind: "pending", afterUs: 500 };
    expect(p.get()).toBe(PENDING);
    expect(p.runtimeState).toBe(RPM_RESUMING);
    expect(p.put()).toBe(OK);
    env.platform.advance(10_000_000);
    expect({ state: p.runtimeState, usage: p.usage }).toEqual({ state: RPM_SUSPENDED, usage: 0 });
  });
});
