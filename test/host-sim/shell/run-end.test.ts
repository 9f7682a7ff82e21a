// The end of a run lets the board finish what the last step started (a wake's resume, a suspend up to its sleep), so --fail-text and the summary see its outcome.
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { PLAIN } from "../../../host-sim/cli/progress";
import { EXIT_FAIL, EXIT_PASS, runScenarioFiles } from "../../../host-sim/cli/scenario-cli";
import { parseScenario } from "../../../host-sim/cli/scenario";
import { NO_GUARD, type RunGuard, runScenario } from "../../../host-sim/cli/scenario-run";
import { Session } from "../../../host-sim/cli/session";

const DIR = mkdtempSync(join(tmpdir(), "quiesce-run-end-"));
/** flash fails its R2: the failure shows only after the wake the last step raises. */
const R2FAIL = join(DIR, "r2fail.yaml");
writeFileSync(R2FAIL, 'name: r2fail\nsteps:\n  - wait-serial: "> "\n  - fault: { device: flash, stage: R2, mode: fail }\n' +
  '  - write-serial: "suspend standby"\n  - delay: 300ms\n  - wake: timer\n');

function run(quiet: boolean, guard: RunGuard = NO_GUARD): { code: number; out: string; session: Session } {
  let out = "";
  let session: Session | null = null;
  const code = runScenarioFiles([R2FAIL], () => (session = new Session(bootShellBoard({ seed: 1 }), 2000)), (s) => { out += s; }, { paint: PLAIN, quiet, trace: "off", guard });
  return { code, out, session: session as unknown as Session };
}

const HEAD = "scenario: r2fail (" + R2FAIL + ", 5 steps)\n" + [3, 4, 5, 6, 7].map((line, i) => "step " + (i + 1) + " " + R2FAIL + ":" + line + "  " +
  ['wait-serial "> " (timeout 5 s)', "fault flash resume fail", 'write-serial "suspend standby"', "delay 300 ms", "wake timer"][i] + "\n").join("");

describe("a scenario whose last step is a wake", () => {
  it("--fail-text sees the resume's failure, with its whole line (it passed: the run ended before the resume)", () => {
    const r = run(true, { expectText: null, failText: "failed", timeoutUs: Infinity });
    expect([r.code, r.out]).toEqual([EXIT_FAIL, HEAD + "FAIL " + R2FAIL + ": end of scenario, after step 5 `wake timer` (line 7)\n" +
      "  expected: no serial output or [sim] line containing \"failed\" (--fail-text)\n" +
      "  seen:     | [    307890 us] R2 resume        flash     failed IO, device marked failed\n"]);
  });

  it("runs the resume to its end: the firmware's outcome, the summary and the time it took; no 'wake not reached' note", () => {
    const r = run(false);
    expect(r.code).toBe(EXIT_PASS);
    expect(r.session.serialLog).toContain("suspend failed: flash resume IO\r\n");
    expect(r.session.summaries.map((s) => s.outcome)).toEqual(["IO"]);
    expect(r.out).toContain("\n[sim] suspend standby: FAILED IO (flash resume IO; that device marked failed, re-probed later), woke by timer\n");
    expect(r.out).not.toContain("which this run did not reach");
    expect(r.out.slice(r.out.lastIndexOf("\n", r.out.length - 2) + 1)).toBe("PASS r2fail (5 steps, 0.485 s virtual)\n");
  });

  it("a run that ends with the board asleep and no wake raised ends there, as before", () => {
    writeFileSync(join(DIR, "asleep.yaml"), 'name: asleep\nsteps:\n  - wait-serial: "> "\n  - write-serial: "suspend standby"\n  - delay: 300ms\n');
    let out = "";
    const code = runScenarioFiles([join(DIR, "asleep.yaml")], () => new Session(bootShellBoard({ seed: 1 }), 2000), (s) => { out += s; }, { paint: PLAIN, quiet: true, trace: "off" });
    expect([code, out.slice(out.lastIndexOf("PASS"))]).toEqual([EXIT_PASS, "PASS asleep (3 steps, 0.306 s virtual)\n"]);
  });
});

describe("a suspend summary ([sim] line) as --expect-text", () => {
  it("is seen when it is printed, not when --timeout runs out", () => {
    const session = new Session(bootShellBoard({ seed: 1, timerWakeUs: 2_000_000 }), 2000);
    const sc = parseScenario("sl.yaml", 'name: sl\nsteps:\n  - wait-serial: "> "\n  - write-serial: "suspend standby"\n');
    const r = runScenario(sc, session, undefined, { expectText: "OK, woke by timer", failText: null, timeoutUs: 20_000_000 });
    // Before: 20.000 s; the board ran on to the timeout (more cycles on a duty-cycling board) before the held summary came out.
    expect([r.passed, r.virtualUs]).toEqual([true, 2_257_133.55]);
    expect(session.summaries).toHaveLength(1);
  });
});

describe("a scenario whose last step types a suspend", () => {
  it("--fail-text sees the suspend it starts (it passed: the line was still in the console's RX FIFO when the run ended)", () => {
    const file = join(DIR, "hang.yaml");
    writeFileSync(file, 'name: hang\nsteps:\n  - wait-serial: "> "\n  - fault: { device: bme280, stage: suspend, mode: hang }\n  - write-serial: "suspend standby"\n');
    let out = "";
    const code = runScenarioFiles([file], () => new Session(bootShellBoard({ seed: 1 }), 2000), (s) => { out += s; },
      { paint: PLAIN, quiet: true, trace: "off", guard: { expectText: null, failText: "TIMEOUT", timeoutUs: Infinity } });
    expect([code, out.split("\n").slice(-4)]).toEqual([EXIT_FAIL, [
      "FAIL " + file + ": end of scenario, after step 3 `write-serial \"suspend standby\"` (line 5)",
      "  expected: no serial output or [sim] line containing \"TIMEOUT\" (--fail-text)",
      "  seen:     | [     30838 us] S2 suspend       bme280    TIMEOUT, budget 20000 us",
      "",
    ]]);
  });
});
