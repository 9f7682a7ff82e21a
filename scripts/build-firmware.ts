#!/usr/bin/env node
// `npm run build`: compiles quiesce's device modules to build/xs/ (what manifests/*.json name) and an application (main.ts and its own modules) for mcconfig.
/*
 * Why not mcconfig's own TypeScript step: it compiles each .ts with a generated tsconfig targeting
 * es2025, which needs TypeScript 6+, and @moddable/typings 5.6 (npm) predates the SDK's typings. So
 * esbuild strips the types here (no bundling: one JS module per TS module, so xsc keeps the
 * `native("xs_…").call(this, …)` pattern and each module can be preloaded on its own), and
 * mcconfig only sees JavaScript.
 *
 * Library module names are the repository paths without extension ("runtime/pm",
 * "boards/esp32/native"), so the relative specifiers in the sources resolve in XS exactly as in Node
 * (xs/platforms/mc/xsHosts.c fxFindModule resolves "./" and "../" against the importer's name).
 * An application's modules are named by their path in the application ("main", "weather-app"), and
 * every import they make is rewritten to a module name: "quiesce/…" and relative paths into quiesce
 * become the library's name, so an app builds the same inside this repository or with quiesce from npm.
 * `embedded:*`, `timer`, `mc/*` and `quiesce-board` are left alone: Moddable or the board folder provides them.
 */
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { QUIESCE_ROOT, libraryModules, resolveQuiesce, type FirmwareModule } from "./library";

export { libraryModules, type FirmwareModule };

/** The firmware's entry; every module it reaches through value imports goes to the device. */
export const ENTRY = "main.ts";
/** Modules not preloaded: main runs the boot (native calls, pools, timers) at load, which preload forbids. */
export const NOT_PRELOADED = ["main"];
/** Bare specifiers the device resolves itself (Moddable modules, the board folder's "quiesce-board"). */
export const DEVICE_SPECIFIER = /^(embedded:|timer$|mc\/|instrumentation$|quiesce-board$)/;

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

/** An absolute .ts file for a relative specifier: the file itself or the folder's index.ts. */
function tsFile(base: string, importer: string, spec: string): string {
  if (fs.existsSync(base + ".ts")) return base + ".ts";
  if (fs.existsSync(path.join(base, "index.ts"))) return path.join(base, "index.ts");
  throw new Error(importer + ": import \"" + spec + "\" names no .ts module or folder with index.ts: fix the path");
}

/** Every device module: the library, then the firmware's own (main.ts's app modules, main last). */
export function collectModules(root: string = QUIESCE_ROOT): FirmwareModule[] {
  return [...libraryModules(root), ...collectApp(root, ENTRY).map((m) => ({ name: m.name, source: m.source }))];
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
  const file = tsFile(path.join(root, path.dirname(importer), spec), importer, spec);
  return file.endsWith(path.sep + "index.ts") && !spec.endsWith("/index") ? spec.replace(/\/$/, "") + "/index" : spec;
}

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"']+)\2/g;

function transform(file: string, sourcefile: string): string {
  return esbuild.transformSync(fs.readFileSync(file, "utf8"), {
    loader: "ts",
    format: "esm",
    // XS 17.9 implements ES2024; es2022 keeps class fields as written, which XS supports.
    target: "es2022",
    sourcefile,
    legalComments: "none",
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
  }).code;
}

/** Compiles one library module's TypeScript to JavaScript for XS. */
export function compileModule(root: string, m: FirmwareModule): string {
  return transform(path.join(root, m.source), m.source).replace(SPECIFIER, (all, lead: string, q: string, spec: string) =>
    lead + q + resolveSpecifier(root, m.source, spec) + q);
}

/** One module of an application, with the module name each of its specifiers becomes. */
export interface AppModule extends FirmwareModule {
  /** Absolute source path. */
  readonly file: string;
  readonly rewrite: { readonly [specifier: string]: string };
}

/**
 * The application's own modules, from its entry (named "main") through value imports. A specifier
 * into quiesce (by package name or path) becomes the library module's name and is not followed: the
 * library is compiled once, for every app, and manifests/*.json name it.
 */
