// Scenario files (Wokwi-style automation): turns the parsed YAML into typed steps, each error naming file:line:col and a fix.
import { MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_TOKENS, ScenarioError, type Src, type YEntry, type YNode, parseYaml, show } from "./scenario-yaml";

export { ScenarioError } from "./scenario-yaml";

export const WAKE_SOURCES = ["button", "uart", "timer"] as const;
export type WakeSource = (typeof WAKE_SOURCES)[number];
/** The stage hooks, then the runtime-PM hooks (a device with runtime hooks only: W25Q, ILI9341, backlight). */
export const FAULT_STAGES = ["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume", "runtimeSuspend", "runtimeResume"] as const;
export type FaultStage = (typeof FAULT_STAGES)[number];
/** The stage labels the firmware's progress lines print (S1..S3, R1, R2), then RS/RR for the runtime hooks, in FAULT_STAGES order. */
export const FAULT_STAGE_LABELS = ["S1", "S2", "S3", "R1", "R2", "RS", "RR"] as const;
/** Hooks that run with interrupts off and must answer at once: a `late` answer cannot apply there. */
export const SYNC_STAGES: readonly FaultStage[] = ["powerOffNoIrq", "powerOnNoIrq"];
/** `none` clears a fault injected earlier. */
export const FAULT_MODES = ["fail", "hang", "late", "throw", "none"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];
export const DEVICE_STATES = ["active", "prepared", "suspended", "off", "failed"] as const;

export type Step =
  | { kind: "write-serial"; text: string; line: number }
  | { kind: "wait-serial"; text: string; timeoutUs: number; line: number }
  | { kind: "delay"; us: number; line: number }
  | { kind: "press-button"; line: number }
  | { kind: "release-button"; line: number }
  | { kind: "expect-state"; device: string; state: string; line: number }
  | { kind: "expect-wake"; source: WakeSource; line: number }
  | { kind: "wake"; source: WakeSource; line: number }
  | { kind: "fault"; device: string; stage: FaultStage; mode: FaultMode; line: number }
  /** Wokwi's expect-pin: `part-id` is a device with a pin (led, button) or `pin` a GPIO number. */
  | { kind: "expect-pin"; pin: string; value: number; line: number };

export interface Scenario {
  file: string;
  name: string;
  /** Default `wait-serial` timeout, virtual microseconds. */
  timeoutUs: number;
  steps: Step[];
}

export const DEFAULT_WAIT_US = 5_000_000;
/** Longest delay or timeout: one day of virtual time (MAX_STEPS of them stay exact in a double's microseconds). */
export const MAX_DURATION_US = 86_400_000_000;
export const MAX_STEPS = 2_000;
/** The limits README.md states (its limits table is checked against these by the tests). */
export const LIMITS = { fileBytes: MAX_FILE_BYTES, depth: MAX_DEPTH, tokens: MAX_TOKENS, values: MAX_NODES, steps: MAX_STEPS, durationUs: MAX_DURATION_US };

const STEP_KINDS = [
  "write-serial", "wait-serial", "delay", "press-button", "release-button", "set-control",
  "expect-state", "expect-wake", "wake", "fault", "expect-pin",
];
const TOP_KEYS = ["name", "version", "author", "description", "timeout", "steps"];

/** A hook name or its progress label (`S2`, `r1`: case does not matter), or null. */
export function faultStage(name: string): FaultStage | null {
  const i = (FAULT_STAGES as readonly string[]).indexOf(name);
  if (i >= 0) return FAULT_STAGES[i];
  const j = (FAULT_STAGE_LABELS as readonly string[]).indexOf(name.toUpperCase());
  return j >= 0 ? FAULT_STAGES[j] : null;
}

/** "prepare|S1, suspend|S2, ..." for usage lines. */
export function faultStageHelp(): string {
  return FAULT_STAGES.map((s, i) => s + "|" + FAULT_STAGE_LABELS[i]).join(", ");
}

