// bootBoard: bad board definitions are rejected naming the board file and the fix; a good one boots in order.
import { describe, expect, it } from "vitest";
import { ROLE_STORAGE, ROLE_WAKE, OK, T_HIBERNATE, TEST_NONE, STAGE_COUNT, S_SUSPEND } from "../../runtime/status";
import { SLEEP_DEEP, SLEEP_LIGHT } from "../../host-sim/board/sim-sleep";
import type { UartConsole } from "../../drivers/uart-console/uart-console";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { ESP32_DEVKITC, DEVKITC_PINS } from "../../boards/esp32-devkitc/board";
import type { BoardDefinition, BoardDevice } from "../../boards/types";
import { validateBoard } from "../../boards/validate";
import { DRIVERS } from "../../boards/drivers";

function withDevices(edit: (d: BoardDevice[]) => BoardDevice[], pm: Partial<BoardDefinition["pm"]> = {}): SimBoard {
  const definition: BoardDefinition = {
    ...ESP32_DEVKITC,
    pm: { ...ESP32_DEVKITC.pm, ...pm },
    devices: edit(ESP32_DEVKITC.devices.map((d) => ({ ...d }))),
  };
  return new SimBoard({ ...SIM_ESP32_DEVKITC, definition });
}

function patch(name: string, change: Partial<BoardDevice>): (d: BoardDevice[]) => BoardDevice[] {
  return (ds) => ds.map((d) => (d.name === name ? { ...d, ...change } : d));
}

