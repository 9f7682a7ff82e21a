// The PIR driver through quiesce's conformance kit, then what is its own: the stability time, motion as a wake source, the count across hibernate, the app.
import { describe, expect, it } from "vitest";
import { describeDriverConformance, makeCaseBoard, type CaseBoard, type DriverCase } from "quiesce/conformance";
import { SLEEP_NONE, SLEEP_DEEP } from "quiesce/sim";
import { BUSY, OK, STATUS_NAMES, T_HIBERNATE, T_STANDBY, TEST_NONE, WAKEUP, D_FAILED, D_ACTIVE } from "quiesce/runtime/status";
import { PIR_BOARD_DRIVERS, PIR_BOARD_PINS } from "./board/board";
import { PIR_STABILITY_US, type Pir } from "./pir/pir";
import { bootPirBoard, pirModel, pirWiring } from "./sim";
import { MotionLight } from "./motion-light";

const pir = (b: CaseBoard): Pir => b.sim.driver<Pir>("pir");

// #region case
/** The board past the sensor's stability time, completions recorded. */
function makePirBoard(): CaseBoard {
  const b = makeCaseBoard(pirWiring(), { drivers: PIR_BOARD_DRIVERS });
  pir(b).setClient((_token, status) => { b.completed.push(status); });
  b.sim.advance(PIR_STABILITY_US + 100_000);
  return b;
}

const PIR_CASE: DriverCase = {
  device: "pir",
  make: makePirBoard,
  // A wait armed before the suspend stays armed through it.
  exercise: (b) => { pir(b).waitMotion(1); },
  snapshot: (b) => [pir(b).armed ? 1 : 0, pir(b).warming ? 1 : 0, pir(b).high, pir(b).queue.parkedNow, pir(b).events],
  // A wait, and (awake and idle) someone walking by 20 ms later to complete it.
  submit: (b) => {
    const status = pir(b).waitMotion(2);
    if (status === OK && b.sim.platform.sleeping === SLEEP_NONE && b.sim.pm.phase === 0) {
      b.sim.advance(20_000);
      pirModel(b.sim).motion(100_000);
    }
    return status;
  },
};

describeDriverConformance([PIR_CASE]);
// #endregion case

describe("PIR driver (examples/custom-driver)", () => {
  it("cold boot: the output is ignored during the stability time; a suspend then waits (S1 PENDING) and goes on once stable", () => {
    const b = makeCaseBoard(pirWiring(), { drivers: PIR_BOARD_DRIVERS });
    b.sim.advance(1_200_000); // the model's spurious pulse at 1 s
    expect([pir(b).warming, pir(b).events]).toEqual([true, 0]);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    b.sim.setTimerWake(1_000_000);
    b.sim.advance(PIR_STABILITY_US - 3_000_000);
    expect(b.outcomes).toEqual([]);
    expect(b.sim.platform.sleeping).toBe(SLEEP_NONE);
    b.sim.advance(3_000_000);
    expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["OK"]);
    expect([pir(b).warming, pir(b).events]).toEqual([false, 0]);
  });

  it("motion while in standby wakes the board (cause: the PIR's line) and completes the wait armed before it", () => {
    const b = makePirBoard();
    expect(pir(b).waitMotion(7)).toBe(OK);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    b.sim.advance(100_000);
    expect(b.sim.platform.sleeping).not.toBe(SLEEP_NONE);
    pirModel(b.sim).motion(500_000);
    b.sim.advance(100_000);
    expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["OK"]);
    expect(b.sim.pm.stats.lastWakeCause).toBe(PIR_BOARD_PINS.pir);
    expect(b.completed.map((s) => STATUS_NAMES[s])).toEqual(["OK"]);
    expect(pir(b).events).toBe(1);
  });

  it("motion during a suspend aborts it (WAKEUP); motion in progress refuses one (BUSY)", () => {
    const b = makePirBoard();
    expect(b.sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    pirModel(b.sim).motion(200_000);
    b.sim.advance(300_000);
    expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["WAKEUP"]);
    pirModel(b.sim).motion(2_000_000);
    b.sim.advance(10_000);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    b.sim.advance(10_000);
    expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["WAKEUP", "BUSY"]);
    expect([WAKEUP, BUSY]).toEqual(b.outcomes);
  });

  it("hibernate: the count is saved in S2, the flash holds the image, and the motion that woke the chip is counted", () => {
    const b = makePirBoard();
    pirModel(b.sim).motion(100_000);
    b.sim.advance(500_000);
    expect(pir(b).events).toBe(1);
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    for (let i = 0; i < 100 && b.sim.platform.sleeping !== SLEEP_DEEP; i++) b.sim.advance(10_000);
    expect(b.sim.platform.sleeping).toBe(SLEEP_DEEP);
    const boots = b.sim.boots;
    pirModel(b.sim).motion(100_000);
    b.sim.advance(1_000_000);
    expect(b.sim.boots).toBe(boots + 1);
    expect(b.sim.booted?.resumed).toBe(true);
    expect(pir(b).events).toBe(2);
  });

  it("a supply switch on another device's GPIO is refused at boot naming both devices and the option (its driverFactory declares enable a pin)", () => {
    expect(() => bootPirBoard({}, PIR_BOARD_PINS.led)).toThrow(
      "examples/custom-driver/board: pins: pir (option enable) and led (option pin) both use GPIO " + PIR_BOARD_PINS.led + ": give each device its own pin");
  });

  it("with a supply switch: a failed PIR is re-probed by power-cycling it and waiting out its stability time (reprobe PENDING)", () => {
    const sim = bootPirBoard({}, 4);
    sim.advance(PIR_STABILITY_US + 100_000);
    expect(pirModel(sim).stable()).toBe(true);
    sim.faults.set("pir", "resume", 1, 5);
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    sim.setTimerWake(100_000);
    sim.advance(500_000);
    const d = sim.pm.graph.names.indexOf("pir");
    sim.faults.set("pir", "resume", 0);
    expect(sim.pm.deviceState(d)).toBe(D_FAILED);
    sim.advance(1_000_000);
    expect(pirModel(sim).stable()).toBe(false); // power-cycled by the re-probe, still stabilising
    expect(sim.pm.deviceState(d)).toBe(D_FAILED);
    sim.advance(PIR_STABILITY_US);
    expect(sim.pm.deviceState(d)).toBe(D_ACTIVE);
  });

  it("the motion light: motion lights the LED for 2 s; 10 s without motion and the board is in standby; the next motion wakes it and lights the LED", () => {
    const b = makePirBoard();
    const app = new MotionLight(b.sim.booted!, { lightUs: 2_000_000, idleUs: 10_000_000 });
    pirModel(b.sim).motion(300_000);
    b.sim.advance(100_000);
    expect([app.lights, b.sim.leds["led"].lit()]).toEqual([1, true]);
    b.sim.advance(2_100_000);
    expect(b.sim.leds["led"].lit()).toBe(false);
    b.sim.advance(9_000_000);
    expect(app.standbys).toBe(1);
    expect(b.sim.platform.sleeping).not.toBe(SLEEP_NONE);
    pirModel(b.sim).motion(300_000);
    b.sim.advance(100_000);
    expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["OK"]);
    expect([app.lights, b.sim.leds["led"].lit()]).toEqual([2, true]);
    expect(b.sim.violations.list).toEqual([]);
  });
});