/** One line per step kind: printed when a step is unknown, and by `--help`. */
export const STEP_HELP = [
  "- write-serial: \"suspend standby\"        text + newline to the firmware console",
  "- wait-serial: \"suspend ok\"              wait (virtual time) for serial output containing the text",
  "  timeout: 2s                            optional, default " + DEFAULT_WAIT_US / 1e6 + "s or the file's `timeout:`",
  "- delay: 500ms                           let virtual time pass (us, ms, s)",
  "- press-button / - release-button        the BOOT button (contact bounce included)",
  "- set-control: { part-id: button, control: pressed, value: 1 }",
  "- expect-state: { device: bme280, state: active }",
  "- expect-wake: button                    cause of the last wake (button|uart|timer)",
  "- wake: uart                             raise a wake source (button|uart|timer)",
  "- expect-pin: { part-id: led, value: 1 }   level of a device's pin, or { pin: 2, value: 0 } a GPIO",
  "- fault: { device: bme280, stage: suspend, mode: fail }   stage a hook or S1..S3/R1/R2, mode fail|hang|late|throw|none",
];

/** Parses a scenario's text; `file` is only used in messages. Throws ScenarioError. */
export function parseScenario(file: string, source: string): Scenario {
  const { root, src } = parseYaml(file, source);
  if (root.kind !== "map") {
    throw src.error(root.at, "a scenario is a map with `name:` and `steps:`, not a " + describe(root) + (root.kind === "seq" ? "; put the steps under `steps:`" : ""));
  }
  let name = "";
  let timeoutUs = DEFAULT_WAIT_US;
  let stepsNode: YNode | null = null;
  for (const e of root.entries) {
    if (TOP_KEYS.indexOf(e.key) < 0) throw src.error(e.keyAt, "unknown key " + show(e.key) + "; a scenario has " + TOP_KEYS.join(", "));
    if (e.key === "name") name = text(src, e, "the scenario's name");
    else if (e.key === "version") {
      const v = text(src, e, "version");
      if (v !== "1") throw src.error(e.value.at, "version " + show(v) + " is not supported; use `version: 1`");
    } else if (e.key === "timeout") timeoutUs = duration(src, e.value, "timeout");
    else if (e.key === "steps") stepsNode = e.value;
  }
  if (name === "") throw src.error(root.at, "missing `name:`; give the scenario a name");
  if (stepsNode === null) throw src.error(root.at, "missing `steps:`; list the steps, e.g. `steps:` then `  - wait-serial: \"ready\"`");
  if (stepsNode.kind !== "seq" || stepsNode.items.length === 0) {
    throw src.error(stepsNode.at, "`steps:` must be a non-empty list of `- step` items, not a " + describe(stepsNode));
  }
  if (stepsNode.items.length > MAX_STEPS) {
    throw src.error(stepsNode.items[MAX_STEPS].at, stepsNode.items.length + " steps; a scenario may have at most " + MAX_STEPS + ", split it into files");
  }
  const steps: Step[] = [];
  for (const item of stepsNode.items) steps.push(parseStep(src, item, timeoutUs));
  return { file, name, timeoutUs, steps };
}

