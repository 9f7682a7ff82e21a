// Unreadable scenario files: every kind exits 2 with one escaped line naming file:line:col and the fix; limits hold; random bytes never get past the CLI.
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildSync } from "esbuild";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLAIN } from "../../../host-sim/cli/progress";
import { LIMITS, ScenarioError, parseScenario } from "../../../host-sim/cli/scenario";
import { EXIT_BAD_FILE, EXIT_OUTPUT, loadScenario, runScenarioFiles } from "../../../host-sim/cli/scenario-cli";
import { MAX_ALIASES, QUOTE_CHARS, escapeText, invalidUtf8At } from "../../../host-sim/cli/scenario-yaml";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { Session } from "../../../host-sim/cli/session";

const ROOT = join(__dirname, "../../..");
const DIR = mkdtempSync(join(tmpdir(), "quiesce-scenario-"));
const RUNS = Number(process.env.QUIESCE_FUZZ_SCENARIOS ?? 300);

function file(name: string, content: string | Uint8Array): string {
  const p = join(DIR, name);
  writeFileSync(p, content);
  return p;
}

/** The CLI's own path with a board that must never boot: a bad file runs nothing. */
function cli(path: string): { code: number; lines: string[] } {
  let out = "";
  const code = runScenarioFiles([path], () => {
    throw new Error("booted for a bad file");
  }, (s) => { out += s; }, { paint: PLAIN, quiet: true, trace: "off" });
  return { code, lines: out.split("\n") };
}

/** One line, no raw control characters; past the file name, a reason of a few hundred characters at most and a short quote. */
function expectOneLine(line: string, file = ""): void {
  expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]/);
  expect(line.length - escapeText(file).length).toBeLessThanOrEqual(320 + QUOTE_CHARS);
}

const step = (s: string) => "name: a\nsteps:\n" + s;
const bomb = 'name: a\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n' +
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nsteps: *d\n";

