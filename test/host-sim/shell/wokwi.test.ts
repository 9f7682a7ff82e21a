// Scenario checks Wokwi CI users script: expect-pin, --expect-text, --fail-text, --timeout (as wokwi-cli spells them).
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { USAGE, parseArgs } from "../../../host-sim/cli/args";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { PLAIN } from "../../../host-sim/cli/progress";
import { parseScenario } from "../../../host-sim/cli/scenario";
import { EXIT_FAIL, EXIT_PASS, runScenarioFiles } from "../../../host-sim/cli/scenario-cli";
import { type RunGuard, runScenario } from "../../../host-sim/cli/scenario-run";
import { Session } from "../../../host-sim/cli/session";
import { APP_WIRING } from "../../../examples/custom-driver/sim";

const DIR = join(__dirname, "../../../host-sim/scenarios");

function boot(): Session {
  return new Session(bootShellBoard({ seed: 1 }), 2000);
}

function cli(argv: string[]): { code: number; out: string } {
  const o = parseArgs(argv);
  let out = "";
  const guard: RunGuard = { expectText: o.expectText, failText: o.failText, timeoutUs: o.timeoutUs };
  const code = runScenarioFiles(o.scenarios, boot, (s) => { out += s; }, { paint: PLAIN, quiet: true, trace: "off", guard });
  return { code, out };
}

describe("expect-pin", () => {
  it("reads a device's pin by part-id or a GPIO by number, and names the pins there are", () => {
    const sc = parseScenario("pin.yaml", [
      "name: pin",
      "steps:",
      "  - expect-pin: { part-id: button, value: 1 }   # pulled up",
      "  - press-button",
      "  - delay: 50ms                                 # past the contact bounce",
      "  - expect-pin: { pin: 0, value: 0 }",
      "  - release-button",
      "  - delay: 50ms",
      "  - expect-pin: { part-id: button, value: 0 }   # fails: released, it reads 1",
    ].join("\n") + "\n");
    const r = runScenario(sc, boot());
    expect(r.failure).toEqual({ where: "pin.yaml:9", index: 7, step: "expect-pin button 0", expected: "pin button at 0", seen: "pin button at 1" });
    const bad = runScenario(parseScenario("x.yaml", "name: x\nsteps:\n  - expect-pin: { part-id: bme280, value: 1 }\n"), boot());
    expect(bad.failure?.seen).toBe("no pin `bme280` on ESP32-DevKitC V4; give a GPIO number 0..39 or a device with a pin (led, button)");
    expect(() => parseScenario("y.yaml", "name: y\nsteps:\n  - expect-pin: { pin: 2, value: high }\n")).toThrow("y.yaml:3:34: expect-pin value `high` must be 0 or 1");
  });
});

