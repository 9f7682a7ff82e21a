// --serial-log that cannot be written: refused before the run when its folder is missing (exit 2), named in one line with exit 3 when a write fails; never a stack trace.
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { EXIT_BAD_FILE, EXIT_OUTPUT } from "../../../host-sim/cli/scenario-cli";

const ROOT = join(__dirname, "../../..");
const DIR = mkdtempSync(join(tmpdir(), "quiesce-serial-log-"));
const SCENARIO = join(DIR, "ok.yaml");
writeFileSync(SCENARIO, "name: x\nsteps:\n  - delay: 1ms\n");
const PASSED = "scenario: x (" + SCENARIO + ", 1 steps)\nstep 1 " + SCENARIO + ":3  delay 1 ms\nPASS x (1 steps, 0.001 s virtual)\n";

describe("--serial-log errors (the real CLI)", () => {
  const outfile = join(DIR, "main.js");
  buildSync({ entryPoints: [join(ROOT, "host-sim/cli/main.ts")], bundle: true, platform: "node", target: "node20", outfile, logLevel: "error" });
  const run = (log: string) => {
    const r = spawnSync(process.execPath, [outfile, "--quiet", "--scenario", SCENARIO, "--serial-log", log], { cwd: DIR, encoding: "utf8", timeout: 30_000 });
    return [r.status, r.stdout, r.stderr];
  };

  it("a full disk (/dev/full): the run's PASS, then one line naming the file and the error, exit 3", () => {
    // Before: an uncaught write error printed the bundle's minified source and exited 1 after PASS.
    expect(run("/dev/full")).toEqual([EXIT_OUTPUT, PASSED, "quiesce: could not write the serial log to /dev/full (ENOSPC): give a writable path in an existing folder\n"]);
  }, 60_000);

  it("a folder that does not exist: refused before the run, as --html is", () => {
    const missing = join(DIR, "no-such-folder");
    expect(run(join(missing, "u.log"))).toEqual([EXIT_BAD_FILE, "",
      "quiesce: --serial-log " + join(missing, "u.log") + ": no folder " + missing + "; create it first (mkdir -p " + missing + ") or give a path in an existing folder\n"]);
    expect(existsSync(missing)).toBe(false);
  }, 60_000);

  it.skipIf(process.getuid?.() === 0)("a file it may not write: one line with the code and the fix, exit 2", () => {
    const ro = join(DIR, "ro.log");
    writeFileSync(ro, "");
    chmodSync(ro, 0o444);
    expect(run(ro)).toEqual([EXIT_BAD_FILE, "", "quiesce: --serial-log " + ro + ": cannot open it for writing (EACCES); give a writable path in an existing folder\n"]);
  }, 60_000);
});
