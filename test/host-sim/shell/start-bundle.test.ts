// `npm start` runs the shell from a cached esbuild bundle (scripts/start.js): it builds, runs a scenario and writes a self-contained timeline; V8's code cache beside it.
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..", "..");

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

  it("--board with a module path (the examples' sim.ts) boots: the shell runs from the same runtime sources as the board", () => {
    // From the bundle it did not: the board's RequestQueue came from a second copy of the runtime and was refused.
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), "--board", "examples/custom-driver/sim.ts", "--expect-text", "type help"], {
      cwd: ROOT, encoding: "utf8", timeout: 60_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS boot and watch the serial output/m);
  });
});
