// --board: the shipped simulated boards by name, or a board module by path (its SimBoardWiring, or a bare BoardDefinition).
import { existsSync } from "fs";
import { dirname, join, resolve } from "path";
import { DRIVERS } from "../../boards/drivers";
import { SIM_ESP32_DEVKITC, type SimBoardWiring, type SimModelWiring } from "../boards/esp32-devkitc";
import { simModdableTwoWiring } from "../boards/moddable-two";
import type { BoardDefinition } from "../../boards/types";

/** The board could not be loaded or booted: printed as its message alone (it names the fix), exit 2. */
export class BoardError extends Error {}

export const BOARD_NAMES = ["esp32-devkitc", "moddable-two"];

function isWiring(v: unknown): v is SimBoardWiring {
  return typeof v === "object" && v !== null && "definition" in v && "models" in v && Array.isArray((v as SimBoardWiring).models);
}

function isDefinition(v: unknown): v is BoardDefinition {
  return typeof v === "object" && v !== null && "devices" in v && "pm" in v && "wakeSources" in v;
}

/**
 * A bare board definition gets the models every board here has: a button and an LED on their pins,
 * a terminal on the console's UART0. Chips it lists without a model answer as absent hardware would.
 */
export function wiringOf(definition: BoardDefinition): SimBoardWiring {
  const models: SimModelWiring[] = [];
  const pullUps: number[] = [];
  for (const d of definition.devices) {
    const pin = (d.options as { pin?: unknown } | undefined)?.pin;
    if (d.driver === "button" && typeof pin === "number") {
      models.push({ kind: "button", device: d.name, pin });
      pullUps.push(pin);
    } else if (d.driver === "led" && typeof pin === "number") models.push({ kind: "led", device: d.name, pin });
    else if (d.name === "console") models.push({ kind: "terminal", device: "console", port: 0, baud: 115200 });
  }
  return { definition, models, externalPullUps: pullUps };
}

/** The board module `npm start` bundled with the shell (scripts/start.js), by its absolute path. */
let bundled: { file: string; load: () => { [name: string]: unknown } } | null = null;

/** scripts/start.js: the module at `file` is in this bundle; `load` evaluates it (once, as require does). */
export function bundledBoard(file: string, load: () => { [name: string]: unknown }): void {
  bundled = { file, load };
}

/**
 * `esp32-devkitc`, `moddable-two`, or a path to a module exporting a SimBoardWiring (a value, or a
 * function of no arguments returning one) or a BoardDefinition. Throws an Error naming the fix.
 */
export function loadBoard(spec: string): SimBoardWiring {
  if (spec === "esp32-devkitc" || spec === "devkitc") return SIM_ESP32_DEVKITC;
  if (spec === "moddable-two") return simModdableTwoWiring();
  if (!/[/\\.]/.test(spec)) throw new BoardError("--board " + spec + " is not a board; use " + BOARD_NAMES.join(" or ") + ", or a path to a board module");
  let mod: { [name: string]: unknown };
  try {
    if (bundled !== null && bundled.file === resolve(spec)) mod = bundled.load();
    else {
      // Not bundled with the shell (the tests, a module esbuild could not bundle): a plain-node run learns .ts here, transpile only.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      if (/\.ts$/.test(spec) && require.extensions[".ts"] === undefined) require("ts-node").register({ transpileOnly: true });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(resolve(spec)) as { [name: string]: unknown };
    }
  } catch (e) {
    throw new BoardError("--board " + spec + ": cannot load it (" + (e instanceof Error ? e.message.split("\n")[0] : String(e)) + "); give the path of a .ts board module");
  }
  const values = Object.keys(mod).map((k) => mod[k]);
  const wiring = values.find(isWiring);
  if (wiring !== undefined) return wiring;
  for (const v of values) {
    if (typeof v === "function" && v.length === 0 && /wiring/i.test(v.name)) {
      const w = (v as () => unknown)();
      if (isWiring(w)) return w;
    }
  }
  const definition = values.find(isDefinition);
  if (definition !== undefined) {
    // A bare definition runs with the shipped drivers only: a device of its own needs the module that wires its driver.
    const own = (definition as BoardDefinition).devices.find((d) => !(d.driver in DRIVERS));
    if (own !== undefined) {
      const sibling = join(dirname(spec), "sim.ts");
      throw new BoardError("--board " + spec + ": device \"" + own.name + "\" uses driver \"" + own.driver + "\", which the shipped drivers do not have: pass the module " +
        "that exports this board's SimBoardWiring with its drivers" + (existsSync(sibling) ? " (" + sibling + ")" : "") + " instead of the bare board definition");
    }
    return wiringOf(definition);
  }
  throw new BoardError("--board " + spec + " exports no SimBoardWiring and no BoardDefinition (exports: " + Object.keys(mod).join(", ") + ")");
}
