// Mistakes in a driver table, a driver object or a board entry's needs are refused at boot naming the board, the device, the field and the fix.
import { describe, expect, it } from "vitest";
import { SimBoard, type SimBoardOptions } from "../../host-sim/board/sim-board";
import type { SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";
import { CONSOLE_WAKE_LINE, UART_LINE_BASE, driverFactory, uart0Console, type BoardDefinition, type BoardDevice, type DriverTable } from "../../boards";
import { ESP32_DEVKITC, DEVKITC_DRIVERS } from "../../boards/esp32-devkitc/board";
import { DRIVERS } from "../../boards/drivers";
import { UartConsole, UART_CONSOLE_OPTIONS } from "../../drivers/uart-console/uart-console";
import type { DriverContext } from "../../drivers/common/io";
import { clone, refusal, type Mutable } from "./validate-helpers";

/** A driver with nothing but attach. */
class Ok {
  readonly name: string;
  constructor(ctx: DriverContext) {
    this.name = ctx.name;
  }
  attach(): void {}
}

/** A board of device "d" (driver "d", `entry` its fields) and the console. */
function def(entry: Partial<BoardDevice> = {}): BoardDefinition {
  return {
    name: "T", file: "app/board",
    pm: { maxDevices: 4, stateArenaBytes: 48, blockCount: 2, blockSize: 16, irqLines: 44, traceRecords: 64, defaultBudgetUs: 50_000, testHoldUs: 1000, failureHistory: 4 },
    pins: {}, devices: [{ name: "d", driver: "d", options: {}, ...entry }, uart0Console(1, 3)],
    wakeSources: [{ device: "console", line: CONSOLE_WAKE_LINE, hibernate: false }], irq: { gpioBase: 0, uartBase: UART_LINE_BASE },
  };
}

/** Boots `definition` on the simulator with `d` as driver "d" of the wiring's table: "" if it booted, else the message. */
function boot(d: unknown, definition = def(), options: SimBoardOptions = {}): string {
  const drivers = { d, "uart-console": driverFactory((ctx) => new UartConsole(ctx), UART_CONSOLE_OPTIONS) } as unknown as DriverTable;
  const wiring: SimBoardWiring = { definition, externalPullUps: [], models: [{ kind: "terminal", device: "console", port: 0, baud: 115200 }], drivers };
  try {
    new SimBoard(wiring, { seed: 1, ...options });
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}

/** A factory making an Ok, then `edit`ing it. */
const making = (edit: (o: Record<string, unknown>) => void) => driverFactory((ctx) => {
  const o = new Ok(ctx);
  edit(o as unknown as Record<string, unknown>);
  return o;
}, []);

describe("the driver table's entries", () => {
  it("the class itself instead of a factory: named, with the driverFactory line to write", () => {
    expect(boot(Ok)).toBe("app/board: devices: \"d\" uses driver \"d\", whose driver table entry is the class Ok, not a factory: " +
      "write driverFactory((ctx) => new Ok(ctx), [its option keys]) in SimBoardWiring.drivers");
    // A class whose attach is not on its prototype is still told by its source (Node keeps it).
    class Field { attach = (): void => {}; }
    expect(boot(Field)).toBe("app/board: devices: \"d\" uses driver \"d\", whose driver table entry is the class Field, not a factory: " +
      "write driverFactory((ctx) => new Field(ctx), [its option keys]) in SimBoardWiring.drivers");
  });

  it("an entry that is not a function", () => {
    expect(boot(5)).toBe("app/board: devices: \"d\" uses driver \"d\", whose driver table entry is 5, not a factory: " +
      "make it driverFactory((ctx) => new YourDriver(ctx), [its option keys]) in SimBoardWiring.drivers");
  });

  it("option keys given as a string (driverFactory(make, \"pin\")) or with a non-string", () => {
    const bad = driverFactory((ctx) => new Ok(ctx), "pin" as unknown as string[]);
    expect(boot(bad, def({ options: { pi: 1 } }))).toBe("app/board: devices: \"d\" uses driver \"d\", whose option keys are \"pin\" (a string), " +
      "not an array of strings: declare them as driverFactory(make, [\"pin\"]) in SimBoardWiring.drivers");
    expect(boot(driverFactory((ctx) => new Ok(ctx), [5] as unknown as string[]))).toBe("app/board: devices: \"d\" uses driver \"d\", whose option keys are " +
      "an array, not an array of strings: declare them as driverFactory(make, [\"pin\", ...]) in SimBoardWiring.drivers");
  });

  it("pin keys given as a string (driverFactory(make, OPTIONS, \"enable\")): refused, not a clash check left off in silence", () => {
    const bad = driverFactory((ctx) => new Ok(ctx), [], "enable" as unknown as string[]);
    expect(boot(bad)).toBe("app/board: devices: \"d\" uses driver \"d\", whose pin keys are \"enable\" (a string), " +
      "not an array of strings: declare them as driverFactory(make, OPTIONS, [\"enable\"]) in SimBoardWiring.drivers");
  });

  it("a driver missing from the table names the field set: SimBoardWiring.drivers, SimBoardOptions.drivers, or BootOptions.drivers on the firmware", () => {
    const missing = (field: string, table = DEVKITC_DRIVERS) => "app/board: devices: \"d\" uses driver \"pir\", which is not in the driver table boot was given: " +
      "add it to the board's driver table (" + field + ") or fix the name (known: " + Object.keys(table).join(", ") + ")";
    const definition = def({ driver: "pir" });
    const wiring: SimBoardWiring = { definition, externalPullUps: [], models: [{ kind: "terminal", device: "console", port: 0, baud: 115200 }] };
    // None given: the default (every shipped driver) lacks it, and the wiring is where a board's own table goes.
    expect(() => new SimBoard(wiring)).toThrow(missing("SimBoardWiring.drivers", DRIVERS));
    expect(() => new SimBoard({ ...wiring, drivers: DEVKITC_DRIVERS })).toThrow(missing("SimBoardWiring.drivers"));
    expect(() => new SimBoard(wiring, { drivers: DEVKITC_DRIVERS })).toThrow(missing("SimBoardOptions.drivers"));
    expect(refusal(definition, DEVKITC_DRIVERS)).toBe(missing("BootOptions.drivers"));
  });
});

describe("what a factory returns", () => {
  it("undefined or a number: not a driver", () => {
    const fix = ", not a driver: return the driver object from the factory, (ctx) => new YourDriver(ctx) (not (ctx) => { new YourDriver(ctx) }), in the driver table";
    expect(boot(driverFactory(() => undefined as never, []))).toBe("app/board: devices: \"d\" (driver d): its factory returned undefined" + fix);
    expect(boot(() => 5)).toBe("app/board: devices: \"d\" (driver d): its factory returned 5" + fix);
  });

  it("a Promise (an async factory): told to make the driver at once, not to add attach", () => {
    expect(boot(driverFactory((() => Promise.resolve({})) as never, []))).toBe("app/board: devices: \"d\" (driver d): its factory returned a Promise " +
      "(an async factory?), not a driver: make the driver at once, (ctx) => new YourDriver(ctx), and do slow set-up in its start()");
  });

  it("an object without attach", () => {
    expect(boot(making((o) => { o.attach = undefined; }))).toBe("app/board: devices: \"d\" (driver d): the driver's attach is undefined, not a method: " +
      "give the driver attach(port: DevicePort): void (boot calls it after seal with the device's port)");
  });

  it("an attach that throws is named with its device", () => {
    expect(boot(making((o) => { o.attach = () => { throw new Error("attach boom"); }; }))).toBe("app/board: devices: attaching \"d\" (driver d) failed: attach boom");
  });

  it("stateBytes as a string or a fraction is refused, not coerced; the board entry's own value overrides it", () => {
    const fix = ": fix it in the driver, or set stateBytes in the board entry";
    expect(boot(making((o) => { o.stateBytes = "4"; }))).toBe("app/board: devices: \"d\" (driver d): the driver's stateBytes is \"4\" (a string): " +
      "must be an integer 0..16777216 bytes: write it as a number" + fix);
    expect(boot(making((o) => { o.stateBytes = 4.5; }))).toBe("app/board: devices: \"d\" (driver d): the driver's stateBytes is 4.5: " +
      "must be an integer 0..16777216 bytes: use a whole number" + fix);
    expect(boot(making((o) => { o.stateBytes = "4"; }), def({ stateBytes: 4 }))).toBe("");
    expect(boot(making((o) => { o.autosuspendMs = "100"; }))).toBe("app/board: devices: \"d\" (driver d): the driver's autosuspendMs is \"100\" (a string): " +
      "must be an integer 0..2000000 ms: write it as a number: fix it in the driver, or set autosuspendMs in the board entry");
  });
});

describe("a board entry's needs", () => {
  it("a string is refused as a whole, with the array to write", () => {
    const withNeeds = (needs: unknown) => {
      const out = clone(ESP32_DEVKITC);
      (out.devices.find((d) => d.name === "bme280") as unknown as Mutable).needs = needs;
      return out;
    };
    expect(refusal(withNeeds("i2c0"), DEVKITC_DRIVERS)).toBe("boards/esp32-devkitc: device \"bme280\" needs is \"i2c0\" (a string): " +
      "needs must be an array of device names: write needs: [\"i2c0\"] in the board entry");
    expect(refusal(withNeeds(7), DEVKITC_DRIVERS)).toBe("boards/esp32-devkitc: device \"bme280\" needs is 7: " +
      "needs must be an array of device names: write needs: [\"<device>\", ...] in the board entry");
    expect(refusal(withNeeds(["i2c0"]), DEVKITC_DRIVERS)).toBe("");
  });
});