describe("wokwi-cli run checks", () => {
  it("refuse empty text (an unset CI variable) and a second --expect-text or --fail-text, naming the fix", () => {
    // Before: "" passed every --expect-text run and failed every --fail-text run; a repeat dropped the first without a word.
    expect(() => parseArgs(["--expect-text", ""])).toThrow(new Error("--expect-text needs non-empty text (empty text is in every output); e.g. --expect-text \"suspend ok\""));
    expect(() => parseArgs(["--fail-text=", "--timeout", "1s"])).toThrow(new Error("--fail-text needs non-empty text (empty text is in every output); e.g. --fail-text FAILED"));
    expect(() => parseArgs(["--expect-text", "type help", "--expect-text", "nope"])).toThrow(new Error(
      "--expect-text given twice (\"type help\", then \"nope\"); a run checks one --expect-text: give it once, and wait for the others with a scenario's wait-serial steps"));
    expect(() => parseArgs(["--fail-text", "FAILED", "--fail-text=THREW", "--timeout", "1s"])).toThrow(new Error(
      "--fail-text given twice (\"FAILED\", then \"THREW\"); a run checks one --fail-text: give it once"));
  });

  it("--expect-text without a scenario boots and passes once the text shows; with a --timeout it fails when it does not", () => {
    const ok = cli(["--expect-text", "type help"]);
    expect(ok.code).toBe(EXIT_PASS);
    expect(ok.out).toMatch(/\nPASS boot and watch the serial output \(0 steps, [0-9.]+ s virtual\)\n$/);
    // The failure is the text that never came, named, as without --timeout; not "the scenario to finish".
    const r = cli(["--expect-text=never printed", "--timeout", "2s"]);
    expect(r.code).toBe(EXIT_FAIL);
    expect(r.out.slice(r.out.indexOf("FAIL"))).toBe("FAIL (command line): end of scenario\n" +
      "  expected: serial output or a [sim] line containing \"never printed\" (--expect-text) within --timeout 2 s (virtual)\n" +
      "  seen:     \n  | quiesce console: type help for the list of commands\n  | > \n");
    const untimed = cli(["--expect-text=never printed"]);
    expect(untimed.out).toMatch(/expected: serial output or a \[sim\] line containing "never printed" \(--expect-text\) within 30 s \(virtual\) after the last step\n/);
  });

  it("--expect-text and --fail-text search what the run shows: firmware output and the [sim] lines, --quiet or not", () => {
    const board = (): Session => new Session(bootShellBoard({ seed: 1, wiring: APP_WIRING }), 2000);
    const run = (argv: string[], quiet: boolean): { code: number; out: string } => {
      const o = parseArgs(argv);
      let out = "";
      const guard: RunGuard = { expectText: o.expectText, failText: o.failText, timeoutUs: o.timeoutUs };
      return { code: runScenarioFiles(o.scenarios, board, (t) => { out += t; }, { paint: PLAIN, quiet, trace: "off", guard }), out };
    };
    // The motion light suspends after 10 s idle; only the simulator says "asleep".
    for (const quiet of [false, true]) {
      const r = run(["--expect-text", "asleep (standby)", "--timeout", "60s"], quiet);
      expect([r.code, r.out.slice(r.out.lastIndexOf("\n", r.out.length - 2) + 1)]).toEqual([EXIT_PASS, expect.stringMatching(/^PASS boot and watch the serial output/)]);
    }
    const f = run(["--fail-text", "woken by uart", "--timeout", "60s"], true);
    expect(f.code).toBe(EXIT_FAIL);
    expect(f.out.slice(f.out.indexOf("FAIL")).split("\n").slice(1, 3)).toEqual([
      "  expected: no serial output or [sim] line containing \"woken by uart\" (--fail-text)",
      "  seen:     [sim] asleep (standby): woken by uart, timer",
    ]);
  });

  it("--fail-text stops the run at the step where the text appeared and shows its line", () => {
    const r = cli(["--scenario", join(DIR, "suspend-console.yaml"), "--fail-text", "woke by timer"]);
    expect(r.code).toBe(EXIT_FAIL);
    expect(r.out.slice(r.out.indexOf("FAIL")).split("\n").slice(1, 3)).toEqual([
      "  expected: no serial output or [sim] line containing \"woke by timer\" (--fail-text)",
      "  seen:     | suspend ok, woke by timer",
    ]);
    expect(r.out).toMatch(/\nFAIL .*suspend-console\.yaml:13: step 9 `wait-serial "suspend ok, woke by timer"/);
  });

  it("--fail-text also searches what the last step printed and what the run prints after it (the summary)", () => {
    const tmp = mkdtempSync(join(tmpdir(), "quiesce-failtext-"));
    const file = join(tmp, "typo.yaml");
    writeFileSync(file, "name: typo\nsteps:\n  - wait-serial: \"type help\"\n  - write-serial: \"bogus\"\n");
    const typo = cli(["--scenario", file, "--fail-text", "unknown command"]);
    // It passed: the console's answer came after the last step, and nothing looked again.
    expect([typo.code, typo.out.slice(typo.out.indexOf("FAIL")).split("\n").slice(0, 3)]).toEqual([EXIT_FAIL, [
      // No step was running: the last one is named as what the output came after, not as the failing step 2.
      "FAIL " + file + ": end of scenario, after step 2 `write-serial \"bogus\"` (line 4)",
      "  expected: no serial output or [sim] line containing \"unknown command\" (--fail-text)",
      "  seen:     | unknown command 'bogus': type help for the list of commands",
    ]]);
    // The suspend summary's battery line, printed once the steps ended.
    const summary = cli(["--scenario", join(DIR, "suspend-console.yaml"), "--fail-text", "battery:"]);
    expect([summary.code, summary.out.slice(summary.out.indexOf("FAIL")).split("\n")[2]]).toEqual([EXIT_FAIL, expect.stringMatching(/^  seen:     \[sim\] +battery: /)]);
  });

  it("--expect-text found in a [sim] line of the last step passes at the steps' end, not at the timeout", () => {
    const r = cli(["--scenario", join(DIR, "fault-rollback.yaml"), "--expect-text", "OK, woke by timer"]);
    const steps = cli(["--scenario", join(DIR, "fault-rollback.yaml")]);
    const virtual = (out: string): string => (/\(\d+ steps, ([0-9.]+) s virtual\)/.exec(out) ?? ["", "?"])[1];
    // It took 30.7 s: the summary was held until the run ended, so the wait ran its whole 30 s.
    expect([r.code, virtual(r.out)]).toEqual([EXIT_PASS, virtual(steps.out)]);
  });

  it("a suspend's summary is printed before the steps that come after the attempt ended, in the order things happened", () => {
    const o = parseArgs(["--scenario", join(DIR, "suspend-console.yaml")]);
    let out = "";
    runScenarioFiles(o.scenarios, boot, (t) => { out += t; }, { paint: PLAIN, quiet: false, trace: "off" });
    const lines = out.split("\n");
    const summary = lines.findIndex((l) => l.includes("[sim]") && l.includes("battery:"));
    const lastStep = lines.findIndex((l) => /^step 12 /.test(l));
    expect([summary > 0, lastStep > 0, summary < lastStep]).toEqual([true, true, true]);
  });

  it("--timeout bounds a scenario in virtual time; --expect-text after the steps passes a scenario that shows it", () => {
    const slow = cli(["--scenario", join(DIR, "suspend-console.yaml"), "--timeout", "300ms"]);
    expect(slow.code).toBe(EXIT_FAIL);
    expect(slow.out).toMatch(/expected: the scenario to finish within --timeout 0.3 s \(virtual\)\n/);
    expect(cli(["--scenario", join(DIR, "suspend-console.yaml"), "--timeout", "5s", "--expect-text", "suspend ok"]).code).toBe(EXIT_PASS);
  });

  it("--seed, --timeout and --timer-wake refuse what they cannot take, naming the range", () => {
    expect(() => parseArgs(["--seed", "1e30"])).toThrow("--seed 1e30 is not an integer 0..4294967295; e.g. --seed 7");
    expect(() => parseArgs(["--seed", "1.5"])).toThrow("--seed 1.5 is not an integer 0..4294967295");
    expect(parseArgs(["--seed", "4294967295"]).seed).toBe(4294967295);
    expect(() => parseArgs(["--timeout", "99999999999s"])).toThrow("--timeout 99999999999s is longer than a day; at most 86400s of virtual time, as a scenario's durations");
    expect(parseArgs(["--timeout", "86400s"]).timeoutUs).toBe(86_400_000_000);
    expect(() => parseArgs(["--timer-wake", "86401s"])).toThrow("--timer-wake 86401s is longer than a day; at most 86400s");
  });

  it("--fail-text alone needs a --timeout to know how long to watch", () => {
    expect(() => parseArgs(["--fail-text", "panic"])).toThrow("--fail-text without a scenario or --expect-text needs --timeout: how long to watch, e.g. --timeout 10s");
    expect(cli(["--fail-text", "panic", "--timeout", "1s"]).code).toBe(EXIT_PASS);
    // A hit names the watch, not an invented `(command line):0: step 1 \`delay 1000 ms\`` the user never wrote.
    expect(cli(["--fail-text", "type help", "--timeout", "1s"])).toEqual({ code: EXIT_FAIL, out: "scenario: boot and watch the serial output ((command line), 1 steps)\n" +
      "watching the output for 1 s (--timeout)\nFAIL (command line): watching the output for 1 s (--timeout)\n" +
      "  expected: no serial output or [sim] line containing \"type help\" (--fail-text)\n  seen:     | quiesce console: type help for the list of commands\n" });
  });
});

describe("--help", () => {
  it("names the file (and section) behind every reference, never a bare README", () => {
    const help = USAGE.join("\n");
    expect(help).not.toMatch(/see README\)/);
    for (const ref of help.match(/[\w./-]*README[\w.]*|docs\/[\w.-]+/g) ?? []) expect(ref).toMatch(/\.md$/);
    expect(help).toContain("--board B           moddable-two, esp32-devkitc (default), or a module exporting a SimBoardWiring\n" +
      "                      (docs/adding-a-board.md, section 4; e.g. examples/custom-driver/sim.ts)");
  });
});
