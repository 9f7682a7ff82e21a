// Runtime PM on the simulated Moddable Two: the backlight times out, then the ILI9341 sleeps (DISPOFF, SLPIN); a frame wakes it with the datasheet's waits.
import { describe, expect, it } from "vitest";
import { bootSimModdableTwo } from "../../host-sim/boards/moddable-two";
import type { Ili9341 } from "../../drivers/ili9341/ili9341";
import type { Backlight } from "../../drivers/backlight/backlight";
import { OK, RPM_ACTIVE, RPM_SUSPENDED, RPM_RESUMING } from "../../runtime/status";

describe("ILI9341 and backlight runtime PM", () => {
  it("idle: backlight dark after its delay, then the panel sleeps; a frame wakes the panel (SLPOUT, 120 ms, DISPON) and is drawn", () => {
    const m2 = bootSimModdableTwo({ autosuspendMs: { display: 1000, backlight: 5000 } });
    m2.clock.advance(300_000); // boot init: SWRESET .. DISPON
    const display = m2.drivers.display as unknown as Ili9341;
    const backlight = m2.drivers.backlight as unknown as Backlight;
    const dp = m2.pm.port(m2.ids.display), bp = m2.pm.port(m2.ids.backlight);
    const onUa = m2.display.currentUa();
    m2.clock.advance(5_000_000);
    expect([bp.runtimeState, backlight.lit, dp.runtimeState]).toEqual([RPM_SUSPENDED, false, RPM_ACTIVE]);
    m2.recorder.log.length = 0;
    m2.clock.advance(1_000_000); // the display's own delay, counted from its last consumer going down
    expect(dp.runtimeState).toBe(RPM_SUSPENDED);
    expect(m2.recorder.log.map((c) => c.op)).toEqual([0x28, 0x10]); // DISPOFF, SLPIN
    expect([m2.display.sleeping(), m2.display.displayOn()]).toEqual([true, false]);
    expect(m2.display.currentUa()).toBeLessThan(onUa);
    // A frame: the panel wakes first (R2's path: SLPIN + 120 ms, SLPOUT, 120 ms, DISPON), the frame waits in the queue.
    m2.recorder.log.length = 0;
    expect(display.fill(0, 0, 8, 8, 0xf800)).toBe(OK);
    expect(dp.runtimeState).toBe(RPM_RESUMING);
    m2.clock.advance(300_000);
    const ops = m2.recorder.log.map((c) => c.op);
    expect(ops.indexOf(0x29)).toBeGreaterThan(ops.indexOf(0x11));
    expect(ops.indexOf(0x2c)).toBeGreaterThan(ops.indexOf(0x29)); // the frame's RAMWR after DISPON
    const t11 = m2.recorder.log[ops.indexOf(0x11)].t, t29 = m2.recorder.log[ops.indexOf(0x29)].t;
    expect(t29 - t11).toBeGreaterThanOrEqual(120_000);
    expect([display.frames, dp.runtimeState, m2.display.displayOn()]).toEqual([1, RPM_ACTIVE, true]);
    // The backlight stays dark until someone writes a brightness (a screen timeout); then it relights.
    expect(backlight.lit).toBe(false);
    backlight.brightness = 800;
    // Its runtime resume (R2's code) reloaded the saved level over the one just written: 1000 stayed.
    expect([backlight.lit, bp.runtimeState, backlight.brightness]).toEqual([true, RPM_ACTIVE, 800]);
    expect(m2.violations.list).toEqual([]);
  });

  it("a brightness written while the backlight and the panel are runtime-suspended is the one lit once the panel woke", () => {
    const m2 = bootSimModdableTwo({ autosuspendMs: { display: 1000, backlight: 5000 } });
    m2.clock.advance(300_000);
    const backlight = m2.drivers.backlight as unknown as Backlight;
    const dp = m2.pm.port(m2.ids.display), bp = m2.pm.port(m2.ids.backlight);
    m2.clock.advance(7_000_000);
    expect([bp.runtimeState, dp.runtimeState]).toEqual([RPM_SUSPENDED, RPM_SUSPENDED]);
    backlight.brightness = 300; // the panel wakes first (SLPOUT, 120 ms, DISPON), then the backlight's resume
    m2.clock.advance(300_000);
    expect([bp.runtimeState, backlight.lit, backlight.brightness]).toEqual([RPM_ACTIVE, true, 300]);
    expect(m2.violations.list).toEqual([]);
  });
});
