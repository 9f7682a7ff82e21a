// The manifest fragments an application includes (manifests/*.json): generated parts up to date, every path real, preloads named, each part complete.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedFragments, fragmentText } from "../../scripts/manifests";
import { buildLibrary, collectApp, libraryModules, valueImports } from "../../scripts/build-firmware";

const ROOT = path.resolve(__dirname, "../..");
const MANIFESTS = path.join(ROOT, "manifests");

interface Manifest {
  build?: { [k: string]: string };
  include?: string[];
  modules?: { [name: string]: string | string[] };
  preload?: string[];
  platforms?: { [name: string]: Manifest & { creation?: unknown; error?: string } };
}

function read(file: string): Manifest {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
}

function fragmentFiles(dir = MANIFESTS): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? fragmentFiles(path.join(dir, e.name)) : e.name.endsWith(".json") ? [path.join(dir, e.name)] : []);
}

/** Module names a fragment and everything it includes (relative includes only: Moddable's are the SDK's) name. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(file)) return out;
  seen.add(file);
  const m = read(file);
  for (const name of Object.keys(m.modules ?? {})) out.add(name);
  for (const inc of m.include ?? []) {
    if (inc.startsWith("$(")) continue;
    for (const n of closure(path.resolve(path.dirname(file), inc), seen)) out.add(n);
  }
  return out;
}

describe("manifest fragments", () => {
  let built = "";
  beforeAll(() => {
    built = fs.mkdtempSync(path.join(os.tmpdir(), "quiesce-lib-"));
    buildLibrary(ROOT, built);
  });
  afterAll(() => fs.rmSync(built, { recursive: true, force: true }));

  it("are what `npm run manifests` writes (module maps, preloads and includes follow the sources)", () => {
    const stale: string[] = [];
    const expected = expectedFragments(ROOT);
    for (const [id, frag] of expected) {
      const file = path.join(MANIFESTS, id + ".json");
      if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== fragmentText(frag)) stale.push("manifests/" + id + ".json");
    }
    expect(stale, "run `npm run manifests` and commit the result").toEqual([]);
    expect(fragmentFiles().map((f) => path.relative(MANIFESTS, f).replace(/\.json$/, "")).sort()).toEqual([...expected.keys()].sort());
    expect([...expected.keys()]).toEqual(expect.arrayContaining(["quiesce", "runtime", "boards", "console", "esp32", "drivers/bme280", "boards/esp32-devkitc"]));
  });

  it("name only files that exist: every quiesce module is built where its path points, every relative include and native source is there", () => {
    const missing: string[] = [];
    const buildXs = path.join(ROOT, "build", "xs") + path.sep;
    for (const file of fragmentFiles()) {
      const m = read(file);
      const where = path.relative(ROOT, file);
      const sections = [m, ...Object.values(m.platforms ?? {})];
      for (const sec of sections) {
        for (const [name, value] of Object.entries(sec.modules ?? {})) {
          for (const p of Array.isArray(value) ? value : [value]) {
            if (p.startsWith("$(")) continue;
            const abs = path.resolve(path.dirname(file), p);
            const ok = abs.startsWith(buildXs) ? fs.existsSync(path.join(built, abs.slice(buildXs.length) + ".js")) && name === abs.slice(buildXs.length)
              : fs.existsSync(abs + ".c") || fs.existsSync(abs + ".js");
            if (!ok) missing.push(where + ": " + name + " -> " + p);
          }
        }
        for (const inc of sec.include ?? []) if (!inc.startsWith("$(") && !fs.existsSync(path.resolve(path.dirname(file), inc))) missing.push(where + ": include " + inc);
      }
    }
    expect(missing).toEqual([]);
  });

  it("preload only modules they name (or Moddable's system and the board's provider)", () => {
    const wrong: string[] = [];
    for (const file of fragmentFiles()) {
      const m = read(file);
      for (const sec of [m, ...Object.values(m.platforms ?? {})]) {
        for (const p of sec.preload ?? []) if (!(p in (sec.modules ?? {})) && !(p in (m.modules ?? {}))) wrong.push(path.relative(ROOT, file) + ": " + p);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("each part is complete: whatever a fragment's modules import is named by it or a fragment it includes", () => {
    const lib = libraryModules(ROOT);
    const byName = new Map(lib.map((m) => [m.name, m]));
    const gaps: string[] = [];
    for (const file of fragmentFiles()) {
      const have = closure(file);
      for (const name of Object.keys(read(file).modules ?? {})) {
        const m = byName.get(name);
        if (m === undefined) continue;
        for (const spec of valueImports(fs.readFileSync(path.join(ROOT, m.source), "utf8"))) {
          if (!spec.startsWith(".")) continue;
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(name), spec));
          if (!have.has(target) && !have.has(target + "/index")) gaps.push(path.relative(ROOT, file) + ": " + name + " imports " + target);
        }
      }
    }
    expect(gaps).toEqual([]);
    expect([...closure(path.join(MANIFESTS, "quiesce.json"))].filter((n) => byName.has(n)).sort()).toEqual(lib.map((m) => m.name));
    // One driver by name brings its bus and the runtime, not the other drivers.
    const bme = closure(path.join(MANIFESTS, "drivers", "bme280.json"));
    expect(["drivers/bme280/bme280", "drivers/i2c-bus/i2c-bus", "runtime/pm", "drivers/common/io"].filter((n) => !bme.has(n))).toEqual([]);
    expect([...bme].filter((n) => n.startsWith("drivers/w25q") || n.startsWith("console/") || n.startsWith("boards/"))).toEqual([]);
  });

  it("the shipped boards' fragments size their subplatform's heap (static 0, no growth); the esp32 part refuses other platforms", () => {
    for (const [board, sub] of [["esp32-devkitc", "esp32/esp32_devkitc_quiesce"], ["moddable-two", "esp32/moddable_two_quiesce"]]) {
      const c = read(path.join(MANIFESTS, "boards", board + ".json")).platforms?.[sub]?.creation as { static: number; chunk: { incremental: number }; heap: { incremental: number } };
      expect([c.static, c.chunk.incremental, c.heap.incremental]).toEqual([0, 0, 0]);
    }
    const esp32 = read(path.join(MANIFESTS, "esp32.json"));
    expect(esp32.platforms?.["..."]?.error).toMatch(/quiesce targets ESP32 only/);
    expect(esp32.platforms?.esp32?.modules?.["embedded:provider/builtin"]).toBe("$(SUBPLATFORMDIRECTORY)/host/provider");
  });

  it("each board folder maps \"quiesce-board\" to a one-line re-export of its board module, preloaded", () => {
    for (const board of ["esp32-devkitc", "moddable-two"]) {
      const dir = path.join(ROOT, "boards", board, "host");
      const m = read(path.join(dir, "manifest.json"));
      expect(m.modules?.["quiesce-board"]).toBe("./quiesce-board");
      expect(m.preload).toContain("quiesce-board");
      const js = fs.readFileSync(path.join(dir, "quiesce-board.js"), "utf8");
      const from = /from "([^"]+)"/.exec(js)?.[1] ?? "";
      expect(libraryModules(ROOT).map((x) => x.name)).toContain(from);
      expect(js).toMatch(/export \{ \w+ as definition, \w+ as drivers \}/);
    }
  });

  it("quiesce's own firmware and every example app include the fragment through $(QUIESCE) and their generated module list", () => {
    const apps = ["."].concat(fs.readdirSync(path.join(ROOT, "examples")).map((e) => "examples/" + e));
    for (const app of apps) {
      const m = read(path.join(ROOT, app, "manifest.json"));
      expect(path.resolve(ROOT, app, m.build?.QUIESCE ?? "?"), app).toBe(ROOT);
      expect(m.include?.some((i) => /^\$\(QUIESCE\)\/manifests\/.+\.json$/.test(i)), app).toBe(true);
      for (const inc of m.include ?? []) {
        if (inc.startsWith("$(QUIESCE)/")) expect(fs.existsSync(path.join(ROOT, inc.slice("$(QUIESCE)/".length))), app + ": " + inc).toBe(true);
      }
      expect(m.include).toContain("./build/xs/manifest.json");
      const own = collectApp(path.join(ROOT, app), "main.ts");
      expect(own.map((x) => x.name)).toContain("main");
      // Every quiesce module the app imports is named by the fragments it includes (their includes followed).
      const named = new Set<string>();
      for (const inc of m.include ?? []) if (inc.startsWith("$(QUIESCE)/")) for (const n of closure(path.join(ROOT, inc.slice("$(QUIESCE)/".length)))) named.add(n);
      const used = own.flatMap((x) => Object.values(x.rewrite)).filter((n) => !own.some((o) => o.name === n));
      expect(used.filter((n) => !named.has(n)), app + ": add the fragments that name these").toEqual([]);
    }
  });
});
