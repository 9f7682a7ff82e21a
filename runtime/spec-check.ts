// Boot-time checks of a DeviceSpec at register: a name the console can type, no unknown key, hooks that are functions, numbers in range; may allocate.
import type { DeviceSpec } from "./driver";
import { LIMITS, MAX_IRQ_LINES, outOfRange, describeValue } from "./limits";
import { STAGES, RUN_HOOK } from "./protocol";
import { unknownKey } from "./config-check";

/** Where `register` reads each numeric DeviceSpec field from. */
const SPEC_FIELDS: readonly string[] = Object.freeze(["roles", "wakeLine", "budgetUs", "stateBytes", "requestBlocks", "suspendCostUs", "resumeCostUs", "autosuspendMs"]);
const STAGE_KEYS: readonly string[] = Object.freeze(["prepare", "suspend", "resume", "reprobe"]);
/** Every field a DeviceSpec may have (runtime/driver.ts): another is a typo (a `parnet` would drop its ordering edge), refused at register. */
const SPEC_KEYS: readonly string[] = Object.freeze(["name", "hooks", "parent", "needs", "roles", "wakeLine", "budgetUs", "stageBudgetUs",
  "stateBytes", "requestBlocks", "autosuspendMs", "suspendCostUs", "resumeCostUs"]);
/** The methods the runtime calls on `hooks`: the protocol table's RUN_HOOK rows, then runtime PM's pair (runtime/runtime-pm.ts bind). */
export const HOOK_NAMES: readonly string[] = makeHookNames();

/** HOOK_NAMES, read off the protocol table once at module load. @boot */
function makeHookNames(): readonly string[] {
  const out: string[] = [];
  for (let s = 0; s < STAGES.length; s++) if (STAGES[s].run === RUN_HOOK) out.push(STAGES[s].hook);
  out.push("runtimeSuspend", "runtimeResume");
  return Object.freeze(out);
}

/** A character the console cannot type in a name (console/commands.ts splits a line on spaces; a line is ASCII 0x20-0x7e). */
const NAME_BAD = /[^!-~]/;
const NAME_RULE = "in printable ASCII without spaces (! to ~, 0x21-0x7e), so the console can address it (recover NAME)";
/** LIMITS rows of SPEC_FIELDS, looked up once (not a string concatenation per device). */
const SPEC_LIMITS = Object.freeze([
  LIMITS["device.roles"], LIMITS["device.wakeLine"], LIMITS["device.budgetUs"], LIMITS["device.stateBytes"], LIMITS["device.requestBlocks"],
  LIMITS["device.suspendCostUs"], LIMITS["device.resumeCostUs"], LIMITS["device.autosuspendMs"],
]);

const DEFAULT_BUDGET = LIMITS["pm.defaultBudgetUs"];

/**
 * A DeviceSpec before `register` keeps it: its name (one the console can type), its keys (a misspelt one
 * is refused, not ignored), its hooks (each one the runtime calls a function where present), its numbers
 * before they land in typed arrays (Uint8 roles, Int16 wakeLine and requestBlocks, Int32 budgets and
 * stateBytes), and the default budget it falls back to. `lines` is the configuration's irqLines when
 * known. Throws naming board, device, field and the fix. @boot
 */
