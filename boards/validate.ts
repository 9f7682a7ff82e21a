// Boot-time checks of a board definition: every number in range, unknown names, cycles, shared pins, IRQ lines, pool sizes; errors name the fix.
import { ROLE_WAKE } from "../runtime/status";
import { checkPmConfig, nearestName, unknownField } from "../runtime/config-check";
import { ANY_INTEGER, LIMITS, describeValue, outOfRange } from "../runtime/limits";
import type { BoardDefinition, BoardDevice, DriverFactory, DriverTable } from "./types";
import { PIN_OPTIONS } from "./types";
import { DRIVER_TABLE_FIELD, checkFactory } from "./driver-check";
import { esp32WakePlan } from "./esp32-wake";

export { checkPools } from "./driver-check";

/** Throws the first problem found, as "<board file>: <what>: <fix>"; `table` is how the driver table is named in a fix. */
export function validateBoard(def: BoardDefinition, drivers: DriverTable, table = DRIVER_TABLE_FIELD): void {
  const f = def.file;
  const devices = def.devices;
  // No prototype: a device named "constructor", or a parent "toString" no device has, is not found on Object.prototype.
  const index = Object.create(null) as { [name: string]: number };
  checkNumbers(def, drivers, table);
  if (devices.length > def.pm.maxDevices) {
    throw new Error(f + ": pool: " + devices.length + " devices, maxDevices is " + def.pm.maxDevices + ": raise pm.maxDevices");
  }
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i];
    if (!d.name) throw new Error(f + ": devices[" + i + "] has no name: give every device a unique name");
    // Boot keeps drivers and ids by name in plain objects (BootedBoard.drivers, ids), where "__proto__" sets the prototype.
    if (d.name === "__proto__") throw new Error(f + ": devices[" + i + "] is named \"__proto__\", which JavaScript objects take as their prototype, not a key: rename it");
    if (index[d.name] !== undefined) throw new Error(f + ": devices: \"" + d.name + "\" is defined twice: rename one");
    index[d.name] = i;
    if (driverOf(drivers, d.driver) === undefined) {
      throw new Error(f + ": devices: \"" + d.name + "\" uses driver \"" + d.driver + "\", which is not in the driver table boot was given: add it to the board's driver table (" + table + ") or fix the name (known: " + Object.keys(drivers).join(", ") + ")");
    }
  }
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i];
    if (d.parent !== undefined && index[d.parent] === undefined) {
      throw new Error(f + ": devices: \"" + d.name + "\" has parent \"" + d.parent + "\", which is not a device of this board: add it or fix the name");
    }
    const needs = d.needs ?? [];
    // A string would be walked per character ("needs "i", which is not a device").
    if (!Array.isArray(needs)) {
      throw new Error(f + ": device \"" + d.name + "\" needs is " + describeValue(needs) + ": needs must be an array of device names: write needs: " +
        (typeof needs === "string" ? JSON.stringify([needs]) : "[\"<device>\", ...]") + " in the board entry");
    }
    for (let k = 0; k < needs.length; k++) {
      if (index[needs[k]] === undefined) {
        throw new Error(f + ": devices: \"" + d.name + "\" needs \"" + needs[k] + "\", which is not a device of this board: add it or fix the name");
      }
    }
  }
  checkCycle(def, index);
  checkPins(def, drivers);
  checkIrq(def, index);
  // The ESP32 platform arms what the simulator arms, or boot refuses (RTC GPIOs, ext0 + ext1 levels).
  esp32WakePlan(def);
}

/**
 * The table's own entry for `name`, or undefined. Not `drivers[name]`: that finds Object.prototype's
 * `constructor`, `toString`, `__proto__`... on every table, and boot would call one as a factory.
 */
function driverOf(drivers: DriverTable, name: string): DriverTable[string] | undefined {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(drivers, name) ? drivers[name] : undefined;
}

/** The per-device numbers of a board entry, each read against its `device.<field>` row of runtime/limits.ts. */
const DEVICE_FIELDS: readonly string[] = Object.freeze(["budgetUs", "stateBytes", "requestBlocks", "roles", "irq", "suspendCostUs", "resumeCostUs", "autosuspendMs"]);
const STAGE_KEYS: readonly string[] = Object.freeze(["prepare", "suspend", "resume", "reprobe"]);
/** Every field a board entry may have (types.ts BoardDevice): another is a typo, refused at boot. */
const ENTRY_FIELDS: readonly string[] = Object.freeze(DEVICE_FIELDS.concat(["name", "driver", "options", "parent", "needs", "stageBudgetUs"]));

/**
 * Every number of the definition, before any lands in a typed array: pm sizes, the pin map, IRQ
 * numbering, each device's budgets, sizes, roles, irq and numeric options, wake source lines; each
 * entry's field names and option keys come first (a misspelt name is the problem, whatever its value).
 * Throws "<board>: device "<name>" <field> is <v>: must be an integer <min>..<max> <unit>: <fix> in the board entry".
 */
