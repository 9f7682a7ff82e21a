// `--scenario`: each file on a freshly booted board, steps and serial printed, exit code 0 pass / 1 step failed / 2 bad file (3: main.ts, an output file not written).
import { closeSync, openSync, readSync, statSync } from "fs";
import { isAbsolute, resolve } from "path";
import type { Paint } from "./progress";
import { type Scenario, ScenarioError, parseScenario } from "./scenario";
import { MAX_FILE_BYTES, decodeScenario, escapeText, tooBig } from "./scenario-yaml";
import { NO_GUARD, type RunGuard, type ScenarioResult, describeStep, formatFailure, runScenario, scenarioAsleepText, watchLabel } from "./scenario-run";
import { Screen } from "./screen";
import { type Session, backlogNotice } from "./session";

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_BAD_FILE = 2;
/** The run passed but a --html, --perfetto or --serial-log file could not be written: CI must not go green without its artifact. */
export const EXIT_OUTPUT = 3;

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

/**
 * Reads and parses a scenario file. Anything that keeps it from being a scenario (missing, a directory
 * or device, over 1 MiB, not UTF-8, not YAML, over a limit) is a ScenarioError, so the CLI exits 2.
 */
export function loadScenario(file: string): Scenario {
  try {
    return parseScenario(file, decodeScenario(file, readBounded(file)));
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    // A parser bug is still "this file could not be read", with what happened, not a stack trace.
    throw new ScenarioError(file, 0, 0, "could not parse: " + (e instanceof Error ? e.name + ": " + e.message : String(e)).slice(0, 200));
  }
}

/** At most MAX_FILE_BYTES + 1 bytes of a regular file: /dev/zero or a FIFO never hangs the run. */
function readBounded(file: string): Uint8Array {
  let fd: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ScenarioError(file, 0, 0, "is a directory; give a scenario file, e.g. " + file.replace(/\/+$/, "") + "/suspend-console.yaml");
    if (!st.isFile()) throw new ScenarioError(file, 0, 0, "not a regular file; give a scenario file such as host-sim/scenarios/suspend-console.yaml");
    if (st.size > MAX_FILE_BYTES) throw tooBig(file, st.size);
    fd = openSync(file, "r");
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, 0, 0, code === "ENOENT" ? "no such file" + (isAbsolute(file) ? "" : " (looked for " + resolve(file) + ")") + "; give a path such as host-sim/scenarios/suspend-console.yaml" :
      "cannot read (" + (code ?? String(e)) + "); check the path and its permissions");
  }
  try {
    const buf = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_FILE_BYTES) throw tooBig(file, n);
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(file, 0, 0, "cannot read (" + ((e as NodeJS.ErrnoException).code ?? String(e)) + "); check the path and its permissions");
  } finally {
    closeSync(fd);
  }
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
      // loadScenario turns every failure into a ScenarioError; anything else still means "unreadable".
      write(o.paint.bad("scenario error: ") + (e instanceof ScenarioError ? e.message : escapeText(f) + ": " + escapeText(String(e))) + "\n");
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
      session.asleep$.subscribe((s) => screen.asleepNotice(scenarioAsleepText(session, s), s.atUs, backlogNotice(s)));
    }
    // The name and the path are the file's: escaped as in error lines, so a hostile file cannot drive the terminal or a CI log.
    const name = escapeText(sc.name);
    screen.line(o.paint.bold("scenario: " + name) + o.paint.dim(" (" + escapeText(sc.file) + ", " + sc.steps.length + " steps)"));
    const r = runScenario(sc, session, (i, step) => {
      screen.flush();
      screen.line(step.line === 0 ? o.paint.dim(watchLabel(step)) : o.paint.dim("step " + (i + 1) + " " + escapeText(sc.file) + ":" + step.line + "  ") + escapeText(describeStep(step)));
    }, guard);
    session.drainUart();
    session.flushSummaries();
    screen.end();
    screen.detach();
    results.push(r);
    if (r.passed) write(o.paint.ok("PASS") + " " + name + o.paint.dim(" (" + r.stepsRun + " steps, " + (r.virtualUs / 1e6).toFixed(3) + " s virtual)") + "\n");
    else write(o.paint.bad(formatFailure(r)) + "\n");
  }
  const failed = results.filter((r) => !r.passed).length;
  if (results.length > 1) write((failed === 0 ? "all " + results.length + " scenarios passed" : failed + " of " + results.length + " scenarios failed") + "\n");
  return failed === 0 ? EXIT_PASS : EXIT_FAIL;
}
