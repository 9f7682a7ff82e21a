// Source checks of the protocol redesign: stage ids are compared only in the table, drivers see only the port.
import * as fs from "fs";
import * as path from "path";

export interface Finding {
  file: string;
  line: number;
  text: string;
  rule: string;
}

const COMPARE = "(===|!==|<=|>=|<|>)";
/** A stage constant or a `stage`-named value compared with a relation (an index or an argument is fine). */
const STAGE_COMPARISONS: RegExp[] = [
  new RegExp(COMPARE + "\\s*S_[A-Z_]+\\b"),
  new RegExp("\\bS_[A-Z_]+\\s*" + COMPARE + "(?!=)"),
  new RegExp("\\b\\w*[sS]tage\\w*\\s*" + COMPARE + "\\s*(-?\\d|\\w*[sS]tage)"),
  /\bcase\s+S_[A-Z_]+/,
];

/** Every .ts file below `dir`, relative to `root`, sorted. */
export function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(r);
    }
  };
  walk(dir);
  return out.sort();
}

function codeLines(src: string): string[] {
  // Comments say why; only code is checked.
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).split("\n").map((l) => l.replace(/\/\/.*$/, ""));
}

/**
 * Stage knowledge lives in runtime/protocol.ts: elsewhere in runtime/ a stage id may index a table or
 * be passed on, never compared (the engine's lookups read rows: `row.dir === DIR_SUSPEND`).
 */
export function stageComparisons(root: string): Finding[] {
  const found: Finding[] = [];
  for (const file of tsFiles(root, "runtime")) {
    if (file === path.join("runtime", "protocol.ts")) continue;
    const lines = codeLines(fs.readFileSync(path.join(root, file), "utf8"));
    lines.forEach((text, i) => {
      for (const re of STAGE_COMPARISONS) {
        if (re.test(text)) {
          found.push({ file, line: i + 1, text: text.trim(), rule: "stage id compared outside runtime/protocol.ts: ask the table (a row field) instead" });
          break;
        }
      }
    });
  }
  return found;
}

/** What a driver may import from runtime/: its port, status codes, the request queue, the platform type. */
export const DRIVER_RUNTIME_IMPORTS: readonly string[] = ["runtime/port", "runtime/status", "runtime/queue", "runtime/platform", "runtime/driver"];

export function driverImports(root: string): Finding[] {
  const found: Finding[] = [];
  for (const file of tsFiles(root, "drivers")) {
    const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n");
    lines.forEach((text, i) => {
      const m = /^\s*(?:import|export)\b[^"']*["']([^"']+)["']/.exec(text);
      if (m === null || !m[1].startsWith(".")) return;
      const target = path.relative(root, path.resolve(root, path.dirname(file), m[1]));
      if (!target.startsWith("runtime" + path.sep) && target !== "runtime") return;
      if (DRIVER_RUNTIME_IMPORTS.indexOf(target.split(path.sep).join("/")) >= 0) return;
      found.push({ file, line: i + 1, text: text.trim(), rule: "a driver imports " + target + ": drivers see only " + DRIVER_RUNTIME_IMPORTS.join(", ") });
    });
  }
  return found;
}
