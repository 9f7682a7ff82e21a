// Runtime PM over a failed supplier: a chip's get over a bus whose resume failed, hibernates over a failed chain or a failing storage device.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add } from "./helpers";
import { OK, IO, FAILED, T_STANDBY, T_HIBERNATE, TEST_NONE, TEST_DEVICES, D_FAILED, RPM_SUSPENDED, ROLE_STORAGE, P_IDLE } from "../../runtime";

describe("F: a runtime-suspended chip on a failed bus", () => {
  function setup() {
    const env = new Env();
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus" });
    env.pm.seal();
    const cp = env.pm.port(chip.id);
    cp.get(); cp.put(); // chip down, then the bus
    expect(env.pm.port(bus.id).runtimeState).toBe(RPM_SUSPENDED);
    bus.rr = { kind: "fail", status: IO };
    bus.behaviour.reprobe = { kind: "fail", status: IO }; // the bus stays broken
    const got = cp.get();
    return { env, bus, chip, cp, got };
  }

  test("F1: the chip's get does not answer OK (chip resumed) over a bus whose runtime resume just failed", () => {
    const { env, bus, cp, got } = setup();
    env.platform.advance(60_000_000);
    expect(env.pm.deviceState(bus.id)).toBe(D_FAILED);
    expect({ got, chip: cp.runtimeState }).toEqual({ got: FAILED, chip: expect.anything() });
  });

  test("F2: a hibernate then ends (or is refused); the runtime does not stay BUSY forever", () => {
    const { env } = setup();
    env.platform.sleepMode = "sync";
    const s = env.pm.suspend(T_HIBERNATE, TEST_DEVICES);
    env.platform.advance(60_000_000);
    expect({ s, phase: env.pm.phase, outcomes: env.outcomes.length, next: env.pm.suspend(T_STANDBY, TEST_NONE) })
      .toEqual({ s: expect.anything(), phase: P_IDLE, outcomes: 1, next: OK });
  });
});

describe("F3: hibernate hangs when a runtime-suspended consumer's supplier is failed", () => {
  test("two chips on a bus; chip1's get fails the bus; a hibernate never ends, every later suspend BUSY", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" });
    const c1 = add(env, { name: "chip1", parent: "bus" });
    const c2 = add(env, { name: "chip2", parent: "bus" });
    env.pm.seal();
    const p1 = env.pm.port(c1.id), p2 = env.pm.port(c2.id);
    p1.get(); p2.get(); p1.put(); p2.put();
    expect(env.pm.port(bus.id).runtimeState).toBe(RPM_SUSPENDED);
    bus.rr = { kind: "fail", status: IO };
    bus.behaviour.reprobe = { kind: "fail", status: IO };
    const got1 = p1.get();
    expect(env.pm.deviceState(bus.id)).toBe(D_FAILED);
    env.platform.advance(1_000); // the bus's first re-probe fails too
    env.platform.sleepMode = "sync";
    const s = env.pm.suspend(T_HIBERNATE, TEST_DEVICES);
    env.platform.advance(600_000_000); // 10 minutes
    expect({ got1, s, phase: env.pm.phase, outcomes: env.outcomes.length, next: env.pm.suspend(T_STANDBY, TEST_NONE), chip2: p2.runtimeState, reprobes: bus.calls.reprobe })
      .toEqual({ got1: FAILED, s: OK, phase: P_IDLE, outcomes: 1, next: OK, chip2: expect.anything(), reprobes: expect.anything() });
  });

  test("a plain bus (no runtime hooks) failing its system resume under a runtime-suspended chip: the same hang", () => {
    const env = new Env();
    const bus = add(env, { name: "bus" }, false);
    const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    expect(env.pm.port(chip.id).runtimeState).toBe(RPM_SUSPENDED);
    bus.behaviour.resume = { kind: "fail", status: IO };
    bus.behaviour.reprobe = { kind: "fail", status: IO };
    env.platform.sleepMode = "sync";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.pm.deviceState(bus.id)).toBe(D_FAILED);
    const got = env.pm.port(chip.id).get();
    const s = env.pm.suspend(T_HIBERNATE, TEST_DEVICES);
    env.platform.advance(600_000_000);
    expect({ got, s, phase: env.pm.phase, outcomes: env.outcomes.length, next: env.pm.suspend(T_STANDBY, TEST_NONE) })
      .toEqual({ got: FAILED, s: OK, phase: P_IDLE, outcomes: 2, next: OK });
  });
});

describe("G: the storage device fails its runtime resume at the start of a hibernate", () => {
  test("the hibernate ends FAILED (its done callback; `suspend` had answered OK: it started), never sleeps without its image writer", () => {
    const env = new Env();
    add(env, { name: "sensor" }, false);
    const flash = add(env, { name: "flash", roles: ROLE_STORAGE, autosuspendMs: 0 });
    env.pm.seal();
    env.platform.advance(0);
    expect(env.pm.port(flash.id).runtimeState).toBe(RPM_SUSPENDED);
    flash.rr = { kind: "fail", status: IO };
    flash.behaviour.reprobe = { kind: "fail", status: IO };
    env.log.length = 0;
    env.platform.sleepMode = "async";
    const s = env.pm.suspend(T_HIBERNATE, TEST_NONE);
    const slept = env.log.includes("platform:sleep");
    expect({ s, slept, flashSuspend: env.log.includes("flash:suspend"), outcomes: env.outcomes })
      .toEqual({ s: OK, slept: false, flashSuspend: false, outcomes: [FAILED] });
  });
});
