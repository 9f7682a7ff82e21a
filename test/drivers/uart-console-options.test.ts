// The console's `options.serial`: what it may hold, and that it and the top-level Serial options it replaces are not both given; each refusal quoted whole.
import { describe, expect, it } from "vitest";
import { ESP32_DEVKITC, DEVKITC_DRIVERS } from "../../boards/esp32-devkitc/board";
import { DRIVERS } from "../../boards/drivers";
import { validateBoard } from "../../boards/validate";
import type { BoardDefinition } from "../../boards/types";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { UartConsole, UART_CONSOLE_OPTIONS } from "../../drivers/uart-console/uart-console";
import { LED_OPTIONS } from "../../drivers/led/led";
import { MODDABLE_TWO_DRIVERS } from "../../boards/moddable-two/board";
import { PIR_BOARD_DRIVERS } from "../../examples/custom-driver/board/board";
import { OK, T_STANDBY, TEST_PLATFORM } from "../../runtime/status";

type Mutable = { [key: string]: unknown };

/** The DevKitC with its console's options replaced by `options` (the shipped ones: port 0, transmit 1, receive 3, baud 115200, raiseWakeOnRx). */
function consoleWith(options: Mutable): BoardDefinition {
  const def = JSON.parse(JSON.stringify(ESP32_DEVKITC)) as BoardDefinition;
  (def.devices.find((d) => d.name === "console") as unknown as Mutable).options = options;
  return def;
}

const SERIAL = { port: 0, transmit: 1, receive: 3, baud: 115200 };

/** What boot says when it refuses `def` ("" if it boots): validation with the board's own table and with every shipped driver, then a boot, say the same. */
function bootRefusal(def: BoardDefinition): string {
  const said: string[] = [];
  for (const run of [() => validateBoard(def, DEVKITC_DRIVERS), () => validateBoard(def, DRIVERS), () => new SimBoard({ ...SIM_ESP32_DEVKITC, definition: def })]) {
    try {
      run();
      said.push("");
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      said.push((e as Error).message);
    }
  }
  expect(new Set(said).size).toBe(1);
  return said[0];
}