describe("board definitions", () => {
  it("the DevKitC boots: devices registered in definition order with roles, storage and wake line", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC);
    const g = sim.pm.graph;
    expect(g.names).toEqual(["i2c0", "vspi", "bme280", "flash", "led", "button", "telemetry", "console"]);
    expect(g.names[g.storage]).toBe("flash");
    expect(g.roles[g.indexOf("flash")]).toBe(ROLE_STORAGE);
    expect(g.roles[g.indexOf("button")]).toBe(ROLE_WAKE);
    expect(g.wakeLine[g.indexOf("button")]).toBe(DEVKITC_PINS.button);
    expect(sim.pm.irq.isWakeCapable(0)).toBe(true);
    expect(sim.pm.irq.isWakeCapable(42)).toBe(false);
    expect(g.stateBytes[g.indexOf("bme280")]).toBe(4);
    expect(g.stateBytes[g.indexOf("led")]).toBe(1);
    expect(g.requestBlocks[g.indexOf("telemetry")]).toBe(2);
    expect(sim.io.pinOwner(DEVKITC_PINS.flashSelect)).toBe("SPI");
    expect(sim.io.pinOwner(DEVKITC_PINS.telemetryTx)).toBe("Serial");
  });

  it("the console: UART0, its own RX wake line 43 (UART0's line 40 is no wake source), the driver's S2 budget, booted", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC);
    const g = sim.pm.graph;
    const con = sim.driver<UartConsole>("console");
    const id = g.indexOf("console");
    expect([g.roles[id], g.wakeLine[id]]).toEqual([ROLE_WAKE, 43]);
    expect([sim.pm.irq.isWakeCapable(43), sim.pm.irq.isWakeCapable(40)]).toEqual([true, false]);
    // S2 drains a full 4096-byte ring at 115200 baud (10 bits per byte) plus 20 ms: the driver's figure.
    expect(con.suspendBudgetUs).toBe(375_556);
    expect(g.budgetUs[id * STAGE_COUNT + S_SUSPEND]).toBe(con.suspendBudgetUs);
    expect(sim.booted?.console?.uart).toBe(con);
    expect([sim.io.pinOwner(DEVKITC_PINS.consoleTx), sim.io.pinOwner(DEVKITC_PINS.consoleRx)]).toEqual(["Serial", "Serial"]);
    sim.settle();
    expect(sim.terminal().takeAll()).toBe("quiesce console: type help for the list of commands\r\n> ");
  });

  it("UART0 RX while asleep: light sleep loses the byte and wakes with line 43; deep sleep loses it and stays asleep", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC);
    const outcomes: number[] = [];
    sim.onDone((s) => outcomes.push(s));
    const term = sim.terminal();
    sim.settle();
    term.takeAll();
    term.type("suspend\r");
    for (let i = 0; i < 2000 && sim.platform.sleeping !== SLEEP_LIGHT; i++) sim.advance(1_000);
    expect(sim.platform.sleeping).toBe(SLEEP_LIGHT);
    term.type("x");
    sim.settle();
    expect([outcomes, sim.uartRxLost, sim.pm.stats.lastWakeCause]).toEqual([[OK], 1, 43]);
    const out = term.takeAll();
    expect(out).toContain("\r\nsuspend ok, woke by line 43 (console)\r\n");
    expect(out.endsWith("woke on UART input (the waking byte is lost); ready\r\n> ")).toBe(true);

    expect(sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    for (let i = 0; i < 2000 && sim.platform.sleeping !== SLEEP_DEEP; i++) sim.advance(1_000);
    expect(sim.platform.sleeping).toBe(SLEEP_DEEP);
    term.type("\r");
    sim.advance(100_000);
    expect([sim.platform.sleeping, sim.uartRxLost, sim.boots]).toEqual([SLEEP_DEEP, 2, 1]);
    // The button (RTC GPIO) does wake it: a reboot that resumes from the image, reported by the new console.
    sim.press();
    sim.advance(200_000);
    sim.release();
    sim.settle();
    expect(sim.boots).toBe(2);
    expect(term.takeAll()).toContain("resumed from hibernate");
  });

  it("rejects a dependency cycle, naming it", () => {
    expect(() => withDevices(patch("i2c0", { needs: ["bme280"] }))).toThrow(
      "boards/esp32-devkitc: devices: dependency cycle i2c0 -> bme280 -> i2c0: remove one of these parent/needs edges");
  });

  it("rejects an unknown parent and an unknown driver", () => {
    expect(() => withDevices(patch("bme280", { parent: "i2c1" }))).toThrow(
      "boards/esp32-devkitc: devices: \"bme280\" has parent \"i2c1\", which is not a device of this board: add it or fix the name");
    expect(() => withDevices(patch("led", { driver: "neopixel" }))).toThrow(
      /boards\/esp32-devkitc: devices: "led" uses driver "neopixel", which is not in the driver table boot was given: add it to the board.s driver table/);
    expect(() => withDevices(patch("led", { needs: ["display"] }))).toThrow(/"led" needs "display", which is not a device/);
  });

  it("rejects two devices on one pin", () => {
    expect(() => withDevices(patch("led", { options: { pin: DEVKITC_PINS.i2cData } }))).toThrow(
      "boards/esp32-devkitc: pins: i2c0 (option data) and led (option pin) both use GPIO 21: give each device its own pin");
  });

  it("rejects pools too small for the drivers' needs", () => {
    expect(() => withDevices((d) => d, { stateArenaBytes: 2 })).toThrow(
      "boards/esp32-devkitc: pool: devices save 5 bytes of state (bme280 4, led 1), stateArenaBytes is 2: raise pm.stateArenaBytes to at least 5");
    expect(() => withDevices((d) => d, { blockCount: 1 })).toThrow(
      "boards/esp32-devkitc: pool: devices reserve 2 request blocks (telemetry 2), blockCount is 1: raise pm.blockCount to at least 2");
    expect(() => withDevices((d) => d, { maxDevices: 4 })).toThrow(
      "boards/esp32-devkitc: pool: 8 devices, maxDevices is 4: raise pm.maxDevices");
  });

  it("rejects duplicate names, IRQ line clashes, and wake-capable devices without a line", () => {
    expect(() => withDevices((d) => [...d, { name: "led", driver: "led", options: { pin: 4 } }])).toThrow(
      "boards/esp32-devkitc: devices: \"led\" is defined twice: rename one");
    expect(() => withDevices(patch("telemetry", { irq: 0 }))).toThrow(
      "boards/esp32-devkitc: irq: button and telemetry both use line 0: give each device its own line");
    expect(() => withDevices(patch("button", { irq: 99 }))).toThrow(
      "boards/esp32-devkitc: device \"button\" irq is 99: must be an integer 0..43 (below pm.irqLines 44): lower it in the board entry");
    expect(() => withDevices(patch("button", { irq: undefined }))).toThrow(
      "boards/esp32-devkitc: irq: \"button\" is wake-capable but has no irq line: set its irq");
  });

  it("a driver's own configuration error names the board and device", () => {
    expect(() => withDevices(patch("flash", { options: { select: 5, imageAddress: 0x123 } }))).toThrow(
      /boards\/esp32-devkitc: devices: constructing "flash" \(driver w25q\) failed: boards\/esp32-devkitc: device "flash" imageAddress 0x123 must be sector-aligned/);
    expect(() => withDevices(patch("led", { options: {} }))).toThrow(
      /device "led" needs option "pin": add it to its board entry/);
  });

  it("validateBoard accepts the shipped definition", () => {
    expect(() => validateBoard(ESP32_DEVKITC, DRIVERS)).not.toThrow();
  });
});