function checkNumbers(def: BoardDefinition, drivers: DriverTable, table: string): void {
  const f = def.file;
  checkPmConfig(Object.assign({ board: f }, def.pm), "in the board's pm sizes");
  const lineMax = def.pm.irqLines - 1;
  const pins = def.pins ?? {};
  const pinNames = Object.keys(pins);
  for (let i = 0; i < pinNames.length; i++) {
    const bad = outOfRange(pins[pinNames[i]], LIMITS["board.pins"]);
    if (bad !== null) throw new Error(f + ": pins." + pinNames[i] + " " + bad + " in the board's pin map");
  }
  const irq = (def.irq ?? {}) as unknown as { readonly [key: string]: unknown };
  for (const key of ["gpioBase", "uartBase"]) {
    const bad = outOfRange(irq[key], LIMITS["board.irq." + key], lineMax);
    if (bad !== null) throw new Error(f + ": irq." + key + " " + bad + " in the board's irq numbering");
  }
  for (let i = 0; i < def.devices.length; i++) checkDeviceNumbers(def, def.devices[i], lineMax, drivers, table);
  for (let i = 0; i < def.wakeSources.length; i++) {
    const w = def.wakeSources[i];
    const bad = outOfRange(w.line, LIMITS["board.wakeSources.line"], lineMax);
    if (bad !== null) throw new Error(f + ": wakeSources[" + i + "] (device \"" + String(w.device) + "\") line " + bad + " in the board's wakeSources");
    if (w.level !== undefined && w.level !== 0 && w.level !== 1) {
      throw new Error(f + ": wakeSources[" + i + "] (device \"" + String(w.device) + "\") level is " + String(w.level) + ": must be 0 (wakes when low) or 1 (wakes when high): fix it in the board's wakeSources");
    }
  }
}

function checkDeviceNumbers(def: BoardDefinition, d: BoardDevice, lineMax: number, drivers: DriverTable, table: string): void {
  const who = def.file + ": device \"" + String(d.name) + "\" ";
  const fields = d as unknown as { readonly [key: string]: unknown };
  const unknown = unknownField(fields, ENTRY_FIELDS);
  if (unknown !== null) throw new Error(who + unknown + ": fix it in the board entry");
  // A driver not in the table is reported after the numbers, by validateBoard; one there is a factory before its options are read.
  const factory = driverOf(drivers, d.driver);
  if (factory !== undefined) checkFactory(def, d, factory, table);
  if (factory !== undefined && factory.options !== undefined) checkOptionKeys(def, d, factory);
  for (let k = 0; k < DEVICE_FIELDS.length; k++) {
    const key = DEVICE_FIELDS[k];
    if (fields[key] === undefined) continue;
    const bad = outOfRange(fields[key], LIMITS["device." + key], key === "irq" ? lineMax : undefined);
    if (bad !== null) throw new Error(who + key + " " + bad + " in the board entry");
  }
  const per = fields.stageBudgetUs;
  if (per !== undefined) {
    if (typeof per !== "object" || per === null) throw new Error(who + "stageBudgetUs is " + String(per) + ": must be { prepare?, suspend?, resume?, reprobe? } in µs: fix it in the board entry");
    const p = per as { readonly [key: string]: unknown };
    const keys = Object.keys(p);
    for (let k = 0; k < keys.length; k++) {
      if (STAGE_KEYS.indexOf(keys[k]) < 0 && p[keys[k]] !== undefined) {
        throw new Error(who + "stageBudgetUs." + keys[k] + " is not a PENDING stage: use prepare, suspend, resume or reprobe in the board entry");
      }
      const bad = outOfRange(p[keys[k]], LIMITS["device.stageBudgetUs." + keys[k]]);
      if (p[keys[k]] !== undefined && bad !== null) throw new Error(who + "stageBudgetUs." + keys[k] + " " + bad + " in the board entry");
    }
  }
  const o = d.options ?? {};
  const keys = Object.keys(o);
  for (let k = 0; k < keys.length; k++) {
    const row = LIMITS["option." + keys[k]];
    if (row === undefined && typeof o[keys[k]] !== "number") continue;
    const bad = outOfRange(o[keys[k]], row ?? ANY_INTEGER, row !== undefined && row.line ? lineMax : undefined);
    if (bad !== null) throw new Error(who + "option \"" + keys[k] + "\" " + bad + " in the board entry");
  }
  const groups = factory !== undefined ? factory.groups : undefined;
  if (groups !== undefined) {
    const names = Object.keys(groups);
    for (let k = 0; k < names.length; k++) {
      // checkOptionKeys has refused a group that is not an object.
      const g = o[names[k]] as { readonly [key: string]: unknown } | undefined;
      if (g !== undefined) checkGroupNumbers(who, names[k], g, lineMax);
    }
  }
  // Boot registers a pin-only device on line gpioBase + pin: that line must exist too.
  const pin = o["pin"];
  if (d.irq === undefined && typeof pin === "number" && def.irq.gpioBase + pin > lineMax) {
    throw new Error(who + "option \"pin\" " + pin + " is IRQ line " + (def.irq.gpioBase + pin) + " (irq.gpioBase " + def.irq.gpioBase +
      " + pin): must be an integer 0.." + lineMax + " (below pm.irqLines " + (lineMax + 1) + "): raise pm.irqLines or set the device's irq in the board entry");
  }
}

