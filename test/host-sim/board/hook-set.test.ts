// The simulator's fault wrapper runs the firmware's hook contract: hooks checked at boot, the set read at registration (added later never called, removed later THREW).
import { describe, expect, it } from "vitest";
import { SimBoard } from "../../../host-sim/board/sim-board";
import type { SimBoardWiring } from "../../../host-sim/boards/esp32-devkitc";
import { CONSOLE_WAKE_LINE, UART_LINE_BASE, driverFactory, uart0Console, type BoardDefinition } from "../../../boards";
import { UartConsole, UART_CONSOLE_OPTIONS } from "../../../drivers/uart-console/uart-console";
import type { DriverContext } from "../../../drivers/common/io";
import type { DevicePort } from "../../../runtime/port";
import { F_FAIL } from "../../../host-sim/board/faults";
import { IO, OK, STATUS_NAMES, T_STANDBY, TEST_DEVICES } from "../../../runtime/status";

/** A board of one custom device "d" and the console. */
const DEF: BoardDefinition = {
  name: "hook set", file: "test/hook-set",
  pm: { maxDevices: 4, stateArenaBytes: 48, blockCount: 2, blockSize: 16, irqLines: 44, traceRecords: 64, defaultBudgetUs: 50_000, testHoldUs: 1000, failureHistory: 4 },
  pins: {}, devices: [{ name: "d", driver: "d", options: {} }, uart0Console(1, 3)],
  wakeSources: [{ device: "console", line: CONSOLE_WAKE_LINE, hibernate: false }], irq: { gpioBase: 0, uartBase: UART_LINE_BASE },
};

/** What each test's driver does at construction and at attach (after seal); `calls` records the hooks it ran. */
function boardWith(edit: { made?: (d: Record<string, unknown>) => void; attached?: (d: Record<string, unknown>) => void }, calls: string[] = []): SimBoard {
  class D {
    readonly name: string;
    constructor(ctx: DriverContext) {
      this.name = ctx.name;
      if (edit.made !== undefined) edit.made(this as unknown as Record<string, unknown>);
    }
    attach(_port: DevicePort): void {
      if (edit.attached !== undefined) edit.attached(this as unknown as Record<string, unknown>);
    }
    suspend(_token: number): number {
      calls.push("suspend");
      return OK;
    }
  }
  const wiring: SimBoardWiring = {
    definition: DEF, externalPullUps: [], models: [{ kind: "terminal", device: "console", port: 0, baud: 115200 }],
    drivers: { d: driverFactory((ctx) => new D(ctx), []), "uart-console": driverFactory((ctx) => new UartConsole(ctx), UART_CONSOLE_OPTIONS) },
  };
  return new SimBoard(wiring, { seed: 1 });
}

/** Runs a standby test cycle on `sim`: its outcome's name. */
function cycle(sim: SimBoard): string[] {
  const outcomes: string[] = [];
  sim.onDone((s) => outcomes.push(STATUS_NAMES[s]));
  sim.advance(10_000);
  sim.pm.suspend(T_STANDBY, TEST_DEVICES);
  sim.advance(300_000);
  return outcomes;
}

describe("the simulator's wrapper presents the driver's hooks as the firmware reads them", () => {
  it("a hook field that is not a function (prepare = 5) is refused at boot with register's message", () => {
    expect(() => boardWith({ made: (d) => { d.prepare = 5; } })).toThrow(
      "test/hook-set: device \"d\": hooks.prepare is a number, not a function: make it a method prepare(token): number, " +
      "or leave it out (a missing hook answers OK), on the driver in its DeviceSpec");
    expect(() => boardWith({ made: (d) => { d.runtimeResume = "x"; } })).toThrow(
      "test/hook-set: device \"d\": hooks.runtimeResume is a string, not a function: make it a method runtimeResume(token): number, " +
      "or leave it out (a missing hook answers OK), on the driver in its DeviceSpec");
  });

  it("a hook added after seal is never called: the cycle ends OK without it", () => {
    const calls: string[] = [];
    const sim = boardWith({ attached: (d) => { d.powerOnNoIrq = () => { calls.push("powerOnNoIrq"); return IO; }; } }, calls);
    expect(cycle(sim)).toEqual(["OK"]);
    expect(calls).toEqual(["suspend"]);
  });

  it("a hook removed after seal throws when its stage calls it: the cycle ends THREW", () => {
    const calls: string[] = [];
    const sim = boardWith({ attached: (d) => { d.suspend = undefined; } }, calls);
    expect(cycle(sim)).toEqual(["THREW"]);
    expect(calls).toEqual([]);
  });

  it("a fault is still injected into a hook the driver leaves out (the wrapper stands in for the runtime's OK)", () => {
    const sim = boardWith({});
    sim.faults.set("d", "prepare", F_FAIL, IO);
    expect(cycle(sim)).toEqual(["IO"]);
  });
});
