// Property over the simulated ESP32-DevKitC (faults set and cleared on every hook, requests, console lines, suspends, hibernates; 150 cases in npm test, 20,000 in test:deep) and the bugs it found, as it.fails reproductions.
import { describe, expect, it, test } from "vitest";
import fc from "fast-check";
import { boardArb, checkBoard, describeBoardCase } from "./board-explore";
import { makeDevkitc } from "../drivers/cases";
import { F_FAIL, F_HANG, F_LATE, F_NONE } from "../../host-sim/board/faults";
import { D_ACTIVE, IO, OK, P_IDLE, TIMEOUT, T_HIBERNATE, T_STANDBY, TEST_NONE, STATUS_NAMES } from "../../runtime";
import { SLEEP_DEEP } from "../../host-sim/board/sim-sleep";
import type { Led } from "../../drivers/led/led";
import type { Bme280 } from "../../drivers/bme280/bme280";

const RUNS = Number(process.env.QUIESCE_BOARD_CASES ?? 150);
const SEED = process.env.QUIESCE_SEED ? Number(process.env.QUIESCE_SEED) : undefined;

test("board invariants hold for " + RUNS + " random DevKitC runs", () => {
  const started = Date.now();
  const n = { attempts: 0, reboots: 0, resumed: 0, lines: 0, died: 0 };
  const result = fc.check(fc.property(boardArb, (spec) => {
    const w = checkBoard(spec);
    for (const e of w.obs.epochs) {
      n.attempts += e.outcomes.length;
      n.died += e.diedWithRam.length;
      if (e.resumed) n.resumed++;
    }
    n.reboots += w.obs.epochs.length - 1;
    n.lines += w.typing.typed.length;
  }), { numRuns: RUNS, seed: SEED });
  if (result.failed) {
    const spec = result.counterexample![0];
    throw new Error("board invariant broken: " + String((result as { errorInstance?: unknown }).errorInstance) +
      "\nreplay: QUIESCE_SEED=" + result.seed + " npx vitest run test/reliability/board-explore.test.ts\nshrunk case: " +
      JSON.stringify(spec) + "\n" + describeBoardCase(spec));
  }
  const secs = (Date.now() - started) / 1000;
  console.log("board explore: " + RUNS + " cases in " + secs.toFixed(1) + " s (" + Math.round(RUNS / secs) + " cases/s), " +
    n.attempts + " attempts, " + n.reboots + " hibernate reboots (" + n.resumed + " resumed from the image), " + n.lines +
    " console lines, " + n.died + " requests died with a hibernated firmware");
  expect(result.numRuns).toBe(RUNS);
  expect(n.attempts).toBeGreaterThan(RUNS / 2);
  // About 160 cases/s on one core: test:deep's 20,000 take ~2 min alone, more beside other work.
}, 60_000 + RUNS * 30);

// Bugs the exploration found, each as its minimal reproduction, fixed: they stay as regression tests.
describe("bugs found by the board exploration", () => {
  it("an LED whose R1 failed is re-probed (pin driven again): set(1) reaches the pin", () => {
    const b = makeDevkitc();
    const led = b.sim.driver<Led>("led");
    b.sim.setTimerWake(5_000);
    b.sim.faults.set("led", "powerOnNoIrq", F_FAIL, IO);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    b.sim.advance(100_000);
    b.sim.faults.set("led", "powerOnNoIrq", F_NONE);
    b.sim.advance(2_000_000);
    const pm = b.sim.pm;
    expect(b.outcomes).toEqual([IO]);
    expect(pm.deviceState(pm.graph.names.indexOf("led"))).toBe(D_ACTIVE); // its reprobe drove the pin again
    led.set(1);
    expect(b.sim.leds["led"].lit()).toBe(true);
  });

  it("an LED whose S2 timed out keeps the level the application set through the rollback", () => {
    const b = makeDevkitc();
    const led = b.sim.driver<Led>("led");
    led.set(1);
    b.sim.faults.set("led", "suspend", F_HANG);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    b.sim.advance(1_000_000);
    expect(b.outcomes).toEqual([TIMEOUT]);
    expect(led.level).toBe(1);
  });

  it("a request parked during a hibernate completes with ABORTED before the deep sleep (RAM does not survive it)", () => {
    const b = makeDevkitc();
    b.sim.setTimerWake(500);
    const bme = b.sim.driver<Bme280>("bme280");
    const done: string[] = [];
    bme.setClient(new Int32Array(3), null, (token, status) => done.push(token + ":" + STATUS_NAMES[status]));
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    b.sim.advance(45_000); // S1: the flash erases the image sector; the BME280 queue is already gated
    expect(bme.sample(7)).toBe(OK); // accepted (parked), not refused
    b.sim.advance(1_000_000);
    expect(b.sim.boots).toBe(2);
    expect(b.sim.booted!.resumed).toBe(true);
    expect(done).toEqual(["7:ABORTED"]);
  });

  it("after a hibernate reboot, an LED set while the resume waits on the flash's R2 is kept (parked until the LED's R2)", () => {
    const b = makeDevkitc();
    b.sim.setTimerWake(500);
    b.sim.faults.set("flash", "resume", F_LATE, IO, 5_000); // the flash's R2 answers 5 ms late: the LED's R2 waits behind it
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    for (let i = 0; i < 400 && b.sim.boots < 2; i++) b.sim.advance(1_000);
    expect(b.sim.booted!.resumed).toBe(true);
    expect(b.sim.pm.phase).not.toBe(P_IDLE); // bootBoard returned mid-resume: the application runs now
    const led = b.sim.driver<Led>("led");
    led.set(1);
    b.sim.advance(100_000);
    expect(b.sim.pm.phase).toBe(P_IDLE);
    expect(led.level).toBe(1);
  });

  it("a flash stuck BUSY at a hibernate wake gives a cold boot with the flash failed (re-probed later), not an aborted boot", () => {
    const b = makeDevkitc();
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    for (let i = 0; i < 400 && b.sim.platform.sleeping !== SLEEP_DEEP; i++) b.sim.advance(5_000);
    expect(b.sim.platform.sleeping).toBe(SLEEP_DEEP);
    b.sim.chipFault("flash", "stall"); // BUSY never clears while the board boots
    b.sim.press();
    expect(() => b.sim.advance(60_000)).not.toThrow();
    expect(b.sim.boots).toBe(2);
    expect(b.sim.booted).not.toBe(null);
  });
});
