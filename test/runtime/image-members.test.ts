// A hibernate image holds the state of the attempt's members only: after the reboot a device it does not hold is cold (failed, re-probed).
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { add } from "../runtime-pm/helpers";
import {
  OK, IO, INVALID, T_STANDBY, T_HIBERNATE, TEST_NONE, D_ACTIVE, D_FAILED, ROLE_STORAGE, WAKE_TIMER, WAKE_RESET, RPM_SUSPENDED,
  RequestQueue, STATUS_NAMES,
} from "../../runtime";

/** bus -> sensor (1 byte of state, saved in S2 from `level`), and the storage device, which copies the image in its S2 as the W25Q driver does. */
function board(runtimePm: boolean, reprobeFirstUs = 60_000_000) {
  const env = new Env({ reprobeFirstUs });
  const bus = add(env, { name: "bus" }, runtimePm);
  const sensor = add(env, { name: "sensor", parent: "bus", stateBytes: 1 }, runtimePm);
  const flash = env.add({ name: "flash", roles: ROLE_STORAGE });
  env.pm.seal();
  const sp = env.pm.port(sensor.id), fp = env.pm.port(flash.id);
  const b = { env, bus, sensor, sp, level: 0, image: null as Uint8Array | null };
  sensor.behaviour.suspend = { kind: "call", fn: () => { sp.state[0] = b.level; return OK; } };
  flash.behaviour.suspend = { kind: "call", fn: () => { if (env.pm.target === T_HIBERNATE) b.image = fp.image.slice(); return OK; } };
  env.platform.sleepMode = "sync";
  return b;
}

/** The next boot of the same board from `image`: what the sensor's R1 read from its area, its hook calls, and the runtime. */
function reboot(image: Uint8Array, failFirst = false) {
  const env = new Env({ reprobeFirstUs: 1_000 });
  const bus = env.add({ name: "bus" });
  const sensor = env.add({ name: "sensor", parent: "bus", stateBytes: 1 });
  env.add({ name: "flash", roles: ROLE_STORAGE });
  env.pm.seal();
  env.pm.arena.bytes.set(image);
  const r = { env, bus, sensor, read: -1 };
  sensor.behaviour.powerOnNoIrq = { kind: "call", fn: () => { r.read = env.pm.port(sensor.id).state[0]; return OK; } };
  if (failFirst) env.pm.failAtBoot(sensor.id);
  env.log.length = 0;
  expect(env.pm.resumeFromImage(WAKE_TIMER, 1_000_000)).toBe(OK);
  return r;
}

describe("a device that was a member of the hibernate", () => {
  test("resumes from the state it saved in that attempt (R1 reads it), every device active", () => {
    const b = board(false);
    b.level = 7;
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    const r = reboot(b.image!);
    expect([r.read, r.env.states(), STATUS_NAMES[r.env.outcomes[0]]]).toEqual([7, ["bus=0", "sensor=0", "flash=0"], "OK"]);
    expect(r.env.calls()).toEqual(["bus:powerOnNoIrq!", "flash:powerOnNoIrq!", "sensor:powerOnNoIrq!", "bus:resume", "flash:resume", "sensor:resume"]);
  });
});

