// Boot refuses every out-of-range number of a board definition, naming board, device, field and the range from runtime/limits.ts.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ESP32_DEVKITC, DEVKITC_DRIVERS } from "../../boards/esp32-devkitc/board";
import { MODDABLE_TWO, MODDABLE_TWO_DRIVERS } from "../../boards/moddable-two/board";
import type { BoardDefinition } from "../../boards/types";
import { validateBoard } from "../../boards/validate";
import { DRIVERS } from "../../boards/drivers";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { simModdableTwoDefinition } from "../../host-sim/boards/moddable-two";
import { LIMITS, rangeText, type Limit } from "../../runtime/limits";
import { numberOption, type DriverContext } from "../../drivers/common/io";
import { clone, refusal, type Mutable } from "./validate-helpers";

/** A field of a board: where it is, how the error names it, which device (if any), its row. */
interface Field {
  readonly set: (def: BoardDefinition, v: unknown) => void;
  readonly label: string;
  readonly device: string | null;
  readonly limit: Limit;
  readonly line: boolean;
}

/** Every numeric field of `def` (and the optional ones a device could set), with its table row. */
function fields(def: BoardDefinition): Field[] {
  const out: Field[] = [];
  for (const key of Object.keys(LIMITS).filter((k) => k.startsWith("pm."))) {
    const f = key.slice(3);
    out.push({ set: (d, v) => { (d.pm as Mutable)[f] = v; }, label: key, device: null, limit: LIMITS[key], line: false });
  }
  for (const p of Object.keys(def.pins)) {
    out.push({ set: (d, v) => { (d.pins as Mutable)[p] = v; }, label: "pins." + p, device: null, limit: LIMITS["board.pins"], line: false });
  }
  for (const k of ["gpioBase", "uartBase"]) {
    out.push({ set: (d, v) => { (d.irq as Mutable)[k] = v; }, label: "irq." + k, device: null, limit: LIMITS["board.irq." + k], line: true });
  }
  def.devices.forEach((dev, i) => {
    const at = (d: BoardDefinition): Mutable => d.devices[i] as unknown as Mutable;
    for (const k of ["budgetUs", "stateBytes", "requestBlocks", "roles", "irq"]) {
      out.push({ set: (d, v) => { at(d)[k] = v; }, label: k, device: dev.name, limit: LIMITS["device." + k], line: k === "irq" });
    }
    for (const s of ["prepare", "suspend", "resume", "reprobe"]) {
      out.push({
        set: (d, v) => { const o = at(d); o.stageBudgetUs = { ...(o.stageBudgetUs as object), [s]: v }; },
        label: "stageBudgetUs." + s, device: dev.name, limit: LIMITS["device.stageBudgetUs." + s], line: false,
      });
    }
    for (const [k, v0] of Object.entries(dev.options ?? {})) {
      if (typeof v0 !== "number") continue;
      out.push({
        set: (d, v) => { (at(d).options as Mutable)[k] = v; },
        label: "option \"" + k + "\"", device: dev.name, limit: LIMITS["option." + k], line: LIMITS["option." + k].line === true,
      });
    }
  });
  def.wakeSources.forEach((w, i) => {
    out.push({ set: (d, v) => { (d.wakeSources[i] as unknown as Mutable).line = v; }, label: "wakeSources[" + i + "] (device \"" + w.device + "\") line", device: w.device, limit: LIMITS["board.wakeSources.line"], line: true });
  });
  return out;
}

const BOARDS: readonly BoardDefinition[] = [ESP32_DEVKITC, MODDABLE_TWO];

/** Values no field accepts, for a field whose range is `l` (highest allowed `max`). */
function badValue(l: Limit, max: number): fc.Arbitrary<unknown> {
  const frac = fc.double({ min: l.min, max, noNaN: true }).filter((x) => !Number.isInteger(x));
  return fc.oneof(
    fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 31, -(2 ** 31), 2 ** 53),
    fc.integer({ min: -1_000_000_000, max: l.min - 1 }),
    fc.integer({ min: max + 1, max: max + 1_000_000_000 }),
    max > l.min ? frac : fc.constant(l.min + 0.5),
    fc.oneof(fc.string({ maxLength: 8 }), fc.integer().map(String)),
    fc.constantFrom<unknown>(null, true, {}, [1]),
  );
}