function parseStep(src: Src, node: YNode, defaultTimeout: number): Step {
  const line = node.line;
  let kind: string;
  let arg: YNode;
  let extra: YEntry[] = [];
  if (node.kind === "scalar" && !node.quoted) {
    kind = node.value;
    arg = { kind: "null", line, at: node.at };
  } else if (node.kind === "map" && node.entries.length > 0) {
    kind = node.entries[0].key;
    arg = node.entries[0].value;
    extra = node.entries.slice(1);
  } else {
    throw src.error(node.at, "a step is `- kind: argument` or `- kind`, not a " + describe(node));
  }
  if (STEP_KINDS.indexOf(kind) < 0) {
    // `- write-serial "status"`: YAML reads one string; the step and its argument need a colon between them.
    const spaced = node.kind === "scalar" ? /^([a-z-]+)\s+(\S.*)$/.exec(kind) : null;
    if (spaced !== null && STEP_KINDS.indexOf(spaced[1]) >= 0) {
      throw src.error(node.at, "step `" + spaced[1] + "` is missing the colon after its name: write `- " + spaced[1] + ": " + spaced[2] + "`");
    }
    throw src.error(node.at, "unknown step " + show(kind) + "; steps are " + STEP_KINDS.join(", "));
  }
  const allowed = kind === "wait-serial" ? ["timeout"] : [];
  for (const e of extra) {
    if (allowed.indexOf(e.key) < 0) {
      throw src.error(e.keyAt, show(e.key) + " does not belong to `" + kind + "`" +
        (allowed.length > 0 ? "; it takes " + allowed.join(", ") : "; it takes no options") + " (indent options under the step)");
    }
  }
  switch (kind) {
    case "write-serial":
      return { kind, text: stringArg(src, kind, arg), line };
    case "wait-serial": {
      let textNode = arg;
      let timeoutUs = defaultTimeout;
      if (arg.kind === "map") {
        const f = fields(src, kind, arg, ["text"], ["timeout"]);
        textNode = f.text;
        if (f.timeout !== undefined) timeoutUs = duration(src, f.timeout, "timeout");
      }
      for (const e of extra) timeoutUs = duration(src, e.value, "timeout");
      const t = stringArg(src, kind, textNode);
      if (t === "") throw src.error(textNode.at, "`wait-serial` needs non-empty text to wait for");
      return { kind, text: t, timeoutUs, line };
    }
    case "delay":
      return { kind, us: duration(src, arg, "delay"), line };
    case "press-button":
    case "release-button":
      if (arg.kind !== "null") throw src.error(arg.at, "`" + kind + "` takes no argument (the board has one button)");
      return { kind, line };
    case "set-control": {
      const f = fields(src, kind, arg, ["control", "value"], ["part-id"]);
      const part = f["part-id"] === undefined ? "button" : scalar(src, f["part-id"], "part-id");
      if (part !== "button" && part !== "btn1" && part !== "boot") {
        throw src.error(f["part-id"].at, "set-control part-id " + show(part) + " is unknown; the board's control is `button`");
      }
      const control = scalar(src, f.control, "control");
      if (control !== "pressed") throw src.error(f.control.at, "set-control control " + show(control) + " is unknown; use `pressed`");
      const value = scalar(src, f.value, "value");
      if (value !== "0" && value !== "1") throw src.error(f.value.at, "set-control value " + show(value) + " must be 1 (press) or 0 (release)");
      return { kind: value === "1" ? "press-button" : "release-button", line };
    }
    case "expect-state": {
      const f = fields(src, kind, arg, ["device", "state"], []);
      return { kind, device: scalar(src, f.device, "device"), state: oneOf(src, f.state, "state", DEVICE_STATES), line };
    }
    case "expect-wake":
      return { kind, source: oneOf(src, arg, "wake source", WAKE_SOURCES), line };
    case "wake":
      return { kind, source: oneOf(src, arg, "wake source", WAKE_SOURCES), line };
    case "expect-pin": {
      const f = fields(src, kind, arg, ["value"], ["part-id", "pin"]);
      const which = f["part-id"] ?? f.pin;
      if (which === undefined || (f["part-id"] !== undefined && f.pin !== undefined)) {
        throw src.error(arg.at, "`expect-pin` needs one of `part-id:` (a device, e.g. led) or `pin:` (a GPIO number)");
      }
      const pin = scalar(src, which, "pin");
      if (which === f.pin && !/^\d{1,2}$/.test(pin)) throw src.error(which.at, "pin " + show(pin) + " is not a GPIO number; write an integer such as `pin: 2`");
      const value = scalar(src, f.value, "value");
      if (value !== "0" && value !== "1") throw src.error(f.value.at, "expect-pin value " + show(value) + " must be 0 or 1");
      return { kind, pin, value: Number(value), line };
    }
    default: {
      const f = fields(src, kind, arg, ["device", "stage", "mode"], []);
      const stageText = scalar(src, f.stage, "stage");
      const stage = faultStage(stageText);
      if (stage === null) throw src.error(f.stage.at, "stage " + show(stageText) + " is unknown; use one of " + faultStageHelp());
      const mode = oneOf(src, f.mode, "mode", FAULT_MODES);
      if (mode === "late" && SYNC_STAGES.indexOf(stage) >= 0) throw src.error(f.mode.at, lateCannotApply(stage));
      return { kind: "fault", device: scalar(src, f.device, "device"), stage, mode, line };
    }
  }
}

