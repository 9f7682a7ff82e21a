// The idle governor with runtime PM on the simulated DevKitC: an idle flash runtime-suspends and costs at most one extra wake.
import { describe, expect, it } from "vitest";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";
import { T_STANDBY } from "../../runtime/status";

function board(ms: number): SimBoard {
  const def = SIM_ESP32_DEVKITC.definition;
  const devices = def.devices.map((d) => (d.name === "flash" && ms >= 0 ? { ...d, autosuspendMs: ms } : d));
  const wiring: SimBoardWiring = { ...SIM_ESP32_DEVKITC, definition: { ...def, devices } };
  return new SimBoard(wiring, { seed: 7 });
}

describe("governor + autosuspend", () => {
  for (const ms of [-1, 300, 1500]) {
    it("flash autosuspendMs " + ms + ", governor period 1 s, 20 s, flash never used", () => {
      const sim = board(ms);
      sim.settle(100_000);
      const pm = sim.pm;
      const app = pm.locks.create("app");
      const platform = sim.platform;
      let next = sim.now() + 1_000_000;
      const measure = platform.createTimer(() => { pm.locks.acquire(app); platform.schedule(done, 10_000); });
      const done = platform.createTimer(() => { pm.locks.release(app); next += 1_000_000; platform.schedule(measure, next - sim.now()); });
      platform.schedule(measure, next - sim.now());
      const id = sim.booted!.ids.flash;
      const before = pm.rpm.suspends[id];
      pm.governor.enable(true);
      sim.energy.reset();
      sim.advance(20_000_000);
      const ua = sim.energy.averageUa();
      if (ms < 0) {
        // Without runtime PM: a standby per period, the flash's 10 uA standby current all along.
        expect([pm.governor.sleeps[T_STANDBY], pm.rpm.suspends[id] - before]).toEqual([20, 0]);
        return;
      }
      // With it: the idle flash down, at about the same average (the one extra wake; without runtime PM: 1,848 uA).
      expect(ua).toBeLessThan(1_900);
      // Runtime PM costs at most the one wake its own delay asks for (the delay's end is kept across a
      // standby, as Linux keeps last_busy), and the idle flash goes down.
      expect({ extraStandbys: pm.governor.sleeps[T_STANDBY] - 20 <= 1, flashDown: pm.rpm.suspends[id] - before > 0 }).toEqual({ extraStandbys: true, flashDown: true });
    });
  }
});
