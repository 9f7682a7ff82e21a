// `npm start` runs the shell from a cached esbuild bundle (scripts/start.js): it builds, runs a scenario and writes a self-contained timeline; V8's code cache beside it.
import { spawnSync } from "child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { ROOT, removeBundleOf } from "./start-cache";

describe("npm start (scripts/start.js)", () => {
  it("runs a scenario from the bundle, rebuilding only when a source is newer, with the timeline client embedded and V8's code cache", () => {
    const html = join(mkdtempSync(join(tmpdir(), "quiesce-start-")), "t.html");
    const run = () => spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), "--scenario", join(ROOT, "host-sim/scenarios/suspend-button.yaml"), "--html", html], {
      cwd: ROOT, encoding: "utf8", timeout: 60_000,
    });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^PASS Suspend from the button/m);
    const built = statSync(join(ROOT, ".cache", "shell.js")).mtimeMs;
    const cache = join(ROOT, ".cache", "shell.js.v8cache");
    const cached = statSync(cache).mtimeMs;
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    // Nothing changed in between: the same bundle ran again, from the code cache the first run wrote.
    expect(statSync(join(ROOT, ".cache", "shell.js")).mtimeMs).toBe(built);
    expect(statSync(cache).mtimeMs).toBe(cached);
    // start.js itself changed (its build options are part of the bundle): built again.
    const script = join(ROOT, "scripts", "start.js");
    utimesSync(script, new Date(), new Date(built + 1_000));
    const rebuilt = run();
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(statSync(join(ROOT, ".cache", "shell.js")).mtimeMs).toBeGreaterThan(built);
    // A cache V8 refuses (here: not one at all) costs a compile, not the run, and is written again.
    const good = readFileSync(cache);
    const firstLine = (b: Buffer): string => b.subarray(0, b.indexOf(10) + 1).toString();
    // The line without the data's hash, which differs between runs (each caches what it compiled).
    const bundleOf = (line: string): string => line.replace(/ [0-9a-f]{40}\n$/, "");
    const key = firstLine(good);
    expect(key).toMatch(/^quiesce shell \d+ [\d.]+ [0-9a-f]{40}\n$/);
    writeFileSync(cache, "not a code cache");
    const third = run();
    expect(third.status, third.stderr).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(bundleOf(firstLine(readFileSync(cache)))).toBe(bundleOf(key));
    // V8 checks only the source's length: a cache made from another bundle (a shell left open across a
    // rebuild writes one as it exits) is told apart by its first line, and replaced.
    const other = key.replace(/ ([\d.]+)( \w+\n)$/, (_m, t: string, hash: string) => " " + t.replace(/\d/g, (c) => String((Number(c) + 1) % 10)) + hash);
    writeFileSync(cache, Buffer.concat([Buffer.from(other), good.subarray(key.length)]));
    const fourth = run();
    expect(fourth.status, fourth.stderr).toBe(0);
    expect(fourth.stdout).toBe(first.stdout);
    expect(bundleOf(firstLine(readFileSync(cache)))).toBe(bundleOf(key));
    // Damaged data under a right first line: Node 20's V8 would accept it and abort (SIGTRAP) on every start.
    const damaged = Buffer.from(readFileSync(cache));
    damaged.fill(0, key.length + 100_000, key.length + 100_400);
    writeFileSync(cache, damaged);
    const fifth = run();
    expect(fifth.status, fifth.stderr).toBe(0);
    expect(fifth.stdout).toBe(first.stdout);
    expect(readFileSync(cache).equals(damaged)).toBe(false);
    const page = readFileSync(html, "utf8");
    expect(page).toContain(readFileSync(join(ROOT, "host-sim/viz/client/timeline.css"), "utf8").trim().split("\n")[1]);
    expect(page).toContain(readFileSync(join(ROOT, "host-sim/viz/client/timeline.js"), "utf8").trim().split("\n")[1]);
  });

  it("--board with a module path (the examples' sim.ts) runs from a bundle of the shell with that board, rebuilt when one of its files changes", () => {
    // The board and the shell share one runtime: from the shell's own bundle the board's RequestQueue came from a second copy and was refused.
    const dir = mkdtempSync(join(tmpdir(), "quiesce-board-"));
    const board = join(dir, "sim.ts");
    const part = join(dir, "part.ts");
    writeFileSync(part, "export const NAME = \"first\";\n");
    writeFileSync(board, "export { pirWiring } from " + JSON.stringify(join(ROOT, "examples/custom-driver/sim.ts")) + ";\nexport { NAME } from \"./part\";\n");
    // Run from the board's folder, not the checkout: esbuild's inputs must still be found.
    const run = (spec: string[]) => spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), ...spec, "--expect-text", "type help"], {
      cwd: dir, encoding: "utf8", timeout: 60_000,
    });
    const bundles = (): string[] => readdirSync(join(ROOT, ".cache")).filter((f) => /^board-\w+\.js$/.test(f));
    const before = new Set(bundles());
    const first = run(["--board", board]);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^PASS boot and watch the serial output/m);
    const made = bundles().filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    const out = join(ROOT, ".cache", made[0]);
    expect(readFileSync(out, "utf8")).toContain("\"first\"");
    const built = statSync(out).mtimeMs;
    // `--board=PATH` is the same board (parseArgs's spelling): the same bundle, not rebuilt.
    const second = run(["--board=" + board]);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(out).mtimeMs).toBe(built);
    // A file the board imports changed: rebuilt, with the change.
    writeFileSync(part, "export const NAME = \"second\";\n");
    utimesSync(part, new Date(), new Date(built + 5_000));
    const third = run(["--board", board]);
    expect(third.status, third.stdout + third.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("\"second\"");
    // A module esbuild cannot bundle is refused in one line naming where, exit 2, as the shell refuses a board.
    writeFileSync(part, "export const NAME = ;\n");
    utimesSync(part, new Date(), new Date(built + 10_000));
    const bad = run(["--board", board]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^quiesce: --board \S+sim\.ts: cannot load it \(Unexpected ";" at \S*part\.ts:1:21\); give the path of a \.ts board module\n$/);
    removeBundleOf(board);
  });

  it("a board module in an application with quiesce installed runs on this checkout's quiesce: one runtime, not the app's copy beside it", () => {
    // The app: the custom driver's files, importing "quiesce/..." as an application does, and quiesce in its node_modules.
    const app = mkdtempSync(join(tmpdir(), "quiesce-app-"));
    const installed = join(app, "node_modules", "quiesce");
    for (const dir of ["runtime", "boards", "drivers", "console", "host-sim"]) cpSync(join(ROOT, dir), join(installed, dir), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(installed, "package.json"));
    cpSync(join(ROOT, "examples", "custom-driver"), join(app, "src"), { recursive: true });
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), "--board", join(app, "src", "sim.ts"), "--expect-text", "type help"], {
      cwd: app, encoding: "utf8", timeout: 60_000,
    });
    // It failed to boot: the driver's objects came from the app's copy, the shell checks them against its own
    // ("the board did not boot: ...: registerQueue: [object Object] is no RequestQueue").
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS boot and watch the serial output/m);
    removeBundleOf(join(app, "src", "sim.ts"));
    rmSync(app, { recursive: true, force: true });
  });

  it("the weather station's --board command (its README) reaches the prompt (the custom driver's board is the one above)", () => {
    for (const board of ["examples/weather-station/sim.ts"]) {
      const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), "--board", board, "--expect-text", "type help"], {
        cwd: ROOT, encoding: "utf8", timeout: 60_000,
      });
      expect(r.status, board + ": " + r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^PASS boot and watch the serial output/m);
    }
  });
});
