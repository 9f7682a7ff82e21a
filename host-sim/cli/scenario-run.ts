// Runs a parsed scenario against a Session in virtual time; the first failing step names file:line, expected and seen.
import type { Scenario, Step } from "./scenario";
import type { Session } from "./session";

export interface StepFailure {
  /** `file:line`. */
  where: string;
  index: number;
  step: string;
  expected: string;
  seen: string;
}

export interface ScenarioResult {
  name: string;
  file: string;
  passed: boolean;
  stepsRun: number;
  failure: StepFailure | null;
  /** Virtual time the scenario took, us. */
  virtualUs: number;
}

/** One line describing a step as written (used in failures and the per-step log). */
export function describeStep(s: Step): string {
  switch (s.kind) {
    case "write-serial": return "write-serial " + JSON.stringify(s.text);
    case "wait-serial": return "wait-serial " + JSON.stringify(s.text) + " (timeout " + s.timeoutUs / 1e6 + " s)";
    case "delay": return "delay " + s.us / 1000 + " ms";
    case "press-button": return "press-button";
    case "release-button": return "release-button";
    case "expect-state": return "expect-state " + s.device + " " + s.state;
    case "expect-wake": return "expect-wake " + s.source;
    case "wake": return "wake " + s.source;
    case "fault": return "fault " + s.device + " " + s.stage + " " + s.mode;
    case "expect-pin": return "expect-pin " + s.pin + " " + s.value;
  }
}

/**
 * wokwi-cli's run-wide checks: `--fail-text` fails the run the moment the serial output contains it,
 * `--expect-text` must appear before the run ends (the run goes on after the last step until it does
 * or the timeout passes), `--timeout` bounds the whole run in virtual time.
 */
export interface RunGuard {
  expectText: string | null;
  failText: string | null;
  /** Virtual microseconds the whole scenario may take; Infinity: no limit. */
  timeoutUs: number;
}

export const NO_GUARD: RunGuard = { expectText: null, failText: null, timeoutUs: Infinity };

/** Scans serial output once for the guard's texts (from where the last scan ended, overlapping by the text's length). */
class GuardWatch {
  private failFrom = 0;
  private expectFrom = 0;
  failedAt = -1;
  expected = false;
  readonly deadline: number;

  constructor(readonly g: RunGuard, private readonly session: Session) {
    this.deadline = session.now() + g.timeoutUs;
    this.expected = g.expectText === null;
  }

  /** True when the run must stop: fail text seen. Also notes the expect text. */
  check(): boolean {
    const log = this.session.serialLog;
    const g = this.g;
    if (g.failText !== null && this.failedAt < 0) {
      const at = log.indexOf(g.failText, this.failFrom);
      this.failFrom = Math.max(0, log.length - g.failText.length + 1);
      if (at >= 0) this.failedAt = at;
    }
    if (g.expectText !== null && !this.expected) {
      this.expected = log.indexOf(g.expectText, this.expectFrom) >= 0;
      this.expectFrom = Math.max(0, log.length - g.expectText.length + 1);
    }
    return this.failedAt >= 0;
  }

  timedOut(): boolean {
    return this.session.now() >= this.deadline;
  }

  /** The failure the guard found, or null. */
  failure(): { expected: string; seen: string } | null {
    if (this.failedAt >= 0) {
      const log = this.session.serialLog;
      const start = log.lastIndexOf("\n", this.failedAt) + 1;
      const end = log.indexOf("\n", this.failedAt);
      return { expected: "no serial output containing " + JSON.stringify(this.g.failText) + " (--fail-text)", seen: "| " + log.slice(start, end < 0 ? log.length : end).replace(/\r$/, "") };
    }
    if (this.timedOut()) {
      return { expected: "the scenario to finish within --timeout " + this.g.timeoutUs / 1e6 + " s (virtual)", seen: "still running at " + (this.session.now() / 1e6).toFixed(3) + " s" };
    }
    return null;
  }
}

/**
 * The CLI's `--scenario` and the tests both call this, so a passing test means the CLI passes. Steps
 * run in order; `onStep` sees each before it runs (the CLI prints them). No real time passes.
 */