describe("boot validates every number of a board definition", () => {
  it("the shipped boards still validate and boot", () => {
    for (const def of BOARDS) expect(() => validateBoard(def, DRIVERS)).not.toThrow();
    expect(new SimBoard(SIM_ESP32_DEVKITC).pm.graph.count).toBe(8);
  });

  it("a budget of 2^31 µs (which wrapped negative in the Int32Array and left the runtime BUSY) is refused at boot", () => {
    const def = clone(ESP32_DEVKITC);
    (def.devices[2] as unknown as Mutable).budgetUs = 2 ** 31;
    expect(refusal(def)).toBe("boards/esp32-devkitc: device \"bme280\" budgetUs is 2147483648: must be an integer 1..2000000000 µs: lower it in the board entry");
    expect(() => new SimBoard({ ...SIM_ESP32_DEVKITC, definition: def })).toThrow(/device "bme280" budgetUs is 2147483648/);
  });

  const cases: [string, (d: BoardDefinition) => void, string][] = [
    ["NaN stage budget", (d) => { (d.devices[3] as unknown as Mutable).stageBudgetUs = { prepare: Number.NaN }; },
      "boards/esp32-devkitc: device \"flash\" stageBudgetUs.prepare is NaN: must be an integer 1..2000000000 µs: set a number in the board entry"],
    ["negative stateBytes", (d) => { (d.devices[4] as unknown as Mutable).stateBytes = -4; },
      "boards/esp32-devkitc: device \"led\" stateBytes is -4: must be an integer 0..16777216 bytes: raise it in the board entry"],
    ["fractional requestBlocks", (d) => { (d.devices[6] as unknown as Mutable).requestBlocks = 1.5; },
      "boards/esp32-devkitc: device \"telemetry\" requestBlocks is 1.5: must be an integer 0..32767 blocks: use a whole number in the board entry"],
    ["over-range requestBlocks (Int16 wrap)", (d) => { (d.devices[6] as unknown as Mutable).requestBlocks = 40_000; },
      "boards/esp32-devkitc: device \"telemetry\" requestBlocks is 40000: must be an integer 0..32767 blocks: lower it in the board entry"],
    ["Infinity suspend budget", (d) => { (d.devices[2] as unknown as Mutable).stageBudgetUs = { suspend: Number.POSITIVE_INFINITY }; },
      "boards/esp32-devkitc: device \"bme280\" stageBudgetUs.suspend is Infinity: must be an integer 1..2000000000 µs: lower it in the board entry"],
    ["a string budget", (d) => { (d.devices[2] as unknown as Mutable).budgetUs = "50000"; },
      "boards/esp32-devkitc: device \"bme280\" budgetUs is \"50000\" (a string): must be an integer 1..2000000000 µs: write it as a number in the board entry"],
    ["an unknown stage key", (d) => { (d.devices[2] as unknown as Mutable).stageBudgetUs = { powerOff: 5 }; },
      "boards/esp32-devkitc: device \"bme280\" stageBudgetUs.powerOff is not a PENDING stage: use prepare, suspend, resume or reprobe in the board entry"],
    ["roles beyond the known bits (Uint8)", (d) => { (d.devices[4] as unknown as Mutable).roles = 256; },
      "boards/esp32-devkitc: device \"led\" roles is 256: must be an integer 0..3 (ROLE_STORAGE 1 | ROLE_WAKE 2): lower it in the board entry"],
    ["a fractional irq", (d) => { (d.devices[5] as unknown as Mutable).irq = 0.5; },
      "boards/esp32-devkitc: device \"button\" irq is 0.5: must be an integer 0..43 (below pm.irqLines 44): use a whole number in the board entry"],
    ["a negative pin option", (d) => { ((d.devices[4] as unknown as Mutable).options as Mutable).pin = -1; },
      "boards/esp32-devkitc: device \"led\" option \"pin\" is -1: must be an integer 0..63: raise it in the board entry"],
    ["an I2C address beyond 7 bits", (d) => { ((d.devices[2] as unknown as Mutable).options as Mutable).address = 0x176; },
      "boards/esp32-devkitc: device \"bme280\" option \"address\" is 374: must be an integer 0..127: lower it in the board entry"],
    ["a string baud", (d) => { ((d.devices[6] as unknown as Mutable).options as Mutable).baud = "fast"; },
      "boards/esp32-devkitc: device \"telemetry\" option \"baud\" is \"fast\" (a string): must be an integer 300..5000000 baud: write it as a number in the board entry"],
    ["irq.uartBase beyond irqLines", (d) => { (d.irq as Mutable).uartBase = 44; },
      "boards/esp32-devkitc: irq.uartBase is 44: must be an integer 0..43 (below pm.irqLines 44): lower it in the board's irq numbering"],
    ["a pin whose IRQ line (gpioBase + pin) is beyond irqLines", (d) => { (d.irq as Mutable).gpioBase = 42; },
      "boards/esp32-devkitc: device \"led\" option \"pin\" 2 is IRQ line 44 (irq.gpioBase 42 + pin): must be an integer 0..43 (below pm.irqLines 44): raise pm.irqLines or set the device's irq in the board entry"],
    ["a wake source line", (d) => { (d.wakeSources as unknown as Mutable[])[0].line = 2 ** 31; },
      "boards/esp32-devkitc: wakeSources[0] (device \"button\") line is 2147483648: must be an integer 0..43 (below pm.irqLines 44): lower it in the board's wakeSources"],
    ["a pin map entry", (d) => { (d.pins as Mutable).led = 64; },
      "boards/esp32-devkitc: pins.led is 64: must be an integer 0..63: lower it in the board's pin map"],
    ["pm.maxDevices 0", (d) => { (d.pm as Mutable).maxDevices = 0; },
      "boards/esp32-devkitc: pm.maxDevices is 0: must be an integer 1..4096 devices: raise it in the board's pm sizes"],
    ["pm.defaultBudgetUs 2^31", (d) => { (d.pm as Mutable).defaultBudgetUs = 2 ** 31; },
      "boards/esp32-devkitc: pm.defaultBudgetUs is 2147483648: must be an integer 1..2000000000 µs: lower it in the board's pm sizes"],
    ["pm.traceRecords missing", (d) => { delete (d.pm as Mutable).traceRecords; },
      "boards/esp32-devkitc: pm.traceRecords is missing: set it in the board's pm sizes (an integer 1..65536)"],
    ["pm.reprobeCapUs below reprobeFirstUs", (d) => { (d.pm as Mutable).reprobeFirstUs = 10_000; (d.pm as Mutable).reprobeCapUs = 5_000; },
      "boards/esp32-devkitc: pm.reprobeCapUs is 5000, below pm.reprobeFirstUs 10000: must be an integer 10000..2000000000 µs: raise reprobeCapUs or lower reprobeFirstUs in the board's pm sizes"],
    ["pm.blockCount x blockSize over one buffer", (d) => { (d.pm as Mutable).blockCount = 32_767; (d.pm as Mutable).blockSize = 65_536; },
      "boards/esp32-devkitc: pm.blockCount x pm.blockSize is 2147418112 bytes: must be at most 16777216 bytes: lower blockCount or blockSize in the board's pm sizes"],
  ];
  for (const [name, edit, message] of cases) {
    it("refuses " + name + " naming board, device, field, range and fix", () => {
      const def = clone(ESP32_DEVKITC);
      edit(def);
      expect(refusal(def)).toBe(message);
    });
  }

  it("refuses a fractional option not in the table, for a driver that does not list its keys (any key passes, its number is still checked)", () => {
    const def = clone(ESP32_DEVKITC);
    ((def.devices[4] as unknown as Mutable).options as Mutable).blinkMs = 2.5;
    const undeclared = { ...DRIVERS, led: (ctx: DriverContext) => DRIVERS.led(ctx) };
    expect(refusal(def, undeclared)).toBe(
      "boards/esp32-devkitc: device \"led\" option \"blinkMs\" is 2.5: must be an integer -2147483647..2147483647: use a whole number in the board entry");
  });

  it("property: a random bad number in a random field of a valid board is always refused, naming board, device, field and range", () => {
    const all = BOARDS.flatMap((b) => fields(b).map((f) => ({ board: b, f })));
    fc.assert(fc.property(fc.constantFrom(...all).chain(({ board, f }) => {
      const max = f.line ? Math.min(f.limit.max, board.pm.irqLines - 1) : f.limit.max;
      return fc.tuple(fc.constant(board), fc.constant(f), badValue(f.limit, max));
    }), ([board, f, v]) => {
      const def = clone(board);
      f.set(def, v);
      const msg = refusal(def);
      expect(msg.startsWith(board.file + ": ")).toBe(true);
      if (f.device !== null) expect(msg).toContain("\"" + f.device + "\"");
      expect(msg).toContain(f.label + " is ");
      expect(msg).toContain(rangeText(f.limit, f.line ? board.pm.irqLines - 1 : undefined));
    }), { numRuns: 2000 });
  });

  it("property: any number in any field never crashes validation: it passes or throws an Error naming the board", () => {
    const all = BOARDS.flatMap((b) => fields(b).map((f) => ({ board: b, f })));
    const anything = fc.oneof(fc.double(), fc.integer({ min: -100, max: 100_000 }), fc.string({ maxLength: 4 }), fc.constantFrom<unknown>(undefined, null, 2 ** 31));
    fc.assert(fc.property(fc.constantFrom(...all), anything, ({ board, f }, v) => {
      const def = clone(board);
      f.set(def, v);
      const msg = refusal(def);
      if (msg !== "") expect(msg.startsWith(board.file + ": ")).toBe(true);
    }), { numRuns: 2000 });
  });
});

