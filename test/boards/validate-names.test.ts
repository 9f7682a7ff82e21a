// Boot looks a board's names up as the board's own: a driver or device name Object.prototype also has ("constructor", "toString") is not found there.
import { describe, expect, it } from "vitest";
import { ESP32_DEVKITC, DEVKITC_DRIVERS } from "../../boards/esp32-devkitc/board";
import { MODDABLE_TWO, MODDABLE_TWO_DRIVERS } from "../../boards/moddable-two/board";
import { DRIVERS } from "../../boards/drivers";
import type { BoardDefinition, DriverTable } from "../../boards/types";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { I2cBus } from "../../drivers/i2c-bus/i2c-bus";
import { PIR_BOARD, PIR_BOARD_DRIVERS } from "../../examples/custom-driver/board/board";
import { WEATHER_BOARD, WEATHER_DRIVERS } from "../../examples/weather-station/board";
import { clone, refusal, type Mutable } from "./validate-helpers";

/** Names every plain object inherits: each was found on every driver table, and boot called it as a factory. */
const INHERITED = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf", "toLocaleString", "__defineGetter__"];

const TABLES: [BoardDefinition, DriverTable][] = [
  [ESP32_DEVKITC, DEVKITC_DRIVERS], [MODDABLE_TWO, MODDABLE_TWO_DRIVERS], [PIR_BOARD, PIR_BOARD_DRIVERS], [WEATHER_BOARD, WEATHER_DRIVERS],
  [ESP32_DEVKITC, DRIVERS],
];

/** `def` with its device `name` using driver `driver`. */
function withDriver(def: BoardDefinition, name: string, driver: string): BoardDefinition {
  const out = clone(def);
  (out.devices.find((d) => d.name === name) as unknown as Mutable).driver = driver;
  return out;
}

describe("a driver name is looked up in the table's own entries", () => {
  it("an Object.prototype name is an unknown driver on every board's table: the unknown-driver error, with the table's names", () => {
    for (const [def, table] of TABLES) {
      const name = def.devices[0].name;
      for (const driver of INHERITED) {
        expect(refusal(withDriver(def, name, driver), table)).toBe(def.file + ": devices: \"" + name + "\" uses driver \"" + driver +
          "\", which is not in the driver table boot was given: add it to the board's driver table (BootOptions.drivers) or fix the name (known: " +
          Object.keys(table).join(", ") + ")");
      }
    }
  });

  it("the exact text for the DevKitC, and boot refuses it before constructing anything", () => {
    const message = "boards/esp32-devkitc: devices: \"led\" uses driver \"constructor\", which is not in the driver table boot was given: add it to the " +
      "board's driver table (BootOptions.drivers) or fix the name (known: i2c-bus, spi-bus, bme280, w25q, led, button, telemetry, uart-console)";
    expect(refusal(withDriver(ESP32_DEVKITC, "led", "constructor"), DEVKITC_DRIVERS)).toBe(message);
    // The simulator names the field its users set: the wiring's driver table.
    expect(() => new SimBoard({ ...SIM_ESP32_DEVKITC, drivers: DEVKITC_DRIVERS, definition: withDriver(ESP32_DEVKITC, "led", "constructor") })).toThrow(
      message.replace("(BootOptions.drivers)", "(SimBoardWiring.drivers)"));
    expect(() => new SimBoard({ ...SIM_ESP32_DEVKITC, definition: withDriver(ESP32_DEVKITC, "led", "toString") })).toThrow(
      /^boards\/esp32-devkitc: devices: "led" uses driver "toString", which is not in the driver table boot was given: /);
  });

  it("a table that has such a name as its own entry still finds it", () => {
    const table: DriverTable = { ...DEVKITC_DRIVERS, toString: DEVKITC_DRIVERS.led };
    expect(refusal(withDriver(ESP32_DEVKITC, "led", "toString"), table)).toBe("");
    expect(new SimBoard({ ...SIM_ESP32_DEVKITC, drivers: table, definition: withDriver(ESP32_DEVKITC, "led", "toString") }).pm.graph.count).toBe(8);
  });
});

describe("a device name is looked up among the board's own devices", () => {
  /** `def` with device `from` renamed `to`, and every parent/needs/wake source naming it too. */
  const renamed = (def: BoardDefinition, from: string, to: string): BoardDefinition => {
    const out = clone(def);
    for (const d of out.devices as unknown as Mutable[]) {
      if (d.name === from) d.name = to;
      if (d.parent === from) d.parent = to;
      if (Array.isArray(d.needs)) d.needs = (d.needs as string[]).map((n) => (n === from ? to : n));
    }
    for (const w of out.wakeSources as unknown as Mutable[]) if (w.device === from) w.device = to;
    return out;
  };

  it("a device named \"constructor\" (a parent listed after its child, a wake source) is one like any other: it validates and boots", () => {
    const def = renamed(renamed(ESP32_DEVKITC, "i2c0", "constructor"), "button", "toString");
    // The bus after its chip: boot must wait for it, not take Object.prototype.constructor as the bme280's parent.
    (def as unknown as Mutable).devices = [...def.devices.slice(1), def.devices[0]];
    expect(refusal(def, DRIVERS)).toBe("");
    const sim = new SimBoard({ ...SIM_ESP32_DEVKITC, definition: def });
    expect([sim.pm.graph.count, sim.pm.graph.indexOf("constructor"), sim.pm.graph.indexOf("toString")]).toEqual([8, 7, 4]);
    expect(sim.driver<I2cBus>("constructor")).toBeInstanceOf(I2cBus);
  });

  it("a device named \"constructor\" is not \"defined twice\" (it was: the first one was found on Object.prototype)", () => {
    expect(refusal(renamed(ESP32_DEVKITC, "led", "constructor"), DRIVERS)).toBe("");
  });

  it("a parent, a needs or a wake source naming an Object.prototype name no device has is refused as any missing device", () => {
    const parent = clone(ESP32_DEVKITC);
    (parent.devices[2] as unknown as Mutable).parent = "toString";
    expect(refusal(parent, DRIVERS)).toBe("boards/esp32-devkitc: devices: \"bme280\" has parent \"toString\", which is not a device of this board: add it or fix the name");
    const needs = clone(ESP32_DEVKITC);
    (needs.devices[4] as unknown as Mutable).needs = ["constructor"];
    expect(refusal(needs, DRIVERS)).toBe("boards/esp32-devkitc: devices: \"led\" needs \"constructor\", which is not a device of this board: add it or fix the name");
    const wake = clone(ESP32_DEVKITC);
    (wake.wakeSources[0] as unknown as Mutable).device = "valueOf";
    expect(refusal(wake, DRIVERS)).toBe("boards/esp32-devkitc: wakeSources: \"valueOf\" is not a device of this board: add it or fix the name");
  });

  it("a device named \"__proto__\" is refused: boot's drivers and ids by name are plain objects, where it would set the prototype", () => {
    expect(refusal(renamed(ESP32_DEVKITC, "led", "__proto__"), DRIVERS)).toBe(
      "boards/esp32-devkitc: devices[4] is named \"__proto__\", which JavaScript objects take as their prototype, not a key: rename it");
  });
});