describe("every unreadable file exits 2 with file:line:col: reason: quote", () => {
  const dir = join(DIR, "a-directory");
  mkdirSync(dir);
  const cases: [string, () => string, RegExp][] = [
    ["missing", () => join(DIR, "nope.yaml"), /nope\.yaml: no such file; give a path such as/],
    ["a directory", () => dir, /a-directory: is a directory; give a scenario file, e\.g\. .*a-directory\/suspend-console\.yaml$/],
    ["a character device", () => "/dev/null", /^scenario error: \/dev\/null: not a regular file/],
    ["empty (0 bytes)", () => file("empty.yaml", ""), /empty\.yaml:1:1: the file is empty; a scenario needs `name:` and `steps:`$/],
    ["comments only", () => file("comments.yaml", "# nothing\n\n"), /comments\.yaml:1:1: the file is empty/],
    ["binary garbage", () => file("garbage.yaml", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])), /garbage\.yaml:1:1: not UTF-8: byte 0x89 here; save the file as UTF-8 text$/],
    ["a NUL byte", () => file("nul.yaml", "name: a\0b\nsteps: [press-button]\n"), /nul\.yaml:1:8: a NUL byte: this is not a text file; .*: "name: a\\x00b"$/],
    ["invalid UTF-8", () => file("latin1.yaml", Buffer.concat([Buffer.from("name: caf"), Buffer.from([0xe9]), Buffer.from("\nsteps: [press-button]\n")])), /latin1\.yaml:1:10: not UTF-8: byte 0xe9 here; save the file as UTF-8 text: "name: caf"$/],
    ["a raw escape sequence", () => file("esc.yaml", step("  - write-serial: \x1b[2Jhi\n")), /esc\.yaml:3:19: control character \\x1b in the file; write it as an escape in double quotes, e\.g\. "\\x1b": "- write-serial: \\x1b\[2Jhi"$/],
    ["not a list of steps", () => file("scalar-steps.yaml", "name: a\nsteps: press-button\n"), /scalar-steps\.yaml:2:8: `steps:` must be a non-empty list of `- step` items, not a plain value: "steps: press-button"$/],
    ["a list at the top", () => file("list.yaml", "- press-button\n"), /list\.yaml:1:1: a scenario is a map .* put the steps under `steps:`: "- press-button"$/],
    ["5,000 nested brackets", () => file("brackets.yaml", "name: a\nsteps: " + "[".repeat(5000) + "]".repeat(5000) + "\n"), /brackets\.yaml:2:23: nested deeper than 16 levels; .*: "\.\.\.eps: \[\[\[+\.\.\."$/],
    ["5,000 nested list items", () => file("dashes.yaml", "- ".repeat(5000) + "x\n"), /dashes\.yaml:1:33: nested deeper than 16 levels/],
    ["an alias bomb", () => file("bomb.yaml", bomb), new RegExp("bomb\\.yaml:3:8: aliases expand to too much \\(yaml's maxAliasCount " + MAX_ALIASES + "\\); write the steps out")],
    ["an alias cycle", () => file("cycle.yaml", "name: a\nsteps: &s [press-button, *s]\n"), /cycle\.yaml:2:\d+: nested deeper than 16 levels/],
    ["a delay of 1e29 s", () => file("huge.yaml", step("  - delay: 100000000000000000000000000000s\n")), /huge\.yaml:3:12: delay `100000000000000000000000000000s` is longer than a day; at most 86400s of virtual time/],
    ["a delay in exponent form", () => file("exp.yaml", step("  - delay: 1e29s\n")), /exp\.yaml:3:12: delay `1e29s` is not a duration; write e\.g\. 500ms/],
    ["a fractional pin", () => file("pin.yaml", step("  - expect-pin: { pin: 2.5, value: 1 }\n")), /pin\.yaml:3:24: pin `2\.5` is not a GPIO number; write an integer/],
    ["over 1 MiB", () => file("big.yaml", "# " + "x".repeat(LIMITS.fileBytes) + "\n"), /big\.yaml: the file is 1048579 bytes; a scenario file may have at most 1048576 \(1 MiB\)$/],
    ["too many steps", () => file("many.yaml", step("  - press-button\n".repeat(LIMITS.steps + 1))), /many\.yaml:2003:5: 2001 steps; a scenario may have at most 2000, split it into files: "- press-button"$/],
    ["too many tokens", () => file("tokens.yaml", "name: a\nsteps: [" + "a,".repeat(LIMITS.tokens) + "]\n"), /tokens\.yaml:2:\d+: more than 100000 YAML tokens/],
    ["an unknown step", () => file("typo.yaml", step("  - press-buton\n")), /typo\.yaml:3:5: unknown step `press-buton`; steps are write-serial, wait-serial, delay, press-button, release-button, set-control, expect-state, expect-wake, wake, fault, expect-pin: "- press-buton"$/],
    ["a long line", () => file("long.yaml", step("  - write-serial: \"" + "\\x01".repeat(10) + "y".repeat(300) + "\" tail\n")), /long\.yaml:3:362: unexpected scalar at node end; .*: "\.\.\.y{34}" tail"$/],
  ];
  it.each(cases)("%s", (_what, make, message) => {
    const t0 = Date.now();
    const r = cli(make());
    expect(r.code).toBe(EXIT_BAD_FILE);
    expect(r.lines).toHaveLength(3);
    expect(r.lines[0]).toMatch(/^scenario error: /);
    expect(r.lines[0]).toMatch(message);
    expect(r.lines.slice(1)).toEqual(["1 scenario file could not be read; nothing was run", ""]);
    expectOneLine(r.lines[0], DIR);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it("a file name with control bytes is escaped too", () => {
    const r = cli(join(DIR, "evil\x1b[31m.yaml"));
    expect(r.code).toBe(EXIT_BAD_FILE);
    expect(r.lines[0]).toContain("evil\\x1b[31m.yaml: no such file");
    expectOneLine(r.lines[0]);
  });
});

describe("limits are inclusive, and the README states them", () => {
  it("a one-day delay, 2,000 steps and 16 levels are accepted", () => {
    expect(parseScenario("x", step("  - delay: 86400s\n  - wait-serial: { text: a, timeout: 86400000ms }\n")).steps.map((s) => s.kind)).toEqual(["delay", "wait-serial"]);
    expect(parseScenario("x", step("  - press-button\n".repeat(LIMITS.steps))).steps).toHaveLength(LIMITS.steps);
    // map > steps list > step map > 13 flow levels = 16.
    expect(() => parseScenario("x", step("  - write-serial: " + "[".repeat(13) + "]".repeat(13) + "\n"))).toThrow("`write-serial` takes text");
    expect(() => parseScenario("x", step("  - write-serial: " + "[".repeat(14) + "]".repeat(14) + "\n"))).toThrow("nested deeper than 16 levels");
  });

  it("README.md names every limit", () => {
    const readme = readFileSync(join(ROOT, "host-sim/scenarios/README.md"), "utf8");
    for (const s of ["1 MiB", "16 levels", "100,000 YAML tokens", "2,000 steps", "86400s", "maxAliasCount " + MAX_ALIASES, "exit 2", "file:line:col"]) expect(readme).toContain(s);
  });

  it("finds the first byte that is not UTF-8 (overlong, surrogate, truncated, above U+10FFFF)", () => {
    const at = (...b: number[]) => invalidUtf8At(Uint8Array.from(b));
    expect([at(0x61, 0xc3, 0xa9), at(0xc0, 0x80), at(0xed, 0xa0, 0x80), at(0x61, 0xe2, 0x82), at(0xf4, 0x90, 0x80, 0x80), at(0xf0, 0x9f, 0x98, 0x80)])
      .toEqual([-1, 0, 0, 1, 0, -1]);
    expect(escapeText("a\x1b[0m\u202e\t\ud83d\ude00")).toBe("a\\x1b[0m\\u202e\\t\ud83d\ude00");
  });
});

describe("fuzzed files never get past the CLI", () => {
  it("random bytes: exit 2, one escaped line, bounded time", () => {
    const path = join(DIR, "fuzz.yaml");
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      writeFileSync(path, bytes);
      const t0 = Date.now();
      const r = cli(path);
      expect(r.code).toBe(EXIT_BAD_FILE);
      expect(r.lines).toHaveLength(3);
      expectOneLine(r.lines[0], path);
      expect(Date.now() - t0).toBeLessThan(2_000);
    }), { numRuns: RUNS });
  });

  const PIECES = ["name: a", "steps:", "- ", "  ", "\n", "[", "]", "{", "}", ": ", ",", "&a ", "*a", "*b", "\"", "'", "# c", "\\x1b", "\x1b", "\t",
    "---", "? ", "|", ">", "!!str ", "press-button", "write-serial: ", "wait-serial: ", "delay: ", "1e29s", "500ms", "timeout: ", "fault: ",
    "{ device: led, stage: S2, mode: fail }", "\u202e", "\ud800", "\r\n", "%YAML 1.2", "...", "é", "\\q", "version: 2"];
  it("random YAML-ish text: a scenario or a one-line ScenarioError, never anything else", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (parts) => {
      const path = file("yamlish.yaml", parts.join(""));
      const t0 = Date.now();
      try {
        loadScenario(path);
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        expectOneLine((e as ScenarioError).message, path);
        expect((e as ScenarioError).quote.length).toBeLessThanOrEqual(QUOTE_CHARS);
      }
      expect(Date.now() - t0).toBeLessThan(2_000);
    }), { numRuns: RUNS });
  });
});

