// quiesce's device modules (what runs on the ESP32 and manifests/*.json name) and how "quiesce/…" specifiers resolve to their sources.
import * as fs from "fs";
import * as path from "path";

/** The repository (or the installed package) root: scripts/ sits under it, and dist/scripts/ two levels under. */
export const QUIESCE_ROOT = fs.existsSync(path.join(__dirname, "..", "package.json")) ? path.resolve(__dirname, "..") : path.resolve(__dirname, "..", "..");

export interface FirmwareModule {
  /** XS module name, e.g. "runtime/pm". */
  name: string;
  /** Source file, relative to its root (quiesce's or the application's), forward slashes. */
  source: string;
}

/** Folders whose TypeScript runs on the device (test/lint/layers.ts holds them to device-only imports). */
export const LIBRARY_FOLDERS = ["runtime", "drivers", "console", "boards"];

/**
 * Left out of the library: boards/drivers.ts links every shipped driver (the simulator's and tests'
 * table; a firmware uses its board's own), declaration files, and the ESP-IDF header shim.
 */
const NOT_LIBRARY = [/^boards\/drivers\.ts$/, /\.d\.ts$/, /^boards\/esp32\/idf-shim\//];

/** Every device module, sorted by name. */
export function libraryModules(root: string = QUIESCE_ROOT): FirmwareModule[] {
  const out: FirmwareModule[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const file = rel + "/" + entry.name;
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith(".ts") && !NOT_LIBRARY.some((re) => re.test(file))) out.push({ name: file.slice(0, -3), source: file });
    }
  };
  for (const folder of LIBRARY_FOLDERS) walk(folder);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A package.json `exports` value: a path, or conditions to paths. */
type ExportTarget = string | { readonly [condition: string]: string };

/** The condition naming each export's TypeScript source (the firmware build and vitest users read it). */
export const SOURCE_CONDITION = "quiesce-source";

/** package.json `exports` keys ("." and "./sub", patterns with one "*") and their TypeScript sources. */
export function sourceExports(root: string = QUIESCE_ROOT): { key: string; source: string }[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { exports?: { [key: string]: ExportTarget } };
  const out: { key: string; source: string }[] = [];
  for (const [key, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target === "object" && typeof target[SOURCE_CONDITION] === "string") out.push({ key, source: target[SOURCE_CONDITION] });
  }
  return out;
}

/**
 * The TypeScript file behind "quiesce" or "quiesce/<sub>", through package.json's exports (exact key
 * first, then the pattern with the longest prefix, as Node resolves them).
 */
export function resolveQuiesce(root: string, spec: string, importer: string): string {
  const want = spec === "quiesce" ? "." : "./" + spec.slice("quiesce/".length);
  const exports = sourceExports(root);
  const exact = exports.find((e) => e.key === want);
  let source: string | null = exact === undefined ? null : exact.source;
  if (source === null) {
    let best = -1;
    for (const e of exports) {
      const star = e.key.indexOf("*");
      if (star < 0 || !want.startsWith(e.key.slice(0, star)) || !want.endsWith(e.key.slice(star + 1)) || star <= best) continue;
      best = star;
      source = e.source.replace("*", want.slice(star, want.length - (e.key.length - star - 1)));
    }
  }
  const file = source === null ? null : path.join(root, source);
  if (file === null || !fs.existsSync(file)) {
    throw new Error(importer + ": import \"" + spec + "\" is not exported by quiesce (package.json exports): use one of " +
      exports.map((e) => "quiesce" + e.key.slice(1)).join(", "));
  }
  return file;
}
