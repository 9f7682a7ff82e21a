// `npm run build:dist`, after tsc: the conformance kit's ES module (dist/host-sim/conformance/index.mjs), the "import" entry of "quiesce/conformance".
/*
 * Why: vitest 4 is ESM-only, and tsc's dist/ is CommonJS, so a user's vitest file that imports the kit
 * through the CommonJS entry fails ("Vitest cannot be imported in a CommonJS module using require()").
 * Only the kit's own modules (host-sim/conformance/*, which import vitest) are bundled into the .mjs;
 * every other import stays an import of the CommonJS module tsc wrote beside it under dist/, so the
 * runtime and the simulator exist once: the board a user makes with "quiesce/sim" and the kit's
 * SimBoard, statuses and trace codes are the same modules (no second copy of the runtime).
 */
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
/** The kit's sources: bundled into the .mjs. Everything else it imports is external, from dist/. */
export const KIT_DIR = path.join(ROOT, "host-sim", "conformance");
export const KIT_ENTRY = path.join(KIT_DIR, "index.ts");
/** Where package.json's "./conformance" "import" condition points. */
export const KIT_ESM = path.join(ROOT, "dist", "host-sim", "conformance", "index.mjs");

/** The specifier, relative to the kit's folder, of the CommonJS module tsc emits for `file` (a .ts source or a folder with index.ts). */
function distSpecifier(file: string): string {
  const source = fs.existsSync(file + ".ts") ? file + ".ts" : fs.existsSync(path.join(file, "index.ts")) ? path.join(file, "index.ts") : null;
  if (source === null) throw new Error("build-conformance-esm: cannot find the TypeScript source of " + path.relative(ROOT, file) + " (.ts or /index.ts)");
  const rel = path.relative(KIT_DIR, source).split(path.sep).join("/").replace(/\.ts$/, ".js");
  return rel.startsWith(".") ? rel : "./" + rel;
}

/** Relative imports leaving host-sim/conformance/ stay external, pointing at tsc's .js beside the .mjs. */
const distImports: esbuild.Plugin = {
  name: "quiesce-dist-imports",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (path.dirname(target + ".ts") === KIT_DIR && fs.existsSync(target + ".ts")) return undefined;
      return { path: distSpecifier(target), external: true };
    });
  },
};

/** Builds the kit's ES module to `outfile` (default: dist/, beside tsc's CommonJS). Returns the bundled sources, relative to the root. */
export async function buildConformanceEsm(outfile: string = KIT_ESM): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [KIT_ENTRY],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // vitest comes from the user's project (a peer dependency): the same instance their test file uses.
    external: ["vitest", "vitest/*"],
    plugins: [distImports],
    metafile: true,
    logLevel: "warning",
    banner: { js: "// quiesce/conformance as an ES module (scripts/build-conformance-esm.ts): the kit bundled; the runtime and simulator are dist/'s CommonJS modules." },
  });
  return Object.keys(result.metafile.inputs).sort();
}

if (require.main === module) {
  buildConformanceEsm().then((inputs) => {
    console.log(path.relative(ROOT, KIT_ESM) + ": " + inputs.join(", "));
  }, (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
