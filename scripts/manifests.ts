// `npm run manifests`: writes the module map, preload list and fragment includes of manifests/*.json from the device modules and their imports.
/*
 * A fragment is one part an application includes: the runtime, one driver (by its folder name), the
 * boards core, one shipped board, the console, the ESP32 platform, or all of them (quiesce.json).
 * Which modules a fragment names follows from the folder layout; which other fragments it includes
 * follows from its modules' value imports, so including one driver brings exactly what it needs.
 * Only "modules" entries for quiesce's own modules, their "preload" names and the includes of other
 * fragments are generated: everything else in a fragment (comments, Moddable includes such as the
 * ECMA-419 IO manifests, defines, platforms with creation sizes) is written by hand and kept.
 * test/esp32/manifests.test.ts fails when a fragment is not what this script would write.
 */
import * as fs from "fs";
import * as path from "path";
import { QUIESCE_ROOT, libraryModules, type FirmwareModule } from "./library";
import { valueImports } from "./build-firmware";

/** The fragment that names a module: "runtime", "drivers/bme280", "boards", "boards/esp32-devkitc", "console", "esp32". */
export function fragmentOf(moduleName: string): string {
  const parts = moduleName.split("/");
  if (parts[0] === "runtime" || parts[0] === "console") return parts[0];
  if (parts[0] === "drivers") return "drivers/" + parts[1];
  if (parts[0] === "boards" && parts.length === 2) return "boards";
  if (parts[0] === "boards" && parts[1] === "esp32") return "esp32";
  return "boards/" + parts[1];
}

/** A fragment's JSON as mcconfig reads it; only the generated keys are typed. */
interface Fragment {
  include?: string[];
  modules?: { [name: string]: string | string[] };
  preload?: string[];
  [key: string]: unknown;
}

const FRAGMENT_FILE = /^\.{1,2}\//;

/** The library module a relative specifier of `from` names, or null (Moddable's, "quiesce-board"). */
function importedModule(from: FirmwareModule, spec: string, known: Set<string>): string | null {
  if (!spec.startsWith("./") && !spec.startsWith("../")) return null;
  const name = path.posix.normalize(path.posix.join(path.posix.dirname(from.name), spec));
  if (known.has(name)) return name;
  if (known.has(name + "/index")) return name + "/index";
  return null;
}

/** Every fragment as it should be: existing hand-written keys kept, generated keys replaced. */
export function expectedFragments(root: string = QUIESCE_ROOT): Map<string, Fragment> {
  const modules = libraryModules(root);
  const known = new Set(modules.map((m) => m.name));
  const members = new Map<string, FirmwareModule[]>();
  const needs = new Map<string, Set<string>>();
  for (const m of modules) {
    const f = fragmentOf(m.name);
    if (!members.has(f)) members.set(f, []);
    (members.get(f) as FirmwareModule[]).push(m);
    const set = needs.get(f) ?? new Set<string>();
    for (const spec of valueImports(fs.readFileSync(path.join(root, m.source), "utf8"))) {
      const target = importedModule(m, spec, known);
      if (target !== null && fragmentOf(target) !== f) set.add(fragmentOf(target));
    }
    needs.set(f, set);
  }
  const out = new Map<string, Fragment>();
  const ids = [...members.keys()].sort();
  for (const id of ids) {
    const names = (members.get(id) as FirmwareModule[]).map((m) => m.name);
    out.set(id, generated(root, id, names, [...(needs.get(id) as Set<string>)].sort()));
  }
  out.set("quiesce", generated(root, "quiesce", [], ids));
  return out;
}

function relative(fromFragment: string, to: string): string {
  const rel = path.posix.relative(path.posix.dirname("manifests/" + fromFragment), to);
  return rel.startsWith(".") ? rel : "./" + rel;
}

function generated(root: string, id: string, names: string[], includes: string[]): Fragment {
  const file = path.join(root, "manifests", id + ".json");
  const old: Fragment = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) as Fragment : {};
  const frag: Fragment = Object.assign({}, old);
  const handIncludes = (old.include ?? []).filter((i) => !FRAGMENT_FILE.test(i));
  frag.include = [...handIncludes, ...includes.map((f) => relative(id, "manifests/" + f + ".json"))];
  const handModules: { [name: string]: string | string[] } = {};
  for (const [k, v] of Object.entries(old.modules ?? {})) if (!/^(runtime|drivers|console|boards)\//.test(k)) handModules[k] = v;
  const mods: { [name: string]: string | string[] } = Object.assign({}, handModules);
  for (const n of names) mods[n] = relative(id, "build/xs/" + n);
  frag.modules = mods;
  frag.preload = [...(old.preload ?? []).filter((p) => !/^(runtime|drivers|console|boards)\//.test(p)), ...names];
  if (frag.include.length === 0) delete frag.include;
  if (Object.keys(frag.modules).length === 0) delete frag.modules;
  if (frag.preload.length === 0) delete frag.preload;
  // Keys in a fixed order (comment first, platforms last) so a regenerated file diffs cleanly.
  const order = ["//", "build", "include", "modules", "preload", "defines", "config"];
  const sorted: Fragment = {};
  for (const k of order) if (frag[k] !== undefined) sorted[k] = frag[k];
  for (const k of Object.keys(frag)) if (sorted[k] === undefined) sorted[k] = frag[k];
  return sorted;
}

/** The text a fragment file holds (tabs, as Moddable's manifests). */
export function fragmentText(f: Fragment): string {
  return JSON.stringify(f, null, "\t") + "\n";
}

if (require.main === module) {
  const frags = expectedFragments();
  for (const [id, f] of frags) {
    const file = path.join(QUIESCE_ROOT, "manifests", id + ".json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, fragmentText(f));
  }
  process.stdout.write("manifests/: " + frags.size + " fragments\n");
}