export function collectApp(appRoot: string, entry: string, quiesceRoot: string = QUIESCE_ROOT): AppModule[] {
  const library = new Set(libraryModules(quiesceRoot).map((m) => m.source));
  const out: AppModule[] = [];
  const seen = new Set<string>();
  const nameOf = (file: string): string => {
    const rel = path.relative(appRoot, file).split(path.sep).join("/");
    return rel === entry ? "main" : rel.replace(/\.ts$/, "");
  };
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = path.relative(appRoot, file).split(path.sep).join("/");
    const rewrite: { [spec: string]: string } = {};
    for (const spec of valueImports(fs.readFileSync(file, "utf8"))) {
      if (DEVICE_SPECIFIER.test(spec)) continue;
      const target = spec === "quiesce" || spec.startsWith("quiesce/") ? resolveQuiesce(quiesceRoot, spec, source)
        : spec.startsWith("./") || spec.startsWith("../") ? tsFile(path.resolve(path.dirname(file), spec), source, spec) : null;
      if (target === null) {
        throw new Error(source + ": import \"" + spec + "\" is not a device module: import quiesce as \"quiesce/…\", your own modules by relative path, Moddable's by their names");
      }
      const inQuiesce = path.relative(quiesceRoot, target).split(path.sep).join("/");
      if (library.has(inQuiesce)) {
        rewrite[spec] = inQuiesce.replace(/\.ts$/, "");
      } else if (!path.relative(appRoot, target).startsWith("..")) {
        rewrite[spec] = nameOf(target);
        visit(target);
      } else {
        throw new Error(source + ": import \"" + spec + "\" reaches " + target + ", outside the application and quiesce's device modules: move it into the application");
      }
    }
    out.push({ name: nameOf(file), source, file, rewrite });
  };
  visit(path.join(appRoot, entry));
  return out;
}

/** An application module compiled, every specifier rewritten to a module name. */
export function compileAppModule(m: AppModule): string {
  return transform(m.file, m.source).replace(SPECIFIER, (all, lead: string, q: string, spec: string) =>
    lead + q + (m.rewrite[spec] ?? spec) + q);
}

/** The manifest fragment an application's manifest includes: its own modules (main is not preloaded). */
export function moduleManifest(modules: readonly FirmwareModule[]): { modules: Record<string, string>; preload: string[] } {
  const map: Record<string, string> = {};
  for (const m of modules) map[m.name] = "./" + m.name;
  return { modules: map, preload: preloadNames(modules) };
}

function write(outDir: string, name: string, js: string): void {
  const target = path.join(outDir, name + ".js");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, js);
}

/** Writes build/xs/<name>.js for every library module manifests/*.json names. */
export function buildLibrary(root: string, outDir: string): FirmwareModule[] {
  const modules = libraryModules(root);
  for (const m of modules) write(outDir, m.name, compileModule(root, m));
  return modules;
}

/**
 * Writes the application's modules and `manifest.json` (its module map, nothing preloaded: an app's
 * own modules may create state at load) to `outDir`. Clears `outDir` first unless it is the library's.
 */
export function buildApp(appRoot: string, entry: string, outDir: string, quiesceRoot: string = QUIESCE_ROOT): AppModule[] {
  const modules = collectApp(appRoot, entry, quiesceRoot);
  for (const m of modules) write(outDir, m.name, compileAppModule(m));
  const manifest = { modules: moduleManifest(modules).modules, preload: [] as string[] };
  fs.writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, "\t") + "\n");
  return modules;
}

/** quiesce's own firmware: the library and main.ts, both into build/xs/. */
export function buildFirmware(root: string, outDir: string): FirmwareModule[] {
  fs.rmSync(outDir, { recursive: true, force: true });
  const lib = buildLibrary(root, outDir);
  return [...lib, ...buildApp(root, ENTRY, outDir, root)];
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--app");
  const libOut = path.join(QUIESCE_ROOT, "build", "xs");
  if (at < 0) {
    const built = buildFirmware(QUIESCE_ROOT, libOut);
    process.stdout.write("build/xs: " + built.length + " modules (" + preloadNames(built).length + " preloaded)\n");
  } else {
    const app = path.resolve(args[at + 1] ?? ".");
    const lib = buildLibrary(QUIESCE_ROOT, libOut);
    const appOut = path.join(app, "build", "xs");
    fs.rmSync(appOut, { recursive: true, force: true });
    const own = buildApp(app, ENTRY, appOut);
    process.stdout.write(path.relative(process.cwd(), libOut) + ": " + lib.length + " quiesce modules; " +
      path.relative(process.cwd(), appOut) + ": " + own.length + " application modules (" + own.map((m) => m.name).join(", ") + ")\n");
  }
}