export function checkDeviceSpec(board: string, spec: DeviceSpec, defaultBudgetUs: number, lines = MAX_IRQ_LINES): void {
  const b = board === "" ? "(PmConfig without board)" : board;
  if (typeof spec !== "object" || spec === null) throw new Error(b + ": register: the spec is " + String(spec) + ": pass a DeviceSpec object");
  const name = spec.name;
  if (typeof name !== "string" || name === "") throw new Error(b + ": register: a device has no name: give every DeviceSpec a unique name, " + NAME_RULE);
  if (NAME_BAD.test(name)) throw new Error(b + ": device name " + JSON.stringify(name) + " has " + badChar(name) + ": rename it in its DeviceSpec, " + NAME_RULE);
  const s = spec as unknown as { readonly [key: string]: unknown };
  // Named reads, not s[key] over SPEC_FIELDS: this runs once per device at boot (N up to 4096), and an
  // absent field then costs one test. `given` counts the fields set (name and hooks always): a spec with
  // more keys than that has one set to undefined or an unknown one, which the scan below tells apart.
  let given = 2;
  if (spec.parent !== undefined) { given++; if (typeof spec.parent !== "string") throw new Error(who(b, spec) + "parent is " + describeValue(spec.parent) + ": must be a device's name (a string) in its DeviceSpec"); }
  if (spec.needs !== undefined) { given++; if (!Array.isArray(spec.needs)) throw new Error(who(b, spec) + "needs is " + describeValue(spec.needs) + ": must be an array of device names in its DeviceSpec"); }
  if (spec.roles !== undefined) { given++; checkField(b, spec, 0, spec.roles, undefined); }
  if (spec.wakeLine !== undefined) { given++; checkField(b, spec, 1, spec.wakeLine, lines - 1); }
  if (spec.budgetUs !== undefined) { given++; checkField(b, spec, 2, spec.budgetUs, undefined); }
  if (spec.stateBytes !== undefined) { given++; checkField(b, spec, 3, spec.stateBytes, undefined); }
  if (spec.requestBlocks !== undefined) { given++; checkField(b, spec, 4, spec.requestBlocks, undefined); }
  if (spec.suspendCostUs !== undefined) { given++; checkField(b, spec, 5, spec.suspendCostUs, undefined); }
  if (spec.resumeCostUs !== undefined) { given++; checkField(b, spec, 6, spec.resumeCostUs, undefined); }
  if (spec.autosuspendMs !== undefined) { given++; checkField(b, spec, 7, spec.autosuspendMs, undefined); }
  const per = s.stageBudgetUs;
  if (per !== undefined) {
    given++;
    checkStageBudgets(b, spec, per);
  }
  const keys = Object.keys(spec);
  if (keys.length !== given) {
    const unknown = unknownKey(keys, SPEC_KEYS);
    if (unknown !== null) throw new Error(who(b, spec) + unknown + ": fix it in its DeviceSpec");
  }
  const h = spec.hooks as unknown as { readonly [key: string]: unknown } | null | undefined;
  if (h === null || (typeof h !== "object" && typeof h !== "function")) {
    throw new Error(b + ": device \"" + name + "\": hooks is " + (h === undefined ? "missing" : kindOf(h)) +
      ": pass the driver (an object with any of " + HOOK_NAMES.join(", ") + "), or {} for none, as hooks in its DeviceSpec");
  }
  // Unrolled (HOOK_NAMES in order) for the boot cost: a hook left out or a method passes; anything else is named below.
  let t: string, fine = false;
  try {
    fine = ((t = typeof h.prepare) === "function" || t === "undefined") && ((t = typeof h.suspend) === "function" || t === "undefined") &&
    ((t = typeof h.powerOffNoIrq) === "function" || t === "undefined") && ((t = typeof h.powerOnNoIrq) === "function" || t === "undefined") &&
    ((t = typeof h.resume) === "function" || t === "undefined") && ((t = typeof h.reprobe) === "function" || t === "undefined") &&
    ((t = typeof h.runtimeSuspend) === "function" || t === "undefined") && ((t = typeof h.runtimeResume) === "function" || t === "undefined");
  } catch {
    // A getter that throws: badHook reads them one by one and names it.
  }
  if (!fine) badHook(b, name, h);
  const dl = DEFAULT_BUDGET;
  if (spec.budgetUs === undefined && !(typeof defaultBudgetUs === "number" && (defaultBudgetUs | 0) === defaultBudgetUs && defaultBudgetUs >= dl.min && defaultBudgetUs <= dl.max)) {
    const bad = outOfRange(defaultBudgetUs, LIMITS["pm.defaultBudgetUs"]);
    if (bad !== null) throw new Error(who(b, spec) + "budgetUs falls back to defaultBudgetUs, which " + bad + " in the PmConfig");
  }
}