describe("numberOption", () => {
  const ctx = (options: { [key: string]: unknown }): DriverContext => ({ name: "dev", board: "boards/b", options } as unknown as DriverContext);

  it("refuses NaN, Infinity, strings and fractions; accepts integers and the fallback", () => {
    expect(numberOption(ctx({ hz: 400_000 }), "hz")).toBe(400_000);
    expect(numberOption(ctx({}), "hz", 7)).toBe(7);
    expect(() => numberOption(ctx({ hz: Number.NaN }), "hz")).toThrow(
      "boards/b: device \"dev\" option \"hz\" is NaN: must be an integer -2147483647..2147483647: set a number in its board entry");
    expect(() => numberOption(ctx({ hz: 1.5 }), "hz")).toThrow(/option "hz" is 1.5: must be an integer .*: use a whole number/);
    expect(() => numberOption(ctx({ hz: Number.POSITIVE_INFINITY }), "hz")).toThrow(/is Infinity: .*: lower it/);
    expect(() => numberOption(ctx({ hz: 2 ** 31 }), "hz")).toThrow(/is 2147483648: .*: lower it/);
    expect(() => numberOption(ctx({ hz: "400k" }), "hz")).toThrow(/is "400k" \(a string\): .*: write it as a number/);
  });

  it("takes an optional range, integer by default, or any finite number in range", () => {
    const r = { min: 1, max: 80_000_000, unit: "Hz" };
    expect(() => numberOption(ctx({ hz: 0 }), "hz", undefined, r)).toThrow(
      "boards/b: device \"dev\" option \"hz\" is 0: must be an integer 1..80000000 Hz: raise it in its board entry");
    expect(() => numberOption(ctx({ hz: -5 }), "hz", 10, r)).toThrow(/raise it/);
    expect(numberOption(ctx({ gain: 0.25 }), "gain", undefined, { min: 0, max: 1, integer: false })).toBe(0.25);
    expect(() => numberOption(ctx({ gain: 1.5 }), "gain", undefined, { min: 0, max: 1, integer: false })).toThrow(
      "boards/b: device \"dev\" option \"gain\" is 1.5: must be a number 0..1: lower it in its board entry");
  });
});

