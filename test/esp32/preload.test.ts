// Every module the manifest preloads obeys XS preload rules (no frozen mutable state, no class statics, no native call at load, exported data frozen).
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { collectModules, DEVICE_SPECIFIER, moduleManifest, NOT_PRELOADED, valueImports } from "../../scripts/build-firmware";
import { checkPreload, unfrozenExports } from "./preload-check";

const ROOT = path.resolve(__dirname, "../..");

describe("XS preload rules", () => {
  const modules = collectModules(ROOT);
  const manifest = moduleManifest(modules);

  it("the top-level manifest includes the fragment and the generated module list; every module but main is preloaded", () => {
    const top = JSON.parse(fs.readFileSync(path.join(ROOT, "manifest.json"), "utf8")) as { include: string[] };
    expect(top.include).toEqual(["$(MODDABLE)/examples/manifest_base.json", "$(QUIESCE)/manifests/quiesce.json", "./build/xs/manifest.json"]);
    expect(manifest.preload.length).toBe(modules.length - NOT_PRELOADED.length);
    expect(manifest.preload).not.toContain("main");
    // The runtime, the drivers and the ESP32 binding are all preloaded.
    expect(["runtime/pm", "runtime/engine", "drivers/button/button", "boards/boot", "boards/esp32/native", "boards/esp32/platform"]
      .filter((m) => !manifest.preload.includes(m))).toEqual([]);
  });

  it("no preloaded module creates typed arrays, buffers, maps, sets, instances or class statics, or calls native code at load", () => {
    const violations = [];
    for (const m of modules) {
      if (!manifest.preload.includes(m.name)) continue;
      violations.push(...checkPreload(m.source, fs.readFileSync(path.join(ROOT, m.source), "utf8")));
    }
    expect(violations.map((v) => v.file + ":" + v.line + " " + v.rule + ": " + v.text)).toEqual([]);
  });

  it("every object a preloaded module exports is frozen, deeply (xsl would warn \"not frozen\" and alias it into RAM)", async () => {
    const unfrozen: string[] = [];
    let exported = 0;
    // Modules that import Moddable's own (timer, the provider), directly or through a re-export, cannot
    // load in Node: boards/esp32/start.ts and the index re-exporting it. They export functions only.
    const deviceOnly = new Set<string>();
    for (let grew = true; grew;) {
      grew = false;
      for (const m of modules) {
        if (deviceOnly.has(m.name)) continue;
        const specs = valueImports(fs.readFileSync(path.join(ROOT, m.source), "utf8"));
        const hit = specs.some((s) => DEVICE_SPECIFIER.test(s) || [...deviceOnly].some((d) => path.posix.join(path.posix.dirname(m.name), s) === d));
        if (hit) {
          deviceOnly.add(m.name);
          grew = true;
        }
      }
    }
    expect([...deviceOnly].sort()).toEqual(["boards/esp32/index", "boards/esp32/start", "main"]);
    for (const m of modules) {
      if (!manifest.preload.includes(m.name) || deviceOnly.has(m.name)) continue;
      const ns = (await import(path.join(ROOT, m.source))) as { [name: string]: unknown };
      exported += Object.keys(ns).length;
      unfrozen.push(...unfrozenExports(m.name, ns));
    }
    expect(exported).toBeGreaterThan(100);
    expect(unfrozen.map((u) => u + ": wrap it in Object.freeze (boards: deepFreeze from boards/freeze.ts)")).toEqual([]);
  });

  it("finds unfrozen exported objects at any depth, skips functions and typed arrays (checker self-test)", () => {
    const shared = { a: 1 };
    const ns = {
      NAMES: Object.freeze(["x"]),
      TABLE: ["y"],
      BOARD: Object.freeze({ pins: Object.freeze({ led: 2 }), devices: Object.freeze([Object.freeze({ options: { pin: 2 } })]) }),
      TWICE: Object.freeze([shared, shared]),
      make: (): number => 1,
      VIEW: new Uint8Array(2),
      COUNT: 3,
    };
    expect(unfrozenExports("m", ns)).toEqual([
      "m: BOARD.devices[0].options is not frozen", "m: TABLE is not frozen", "m: TWICE[0] is not frozen",
    ]);
  });

  it("catches each rule (checker self-test)", () => {
    const src = [
      'import { nowUs } from "./native";',
      "const pool = new Uint8Array(8);",
      "const seen = new Map();",
      "const ring = new Ring(4);",
      "class A { static count = 0; static { A.count = 1; } static make() { return new Uint8Array(1); } *gen() {} }",
      "const t = nowUs();",
      "function* g() {}",
      "export function boot() { const ok = new Uint8Array(4); return ok; }",
      "export const f = () => new Set();",
    ].join("\n");
    expect(checkPreload("fixture.ts", src).map((v) => v.line + ":" + v.rule)).toEqual([
      "2:frozen-builtin", "3:frozen-builtin", "4:top-level-new", "5:class-static", "5:class-static", "5:generator", "6:native-call", "7:generator",
    ]);
  });
});