/** `stageBudgetUs`: an object of PENDING stages' budgets, each within its LIMITS row. @boot */
function checkStageBudgets(b: string, spec: DeviceSpec, per: unknown): void {
  if (typeof per !== "object" || per === null) throw new Error(who(b, spec) + "stageBudgetUs is " + String(per) + ": must be an object { prepare?, suspend?, resume?, reprobe? } of µs in its DeviceSpec");
  const p = per as { readonly [key: string]: unknown };
  const keys = Object.keys(p);
  for (let i = 0; i < keys.length; i++) {
    if (STAGE_KEYS.indexOf(keys[i]) < 0 && p[keys[i]] !== undefined) {
      throw new Error(who(b, spec) + "stageBudgetUs." + keys[i] + " is not a PENDING stage: use prepare, suspend, resume or reprobe in its DeviceSpec");
    }
  }
  for (let i = 0; i < STAGE_KEYS.length; i++) {
    const v = p[STAGE_KEYS[i]];
    if (v === undefined) continue;
    const bad = outOfRange(v, LIMITS["device.stageBudgetUs." + STAGE_KEYS[i]]);
    if (bad !== null) throw new Error(who(b, spec) + "stageBudgetUs." + STAGE_KEYS[i] + " " + bad + " in its DeviceSpec");
  }
}

/** Throws naming the first of HOOK_NAMES on `h` that is neither left out nor a function. @boot */
function badHook(b: string, name: string, h: { readonly [key: string]: unknown }): void {
  for (let k = 0; k < HOOK_NAMES.length; k++) {
    let f: unknown;
    try {
      f = h[HOOK_NAMES[k]];
    } catch (e) {
      // A getter (or a Proxy) that throws: the runtime reads each hook once at seal and then calls it by name.
      throw new Error(b + ": device \"" + name + "\": reading hooks." + HOOK_NAMES[k] + " threw (" + String(e) + "): make it a plain method " +
        HOOK_NAMES[k] + "(token): number on the driver, not a getter, in its DeviceSpec");
    }
    if (f === undefined || typeof f === "function") continue;
    throw new Error(b + ": device \"" + name + "\": hooks." + HOOK_NAMES[k] + " is " + kindOf(f) + ", not a function: make it a method " +
      HOOK_NAMES[k] + "(token): number, or leave it out (a missing hook answers OK), on the driver in its DeviceSpec");
  }
}

/** "a number", "null", "a string"...: what a value is, for the messages above. @boot */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  const t = typeof v;
  return (t === "object" || t === "undefined" ? "an " : "a ") + t;
}

/** The first character of `name` the console cannot type: "a space at 2", "U+0009 at 0", "\"é\" (U+00E9) at 3". @boot */
function badChar(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    const code = "U+" + ("000" + c.toString(16).toUpperCase()).slice(-4);
    return (c === 0x20 ? "a space" : c < 0x20 || c === 0x7f ? "the control character " + code : JSON.stringify(name.charAt(i)) + " (" + code + ")") + " at " + i;
  }
  return "";
}

/** SPEC_FIELDS[i] of `spec` is `v`: an integer within its limits (`lineMax` for wakeLine), else throws naming it. @boot */
function checkField(b: string, spec: DeviceSpec, i: number, v: unknown, lineMax: number | undefined): void {
  const l = SPEC_LIMITS[i];
  if (typeof v === "number" && (v | 0) === v && v >= l.min && v <= l.max && lineMax === undefined) return;
  const bad = outOfRange(v, l, lineMax);
  if (bad !== null) throw new Error(who(b, spec) + SPEC_FIELDS[i] + " " + bad + " in its DeviceSpec");
}

/** "board: device "name" ": built only when there is something to say (register runs once per device, N up to 4096). @boot */
function who(b: string, spec: DeviceSpec): string {
  return b + ": device \"" + String(spec.name) + "\" ";
}
