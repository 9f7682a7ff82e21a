// Runtime PM in real drivers on the simulated DevKitC: the W25Q enters deep power-down (B9h) when idle and wakes (ABh) for a request.
import { describe, expect, it } from "vitest";
import { OK, T_STANDBY, TEST_NONE, RPM_ACTIVE, RPM_SUSPENDED } from "../../runtime/status";
import type { W25q } from "../../drivers/w25q/w25q";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import type { SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";

/** The DevKitC with its flash runtime-suspending after `ms` idle. */
function devkitc(ms: number): SimBoard {
  const def = SIM_ESP32_DEVKITC.definition;
  const devices = def.devices.map((d) => (d.name === "flash" ? { ...d, autosuspendMs: ms } : d));
  const wiring: SimBoardWiring = { ...SIM_ESP32_DEVKITC, definition: { ...def, devices } };
  const sim = new SimBoard(wiring);
  return sim;
}

describe("w25q runtime PM", () => {
  it("idle for its delay: deep power-down (the model sees B9h, draws 1 uA); a read wakes it (ABh, tRES1) and is served", () => {
    const sim = devkitc(20);
    const f = sim.driver<W25q>("flash");
    const port = sim.pm.port(sim.booted!.ids.flash);
    const model = sim.flashes.flash;
    sim.advance(19_000);
    expect([port.runtimeState, model.poweredDown()]).toEqual([RPM_ACTIVE, false]);
    sim.advance(2_000);
    expect([port.runtimeState, model.poweredDown(), model.currentUa()]).toEqual([RPM_SUSPENDED, true, 1]);
    const done: number[] = [];
    f.setClient((_t, s) => done.push(s));
    const back = new Uint8Array(4);
    expect(f.read(1, 0, back)).toBe(OK);
    expect(done).toEqual([OK]); // the flash's runtime resume is synchronous (ABh + 3 us spin): served at once
    expect([port.runtimeState, model.poweredDown(), f.flash.lastSpinUs >= 3]).toEqual([RPM_ACTIVE, false, true]);
    sim.advance(25_000);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    expect(sim.violations.list).toEqual([]);
  });

  it("a program in flight holds the device lock and a get: no runtime suspend until BUSY clears", () => {
    const sim = devkitc(0);
    const f = sim.driver<W25q>("flash");
    const port = sim.pm.port(sim.booted!.ids.flash);
    sim.advance(1_000);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    expect(f.program(1, 0x3000, new Uint8Array([1, 2, 3, 4]))).toBe(OK);
    expect([port.runtimeState, port.usage, sim.pm.locks.held]).toEqual([RPM_ACTIVE, 1, 1]);
    sim.advance(5_000);
    expect([port.runtimeState, port.usage, sim.pm.locks.held]).toEqual([RPM_SUSPENDED, 0, 0]);
    expect(sim.violations.list).toEqual([]);
  });

  it("a standby skips the runtime-suspended flash (no S1..R2 hooks for it) and leaves it down; the next read wakes it", () => {
    const sim = devkitc(10);
    const f = sim.driver<W25q>("flash");
    const id = sim.booted!.ids.flash;
    sim.advance(20_000);
    const before = sim.pm.stats.lastByStage.map((row) => row[id]);
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    sim.advance(10_000);
    sim.press();
    sim.advance(50_000);
    sim.release();
    sim.advance(200_000);
    expect(sim.pm.phase).toBe(0);
    expect(sim.pm.port(id).runtimeState).toBe(RPM_SUSPENDED);
    expect(sim.flashes.flash.poweredDown()).toBe(true);
    // No hook of the flash ran in the attempt: its per-stage durations are untouched.
    expect(sim.pm.stats.lastByStage.map((row) => row[id])).toEqual(before);
    const back = new Uint8Array(1);
    expect(f.read(1, 0, back)).toBe(OK);
    expect(sim.pm.port(id).runtimeState).toBe(RPM_ACTIVE);
    expect(sim.violations.list).toEqual([]);
  });

  it("energy: an idle flash in deep power-down saves ICC1 - ICC2 (10 uA - 1 uA) while the chip is awake", () => {
    const on = devkitc(10);
    const off = new SimBoard(SIM_ESP32_DEVKITC);
    const span = 10_000_000;
    const f0 = on.energy.chargeUcOf(on.flashes.flash), g0 = off.energy.chargeUcOf(off.flashes.flash);
    on.advance(span);
    off.advance(span);
    const withRpm = (on.energy.chargeUcOf(on.flashes.flash) - f0) / 10;
    const without = (off.energy.chargeUcOf(off.flashes.flash) - g0) / 10;
    expect(without).toBeCloseTo(10, 0);
    expect(withRpm).toBeLessThan(1.2);
  });
});
