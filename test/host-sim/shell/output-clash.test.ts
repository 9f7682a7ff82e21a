// An output flag naming an input (the scenario, the board module, the capture) or another output is refused before anything is opened: exit 2, one line, nothing lost.
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { EXIT_BAD_FILE } from "../../../host-sim/cli/scenario-cli";
import { convert } from "../../../host-sim/viz/convert";

const ROOT = join(__dirname, "../../..");
const DIR = mkdtempSync(join(tmpdir(), "quiesce-clash-"));
const SCENARIO = "name: x\nsteps:\n  - delay: 1ms\n";

describe("outputs that are inputs or each other", () => {
  // main.ts bundled as `npm start` bundles it, run as a process: the file on disk afterwards is what the user keeps.
  const outfile = join(DIR, "main.js");
  buildSync({ entryPoints: [join(ROOT, "host-sim/cli/main.ts")], bundle: true, platform: "node", target: "node20", outfile, logLevel: "error" });
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [outfile, "--quiet", ...args], { cwd: DIR, encoding: "utf8", timeout: 30_000 });
    return [r.status, r.stdout, r.stderr];
  };

  it("--serial-log, --html or --perfetto on the scenario file: refused, the scenario kept", () => {
    const sc = join(DIR, "victim.yaml");
    writeFileSync(sc, SCENARIO);
    // Before: the serial log truncated the scenario before it was read, and the error blamed the (now empty) file.
    for (const flag of ["--serial-log", "--html", "--perfetto"]) {
      const example = { "--serial-log": "uart0.log", "--html": "timeline.html", "--perfetto": "trace.json" }[flag];
      expect(run(["--scenario", sc, flag, sc])).toEqual([EXIT_BAD_FILE, "",
        "quiesce: " + flag + " " + sc + " is the --scenario file: writing it would destroy that input; give " + flag + " another file, e.g. " + flag + " " + example + "\n"]);
      expect(readFileSync(sc, "utf8")).toBe(SCENARIO);
    }
    // Another name for the same file (a link, a relative path) is the same file.
    symlinkSync(sc, join(DIR, "link.yaml"));
    expect(run(["--scenario", "victim.yaml", "--html", "link.yaml"])).toEqual([EXIT_BAD_FILE, "",
      "quiesce: --html link.yaml is the --scenario file: writing it would destroy that input; give --html another file, e.g. --html timeline.html\n"]);
    expect(readFileSync(sc, "utf8")).toBe(SCENARIO);
  }, 60_000);

  it("--html and --perfetto on one file: refused, rather than one silently replacing the other", () => {
    const sc = join(DIR, "ok.yaml");
    writeFileSync(sc, SCENARIO);
    expect(run(["--scenario", sc, "--html", "same.json", "--perfetto", "same.json"])).toEqual([EXIT_BAD_FILE, "",
      "quiesce: --perfetto same.json is also the --html file: one would overwrite the other; give each its own file, e.g. --html timeline.html --perfetto trace.json\n"]);
    expect(run(["--scenario", sc, "--serial-log", "u.log", "--html", "./u.log"])).toEqual([EXIT_BAD_FILE, "",
      "quiesce: --html ./u.log is also the --serial-log file: one would overwrite the other; give each its own file, e.g. --serial-log uart0.log --html timeline.html\n"]);
  }, 60_000);

  it("--serial-log on the --board module: refused, the module kept", () => {
    const board = join(DIR, "board.ts");
    writeFileSync(board, "export {};\n");
    expect(run(["--board", board, "--expect-text", "x", "--serial-log", board])).toEqual([EXIT_BAD_FILE, "",
      "quiesce: --serial-log " + board + " is the --board file: writing it would destroy that input; give --serial-log another file, e.g. --serial-log uart0.log\n"]);
    expect(readFileSync(board, "utf8")).toBe("export {};\n");
  }, 60_000);

  it("viz:convert --html or --perfetto on the --dump capture: refused before the capture is read, the capture kept", () => {
    const dump = join(DIR, "dump.log");
    writeFileSync(dump, "a board's only copy of its trace\n");
    expect(() => convert({ dump, names: null, html: dump, perfetto: null, title: null, board: null }))
      .toThrow(new Error("--html " + dump + " is the --dump file: writing it would destroy that input; give --html another file, e.g. --html timeline.html"));
    expect(() => convert({ dump, names: null, html: join(DIR, "t.html"), perfetto: join(DIR, "t.html"), title: null, board: null }))
      .toThrow(new Error("--perfetto " + join(DIR, "t.html") + " is also the --html file: one would overwrite the other; give each its own file, e.g. --html timeline.html --perfetto trace.json"));
    expect(readFileSync(dump, "utf8")).toBe("a board's only copy of its trace\n");
  });
});
