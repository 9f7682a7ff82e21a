// `--scenario`: each file on a freshly booted board, steps and serial printed, exit code 0 pass / 1 step failed / 2 bad file.
import { readFileSync } from "fs";
import type { Paint } from "./progress";
import { type Scenario, ScenarioError, parseScenario } from "./scenario";
import { NO_GUARD, type RunGuard, type ScenarioResult, describeStep, formatFailure, runScenario } from "./scenario-run";
import { Screen } from "./screen";
import type { Session } from "./session";

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_BAD_FILE = 2;

export interface ScenarioCliOptions {
  paint: Paint;
  quiet: boolean;
  trace: "off" | "on" | "all";
  /** --expect-text, --fail-text, --timeout. */
  guard?: RunGuard;
}

/**
 * wokwi-cli without a scenario: boot, then pass on --expect-text, fail on --fail-text; with only
 * --fail-text, watch for the whole --timeout.
 */
export function watchScenario(g: RunGuard): Scenario {
  return {
    file: "(command line)", name: "boot and watch the serial output", timeoutUs: g.timeoutUs,
    steps: g.expectText === null ? [{ kind: "delay", us: g.timeoutUs, line: 0 }] : [],
  };
}

/** Reads and parses a scenario file; a missing file is a ScenarioError too (line 0). */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, 0, code === "ENOENT" ? "no such file; give a path such as host-sim/scenarios/suspend-console.yaml" : "cannot read: " + String(e));
  }
  return parseScenario(file, text);
}

/**
 * Every file is parsed before any runs, so a typo in the fifth file fails in milliseconds, not after
 * four simulations. Returns the process exit code.
 */
export function runScenarioFiles(files: readonly string[], boot: () => Session, write: (s: string) => void, o: ScenarioCliOptions): number {
  let guard = o.guard ?? NO_GUARD;
  const scenarios: Scenario[] = files.length === 0 ? [watchScenario(guard)] : [];
  // Watching for --fail-text alone: the timeout is the watch's length, not a limit it can fail.
  if (files.length === 0 && guard.expectText === null) guard = { ...guard, timeoutUs: Infinity };
  let bad = 0;
  for (const f of files) {
    try {
      scenarios.push(loadScenario(f));
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      write(o.paint.bad("scenario error: ") + e.message + "\n");
      bad++;
    }
  }
  if (bad > 0) {
    write(bad + " scenario file" + (bad > 1 ? "s" : "") + " could not be read; nothing was run\n");
    return EXIT_BAD_FILE;
  }
  const results: ScenarioResult[] = [];
  for (const sc of scenarios) {
    const session = boot();
    const screen = new Screen(write, { paint: o.paint, trace: o.quiet ? "off" : o.trace, summaries: !o.quiet });
    if (!o.quiet) {
      screen.attach(session);
      session.asleep$.subscribe((target) => screen.notice("asleep (" + target + "): woken by " + session.board.wakers().join(", "), false));
    }
    screen.line(o.paint.bold("scenario: " + sc.name) + o.paint.dim(" (" + sc.file + ", " + sc.steps.length + " steps)"));
    const r = runScenario(sc, session, (i, step) => {
      screen.flush();
      screen.line(o.paint.dim("step " + (i + 1) + " " + sc.file + ":" + step.line + "  ") + describeStep(step));
    }, guard);
    session.advance(0);
    session.flushSummaries();
    screen.end();
    screen.detach();
    results.push(r);
    if (r.passed) write(o.paint.ok("PASS") + " " + sc.name + o.paint.dim(" (" + r.stepsRun + " steps, " + (r.virtualUs / 1e6).toFixed(3) + " s virtual)") + "\n");
    else write(o.paint.bad(formatFailure(r)) + "\n");
  }
  const failed = results.filter((r) => !r.passed).length;
  if (results.length > 1) write((failed === 0 ? "all " + results.length + " scenarios passed" : failed + " of " + results.length + " scenarios failed") + "\n");
  return failed === 0 ? EXIT_PASS : EXIT_FAIL;
}