describe("uart-console options.serial", () => {
  it("driverFactory splits the key list: top-level keys in options, \"serial.<key>\" entries in groups.serial (every table with the console, examples' too)", () => {
    for (const table of [DRIVERS, DEVKITC_DRIVERS, MODDABLE_TWO_DRIVERS, PIR_BOARD_DRIVERS]) {
      const f = table["uart-console"];
      expect(f.options).toEqual(UART_CONSOLE_OPTIONS.filter((k) => !k.includes(".")));
      expect(f.options).toContain("serial");
      expect(f.groups).toEqual({ serial: ["port", "transmit", "receive", "baud"] });
      expect([Object.isFrozen(f.groups), Object.isFrozen(f.groups?.serial)]).toEqual([true, true]);
    }
    expect(DRIVERS.led.groups).toBeUndefined();
    expect(DRIVERS.led.options).toBe(LED_OPTIONS);
  });

  it("nested is the same console as top-level: it boots, opens the UART with those options and runs a standby", () => {
    const nested = new SimBoard({ ...SIM_ESP32_DEVKITC, definition: consoleWith({ serial: SERIAL, raiseWakeOnRx: true }) });
    const flat = new SimBoard(SIM_ESP32_DEVKITC);
    // The S2 budget is a full TX ring at the baud: the nested baud is the one read.
    expect(nested.driver<UartConsole>("console").suspendBudgetUs).toBe(flat.driver<UartConsole>("console").suspendBudgetUs);
    expect(nested.driver<UartConsole>("console").suspendBudgetUs).toBe(375_556);
    const slow = new SimBoard({ ...SIM_ESP32_DEVKITC, definition: consoleWith({ serial: { ...SERIAL, baud: 9600 }, raiseWakeOnRx: true }) });
    expect(slow.driver<UartConsole>("console").suspendBudgetUs).toBe(Math.ceil(4096 * 10 * 1e6 / 9600) + 20_000);
    const outcomes: number[] = [];
    nested.onDone((s) => outcomes.push(s));
    expect(nested.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    nested.advance(2_000_000);
    expect(outcomes).toEqual([OK]);
  });

  it("refuses a key inside serial the driver does not read, naming it, the nearest key and the known ones", () => {
    expect(bootRefusal(consoleWith({ serial: { port: 0, transmit: 1, receive: 3, bud: 115200 } }))).toBe(
      "boards/esp32-devkitc: device \"console\": options.serial.bud (did you mean \"baud\"?) is not an option of driver \"uart-console\" " +
      "(known in serial: port, transmit, receive, baud): fix the spelling or remove it");
  });

  it("names every unknown key inside serial at once, whatever their values", () => {
    expect(bootRefusal(consoleWith({ serial: { ...SERIAL, prot: 0.5, parity: "none", echo: true } }))).toBe(
      "boards/esp32-devkitc: device \"console\": options.serial.prot (did you mean \"port\"?), options.serial.parity, options.serial.echo are not " +
      "options of driver \"uart-console\" (known in serial: port, transmit, receive, baud): fix the spelling or remove them");
  });

  it("refuses serial beside a top-level key it replaces (which was ignored), saying which to remove", () => {
    expect(bootRefusal(consoleWith({ serial: SERIAL, baud: 9600, raiseWakeOnRx: true }))).toBe(
      "boards/esp32-devkitc: device \"console\": options.baud is ignored when options.serial is given (serial replaces port, transmit, receive, baud): " +
      "remove options.baud from the board entry (set it in options.serial)");
    expect(bootRefusal(consoleWith({ serial: { baud: 9600 }, port: 0, transmit: 1, receive: 3, raiseWakeOnRx: true }))).toBe(
      "boards/esp32-devkitc: device \"console\": options.port, options.transmit, options.receive are ignored when options.serial is given " +
      "(serial replaces port, transmit, receive, baud): remove options.port, options.transmit, options.receive from the board entry (set them in options.serial)");
  });

  it("refuses a serial that is not an object (it was ignored, the top-level options used)", () => {
    const fix = ": must be an object with port, transmit, receive, baud: fix it in the board entry, or leave it out and set port, transmit, receive, baud in options";
    expect(bootRefusal(consoleWith({ ...SERIAL, serial: 115200 }))).toBe("boards/esp32-devkitc: device \"console\": options.serial is 115200" + fix);
    expect(bootRefusal(consoleWith({ ...SERIAL, serial: null }))).toBe("boards/esp32-devkitc: device \"console\": options.serial is null" + fix);
    expect(bootRefusal(consoleWith({ ...SERIAL, serial: [0, 1, 3] }))).toBe("boards/esp32-devkitc: device \"console\": options.serial is an array" + fix);
    expect(bootRefusal(consoleWith({ ...SERIAL, serial: "uart0" }))).toBe("boards/esp32-devkitc: device \"console\": options.serial is \"uart0\" (a string)" + fix);
  });

  it("checks each number inside serial against the row boot checks the top-level one with", () => {
    expect(bootRefusal(consoleWith({ serial: { ...SERIAL, baud: 0 } }))).toBe(
      "boards/esp32-devkitc: device \"console\" option \"serial.baud\" is 0: must be an integer 300..5000000 baud: raise it in the board entry");
    expect(bootRefusal(consoleWith({ serial: { ...SERIAL, transmit: 64 } }))).toBe(
      "boards/esp32-devkitc: device \"console\" option \"serial.transmit\" is 64: must be an integer 0..63: lower it in the board entry");
    expect(bootRefusal(consoleWith({ serial: { ...SERIAL, port: "0" } }))).toBe(
      "boards/esp32-devkitc: device \"console\" option \"serial.port\" is \"0\" (a string): must be an integer 0..7: write it as a number in the board entry");
  });

  it("a group's key is not a top-level one: options[\"serial.baud\"] is refused, and the known list is the top-level keys", () => {
    expect(bootRefusal(consoleWith({ ...SERIAL, "serial.baud": 9600 }))).toBe("boards/esp32-devkitc: device \"console\": options.serial.baud is not an option of " +
      "driver \"uart-console\" (known: port, transmit, receive, baud, serial, raiseWakeOnRx, echo, lineBytes, txRingBytes, rxBacklogBytes, wakeLine, " +
      "resyncQuietUs, settleUs): fix the spelling or remove it");
  });

  it("a pin inside serial is checked against the other devices' pins, as a top-level one", () => {
    const def = consoleWith({ serial: { ...SERIAL, transmit: 2 } });
    const message = "boards/esp32-devkitc: pins: led (option pin) and console (option transmit) both use GPIO 2: give each device its own pin";
    expect(() => validateBoard(def, DRIVERS)).toThrow(message);
    expect(bootRefusal(def)).toBe(message);
  });
});
