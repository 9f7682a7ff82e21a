// `npm start` from a subfolder: the paths the user typed mean that folder (npm's INIT_CWD), not the repository npm runs the script in.
import { spawnSync } from "child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { npmUserDir, parseArgs, resolveUserPaths } from "../../../host-sim/cli/args";
import { EXIT_BAD_FILE, EXIT_PASS } from "../../../host-sim/cli/scenario-cli";

const ROOT = join(__dirname, "../../..");
const DIR = mkdtempSync(join(tmpdir(), "quiesce-user-paths-"));

describe("paths against the user's folder", () => {
  it("resolveUserPaths: every path flag made absolute from INIT_CWD when it is another folder; a shipped board's name and an empty name kept", () => {
    const o = parseArgs(["--scenario", "a.yaml", "--board", "sim.ts", "--html", "t.html", "--perfetto", "/abs/t.json", "--serial-log", "u.log"]);
    const r = resolveUserPaths(o, "/home/me/app", "/repo");
    expect([r.scenarios, r.board, r.html, r.perfetto, r.serialLog]).toEqual([["/home/me/app/a.yaml"], "/home/me/app/sim.ts", "/home/me/app/t.html", "/abs/t.json", "/home/me/app/u.log"]);
    expect(resolveUserPaths(parseArgs(["--board", "moddable-two", "--html", ""]), "/home/me/app", "/repo")).toMatchObject({ board: "moddable-two", html: "" });
    // In the repository, or without npm: as typed (messages keep the short paths).
    expect(resolveUserPaths(o, "/repo", "/repo")).toBe(o);
    expect(resolveUserPaths(o, undefined, "/repo")).toBe(o);
  });

  it("npmUserDir: INIT_CWD only when npm runs this package's script in its folder (it leaks into every process an npm script starts)", () => {
    expect(npmUserDir({ INIT_CWD: "/home/me/app/sub", npm_package_json: "/repo/package.json" }, "/repo")).toBe("/home/me/app/sub");
    expect(npmUserDir({ INIT_CWD: "/home/me/app/sub", npm_package_json: "/repo/package.json" }, "/tmp/elsewhere")).toBeUndefined();
    expect(npmUserDir({ INIT_CWD: "/home/me/app/sub" }, "/repo")).toBeUndefined();
    expect(npmUserDir({ npm_package_json: "/repo/package.json" }, "/repo")).toBeUndefined();
  });

  const outfile = join(DIR, "main.js");
  buildSync({ entryPoints: [join(ROOT, "host-sim/cli/main.ts")], bundle: true, platform: "node", target: "node20", outfile, logLevel: "error" });

  it("the CLI run in the repository with INIT_CWD a subfolder reads the scenario and writes the trace there; a missing file is named by its absolute path", () => {
    const sub = join(DIR, "sub");
    mkdirSync(sub);
    writeFileSync(join(sub, "s.yaml"), "name: s\nsteps:\n  - delay: 1ms\n");
    const run = (args: string[]) => spawnSync(process.execPath, [outfile, "--quiet", ...args], { cwd: ROOT, env: { ...process.env, INIT_CWD: sub, npm_package_json: join(ROOT, "package.json") }, encoding: "utf8", timeout: 30_000 });
    // Before: `s.yaml: no such file` (it was looked for in the repository).
    const ok = run(["--scenario", "s.yaml", "--perfetto", "t.json"]);
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([EXIT_PASS, "scenario: s (" + join(sub, "s.yaml") + ", 1 steps)\nstep 1 " + join(sub, "s.yaml") + ":3  delay 1 ms\n" +
      "PASS s (1 steps, 0.001 s virtual)\nperfetto trace: " + join(sub, "t.json") + " (open in ui.perfetto.dev)\n", ""]);
    const missing = run(["--scenario", "nope.yaml"]);
    expect([missing.status, missing.stdout]).toEqual([EXIT_BAD_FILE, "scenario error: " + join(sub, "nope.yaml") + ": no such file; give a path such as host-sim/scenarios/suspend-console.yaml\n" +
      "1 scenario file could not be read; nothing was run\n"]);
  }, 60_000);

  it("a relative scenario path that names no file says where it looked", () => {
    const r = spawnSync(process.execPath, [outfile, "--quiet", "--scenario", "no/such.yaml"], { cwd: DIR, env: { ...process.env, INIT_CWD: "" }, encoding: "utf8", timeout: 30_000 });
    expect([r.status, r.stdout]).toEqual([EXIT_BAD_FILE, "scenario error: no/such.yaml: no such file (looked for " + join(DIR, "no/such.yaml") + "); give a path such as host-sim/scenarios/suspend-console.yaml\n" +
      "1 scenario file could not be read; nothing was run\n"]);
  }, 60_000);

  it("scripts/start.js finds a relative --board module in INIT_CWD", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), "--quiet", "--board", "sim.ts", "--expect-text", "pending", "--timeout", "15s"], {
      cwd: ROOT, env: { ...process.env, INIT_CWD: join(ROOT, "examples", "custom-driver"), npm_package_json: join(ROOT, "package.json") }, encoding: "utf8", timeout: 120_000,
    });
    // Before: `--board sim.ts: cannot load it (Cannot find module '<repository>/sim.ts')`.
    expect([r.status, r.stderr, r.stdout.slice(r.stdout.lastIndexOf("PASS"))]).toEqual([EXIT_PASS, "", expect.stringMatching(/^PASS boot and watch the serial output \(0 steps, [0-9.]+ s virtual\)\n$/)]);
  }, 120_000);
});