/** The numbers inside an option group (uart-console's `serial`), each against its top-level key's row: "option "serial.baud" is 0". */
function checkGroupNumbers(who: string, group: string, g: { readonly [key: string]: unknown }, lineMax: number): void {
  const keys = Object.keys(g);
  for (let k = 0; k < keys.length; k++) {
    const row = LIMITS["option." + keys[k]];
    if (row === undefined && typeof g[keys[k]] !== "number") continue;
    const bad = outOfRange(g[keys[k]], row ?? ANY_INTEGER, row !== undefined && row.line ? lineMax : undefined);
    if (bad !== null) throw new Error(who + "option \"" + group + "." + keys[k] + "\" " + bad + " in the board entry");
  }
}

/**
 * Every key of the entry's options is one its driver reads (DriverFactory.options): a misspelt one would
 * be ignored. Then what each of the driver's option groups holds (checkGroup).
 */
function checkOptionKeys(def: BoardDefinition, d: BoardDevice, factory: DriverFactory): void {
  const known = factory.options ?? [];
  const keys = Object.keys(d.options ?? {});
  for (let k = 0; k < keys.length; k++) {
    if (known.indexOf(keys[k]) >= 0) continue;
    const near = nearestName(keys[k], known);
    throw new Error(def.file + ": device \"" + d.name + "\": options." + keys[k] + " is not an option of driver \"" + d.driver + "\" (known: " +
      known.join(", ") + "): fix the spelling" + (near !== "" ? " (did you mean \"" + near + "\"?)" : "") + " or remove it");
  }
  const groups = factory.groups;
  if (groups === undefined) return;
  const names = Object.keys(groups);
  for (let k = 0; k < names.length; k++) checkGroup(def, d, names[k], groups[names[k]], known);
}

/**
 * An option group holds only its listed keys, and replaces the top-level options of the same names
 * (the driver reads one or the other: `serial` or port/transmit/receive/baud), so both given is refused
 * too: either way the board's value would be ignored in silence. Each names every key at fault.
 */
function checkGroup(def: BoardDefinition, d: BoardDevice, group: string, inside: readonly string[], known: readonly string[]): void {
  const who = def.file + ": device \"" + d.name + "\": ";
  const o = d.options ?? {};
  const g = o[group];
  if (g === undefined) return;
  // The top-level options the group replaces (all four for the console's serial).
  const replaced = inside.filter((key) => known.indexOf(key) >= 0);
  if (typeof g !== "object" || g === null || Array.isArray(g)) {
    throw new Error(who + "options." + group + " is " + (Array.isArray(g) ? "an array" : describeValue(g)) + ": must be an object with " +
      inside.join(", ") + ": fix it in the board entry" + (replaced.length > 0 ? ", or leave it out and set " + replaced.join(", ") + " in options" : ""));
  }
  const keys = Object.keys(g);
  let bad = "";
  let n = 0;
  for (let k = 0; k < keys.length; k++) {
    if (inside.indexOf(keys[k]) >= 0) continue;
    const near = nearestName(keys[k], inside);
    bad += (n++ > 0 ? ", " : "") + "options." + group + "." + keys[k] + (near !== "" ? " (did you mean \"" + near + "\"?)" : "");
  }
  if (n > 0) {
    throw new Error(who + bad + (n === 1 ? " is not an option" : " are not options") + " of driver \"" + d.driver + "\" (known in " + group + ": " +
      inside.join(", ") + "): fix the spelling or remove " + (n === 1 ? "it" : "them"));
  }
  n = 0;
  for (let k = 0; k < replaced.length; k++) {
    if (o[replaced[k]] !== undefined) bad += (n++ > 0 ? ", " : "") + "options." + replaced[k];
  }
  if (n > 0) {
    throw new Error(who + bad + (n === 1 ? " is" : " are") + " ignored when options." + group + " is given (" + group + " replaces " +
      replaced.join(", ") + "): remove " + bad + " from the board entry (set " + (n === 1 ? "it" : "them") + " in options." + group + ")");
  }
}