describe("the real CLI", () => {
  // main.ts bundled as `npm start` bundles it (yaml included), run as a process: the exit status is what CI sees.
  const outfile = join(DIR, "main.js");
  buildSync({ entryPoints: [join(ROOT, "host-sim/cli/main.ts")], bundle: true, platform: "node", target: "node20", outfile, logLevel: "error" });

  it("exits 2 on a missing file, a directory, 5,000 brackets and bytes that are not UTF-8, with no stack trace", () => {
    const files = [join(DIR, "nope.yaml"), DIR, file("deep.yaml", "[".repeat(5000)), file("bytes.yaml", Uint8Array.from([0xff, 0xfe, 0, 0x1b]))];
    for (const f of files) {
      const r = spawnSync(process.execPath, [outfile, "--quiet", "--scenario", f], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
      expect(r.status).toBe(EXIT_BAD_FILE);
      expect(r.stderr).toBe("");
      expect(r.stdout.split("\n")).toHaveLength(3);
      expect(r.stdout).toMatch(/^scenario error: .*\n1 scenario file could not be read; nothing was run\n$/);
    }
  }, 60_000);

  it("an --html or --perfetto path in a folder that does not exist exits 2 before running, naming the folder and the fix; one that cannot be written at the end exits 3", () => {
    const scenario = join(ROOT, "host-sim/scenarios/suspend-button.yaml");
    const missing = join(DIR, "no-such-folder");
    for (const flag of ["--html", "--perfetto"]) {
      const r = spawnSync(process.execPath, [outfile, "--quiet", "--scenario", scenario, flag, join(missing, "out.x")], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
      // It printed PASS, then the write error, and exited 0: a CI job went green without its artifact.
      expect([r.status, r.stdout, r.stderr]).toEqual([EXIT_BAD_FILE, "",
        "quiesce: " + flag + " " + join(missing, "out.x") + ": no folder " + missing + "; create it first (mkdir -p " + missing + ") or give a path in an existing folder\n"]);
    }
    // A folder where the file should go, or no name at all: refused before the run, as a bad flag.
    const folder = join(DIR, "blocked.html");
    mkdirSync(folder, { recursive: true });
    const asFolder = spawnSync(process.execPath, [outfile, "--quiet", "--scenario", scenario, "--html", folder], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    expect([asFolder.status, asFolder.stdout, asFolder.stderr]).toEqual([EXIT_BAD_FILE, "", "quiesce: --html " + folder + " is a folder; give a file name in it, e.g. " + join(folder, "timeline.html") + "\n"]);
    const empty = spawnSync(process.execPath, [outfile, "--quiet", "--scenario", scenario, "--perfetto", ""], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    expect([empty.status, empty.stderr]).toEqual([EXIT_BAD_FILE, "quiesce: --perfetto needs a file name, e.g. --perfetto trace.json\n"]);
    // A name that looks writable but is not, found only when the file is written at the end (a link into a folder that is gone).
    const dangling = join(DIR, "gone.html");
    symlinkSync(join(DIR, "no-such-folder", "t.html"), dangling);
    const late = spawnSync(process.execPath, [outfile, "--quiet", "--scenario", scenario, "--html", dangling], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    expect([late.status, late.stdout, late.stderr]).toEqual([EXIT_OUTPUT, expect.stringMatching(/^PASS /m),
      "quiesce: could not write the timeline to " + dangling + " (ENOENT): give a writable path in an existing folder\n"]);
  }, 60_000);
});

describe("a valid scenario with a hostile name", () => {
  it("prints its name escaped in the header and the PASS line, as error lines are (no raw ESC or bidi control reaches the terminal)", () => {
    const path = file("esc.yaml", 'name: "evil\\x1b[31mRED\\x1b[0m\\u202e"\nsteps:\n  - delay: 1ms\n');
    let out = "";
    const boot = () => new Session(bootShellBoard({ seed: 1 }), 2000);
    const code = runScenarioFiles([path], boot, (s) => { out += s; }, { paint: PLAIN, quiet: true, trace: "off" });
    expect([code, out]).toEqual([0, "scenario: evil\\x1b[31mRED\\x1b[0m\\u202e (" + path + ", 1 steps)\nstep 1 " + path + ":3  delay 1 ms\n" +
      "PASS evil\\x1b[31mRED\\x1b[0m\\u202e (1 steps, 0.001 s virtual)\n"]);
  });

  it("prints a step's text escaped too, in its step line and its FAIL and expected lines (a raw U+202E reordered them)", () => {
    const path = file("esc-step.yaml", 'name: n\nsteps:\n  - wait-serial: { text: "> \\u202e", timeout: 1ms }\n');
    let out = "";
    const boot = () => new Session(bootShellBoard({ seed: 1 }), 2000);
    runScenarioFiles([path], boot, (s) => { out += s; }, { paint: PLAIN, quiet: true, trace: "off" });
    expect(out).not.toMatch(/\u202e/);
    expect(out.split("\n").slice(1, 4)).toEqual(["step 1 " + path + ":3  wait-serial \"> \\u202e\" (timeout 0.001 s)",
      "FAIL " + path + ":3: step 1 `wait-serial \"> \\u202e\" (timeout 0.001 s)`", "  expected: serial output containing \"> \\u202e\" within 0.001 s (virtual)"]);
  });
});