describe("a misspelt field is refused, not ignored", () => {
  const check = (def: BoardDefinition): void => validateBoard(def, DRIVERS);

  it("in a board entry: names board, device, the field and the nearest known one", () => {
    const def = clone(ESP32_DEVKITC);
    (def.devices.find((d) => d.name === "bme280") as unknown as Mutable).budgetUS = 5000;
    expect(() => check(def)).toThrow(/^boards\/esp32-devkitc: device "bme280" has an unknown field "budgetUS": did you mean "budgetUs"\? \(known: .*\): fix it in the board entry$/);
  });

  it("in the pm sizes: names board and field, with a suggestion only when one is close", () => {
    const def = clone(ESP32_DEVKITC);
    (def.pm as Mutable).reprobeFirstMs = 1000;
    expect(() => check(def)).toThrow(/^boards\/esp32-devkitc: pm has an unknown field "reprobeFirstMs": did you mean "reprobeFirstUs"\?/);
    const far = clone(MODDABLE_TWO);
    (far.pm as Mutable).sleepiness = 3;
    expect(() => check(far)).toThrow(/pm has an unknown field "sleepiness" \(known: maxDevices, .*\): fix it in the board's pm sizes$/);
  });

  it("every shipped board and every field the types name still boots", () => {
    expect(() => check(clone(ESP32_DEVKITC))).not.toThrow();
    expect(() => check(clone(MODDABLE_TWO))).not.toThrow();
  });
});

describe("a misspelt driver option is refused, not ignored", () => {
  /** `def` with device `name`'s option `key` renamed to `to` (same value). */
  const renamed = (def: BoardDefinition, name: string, key: string, to: string): BoardDefinition => {
    const out = clone(def);
    const o = (out.devices.find((d) => d.name === name) as unknown as Mutable).options as Mutable;
    o[to] = o[key];
    delete o[key];
    return out;
  };

  it("names board, device, key, the driver's known keys and the fix, with the nearest key when one is close", () => {
    expect(refusal(renamed(ESP32_DEVKITC, "bme280", "address", "adress"))).toBe("boards/esp32-devkitc: device \"bme280\": options.adress is not an option " +
      "of driver \"bme280\" (known: address, osrsT, osrsP, osrsH, filter, queueCapacity): fix the spelling (did you mean \"address\"?) or remove it");
    expect(refusal(renamed(MODDABLE_TWO, "display", "invert", "inverted"))).toBe("boards/moddable-two: device \"display\": options.inverted is not an option " +
      "of driver \"ili9341\" (known: select, dc, hz, madctl, colmod, invert, queue): fix the spelling (did you mean \"invert\"?) or remove it");
    expect(refusal(renamed(MODDABLE_TWO, "touch", "threshold", "sensitivity"))).toBe("boards/moddable-two: device \"touch\": options.sensitivity is not an " +
      "option of driver \"ft6206\" (known: address, reset, wake, interrupt, threshold): fix the spelling or remove it");
  });

  it("every device of each shipped board: a misspelt key is refused before its value is looked at, and boot refuses it too", () => {
    for (const def of BOARDS) {
      for (const d of def.devices) {
        const key = Object.keys(d.options ?? {})[0];
        const known = (DRIVERS[d.driver].options ?? []).join(", ");
        expect(refusal(renamed(def, d.name, key, key.toUpperCase() + "_"))).toBe(def.file + ": device \"" + d.name + "\": options." + key.toUpperCase() +
          "_ is not an option of driver \"" + d.driver + "\" (known: " + known + "): fix the spelling (did you mean \"" + key + "\"?) or remove it");
      }
    }
    const bad = renamed(ESP32_DEVKITC, "led", "pin", "pins");
    (((bad.devices.find((d) => d.name === "led") as unknown as Mutable).options) as Mutable).pins = 2.5;
    expect(refusal(bad)).toBe("boards/esp32-devkitc: device \"led\": options.pins is not an option of driver \"led\" (known: pin): fix the spelling (did you mean \"pin\"?) or remove it");
    expect(() => new SimBoard({ ...SIM_ESP32_DEVKITC, definition: renamed(ESP32_DEVKITC, "button", "debounceUs", "debounceMs") })).toThrow(
      "boards/esp32-devkitc: device \"button\": options.debounceMs is not an option of driver \"button\" (known: pin, debounceUs, longPressUs, target): " +
      "fix the spelling (did you mean \"debounceUs\"?) or remove it");
  });

  it("every option key the shipped boards use is one their driver lists, and every shipped driver lists its keys", () => {
    for (const table of [DRIVERS, DEVKITC_DRIVERS, MODDABLE_TWO_DRIVERS]) {
      for (const name of Object.keys(table)) expect([name, Array.isArray(table[name].options)]).toEqual([name, true]);
    }
    for (const def of [...BOARDS, SIM_ESP32_DEVKITC.definition, simModdableTwoDefinition()]) {
      for (const d of def.devices) {
        const unknown = Object.keys(d.options ?? {}).filter((k) => !(DRIVERS[d.driver].options ?? []).includes(k));
        expect([def.file, d.name, unknown]).toEqual([def.file, d.name, []]);
      }
      expect(refusal(def)).toBe("");
    }
  });
});
