// bootBoard and SimBoard carry the Moddable Two: its board definition, its drivers in the one table, its chips as custom models, its console.
import { describe, expect, it } from "vitest";
import { OK, T_STANDBY, TEST_PLATFORM, D_ACTIVE, ROLE_WAKE, STAGE_COUNT, S_SUSPEND } from "../../runtime/status";
import { DRIVERS } from "../../boards/drivers";
import { validateBoard } from "../../boards/validate";
import { MODDABLE_TWO, MODDABLE_TWO_DEVICES, MODDABLE_TWO_PINS } from "../../boards/moddable-two/board";
import { bootSimModdableTwo, simModdableTwoDefinition } from "../../host-sim/boards/moddable-two";
import type { UartConsole } from "../../drivers/uart-console/uart-console";

const P = MODDABLE_TWO_PINS;

describe("Moddable Two through boards/boot.ts", () => {
  it("its board definition passes validation with boards/drivers.ts, as shipped and as simulated", () => {
    expect(() => validateBoard(MODDABLE_TWO, DRIVERS)).not.toThrow();
    expect(() => validateBoard(simModdableTwoDefinition(), DRIVERS)).not.toThrow();
    const table = { ...DRIVERS };
    delete table.ili9341;
    expect(() => validateBoard(MODDABLE_TWO, table)).toThrow(/uses driver "ili9341", which is not in the driver table boot was given: add it to the board.s driver table/);
  });

  it("boots on SimBoard with its console and completes a standby cycle with no timing violation", () => {
    const m2 = bootSimModdableTwo();
    const sim = m2.sim;
    sim.advance(500_000);
    const g = sim.pm.graph;
    expect(g.names.slice(0, g.count)).toEqual(MODDABLE_TWO_DEVICES.map((d) => d.name));
    expect(g.wakeLine[g.indexOf("button")]).toBe(P.button);
    expect([g.roles[g.indexOf("console")], g.wakeLine[g.indexOf("console")]]).toEqual([ROLE_WAKE, 43]);
    expect(g.budgetUs[g.indexOf("console") * STAGE_COUNT + S_SUSPEND]).toBe(sim.driver<UartConsole>("console").suspendBudgetUs);
    expect(m2.terminal.takeAll()).toBe("quiesce console: type help for the list of commands\r\n> ");
    expect(sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    sim.advance(2_000_000);
    expect(m2.outcomes).toEqual([OK]);
    for (let d = 0; d < sim.pm.graph.count; d++) expect(sim.pm.deviceState(d)).toBe(D_ACTIVE);
    expect(m2.terminal.takeAll()).toMatch(/\r\nsuspend ok \(test=platform: held in the platform, target not entered\), woke by test hold\r\n> $/);
    expect(sim.violations.list).toEqual([]);
  });
});