/** Why `late` is refused on a noIrq hook, and what to use instead. */
export function lateCannotApply(stage: FaultStage): string {
  return "mode `late` cannot apply to " + stage + ": noIrq hooks run with interrupts off and answer synchronously; use fail, hang or throw";
}

/** Parses `500ms`, `2s`, `250us` (also `1.5s`); null if not one. A bare number is refused: the unit is the whole point. */
export function parseDuration(value: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(us|ms|s)$/.exec(value.trim());
  if (m === null) return null;
  const n = parseFloat(m[1]);
  const us = Math.round(m[2] === "s" ? n * 1e6 : m[2] === "ms" ? n * 1e3 : n);
  return Number.isFinite(us) ? us : null;
}

function duration(src: Src, node: YNode, what: string): number {
  const v = scalar(src, node, what);
  const us = parseDuration(v);
  if (us === null) throw src.error(node.at, what + " " + show(v) + " is not a duration; write e.g. 500ms, 2s or 250us (virtual time)");
  if (us > MAX_DURATION_US) throw src.error(node.at, what + " " + show(v) + " is longer than a day; at most 86400s of virtual time");
  return us;
}

function fields(src: Src, kind: string, node: YNode, required: string[], optional: string[]): Record<string, YNode> {
  if (node.kind !== "map") {
    throw src.error(node.at, "`" + kind + "` takes a map `{ " + required.map((k) => k + ": ...").join(", ") + " }`, not a " + describe(node));
  }
  const out: Record<string, YNode> = {};
  for (const e of node.entries) {
    if (required.indexOf(e.key) < 0 && optional.indexOf(e.key) < 0) {
      throw src.error(e.keyAt, "`" + kind + "` has no field " + show(e.key) + "; its fields are " + required.concat(optional).join(", "));
    }
    out[e.key] = e.value;
  }
  for (const k of required) {
    if (out[k] === undefined) throw src.error(node.at, "`" + kind + "` is missing `" + k + ":`");
  }
  return out;
}

function oneOf<T extends string>(src: Src, node: YNode, what: string, options: readonly T[]): T {
  const v = scalar(src, node, what);
  if ((options as readonly string[]).indexOf(v) < 0) {
    throw src.error(node.at, what + " " + show(v) + " is unknown; use one of " + options.join(", "));
  }
  return v as T;
}

function stringArg(src: Src, kind: string, node: YNode): string {
  if (node.kind !== "scalar") throw src.error(node.at, "`" + kind + "` takes text, e.g. `- " + kind + ": \"suspend standby\"`, not a " + describe(node));
  return node.value;
}

function scalar(src: Src, node: YNode, what: string): string {
  if (node.kind !== "scalar") throw src.error(node.at, what + " needs a value, not a " + describe(node));
  return node.value;
}

function text(src: Src, e: YEntry, what: string): string {
  if (e.value.kind !== "scalar") throw src.error(e.value.kind === "null" ? e.keyAt : e.value.at, what + " needs a value, not a " + describe(e.value));
  return e.value.value;
}

function describe(node: YNode): string {
  return node.kind === "seq" ? "list" : node.kind === "map" ? "map" : node.kind === "null" ? "empty value" : "plain value";
}
