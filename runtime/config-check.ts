// Boot-time checks of the PmConfig a caller hands the runtime (its numbers against runtime/limits.ts, its nested objects' keys), wake lines at seal; may allocate.
import type { PmConfig } from "./driver";
import { LIMITS, outOfRange, describeValue } from "./limits";
import type { DeviceGraph } from "./graph";
import type { IrqController } from "./irq";
import { REPROBE_FIRST_US, REPROBE_CAP_US } from "./recovery";
import { ROLE_WAKE } from "./status";

/** PmConfig sizes every table is made from: required ones, then the optional ones. */
const REQUIRED: readonly string[] = Object.freeze([
  "maxDevices", "stateArenaBytes", "blockCount", "blockSize", "irqLines", "traceRecords", "defaultBudgetUs", "testHoldUs", "failureHistory",
]);
const OPTIONAL: readonly string[] = Object.freeze(["flightRecords", "reprobeFirstUs", "reprobeCapUs", "traceLevel", "maxLocks"]);
/** The numbers of each `pm.states` entry. */
const STATE_FIELDS: readonly string[] = Object.freeze(["entryUs", "exitUs", "breakEvenUs"]);
const GOVERNOR_FIELDS: readonly string[] = Object.freeze(["minIdleUs", "wakeMarginUs"]);
/** Every field of a `pm.states` entry (IdleState) and of `pm.governor` (GovernorConfig): another is a typo, refused at boot. */
const STATE_KEYS: readonly string[] = Object.freeze(["target"].concat(STATE_FIELDS));
const GOVERNOR_KEYS: readonly string[] = Object.freeze(["enabled"].concat(GOVERNOR_FIELDS));
/** Every field a PmConfig may have: another is a typo, refused at boot. */
const PM_FIELDS: readonly string[] = Object.freeze(REQUIRED.concat(OPTIONAL, ["board", "states", "governor"]));
/** One ArrayBuffer backs every request block. */
const MAX_BLOCK_POOL_BYTES = 16_777_216;

function boardOf(config: { readonly board?: unknown }): string {
  return typeof config.board === "string" && config.board !== "" ? config.board : "(PmConfig without board)";
}

/**
 * The sizes of a board's runtime: each an integer in its LIMITS row; reprobeCapUs >= reprobeFirstUs;
 * the block pool within one 16 MiB buffer. `where` is how the fix is placed ("in the PmConfig",
 * "in the board's pm sizes"). Throws "<board>: pm.<field> is <v>: must be <range>: <fix> <where>". @boot
 */
export function checkPmConfig(config: PmConfig, where = "in the PmConfig"): void {
  const b = boardOf(config);
  const c = config as unknown as { readonly [key: string]: unknown };
  const unknown = unknownField(c, PM_FIELDS);
  if (unknown !== null) throw new Error(b + ": pm " + unknown + ": fix it " + where);
  for (let i = 0; i < REQUIRED.length + OPTIONAL.length; i++) {
    const key = i < REQUIRED.length ? REQUIRED[i] : OPTIONAL[i - REQUIRED.length];
    const v = c[key];
    if (v === undefined) {
      if (i < REQUIRED.length) {
        const l = LIMITS["pm." + key];
        throw new Error(b + ": pm." + key + " is missing: set it " + where + " (an integer " + l.min + ".." + l.max + ")");
      }
      continue;
    }
    const bad = outOfRange(v, LIMITS["pm." + key]);
    if (bad !== null) throw new Error(b + ": pm." + key + " " + bad + " " + where);
  }
  const first = config.reprobeFirstUs ?? REPROBE_FIRST_US;
  const cap = config.reprobeCapUs ?? REPROBE_CAP_US;
  if (cap < first) {
    throw new Error(b + ": pm.reprobeCapUs is " + cap + (config.reprobeCapUs === undefined ? " (the default)" : "") + ", below pm.reprobeFirstUs " +
      first + ": must be an integer " + first + ".." + LIMITS["pm.reprobeCapUs"].max + " µs: raise reprobeCapUs or lower reprobeFirstUs " + where);
  }
  checkIdlePolicy(config, b, where);
  if (config.blockCount * config.blockSize > MAX_BLOCK_POOL_BYTES) {
    throw new Error(b + ": pm.blockCount x pm.blockSize is " + config.blockCount * config.blockSize + " bytes: must be at most " +
      MAX_BLOCK_POOL_BYTES + " bytes: lower blockCount or blockSize " + where);
  }
}

