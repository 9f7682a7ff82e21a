// The npm package as a user meets it: exports resolve to real sources and their dist mirrors, the Node entries load, tsconfig agrees, LICENSE and CHANGELOG match.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { sourceExports } from "../../scripts/library";

const ROOT = path.resolve(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string; version: string; license: string; private?: boolean; files: string[]; bin: { [k: string]: string };
  exports: { [k: string]: string | { [c: string]: string } }; dependencies: { [k: string]: string };
};

describe("npm package", () => {
  it("is quiesce 0.2.0, public, MIT with a LICENSE that says so, and a CHANGELOG that starts with this version", () => {
    expect([pkg.name, pkg.version, pkg.license, pkg.private]).toEqual(["quiesce", "0.2.0", "MIT", undefined]);
    expect(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License\n\nCopyright \(c\) 2026/);
    expect(fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8")).toMatch(/^# Changelog\n[\s\S]*?\n## 0\.2\.0 /);
  });

  it("every export names a TypeScript source that exists, and types/default are its mirror under dist/ (tsconfig.dist.json's rootDir)", () => {
    const exps = sourceExports(ROOT);
    expect(exps.map((e) => e.key)).toEqual([".", "./runtime", "./boards", "./esp32", "./sim", "./conformance", "./*"]);
    for (const e of exps) {
      const t = pkg.exports[e.key] as { [c: string]: string };
      const stem = e.source.replace(/^\.\//, "").replace(/\.ts$/, "");
      expect([t.types, t.default], e.key).toEqual(["./dist/" + stem + ".d.ts", "./dist/" + stem + ".js"]);
      if (!e.key.includes("*")) expect(fs.existsSync(path.join(ROOT, e.source)), e.source).toBe(true);
    }
    const dist = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.dist.json"), "utf8")) as { compilerOptions: { rootDir: string; outDir: string } };
    expect([dist.compilerOptions.rootDir, dist.compilerOptions.outDir]).toEqual([".", "dist"]);
    expect(pkg.bin["quiesce-build"]).toBe("./dist/scripts/build-firmware.js");
    // The firmware build runs for users: esbuild is a dependency, not a devDependency.
    expect(Object.keys(pkg.dependencies)).toEqual(["esbuild"]);
    for (const dir of ["dist/", "build/xs/", "manifests/", "runtime/", "drivers/", "boards/", "host-sim/", "LICENSE", "CHANGELOG.md"]) expect(pkg.files).toContain(dir);
  });

  it("tsconfig.json's paths say what the exports say (the examples import quiesce by name)", () => {
    const paths = (JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: { paths: { [k: string]: string[] } } }).compilerOptions.paths;
    const want: { [k: string]: string[] } = {};
    for (const e of sourceExports(ROOT)) want["quiesce" + e.key.slice(1)] = [e.key.includes("*") ? "./*" : e.source];
    expect(paths).toEqual(want);
  });

  it("the Node entries load and carry what a user's tests need: the runtime, boot, the simulator, the conformance kit", async () => {
    const runtime = await import("quiesce");
    const boards = await import("quiesce/boards");
    const sim = await import("quiesce/sim");
    const kit = await import("quiesce/conformance");
    expect([typeof runtime.PowerManager, typeof runtime.PendingStage, runtime.OK]).toEqual(["function", "function", 0]);
    expect([typeof boards.bootBoard, typeof boards.numberOption, typeof boards.deepFreeze]).toEqual(["function", "function", "function"]);
    expect([typeof sim.SimBoard, typeof sim.EnergyMeter, Object.keys(sim.DRIVERS).length]).toEqual(["function", "function", 11]);
    expect([typeof kit.describeDriverConformance, typeof kit.makeCaseBoard]).toEqual(["function", "function"]);
    // A user's test boots a shipped board in two lines.
    const b = new sim.SimBoard(sim.SIM_ESP32_DEVKITC);
    b.advance(10_000);
    expect(b.pm.suspend(runtime.T_STANDBY, runtime.TEST_PLATFORM)).toBe(runtime.OK);
  });
});
