// `npm run build`: compiles runtime/, drivers/, console/, boards/ and main.ts to one ES module each under build/xs/, plus the module manifest mcconfig includes.
/*
 * Why not mcconfig's own TypeScript step: it compiles each .ts with a generated tsconfig targeting
 * es2025, which needs TypeScript 6+, and @moddable/typings 5.6 (npm) predates the SDK's typings. So
 * esbuild strips the types here (no bundling: one JS module per TS module, so xsc keeps the
 * `native("xs_…").call(this, …)` pattern and each module can be preloaded on its own), and
 * mcconfig only sees JavaScript.
 *
 * Module names are the repository paths without extension ("runtime/pm", "boards/esp32/native",
 * "main"), so the relative specifiers in the sources resolve in XS exactly as they do in Node
 * (xs/platforms/mc/xsHosts.c fxFindModule resolves "./" and "../" against the importer's name).
 * `embedded:*` and `timer` specifiers are left alone: Moddable provides them.
 */
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";

/** The firmware's entry; every module it reaches through value imports goes to the device. */
export const ENTRY = "main.ts";
/**
 * Modules not preloaded: main runs the boot (native calls, pools, timers) at load, which preload
 * forbids. Everything else must pass test/esp32/preload.test.ts.
 */
export const NOT_PRELOADED = ["main"];

export interface FirmwareModule {
  /** XS module name, e.g. "runtime/pm". */
  name: string;
  /** Source file, repository-relative, forward slashes. */
  source: string;
}

// `import ... from "x"`, `export ... from "x"`, `import "x"`; type-only statements are erased by esbuild, so they add no module.
const IMPORT_STATEMENT = /^[ \t]*(import|export)\s+(type\s+)?(?:[^;'"]*?\bfrom\s*)?(["'])([^"']+)\3/gm;

/** Value-import specifiers of a TypeScript source, in order. */
export function valueImports(source: string): string[] {
  const out: string[] = [];
  IMPORT_STATEMENT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IMPORT_STATEMENT.exec(source)) !== null) if (m[2] === undefined) out.push(m[4]);
  return out;
}

function toModuleFile(root: string, importer: string, spec: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(importer), spec));
  if (fs.existsSync(path.join(root, base + ".ts"))) return base + ".ts";
  if (fs.existsSync(path.join(root, base, "index.ts"))) return base + "/index.ts";
  throw new Error(importer + ": import \"" + spec + "\" names no .ts module or folder with index.ts: fix the path");
}

/** Every module main.ts reaches (value imports, transitively), main last. Only relative specifiers are ours. */
export function collectModules(root: string): FirmwareModule[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(path.join(root, file), "utf8");
    for (const spec of valueImports(text)) {
      if (spec.startsWith("./") || spec.startsWith("../")) visit(toModuleFile(root, file, spec));
    }
    order.push(file);
  };
  visit(ENTRY);
  return order.map((f) => ({ name: f.slice(0, -3), source: f }));
}

/** Module names the manifest preloads. */
export function preloadNames(modules: readonly FirmwareModule[]): string[] {
  return modules.filter((m) => !NOT_PRELOADED.includes(m.name)).map((m) => m.name);
}

/**
 * Rewrites a relative specifier that names a folder (its index.ts) to the index module; XS has no
 * folder resolution. Bare specifiers (embedded:*, timer, instrumentation) stay as written.
 */
export function resolveSpecifier(root: string, importer: string, spec: string): string {
  if (!spec.startsWith("./") && !spec.startsWith("../")) return spec;
  const base = path.join(root, path.dirname(importer), spec);
  if (fs.existsSync(base + ".ts")) return spec;
  if (fs.existsSync(path.join(base, "index.ts"))) return spec.replace(/\/$/, "") + "/index";
  throw new Error(importer + ": import \"" + spec + "\" names no .ts module or folder with index.ts: fix the path");
}

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"']+)\2/g;

/** Compiles one module's TypeScript to JavaScript for XS. */
export function compileModule(root: string, m: FirmwareModule): string {
  const ts = fs.readFileSync(path.join(root, m.source), "utf8");
  const out = esbuild.transformSync(ts, {
    loader: "ts",
    format: "esm",
    // XS 17.9 implements ES2024; es2022 keeps class fields as written, which XS supports.
    target: "es2022",
    sourcefile: m.source,
    legalComments: "none",
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
  });
  return out.code.replace(SPECIFIER, (all, lead: string, q: string, spec: string) =>
    lead + q + resolveSpecifier(root, m.source, spec) + q);
}

/** The manifest fragment manifest.json includes: module map and preload list. */
export function moduleManifest(modules: readonly FirmwareModule[]): { modules: Record<string, string>; preload: string[] } {
  const map: Record<string, string> = {};
  for (const m of modules) map[m.name] = "./" + m.name;
  return { modules: map, preload: preloadNames(modules) };
}

/** Writes build/xs/<name>.js for every module and build/xs/manifest.json. Returns the modules built. */
export function buildFirmware(root: string, outDir: string): FirmwareModule[] {
  const modules = collectModules(root);
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const m of modules) {
    const target = path.join(outDir, m.name + ".js");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, compileModule(root, m));
  }
  fs.writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(moduleManifest(modules), null, "\t") + "\n");
  return modules;
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const outDir = path.join(root, "build", "xs");
  const built = buildFirmware(root, outDir);
  process.stdout.write("build/xs: " + built.length + " modules (" + preloadNames(built).length + " preloaded)\n");
}