function prerequisites(d: BoardDevice): string[] {
  const out: string[] = [];
  if (d.parent !== undefined) out.push(d.parent);
  const needs = d.needs ?? [];
  for (let i = 0; i < needs.length; i++) out.push(needs[i]);
  return out;
}

function checkCycle(def: BoardDefinition, index: { [name: string]: number }): void {
  const n = def.devices.length;
  const mark = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const stack: string[] = [];
  const visit = (i: number): void => {
    mark[i] = 1;
    stack.push(def.devices[i].name);
    const pre = prerequisites(def.devices[i]);
    for (let k = 0; k < pre.length; k++) {
      const j = index[pre[k]];
      if (mark[j] === 1) {
        const from = stack.indexOf(pre[k]);
        const cycle = stack.slice(from).concat([pre[k]]);
        throw new Error(def.file + ": devices: dependency cycle " + cycle.join(" -> ") + ": remove one of these parent/needs edges");
      }
      if (mark[j] === 0) visit(j);
    }
    stack.pop();
    mark[i] = 2;
  };
  for (let i = 0; i < n; i++) if (mark[i] === 0) visit(i);
}

function checkPins(def: BoardDefinition, drivers: DriverTable): void {
  // Per GPIO: the device on it, and the option that put it there (named in a clash).
  const owner: { [pin: number]: string } = {}, ownerKey: { [pin: number]: string } = {};
  for (let i = 0; i < def.devices.length; i++) {
    const d = def.devices[i];
    const o = d.options ?? {};
    const factory = driverOf(drivers, d.driver) as DriverFactory;
    claimPins(def, d.name, o, owner, ownerKey, Array.isArray(factory.pins) ? factory.pins : NO_PINS);
    // An option group (uart-console's `serial`: port, transmit, receive, baud) holds pins too.
    const groups = factory.groups;
    if (groups === undefined) continue;
    const names = Object.keys(groups);
    for (let k = 0; k < names.length; k++) {
      const g = o[names[k]] as { readonly [key: string]: unknown } | undefined;
      if (g !== undefined) claimPins(def, d.name, g, owner, ownerKey, NO_PINS);
    }
  }
}

const NO_PINS: readonly string[] = [];

/** Marks `options`' PIN_OPTIONS and the driver's own pin keys (`extra`) as `name`'s GPIOs, or throws naming the other device on one. */
function claimPins(def: BoardDefinition, name: string, options: { readonly [key: string]: unknown }, owner: { [pin: number]: string },
  ownerKey: { [pin: number]: string }, extra: readonly string[]): void {
  for (let k = 0; k < PIN_OPTIONS.length + extra.length; k++) {
    const key = k < PIN_OPTIONS.length ? PIN_OPTIONS[k] : extra[k - PIN_OPTIONS.length];
    const v = options[key];
    // -1 is a driver's "no pin" (the PIR's enable): no GPIO to share.
    if (typeof v !== "number" || v < 0) continue;
    const other = owner[v];
    if (other !== undefined && other !== name) {
      throw new Error(def.file + ": pins: " + other + " (option " + ownerKey[v] + ") and " + name + " (option " + key + ") both use GPIO " + v + ": give each device its own pin");
    }
    owner[v] = name;
    ownerKey[v] = key;
  }
}

function checkIrq(def: BoardDefinition, index: { [name: string]: number }): void {
  const lines = def.pm.irqLines;
  const owner: { [line: number]: string } = {};
  for (let i = 0; i < def.devices.length; i++) {
    const d = def.devices[i];
    if (d.irq === undefined) {
      if (((d.roles ?? 0) & ROLE_WAKE) !== 0) throw new Error(def.file + ": irq: \"" + d.name + "\" is wake-capable but has no irq line: set its irq");
      continue;
    }
    if (!(d.irq >= 0 && d.irq < lines)) {
      throw new Error(def.file + ": irq: \"" + d.name + "\" uses line " + d.irq + ", outside 0.." + (lines - 1) + ": raise pm.irqLines or fix the line");
    }
    if (owner[d.irq] !== undefined) {
      throw new Error(def.file + ": irq: " + owner[d.irq] + " and " + d.name + " both use line " + d.irq + ": give each device its own line");
    }
    owner[d.irq] = d.name;
  }
  for (let i = 0; i < def.wakeSources.length; i++) {
    const w = def.wakeSources[i];
    if (index[w.device] === undefined) {
      throw new Error(def.file + ": wakeSources: \"" + w.device + "\" is not a device of this board: add it or fix the name");
    }
    if (!(w.line >= 0 && w.line < lines)) {
      throw new Error(def.file + ": wakeSources: line " + w.line + " of \"" + w.device + "\" is outside 0.." + (lines - 1) + ": raise pm.irqLines");
    }
  }
}