/** `pm.states` (an array of { target, entryUs, exitUs, breakEvenUs }) and `pm.governor` ({ enabled, minIdleUs? }). @boot */
function checkIdlePolicy(config: PmConfig, b: string, where: string): void {
  const states = config.states as unknown;
  if (states !== undefined) {
    if (!Array.isArray(states)) throw new Error(b + ": pm.states is " + String(states) + ": must be an array of { target, entryUs, exitUs, breakEvenUs } " + where);
    for (let i = 0; i < states.length; i++) {
      const e = states[i] as { readonly [key: string]: unknown };
      const unknown = e === null || typeof e !== "object" ? null : unknownField(e, STATE_KEYS);
      if (unknown !== null) throw new Error(b + ": pm.states[" + i + "] " + unknown + ": fix it " + where);
      for (let k = 0; k < STATE_FIELDS.length; k++) {
        const bad = outOfRange(e === null || typeof e !== "object" ? undefined : e[STATE_FIELDS[k]], LIMITS["states." + STATE_FIELDS[k]]);
        if (bad !== null) throw new Error(b + ": pm.states[" + i + "]." + STATE_FIELDS[k] + " " + bad + " " + where);
      }
    }
  }
  const g = config.governor as unknown as { readonly [key: string]: unknown } | undefined;
  if (g === undefined) return;
  if (g === null || typeof g !== "object" || typeof g.enabled !== "boolean") {
    throw new Error(b + ": pm.governor must be { enabled: true|false, minIdleUs?, wakeMarginUs? } " + where);
  }
  const unknown = unknownField(g, GOVERNOR_KEYS);
  if (unknown !== null) throw new Error(b + ": pm.governor " + unknown + ": fix it " + where);
  if (g.enabled === true && (!Array.isArray(states) || states.length === 0)) {
    throw new Error(b + ": pm.governor is enabled but pm.states lists no state to enter: add states (boards/esp32-states.ts ESP32_LIGHT_SLEEP) or disable the governor " + where);
  }
  for (let i = 0; i < GOVERNOR_FIELDS.length; i++) {
    const key = GOVERNOR_FIELDS[i];
    if (g[key] === undefined) continue;
    const bad = outOfRange(g[key], LIMITS["governor." + key]);
    if (bad !== null) throw new Error(b + ": pm.governor." + key + " " + bad + " " + where);
  }
}

/** At seal: every wake device's line is below pm.irqLines (named with board and device) and marked as a wake line. @boot */
export function markWakeLines(config: PmConfig, g: DeviceGraph, irq: IrqController): void {
  for (let d = 0; d < g.count; d++) {
    // Checked for every device: one without ROLE_WAKE still names the waker when a board wake source is on its line.
    if (g.wakeLine[d] >= config.irqLines) throw new Error(config.board + ": device \"" + g.names[d] + "\" wakeLine is " + g.wakeLine[d] + ": must be below pm.irqLines " + config.irqLines + ": raise irqLines or fix the line");
    if ((g.roles[d] & ROLE_WAKE) !== 0 && g.wakeLine[d] >= 0) irq.markWake(g.wakeLine[d]);
  }
}

/** `pm.port(d)` for a `d` that is no device's id ("0", 1.5, -1, past the last): throws naming it and the fix. @boot */
export function noPort(board: string, d: unknown, ports: number): never {
  throw new Error(board + ": port(" + describeValue(d) + "): " + (ports === 0 ? "no port is made before seal: call pm.seal() first" :
    "no such device: pass the id register returned, an integer 0.." + (ports - 1)));
}

/**
 * The first own key of `obj` that is not in `known`, as `has an unknown field "budgetUS": did you mean
 * "budgetUs"? (known: ...)`, or null. A misspelt optional field would otherwise be ignored in silence. @boot
 */
export function unknownField(obj: object, known: readonly string[]): string | null {
  return unknownKey(Object.keys(obj), known);
}

/** `unknownField` over keys already listed (register lists a spec's keys once: each list is 15 XS slots of boot garbage a device). @boot */
export function unknownKey(keys: readonly string[], known: readonly string[]): string | null {
  for (let i = 0; i < keys.length; i++) {
    if (known.indexOf(keys[i]) >= 0) continue;
    let best = "";
    let bestCost = 3;
    for (let k = 0; k < known.length; k++) {
      const cost = editDistance(keys[i].toLowerCase(), known[k].toLowerCase());
      if (cost < bestCost) { best = known[k]; bestCost = cost; }
    }
    return "has an unknown field \"" + keys[i] + "\"" + (best !== "" ? ": did you mean \"" + best + "\"?" : "") + " (known: " + known.join(", ") + ")";
  }
  return null;
}

/**
 * The entry of `known` within two edits of `name` (case aside), the closest first, or "": the suggestion
 * `unknownField` makes, for messages of another shape. (unknownKey keeps its own copy of the loop: it runs
 * at every PowerManager construction, and a call here would move the boot cost bench/results.json pins.) @boot
 */
export function nearestName(name: string, known: readonly string[]): string {
  let best = "";
  let bestCost = 3;
  for (let k = 0; k < known.length; k++) {
    const cost = editDistance(name.toLowerCase(), known[k].toLowerCase());
    if (cost < bestCost) { best = known[k]; bestCost = cost; }
  }
  return best;
}

/** Levenshtein distance, for the suggestions above (short names only, at boot). @boot */
function editDistance(a: string, b: string): number {
  let prev: number[] = [];
  for (let j = 0; j <= b.length; j++) prev.push(j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}
