// The folder graph has no upward import: boards/ never reaches host-sim/, the runtime imports nothing else, the firmware manifest names device code only.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { checkFile, EXCEPTIONS, formatLayerViolation, layerFiles, LAYERS, specifiersOf, type LayerViolation } from "./layers";

const ROOT = path.resolve(__dirname, "..", "..");

const isException = (v: LayerViolation): boolean => EXCEPTIONS.some((e) => e.file === v.file && e.specifier === v.specifier);

function treeViolations(): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const file of layerFiles(ROOT)) out.push(...checkFile(ROOT, file, fs.readFileSync(path.join(ROOT, file), "utf8")));
  return out;
}

describe("folder graph", () => {
  const all = treeViolations();

  it("no file imports from a layer above its own (runtime < drivers < console < boards, main.ts < host-sim < test, bench, scripts)", () => {
    expect(all.filter((v) => !isException(v)).map(formatLayerViolation)).toEqual([]);
  });

  it("every documented exception is still needed and says why", () => {
    for (const e of EXCEPTIONS) expect(e.why.length, e.file + " -> " + e.specifier + ": give the reason").toBeGreaterThan(20);
    const stale = EXCEPTIONS.filter((e) => !all.some((v) => v.file === e.file && v.specifier === e.specifier));
    expect(stale.map((e) => e.file + " -> " + e.specifier + ": no longer imported; delete the exception")).toEqual([]);
  });

  it("every top-level folder holding code has a row in the table", () => {
    const known = new Set(LAYERS.map((l) => l.folder));
    // docs/ is prose, manifests/ is mcconfig's JSON; ignored folders (build/, test-artifacts/, ...) hold generated output, not sources.
    const ignored = fs.readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n").map((l) => l.trim().replace(/^\//, "").replace(/\/$/, ""));
    const unplaced = fs.readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== "docs" && e.name !== "manifests" && !ignored.includes(e.name))
      .map((e) => e.name)
      .filter((name) => !known.has(name));
    expect(unplaced.map((n) => n + "/: add it to LAYERS in test/lint/layers.ts with the folders it may import")).toEqual([]);
  });

  it("board boot reaches drivers only through drivers/common (the storage role, not the W25Q image format)", () => {
    const specs = specifiersOf("boards/boot.ts", fs.readFileSync(path.join(ROOT, "boards/boot.ts"), "utf8"));
    const drivers = specs.filter((s) => s.startsWith("../drivers/"));
    expect(drivers.length).toBeGreaterThan(0);
    expect(drivers.filter((s) => !s.startsWith("../drivers/common/")).map((s) => "boards/boot.ts imports " + s + ": use an interface in drivers/common")).toEqual([]);
  });

  it("the firmware manifest and the fragments it includes name device code only (build/xs/, the native module in boards/)", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "manifest.json"), "utf8")) as { include: string[] };
    expect(manifest.include.filter((p) => p.startsWith("./"))).toEqual(["./build/xs/manifest.json"]);
    const outside: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else {
          const m = JSON.parse(fs.readFileSync(f, "utf8")) as { modules?: { [k: string]: string | string[] }; platforms?: { [k: string]: { modules?: { [k: string]: string | string[] } } } };
          const all = [m.modules ?? {}, ...Object.values(m.platforms ?? {}).map((p) => p.modules ?? {})].flatMap((x) => Object.values(x).flat());
          for (const p of all) {
            if (p.startsWith("$(")) continue;
            const rel = path.relative(ROOT, path.resolve(path.dirname(f), p)).split(path.sep).join("/");
            if (!/^(build\/xs|boards)\//.test(rel)) outside.push(path.relative(ROOT, f) + " names " + p);
          }
        }
      }
    };
    walk(path.join(ROOT, "manifests"));
    expect(outside.map((o) => o + ": the firmware may only build compiled device modules (build/xs/) and boards/' native code")).toEqual([]);
  });
});

describe("layer checker (self-test)", () => {
  const check = (file: string, text: string): string[] => checkFile(ROOT, file, text).map((v) => v.target);

  it("reports upward imports of every kind, type-only ones included", () => {
    const src = [
      'import type { SimBoardIo } from "../../host-sim/core/board-io";',
      'export { bootBoard } from "../boot";',
      'import * as fs from "fs";',
      'const t = require("../../test/runtime/fakes");',
      'import Digital from "embedded:io/digital";',
      'import { OK } from "../../runtime/status";',
      "// import { x } from \"../../host-sim/models/led\"; (a comment is not an import)",
    ].join("\n");
    expect(check("boards/esp32/x.ts", src)).toEqual(["host-sim/core/board-io", "fs", "test/runtime/fakes"]);
  });

  it("keeps the runtime free of drivers and boards, and nothing imports main.ts", () => {
    expect(check("runtime/x.ts", 'import { Led } from "../drivers/led/led";\nimport "./status";')).toEqual(["drivers/led/led"]);
    expect(check("test/x.ts", 'import "../main";\nimport { SimBoard } from "../host-sim/board/sim-board";')).toEqual(["main"]);
  });

  it("names the file, the import and the rule", () => {
    const [v] = checkFile(ROOT, "drivers/led/x.ts", 'import { ESP32_DEVKITC } from "../../boards/esp32-devkitc/board";');
    const text = formatLayerViolation(v);
    expect(text).toContain("drivers/led/x.ts");
    expect(text).toContain("\"../../boards/esp32-devkitc/board\"");
    expect(text).toContain("drivers/ import runtime/ and drivers/ only");
  });

  it("checks C includes that resolve inside the repository", () => {
    expect(check("boards/esp32/x.c", '#include "xsmc.h"\n#include "../../host-sim/core/contracts.ts"')).toEqual(["host-sim/core/contracts.ts"]);
  });
});
