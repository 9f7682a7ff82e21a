// "quiesce/conformance" for vitest 4 (ESM-only): the "import" entry is an ES module that bundles only the kit and imports the runtime and simulator from dist/'s CommonJS.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { buildConformanceEsm, KIT_ESM } from "../../scripts/build-conformance-esm";

const ROOT = path.resolve(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  files: string[]; scripts: { [k: string]: string }; exports: { [k: string]: { [c: string]: string } };
};

describe("the conformance kit's ES module", () => {
  it("package.json: \"./conformance\" imports dist/host-sim/conformance/index.mjs, build:dist (so prepack) writes it, files ship it", () => {
    const entry = pkg.exports["./conformance"];
    expect(Object.keys(entry), "condition order: types first, default last").toEqual(["types", "quiesce-source", "import", "default"]);
    expect("./" + path.relative(ROOT, KIT_ESM).split(path.sep).join("/")).toBe(entry.import);
    expect(pkg.scripts["build:dist"]).toMatch(/^node node_modules\/typescript\/bin\/tsc -p tsconfig\.dist\.json && ts-node --transpile-only scripts\/build-conformance-esm\.ts$/);
    expect(pkg.scripts.prepack).toContain("npm run build:dist");
    expect(pkg.files).toContain("dist/");
  });

  it("bundles only host-sim/conformance/; every other import is vitest or a CommonJS module tsc emits beside it (one runtime, one simulator)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quiesce-kit-esm-"));
    try {
      const out = path.join(dir, "dist", "host-sim", "conformance", "index.mjs");
      const inputs = await buildConformanceEsm(out);
      expect(inputs.filter((f) => !f.startsWith("host-sim/conformance/"))).toEqual([]);
      expect(inputs).toContain("host-sim/conformance/kit.ts");
      const text = fs.readFileSync(out, "utf8");
      const specifiers = [...text.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gm)].map((m) => m[1]);
      expect(specifiers).toContain("vitest");
      const dist = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.dist.json"), "utf8")) as { include: string[] };
      const emitted = dist.include.map((g) => g.replace(/\/\*\*\/\*\.ts$/, "/"));
      for (const spec of specifiers.filter((s) => s !== "vitest")) {
        expect(spec, "a relative .js import of a dist module").toMatch(/^\.\.?\/.*\.js$/);
        const source = path.relative(ROOT, path.resolve(ROOT, "host-sim", "conformance", spec)).split(path.sep).join("/").replace(/\.js$/, ".ts");
        expect(fs.existsSync(path.join(ROOT, source)), spec + " -> " + source).toBe(true);
        expect(emitted.some((e) => source.startsWith(e)), source + " is emitted by tsconfig.dist.json").toBe(true);
      }
      // No second copy of the simulator or the runtime inside the kit.
      expect(text).not.toMatch(/class (SimBoard|PowerManager|TraceRing)\b/);
      expect(specifiers).toEqual(expect.arrayContaining(["../board/sim-board.js", "../../runtime/status.js"]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
