// bootBoard and SimBoard also carry the Moddable Two: its board data, its drivers added to the table, its chips as custom models.
import { describe, expect, it } from "vitest";
import { OK, T_STANDBY, TEST_PLATFORM, D_ACTIVE } from "../../runtime/status";
import { DRIVERS } from "../../boards/drivers";
import type { DriverContext } from "../../drivers/common/io";
import { validateBoard } from "../../boards/validate";
import type { BoardDefinition } from "../../boards/types";
import type { SimBoardWiring, SimModelContext } from "../../boards/host-sim/esp32-devkitc";
import { MODDABLE_TWO_CONFIG, MODDABLE_TWO_DEVICES, MODDABLE_TWO_PINS } from "../../boards/moddable-two/board";
import { Ili9341 } from "../../drivers/ili9341/ili9341";
import { Ft6206 } from "../../drivers/ft6206/ft6206";
import { Backlight } from "../../drivers/backlight/backlight";
import { SimBoard } from "../../host-sim/board/sim-board";
import type { SimBoardIo } from "../../host-sim/core/board-io";
import type { Clock, ViolationSink } from "../../host-sim/core/contracts";
import { Ili9341 as Ili9341Model } from "../../host-sim/models/ili9341";
import { Ft6206 as Ft6206Model } from "../../host-sim/models/ft6206";

const P = MODDABLE_TWO_PINS;
const TABLE = {
  ...DRIVERS,
  ili9341: (ctx: DriverContext) => new Ili9341(ctx),
  ft6206: (ctx: DriverContext) => new Ft6206(ctx),
  backlight: (ctx: DriverContext) => new Backlight(ctx),
};

const DEFINITION: BoardDefinition = {
  name: "Moddable Two",
  file: MODDABLE_TWO_CONFIG.board,
  pm: MODDABLE_TWO_CONFIG,
  pins: MODDABLE_TWO_PINS,
  // The simulated IO has no PWM class: the backlight runs as a GPIO (as boards/moddable-two/sim.ts does).
  devices: MODDABLE_TWO_DEVICES.map((d) => (d.name === "backlight" ? { ...d, options: { ...d.options, pwm: 0 } } : d)),
  wakeSources: [{ device: "button", line: P.button, hibernate: true }],
  irq: { gpioBase: 0, uartBase: 40 },
};

const WIRING: SimBoardWiring = {
  definition: DEFINITION,
  externalPullUps: [P.button],
  models: [
    { kind: "button", device: "button", pin: P.button },
    {
      kind: "custom", device: "display", attach: (ctx: SimModelContext) => {
        const io = ctx.io as SimBoardIo;
        const m = new Ili9341Model({ clock: ctx.clock as Clock, violations: ctx.violations as ViolationSink, dcLevel: () => io.level(P.displayDC) });
        io.attachSpi(P.displaySelect, m);
        return m;
      },
    },
    {
      kind: "custom", device: "touch", attach: (ctx: SimModelContext) => {
        const io = ctx.io as SimBoardIo;
        const m = new Ft6206Model({ clock: ctx.clock as Clock, violations: ctx.violations as ViolationSink });
        io.attachI2c(P.i2cData, P.i2cClock, m);
        m.setIntListener((level: number) => io.driveInput(P.touchInterrupt, level));
        io.driveInput(P.touchInterrupt, 1);
        return m;
      },
    },
  ],
};

describe("Moddable Two through boards/boot.ts", () => {
  it("its board data passes validation with its drivers in the table", () => {
    expect(() => validateBoard(DEFINITION, TABLE)).not.toThrow();
    expect(() => validateBoard(DEFINITION, DRIVERS)).toThrow(/uses driver "ili9341", which is not in boards\/drivers.ts: add it to DRIVERS/);
  });

  it("boots on SimBoard and completes a standby cycle with no timing violation", () => {
    const sim = new SimBoard(WIRING, { drivers: TABLE });
    const outcomes: number[] = [];
    sim.pm.setDoneCallback((s) => outcomes.push(s));
    sim.advance(500_000);
    expect(sim.pm.graph.names).toEqual(MODDABLE_TWO_DEVICES.map((d) => d.name));
    expect(sim.pm.graph.wakeLine[sim.pm.graph.indexOf("button")]).toBe(P.button);
    expect(sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    sim.advance(2_000_000);
    expect(outcomes).toEqual([OK]);
    for (let d = 0; d < sim.pm.graph.count; d++) expect(sim.pm.deviceState(d)).toBe(D_ACTIVE);
    expect(sim.violations.list).toEqual([]);
  });
});