describe("a device that was no member of the hibernate is cold after the reboot", () => {
  test("failed then (its resume failed before): its older state is not restored; it is re-probed from scratch and comes back", () => {
    const b = board(false);
    b.level = 7;
    expect(b.env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    b.level = 9;
    b.sensor.behaviour.resume = { kind: "fail", status: IO };
    b.sensor.behaviour.reprobe = { kind: "fail", status: IO };
    b.env.pm.suspend(T_STANDBY, TEST_NONE); // saves 9, its R2 fails: failed, no member of what follows
    expect(b.env.pm.deviceState(b.sensor.id)).toBe(D_FAILED);
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    const r = reboot(b.image!);
    // R1/R2 skip it; the attempt itself is OK (the device failed in the old boot, not in this resume).
    expect([r.read, r.env.pm.deviceState(r.sensor.id), r.env.calls()]).toEqual([-1, D_FAILED,
      ["bus:powerOnNoIrq!", "flash:powerOnNoIrq!", "bus:resume", "flash:resume"]]);
    const q = new RequestQueue(4, () => OK, () => {});
    r.env.pm.port(r.sensor.id).registerQueue(q);
    expect(STATUS_NAMES[q.submit(1)]).toBe("FAILED");
    r.env.platform.advance(10_000);
    expect([r.sensor.calls.reprobe, r.env.pm.deviceState(r.sensor.id)]).toEqual([1, D_ACTIVE]);
  });

  test("runtime-suspended behind a supplier that failed its runtime resume: its older standby's state is not restored", () => {
    const b = board(true);
    b.level = 7;
    expect(b.env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK); // saves 7
    b.level = 8;
    b.sp.get();
    b.sp.put(); // the sensor runtime-suspends, then the bus
    expect(b.sp.runtimeState).toBe(RPM_SUSPENDED);
    b.bus.rr = { kind: "fail", status: IO };
    b.bus.behaviour.reprobe = { kind: "fail", status: IO };
    b.sp.get(); // the bus fails its runtime resume: failed; the sensor is cut off and stays down
    b.sp.put();
    b.env.platform.advance(10);
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    b.env.platform.advance(1_000_000);
    expect(b.image).not.toBeNull();
    const r = reboot(b.image!);
    expect([r.read, r.env.pm.deviceState(r.sensor.id), r.env.pm.deviceState(r.bus.id)]).toEqual([-1, D_FAILED, D_FAILED]);
    r.env.platform.advance(10_000);
    expect([r.bus.calls.reprobe, r.sensor.calls.reprobe, r.env.states()]).toEqual([1, 1, ["bus=0", "sensor=0", "flash=0"]]);
  });

  test("failed in the new boot before the image resume (its chip did not start): no R1/R2 for it, its queue refuses FAILED, re-probed", () => {
    const b = board(false);
    b.level = 5;
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    const r = reboot(b.image!, true);
    expect([r.read, r.env.pm.deviceState(r.sensor.id), r.sensor.calls.powerOnNoIrq, r.sensor.calls.resume]).toEqual([-1, D_FAILED, 0, 0]);
    r.env.platform.advance(10_000);
    expect([r.sensor.calls.reprobe, r.env.pm.deviceState(r.sensor.id)]).toEqual([1, D_ACTIVE]);
  });
});

describe("an image is restored once", () => {
  test("a second resumeFromImage in the same boot answers INVALID and changes nothing (the areas are live since); only the next boot's image restores", () => {
    const b = board(false);
    b.level = 7;
    expect(b.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    const r = reboot(b.image!);
    const sp = r.env.pm.port(r.sensor.id);
    sp.state[0] = 9; // what the chip holds now, in a running boot
    r.env.log.length = 0;
    const attempts = r.env.pm.stats.attempts;
    expect([STATUS_NAMES[r.env.pm.resumeFromImage(WAKE_TIMER, 5)], r.env.calls(), r.env.states(), sp.state[0], r.env.pm.stats.attempts]).toEqual(["INVALID", [], ["bus=0", "sensor=0", "flash=0"], 9, attempts]);
    // A standby makes no image; a hibernate whose sleep ends in this boot (a platform that kept RAM or refused the deep
    // sleep) restored its image through its own R1: still INVALID. The image that hibernate wrote restores at the next boot.
    expect(r.env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(r.env.pm.resumeFromImage(WAKE_TIMER, 5)).toBe(INVALID);
    r.env.platform.sleepMode = "sync";
    const fp = r.env.pm.port(2);
    let image: Uint8Array | null = null;
    r.sensor.behaviour.suspend = { kind: "call", fn: () => { sp.state[0] = 11; return OK; } };
    r.env.devices["flash"].behaviour.suspend = { kind: "call", fn: () => { image = fp.image.slice(); return OK; } };
    expect(r.env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    r.env.log.length = 0;
    expect([STATUS_NAMES[r.env.pm.resumeFromImage(WAKE_TIMER, 5)], r.env.calls()]).toEqual(["INVALID", []]);
    const next = reboot(image!);
    expect(next.read).toBe(11);
  });
});

describe("resumeFromImage's arguments", () => {
  test("a cause that is no IRQ line nor WAKE_* code, or a sleep length that is not -1 or 0..2^52 µs, answers INVALID and changes nothing", () => {
    for (const [cause, slept] of [[WAKE_TIMER, NaN], [WAKE_TIMER, Infinity], [WAKE_TIMER, -5], [WAKE_TIMER, "5"], [1.5, -1], [-9, -1], [8, -1], ["0", -1]] as const) {
      const env = new Env();
      env.add({ name: "sensor" });
      env.pm.seal();
      expect([String(cause), String(slept), STATUS_NAMES[env.pm.resumeFromImage(cause as number, slept as number)]]).toEqual([String(cause), String(slept), "INVALID"]);
      expect([env.pm.phase, env.pm.deviceState(0), env.pm.fromImage, env.outcomes]).toEqual([0, D_ACTIVE, false, []]);
    }
    for (const [cause, slept] of [[WAKE_RESET, 0], [7, -1]] as const) {
      const env = new Env();
      env.add({ name: "sensor" });
      env.pm.seal();
      expect(env.pm.resumeFromImage(cause, slept)).toBe(OK);
    }
  });
});
