// W25Q rollback timing: R1 right after the flash's own S3 power-down waits out tDP before ABh (datasheet 9.6).
import { describe, expect, it } from "vitest";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import type { W25q } from "../../drivers/w25q/w25q";
import { T_DP_US } from "../../drivers/w25q/flash";
import { OK, IO, TEST_NONE, T_STANDBY, D_ACTIVE } from "../../runtime/status";
import { F_FAIL } from "../../host-sim/board/faults";
import { BoardWorld, BOARD_DEVICES } from "../reliability/board-world";

describe("w25q: release after power-down respects tDP", () => {
  it("powerOnNoIrq at the instant of powerOffNoIrq waits tDP, releases and identifies", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 7 });
    sim.advance(10_000);
    const f = sim.driver<W25q>("flash");
    const model = sim.flashes["flash"];
    sim.pm.irq.mask();
    const off = f.powerOffNoIrq(0);
    const downAt = sim.now();
    const on = f.powerOnNoIrq(0);
    sim.pm.irq.unmask();
    expect([off, on]).toEqual([OK, OK]);
    expect(model.poweredDown()).toBe(false);
    expect(sim.violations.list).toEqual([]);
    // The wait covered what was left of tDP (platform.now() costs 0.25 us in the simulator), never more than tDP.
    expect(f.flash.tdpWaits).toBe(1);
    expect(f.flash.lastTdpWaitUs).toBeGreaterThan(0);
    expect(f.flash.lastTdpWaitUs).toBeLessThanOrEqual(T_DP_US);
    expect(sim.now() - downAt).toBeGreaterThanOrEqual(T_DP_US);
  });

  it("a release long after the power-down does not wait", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 7 });
    sim.advance(10_000);
    const f = sim.driver<W25q>("flash");
    sim.pm.irq.mask();
    expect(f.powerOffNoIrq(0)).toBe(OK);
    sim.advance(100);
    expect(f.powerOnNoIrq(0)).toBe(OK);
    sim.pm.irq.unmask();
    expect(f.flash.tdpWaits).toBe(0);
    expect(sim.violations.list).toEqual([]);
  });

  it("board rollback on a fast CPU (now() 0.05 us): vspi fails S3 right after the flash's B9h; flash ends active, no violation", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 1318840880, nowCostUs: 0.05 });
    sim.advance(10_000);
    const outcomes: number[] = [];
    sim.onDone((s) => outcomes.push(s));
    sim.faults.set("vspi", "powerOffNoIrq", F_FAIL, IO);
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    sim.advance(1_000_000);
    const pm = sim.pm;
    expect(outcomes).toEqual([IO]);
    expect(pm.deviceState(pm.graph.indexOf("flash"))).toBe(D_ACTIVE);
    expect(sim.violations.list).toEqual([]);
    expect(sim.driver<W25q>("flash").flash.tdpWaits).toBe(1);
  });

  it("regression on the property's DevKitC (console wired in): an S3 failure after the flash's leaves it active, no violation", () => {
    for (const dev of ["vspi", "i2c0", "telemetry", "console"]) {
      const w = new BoardWorld({
        seed: 1318840880, hookFaults: [{ device: BOARD_DEVICES.indexOf(dev as typeof BOARD_DEVICES[number]), hook: 2, mode: F_FAIL, lateUs: 0 }],
        chipFaults: [], wakes: [], requests: [], suspends: [{ at: 1000, test: TEST_NONE }], timerWakeUs: 5000,
      });
      w.run();
      expect([dev, w.obs.outcomes]).toEqual([dev, [IO]]);
      expect(w.sim.pm.deviceState(w.sim.pm.graph.indexOf("flash"))).toBe(D_ACTIVE);
      expect(w.sim.violations.list).toEqual([]);
    }
  });
});
