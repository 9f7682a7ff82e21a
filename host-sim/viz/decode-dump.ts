// Reads a saved console capture (`status`, `devices`, `trace dump` output) back into trace records, devices and a timeline.
import { decodeTraceDump, type DumpRecord } from "./dump-decode";
import { ROLE_STORAGE, ROLE_WAKE } from "../../runtime/status";
import { TimelineBuilder, type BuilderOptions } from "./build";
import { devicesFromNames, type TimelineModel, type VizDevice } from "./model";

export type { DumpRecord };

/** One line of the console's `devices` tree. */
export interface TreeEntry {
  name: string;
  depth: number;
  parent: string | null;
  needs: string[];
  storage: boolean;
  wakeLine: number;
}

/**
 * Console lines without their line ends (CR LF, LF, CR; also CR CR LF, what a second CR-to-CRLF
 * conversion or a `screen -L` log gives: one line end, not an empty line between each), prompts ("> ")
 * and trailing spaces a terminal may add.
 */
function lines(text: string): string[] {
  return text.split(/\r*\n|\r/).map((l) => l.replace(/^(> )+/, "").replace(/\s+$/, ""));
}

/** Device names in id order from a `status` reply ("phase idle, 7 devices, ..." then "  name  state"), or null. */
export function parseStatusNames(text: string): string[] | null {
  const ls = lines(text);
  let found: string[] | null = null;
  for (let i = 0; i < ls.length; i++) {
    const m = /^phase \w+, (\d+) devices, last outcome /.exec(ls[i]);
    if (m === null) continue;
    const n = Number(m[1]);
    const names: string[] = [];
    for (let k = 1; k <= n && i + k < ls.length; k++) {
      // "  led     failed, next re-probe in 1000000 us": the name, then its state and any note.
      const d = /^  (\S+)\s+\S/.exec(ls[i + k]);
      if (d === null) break;
      names.push(d[1]);
    }
    // The last complete reply wins (a capture may hold several).
    if (names.length === n) found = names;
  }
  return found;
}

/** The dependency tree from a `devices` reply, or null. */
export function parseDeviceTree(text: string): TreeEntry[] | null {
  const ls = lines(text);
  let found: TreeEntry[] | null = null;
  for (let i = 0; i < ls.length; i++) {
    const m = /^(\d+) devices \(tree by parent/.exec(ls[i]);
    if (m === null) continue;
    const n = Number(m[1]);
    const out: TreeEntry[] = [];
    const stack: string[] = [];
    for (let k = 1; k <= n && i + k < ls.length; k++) {
      const line = ls[i + k];
      const lead = /^( *)(\S+)(.*)$/.exec(line);
      if (lead === null || lead[1].length < 2) break;
      const depth = (lead[1].length - 2) >> 1;
      const rest = lead[3];
      const wake = /\[wake line (\d+)\]/.exec(rest);
      const needsAt = rest.indexOf(" needs ");
      const needs = needsAt < 0 ? [] : rest.slice(needsAt + 7).split(", ")
        .map((s) => s.replace(/ \(storage\)$/, "").replace(/\.\.\.$/, "").trim()).filter((s) => s !== "");
      stack.length = depth;
      out.push({
        name: lead[2], depth, parent: depth > 0 ? stack[depth - 1] ?? null : null, needs,
        storage: rest.includes("[storage]"), wakeLine: wake === null ? -1 : Number(wake[1]),
      });
      stack[depth] = lead[2];
    }
    if (out.length === n) found = out;
  }
  return found;
}

/** Devices in id order: names from `names` or the capture's `status` reply, tree details from its `devices` reply. */
export function devicesFromCapture(text: string, names?: readonly string[] | null): VizDevice[] {
  const ids = names !== undefined && names !== null && names.length > 0 ? names.slice() : parseStatusNames(text);
  const tree = parseDeviceTree(text);
  if (ids === null) {
    throw new Error(tree === null
      ? "no device names: pass --names a,b,c (board definition order) or capture the console's `status` output with the dump"
      : "the capture has the `devices` tree but not the id order: also capture `status` (ids are its line order) or pass --names");
  }
  const devices = devicesFromNames(ids);
  if (tree === null) return devices;
  const id = (name: string): number => ids.indexOf(name);
  for (const e of tree) {
    const d = id(e.name);
    if (d < 0) throw new Error("the `devices` tree names \"" + e.name + "\", which is not in the device names [" + ids.join(",") + "]: capture `status` and `devices` from the same board");
    const dev = devices[d];
    dev.parent = e.parent === null ? -1 : id(e.parent);
    dev.needs = e.needs.map(id).filter((x) => x >= 0);
    dev.roles = (e.storage ? ROLE_STORAGE : 0) | (e.wakeLine >= 0 ? ROLE_WAKE : 0);
    dev.wakeLine = e.wakeLine;
  }
  return devices;
}

/**
 * Trace records of the capture's last complete `trace dump` (ended, or cut short by a suspend); an
 * unfinished last dump (the capture stopped) falls back to an earlier complete one. The console's own
 * decoder reads the bytes.
 */
export function decodeDump(text: string): DumpRecord[] {
  let begin = text.lastIndexOf("trace dump begin:");
  if (begin < 0) throw new Error("no 'trace dump begin' line: run `trace dump` on the console and save everything it prints");
  let first: unknown = null;
  while (begin >= 0) {
    const from = Math.max(text.lastIndexOf("\n", begin), text.lastIndexOf("\r", begin)) + 1;
    try {
      return decodeTraceDump(text.slice(from));
    } catch (e) {
      if (first === null) first = e;
    }
    begin = begin > 0 ? text.lastIndexOf("trace dump begin:", begin - 1) : -1;
  }
  throw first;
}

/** A timeline from a capture: records from its dump, device ids and tree from `names` or its status/devices replies. */
export function modelFromDump(text: string, options: BuilderOptions & { names?: readonly string[] | null } = {}): TimelineModel {
  // The dump first: a file that is no capture at all is told so, not asked for device names.
  const records = decodeDump(text);
  const devices = devicesFromCapture(text, options.names);
  for (const r of records) {
    if (r.device >= devices.length) {
      throw new Error("trace record at " + r.time + " us names device " + r.device + " but only " + devices.length +
        " device names are known: pass every device of the board to --names, in definition order");
    }
  }
  const builder = new TimelineBuilder(devices, { source: "dump", ...options });
  for (const r of records) builder.record(r.time, r.device, r.stage, r.event, r.status, r.duration);
  return builder.finish();
}
