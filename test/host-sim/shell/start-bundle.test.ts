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
    const key = good.subarray(0, good.indexOf(10) + 1).toString();
    expect(key).toMatch(/^quiesce shell \d+ [\d.]+\n$/);
    writeFileSync(cache, "not a code cache");
    const third = run();
    expect(third.status, third.stderr).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(readFileSync(cache).subarray(0, key.length).toString()).toBe(key);
    // V8 checks only the source's length: a cache made from another bundle (a shell left open across a
    // rebuild writes one as it exits) is told apart by its first line, and replaced.
    const other = key.replace(/ ([\d.]+)\n$/, (_m, t: string) => " " + t.replace(/\d/g, (c) => String((Number(c) + 1) % 10)) + "\n");
    writeFileSync(cache, Buffer.concat([Buffer.from(other), good.subarray(key.length)]));
    const fourth = run();
    expect(fourth.status, fourth.stderr).toBe(0);
    expect(fourth.stdout).toBe(first.stdout);
    expect(readFileSync(cache).subarray(0, key.length).toString()).toBe(key);
    const page = readFileSync(html, "utf8");
    expect(page).toContain(readFileSync(join(ROOT, "host-sim/viz/client/timeline.css"), "utf8").trim().split("\n")[1]);
    expect(page).toContain(readFileSync(join(ROOT, "host-sim/viz/client/timeline.js"), "utf8").trim().split("\n")[1]);
  });
});
