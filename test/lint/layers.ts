// The folder graph as data (which top-level folder may import which) and the checker that finds every upward import.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * Bare specifiers the device has (Moddable modules). Code that runs on the ESP32 may import nothing
 * else that is not ours: no Node built-in, no npm package.
 */
const DEVICE_BARE = /^(embedded:|timer$|mc\/|instrumentation$|quiesce-board$)/;

/**
 * A bare specifier that is one of quiesce's XS module names ("boards/esp32-devkitc/board": a board
 * folder's quiesce-board.js re-exports its board by name) is that repository path, and obeys the graph.
 */
const XS_MODULE_NAME = /^(runtime|drivers|console|boards)\/[\w/-]+$/;

export interface Layer {
  /** Top-level folder, or "main" for main.ts (the firmware entry). */
  readonly folder: string;
  /** Top-level folders its files may import. */
  readonly mayImport: readonly string[];
  /** Bare (package) specifiers it may import: the device's only, or any. */
  readonly bare: RegExp | "any";
  /** The rule in words, quoted in every violation. */
  readonly rule: string;
}

const DEVICE = ["runtime", "drivers", "console", "boards"];
const HOST = [...DEVICE, "host-sim", "test", "bench", "scripts", "examples"];

/**
 * Lowest first: runtime < drivers < console < boards (and main.ts) < host-sim < test, bench, scripts. A folder
 * imports only its own layer and those below. test, bench and scripts are tools over everything and
 * share harnesses (bench runs test/xs's XS harness, tests run bench's measurements and the build
 * script). Nothing imports main.ts: loading it boots the board.
 */
export const LAYERS: readonly Layer[] = [
  { folder: "runtime", mayImport: ["runtime"], bare: DEVICE_BARE, rule: "runtime/ is the base layer: it imports nothing else of the project" },
  // Issue 11 narrows this to runtime/port, status, queue and platform types once the port exists.
  { folder: "drivers", mayImport: ["runtime", "drivers"], bare: DEVICE_BARE, rule: "drivers/ import runtime/ and drivers/ only" },
  { folder: "console", mayImport: ["runtime", "drivers", "console"], bare: DEVICE_BARE, rule: "console/ (the firmware's command shell, an application) imports runtime/, drivers/ and console/ only" },
  { folder: "boards", mayImport: DEVICE, bare: DEVICE_BARE, rule: "boards/ import runtime/, drivers/ and boards/ only (simulated wiring belongs in host-sim/boards/)" },
  { folder: "main", mayImport: DEVICE, bare: DEVICE_BARE, rule: "main.ts (the firmware entry) imports runtime/, drivers/ and boards/ only" },
  { folder: "host-sim", mayImport: [...DEVICE, "host-sim"], bare: "any", rule: "host-sim/ imports the device layers and host-sim/, never test/, bench/ or scripts/" },
  // Applications as a user writes them: quiesce by its package name ("quiesce/…"), their own files by
  // path. What reaches the device is checked by the firmware build (scripts/build-firmware.ts collectApp).
  { folder: "examples", mayImport: ["examples"], bare: "any", rule: "examples/ import quiesce as a package (\"quiesce/…\") and their own files, never the repository's folders by path" },
  { folder: "test", mayImport: HOST, bare: "any", rule: "test/ imports anything but main.ts" },
  { folder: "bench", mayImport: HOST, bare: "any", rule: "bench/ imports anything but main.ts" },
  { folder: "scripts", mayImport: HOST, bare: "any", rule: "scripts/ import anything but main.ts" },
];

/** An upward import the tree keeps on purpose; each needs its reason, and the test fails once it is gone. */
export interface LayerException {
  readonly file: string;
  readonly specifier: string;
  readonly why: string;
}

export const EXCEPTIONS: readonly LayerException[] = [];

export interface LayerViolation {
  readonly file: string;
  readonly specifier: string;
  /** Repository path the specifier resolves to, or the bare specifier. */
  readonly target: string;
  readonly rule: string;
}

/** Files whose imports are checked: TypeScript and JavaScript modules, and C sources with `#include "..."`. */
const CODE = /\.(ts|mts|js|mjs)$/;
const C_CODE = /\.(c|h)$/;

/** Layer of a repository-relative path ("main.ts" is its own layer); null for folders outside the graph. */
export function layerOf(file: string): Layer | null {
  const top = file === "main.ts" ? "main" : file.split("/")[0];
  return LAYERS.find((l) => l.folder === top) ?? null;
}

/** Module specifiers of a JS/TS source: static and type imports, re-exports, `import()` and `require()`. */
export function specifiersOf(file: string, text: string): string[] {
  if (C_CODE.test(file)) {
    const out: string[] = [];
    for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"]+)"/gm)) out.push(m[1]);
    return out;
  }
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The violations of one file's imports (`file` repository-relative, forward slashes). */
export function checkFile(root: string, file: string, text: string): LayerViolation[] {
  const layer = layerOf(file);
  if (layer === null) return [];
  const out: LayerViolation[] = [];
  for (const spec of specifiersOf(file, text)) {
    const relative = spec.startsWith("./") || spec.startsWith("../");
    if (C_CODE.test(file)) {
      // An include resolves against the file's folder first; one found there must obey the graph too.
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (!fs.existsSync(path.join(root, target))) continue;
      const to = layerOf(target);
      if (to === null || !layer.mayImport.includes(to.folder)) out.push({ file, specifier: spec, target, rule: layer.rule });
      continue;
    }
    if (!relative && XS_MODULE_NAME.test(spec) && fs.existsSync(path.join(root, spec + ".ts"))) {
      const to = layerOf(spec);
      if (to === null || !layer.mayImport.includes(to.folder)) out.push({ file, specifier: spec, target: spec, rule: layer.rule });
      continue;
    }
    if (!relative) {
      if (layer.bare !== "any" && !layer.bare.test(spec)) {
        out.push({ file, specifier: spec, target: spec, rule: layer.rule + "; on the device only Moddable modules (embedded:*, timer, mc/*) exist" });
      }
      continue;
    }
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const to = target === "main" || target === "main.ts" ? LAYERS.find((l) => l.folder === "main") ?? null : layerOf(target);
    const allowed = to !== null && to.folder !== "main" && layer.mayImport.includes(to.folder);
    if (!allowed) out.push({ file, specifier: spec, target, rule: layer.rule });
  }
  return out;
}

/** Every checked file under the layers' folders, plus main.ts, repository-relative and sorted. */
export function layerFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      // build/ is generated (an example's compiled firmware), not source.
      if (e.name === "node_modules" || e.name === "build" || e.name.startsWith(".")) continue;
      const child = rel + "/" + e.name;
      if (e.isDirectory()) walk(child);
      else if (CODE.test(e.name) || C_CODE.test(e.name)) out.push(child);
    }
  };
  for (const l of LAYERS) if (l.folder !== "main" && fs.existsSync(path.join(root, l.folder))) walk(l.folder);
  out.push("main.ts");
  return out.sort();
}

/** One line per violation: the file, the import, where it leads and the rule it breaks. */
export function formatLayerViolation(v: LayerViolation): string {
  return v.file + ": import \"" + v.specifier + "\" (" + v.target + ") breaks the folder graph: " + v.rule +
    ". Move the code to the layer that may depend on both, or pass what it needs in through an interface of the lower layer.";
}
