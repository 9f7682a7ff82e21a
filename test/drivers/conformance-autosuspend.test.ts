// The conformance kit on boards that set `autosuspendMs`: a guide-following runtime-PM driver passes at any delay, a broken one fails naming its fault.
import { describe, expect, it } from "vitest";
import { OK } from "../../runtime/status";
import { W25q, W25Q_OPTIONS } from "../../drivers/w25q/w25q";
import { DRIVERS } from "../../boards/drivers";
import { driverFactory } from "../../boards/types";
import type { DriverContext } from "../../drivers/common/io";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { bootSimModdableTwo } from "../../host-sim/boards/moddable-two";
import { describeDriverConformance, makeCaseBoard, type CaseBoard, type DriverCase } from "../../host-sim/conformance";
import { checkRequestWakes, checkStandbySkips } from "../../host-sim/conformance/runtime";
import type { Ili9341 } from "../../drivers/ili9341/ili9341";
import type { Backlight } from "../../drivers/backlight/backlight";
import { failure } from "./check-failure";
import { DEVKITC_CASES, MODDABLE_TWO_CASES } from "./cases";

/** Answers OK from runtimeResume without releasing the chip's deep power-down: requests then reach a sleeping chip. */
class SleepyW25q extends W25q {
  override runtimeResume(_token: number): number {
    this.queue.open();
    return OK;
  }
}

/** The DevKitC with its flash entry given `autosuspendMs` and, optionally, another w25q driver. */
function flashCase(ms: number, make?: (ctx: DriverContext) => unknown): DriverCase {
  const def = SIM_ESP32_DEVKITC.definition;
  const wiring = { ...SIM_ESP32_DEVKITC, definition: { ...def, devices: def.devices.map((d) => d.name === "flash" ? { ...d, autosuspendMs: ms } : d) } };
  const drivers = make === undefined ? DRIVERS : Object.assign({}, DRIVERS, { w25q: driverFactory(make as never, W25Q_OPTIONS) });
  const shipped = DEVKITC_CASES.find((c) => c.device === "flash") as DriverCase;
  return {
    ...shipped, make: () => {
      const b = makeCaseBoard(wiring, { drivers });
      b.sim.driver<W25q>("flash").setClient((_t, s) => { b.completed.push(s); });
      return b;
    },
  };
}

/** The Moddable Two with the display and its backlight (a consumer of it) both given `autosuspendMs`. */
function moddableTwoCases(ms: number): DriverCase[] {
  return MODDABLE_TWO_CASES.filter((c) => c.device !== "touch").map((c) => ({
    ...c, make: (): CaseBoard => {
      const m2 = bootSimModdableTwo({ seed: 1, autosuspendMs: { display: ms, backlight: ms } });
      m2.sim.advance(300_000);
      const b: CaseBoard = { sim: m2.sim, outcomes: m2.outcomes, completed: [] };
      if (c.device === "display") b.sim.driver<Ili9341>("display").setFrameListener((_slot, s) => { b.completed.push(s); });
      else b.sim.driver<Backlight>("backlight").brightness = 600;
      return b;
    },
  }));
}

/** The delays each case runs at: two in `npm test`, the four in `npm run test:deep` (each full kit is about 0.5 s). */
const DELAYS = process.env.QUIESCE_DEEP ? [0, 50, 300, 800] : [0, 300];

// The w25q is the guide's runtime-PM example (docs/writing-a-driver.md "Runtime PM"): a get per request,
// putAutosuspend at its completion. Each delay idles it down during the kit's own waits and snapshots.
for (const ms of DELAYS) describe("autosuspendMs " + ms + " on the flash", () => describeDriverConformance([flashCase(ms)]));
// A supplier and its consumer with delays: the consumer's suspend starts the supplier's delay. At 300 ms the
// backlight lost a brightness written while runtime-suspended (its resume reloaded the saved one); at 0 the
// display idled down inside its own boot init (SWRESET .. DISPON, 300 ms) and its runtimeSuspend timed out.
for (const ms of DELAYS) describe("autosuspendMs " + ms + " on the display and backlight", () => describeDriverConformance(moddableTwoCases(ms)));


describe("conformance kit, runtime PM with autosuspendMs", () => {
  const skip = { skip(): void { throw new Error("skipped: the flash has runtime hooks"); } };

  it("a runtimeResume that leaves the chip asleep fails the request check at every delay, naming runtimeResume", () => {
    const got = [0, 50, 300, 800].map((ms) => failure(() => checkRequestWakes(flashCase(ms, (ctx) => new SleepyW25q(ctx)), skip)).split(": expected")[0]);
    // With a short delay it is down from boot: the kit's get wakes it "OK" with the chip asleep, and every runtimeSuspend after fails.
    const stuck = (n: number): string => "flash: it did not runtime-suspend within 1 s of its usage count reaching 0 (and its suppliers' " +
      "autosuspendMs) (its runtime hooks failed " + n + " times, the last with BUSY: a runtimeResume that answers OK must leave the chip " +
      "awake, or the next runtimeSuspend cannot reach it): runtimeSuspend must answer OK, or PENDING and complete, and the driver must " +
      "not hold a get of its own";
    const differs = "flash: its state (the case's snapshot, read with the device held up) differs after a runtime suspend and resume: " +
      "runtimeResume must restore what runtimeSuspend changed";
    expect(got).toEqual([stuck(2), stuck(22), differs, differs]);
  });

  it("the shipped w25q passes both runtime-suspended checks at every delay", () => {
    const got = [0, 50, 300, 800].map((ms) => [failure(() => checkRequestWakes(flashCase(ms), skip)), failure(() => checkStandbySkips(flashCase(ms), skip))]);
    expect(got).toEqual([["", ""], ["", ""], ["", ""], ["", ""]]);
  });
});