export function runScenario(scenario: Scenario, session: Session, onStep?: (index: number, step: Step) => void, guard: RunGuard = NO_GUARD): ScenarioResult {
  const start = session.now();
  const watch = new GuardWatch(guard, session);
  const advance = (us: number, until?: () => boolean): boolean => {
    const hit = session.advanceTo(Math.min(session.now() + us, watch.deadline), () => watch.check() || (until !== undefined && until()));
    return hit && watch.failedAt < 0;
  };
  const fail = (index: number, where: string, step: string, f: { expected: string; seen: string }): ScenarioResult => ({
    name: scenario.name, file: scenario.file, passed: false, stepsRun: index, virtualUs: session.now() - start,
    failure: { where, index, step, expected: f.expected, seen: f.seen },
  });
  for (let i = 0; i < scenario.steps.length; i++) {
    const step = scenario.steps[i];
    if (onStep !== undefined) onStep(i, step);
    const failure = watch.check() ? null : runStep(step, session, advance);
    const guarded = watch.failure();
    if (guarded !== null) return fail(i + 1, scenario.file + ":" + step.line, describeStep(step), guarded);
    if (failure !== null) return fail(i + 1, scenario.file + ":" + step.line, describeStep(step), failure);
  }
  if (!watch.expected) {
    // As wokwi-cli does, the simulation goes on until the expected text shows or the timeout passes.
    const limit = Number.isFinite(watch.deadline) ? watch.deadline - session.now() : DEFAULT_EXPECT_US;
    advance(limit, () => watch.expected);
    const guarded = watch.failure();
    if (!watch.expected || guarded !== null) {
      return fail(scenario.steps.length, scenario.file, "end of scenario", guarded ?? {
        expected: "serial output containing " + JSON.stringify(guard.expectText) + " (--expect-text) within " + limit / 1e6 + " s (virtual) after the last step",
        seen: tail(session, 0),
      });
    }
  }
  return { name: scenario.name, file: scenario.file, passed: true, stepsRun: scenario.steps.length, failure: null, virtualUs: session.now() - start };
}

/** How long the run goes on after the last step for --expect-text when no --timeout bounds it. */
const DEFAULT_EXPECT_US = 30_000_000;

type Advance = (us: number, until?: () => boolean) => boolean;

function runStep(step: Step, session: Session, advance: Advance): { expected: string; seen: string } | null {
  const board = session.board;
  switch (step.kind) {
    case "write-serial":
      session.sendLine(step.text);
      session.advance(0);
      return null;
    case "wait-serial": {
      const text = step.text;
      if (advance(step.timeoutUs, () => session.consumeSerial(text))) return null;
      return { expected: "serial output containing " + JSON.stringify(text) + " within " + step.timeoutUs / 1e6 + " s (virtual)", seen: tail(session) };
    }
    case "delay":
      advance(step.us);
      return null;
    case "press-button":
      board.pressButton();
      session.advance(0);
      return null;
    case "release-button":
      board.releaseButton();
      session.advance(0);
      return null;
    case "expect-state": {
      const s = session.deviceState(step.device);
      if ("error" in s) return { expected: step.device + " " + step.state, seen: s.error };
      if (s.state !== step.state) return { expected: step.device + " " + step.state, seen: step.device + " " + s.state };
      return null;
    }
    case "expect-wake": {
      const cause = board.pm.stats.lastWakeCause;
      const seen = cause === -1 ? "no wake recorded yet" : board.wakeName(cause);
      if (seen !== step.source) return { expected: "last wake cause " + step.source, seen: "last wake cause " + seen };
      return null;
    }
    case "wake": {
      const err = session.wake(step.source);
      if (err !== null) return { expected: "wake " + step.source + " to be raised", seen: err };
      session.advance(0);
      return null;
    }
    case "fault": {
      const err = session.fault(step.device, step.stage, step.mode);
      if (err !== null) return { expected: "fault " + step.device + " " + step.stage + " " + step.mode + " to be armed", seen: err };
      return null;
    }
    case "expect-pin": {
      const level = board.pinLevel(step.pin);
      if (typeof level === "string") return { expected: "pin " + step.pin + " at " + step.value, seen: level };
      if (level !== step.value) return { expected: "pin " + step.pin + " at " + step.value, seen: "pin " + step.pin + " at " + level };
      return null;
    }
  }
}

/** The last lines of serial output after the wait's start (or after `from`), for the failure message. */
function tail(session: Session, from = session.serialCursor): string {
  const rest = session.serialLog.slice(from);
  const lines = rest.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) return "no serial output since the last match";
  const last = lines.slice(-6);
  return (lines.length > last.length ? "... " + (lines.length - last.length) + " earlier lines, then:\n" : "") + last.map((l) => "  | " + l).join("\n");
}

/** The failure as the CLI prints it. */
export function formatFailure(r: ScenarioResult): string {
  const f = r.failure;
  if (f === null) return "";
  return "FAIL " + f.where + ": step " + f.index + " `" + f.step + "`\n  expected: " + f.expected + "\n  seen:     " +
    (f.seen.indexOf("\n") >= 0 ? "\n" + f.seen : f.seen);
}
