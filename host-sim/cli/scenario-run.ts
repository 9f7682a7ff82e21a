// Runs a parsed scenario against a Session in virtual time; the first failing step names file:line, expected and seen.
import type { Scenario, Step } from "./scenario";
import { type Session, SUMMARY_QUIET_US } from "./session";
import { P_IDLE } from "../../runtime/phase";
import { firmwareThrew } from "./firmware-threw";
import { escapeText } from "./scenario-yaml";
import { GuardWatch, NO_GUARD, type RunGuard } from "./run-guard";

export interface StepFailure {
  /** `file:line`, or the file when no step the user wrote was running (the end of the scenario, the command line's watch). */
  where: string;
  /** The failing step's number, from 1; 0 when no step of the file was running. */
  index: number;
  /** The step as written, or what was running instead (`end of scenario, after step N ...`). */
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

/** A step the command line made (line 0: `--fail-text` alone watches for `--timeout`), named by what it does: no file has it. */
export function watchLabel(step: Step): string {
  return step.kind === "delay" ? "watching the output for " + step.us / 1e6 + " s (--timeout)" : describeStep(step);
}

export { NO_GUARD, type RunGuard, scenarioAsleepText } from "./run-guard";

/**
 * The CLI's `--scenario` and the tests both call this, so a passing test means the CLI passes. Steps
 * run in order; `onStep` sees each before it runs (the CLI prints them). No real time passes.
 */
export function runScenario(scenario: Scenario, session: Session, onStep?: (index: number, step: Step) => void, guard: RunGuard = NO_GUARD): ScenarioResult {
  const watch = new GuardWatch(guard, session);
  try {
    return runWatched(scenario, session, watch, onStep);
  } finally {
    watch.stop();
  }
}

function runWatched(scenario: Scenario, session: Session, watch: GuardWatch, onStep?: (index: number, step: Step) => void): ScenarioResult {
  const start = session.now();
  const guard = watch.g;
  const advance = (us: number, until?: () => boolean): boolean => {
    const hit = session.advanceTo(Math.min(session.now() + us, watch.deadline), () => watch.check() || (until !== undefined && until()));
    return hit && !watch.failed;
  };
  const result = (stepsRun: number, index: number, where: string, step: string, f: { expected: string; seen: string }): ScenarioResult => ({
    name: scenario.name, file: scenario.file, passed: false, stepsRun, virtualUs: session.now() - start,
    failure: { where, index, step, expected: f.expected, seen: f.seen },
  });
  // A step the user wrote is named by file:line and number; the command line's watch (no file) by what it is, with no invented line.
  const failStep = (i: number, f: { expected: string; seen: string }): ScenarioResult => {
    const step = scenario.steps[i];
    return step.line === 0 ? result(i + 1, 0, scenario.file, watchLabel(step), f)
      : result(i + 1, i + 1, scenario.file + ":" + step.line, describeStep(step), f);
  };
  // After the steps: no step was running; the last one (what the output came after) is named, not numbered as the failing one.
  const failEnd = (f: { expected: string; seen: string }): ScenarioResult => {
    const n = scenario.steps.length;
    const last = n > 0 && scenario.steps[n - 1].line > 0 ? scenario.steps[n - 1] : null;
    return result(n, 0, scenario.file, "end of scenario" + (last === null ? "" : ", after step " + n + " `" + describeStep(last) + "` (line " + last.line + ")"), f);
  };
  for (let i = 0; i < scenario.steps.length; i++) {
    const step = scenario.steps[i];
    // A summary held for quiet serial output describes an attempt that ended before this step: printed (and searched) first.
    session.flushSummaries();
    if (onStep !== undefined) onStep(i, step);
    let failure: { expected: string; seen: string } | null;
    try {
      failure = watch.check() ? null : runStep(step, session, advance);
    } catch (e) {
      return failStep(i, { expected: "the firmware's callbacks to return", seen: firmwareThrew(e) });
    }
    // Steps that take no time (write-serial, wake, a button) print too: their output is searched before the next step.
    watch.check();
    const guarded = watch.failure();
    if (guarded !== null) return failStep(i, guarded);
    if (failure !== null) return failStep(i, failure);
  }
  try {
    settle(session, advance, () => watch.failed || watch.timedOut());
  } catch (e) {
    return failEnd({ expected: "the firmware's callbacks to return", seen: firmwareThrew(e) });
  }
  // The last step's output: the bytes on their way through the UART's FIFO and the held summaries are searched too.
  const stepsEnd = session.now();
  session.drainUart();
  session.flushSummaries();
  if (watch.check()) return failEnd(watch.failure() as { expected: string; seen: string });
  const waited = !watch.expected;
  if (!watch.expected) {
    // As wokwi-cli does, the simulation goes on until the expected text shows or the timeout passes.
    const limit = Number.isFinite(watch.deadline) ? watch.deadline - session.now() : DEFAULT_EXPECT_US;
    try {
      advance(limit, () => watch.expected);
    } catch (e) {
      return failEnd({ expected: "the firmware's callbacks to return", seen: firmwareThrew(e) });
    }
    // A fail text seen meanwhile is the failure; otherwise the text that never came is, whatever bounded the wait.
    const guarded = watch.failed ? watch.failure() : null;
    if (!watch.expected || guarded !== null) {
      const bound = Number.isFinite(watch.deadline) ? "within --timeout " + guard.timeoutUs / 1e6 + " s (virtual)" : "within " + limit / 1e6 + " s (virtual) after the last step";
      return failEnd(guarded ?? {
        expected: "serial output or a [sim] line containing " + JSON.stringify(guard.expectText) + " (--expect-text) " + bound,
        seen: tail(session, 0),
      });
    }
  }
  // Matched in what the steps printed: the run took as long as its steps (the FIFO's drain is no part of it).
  const end = waited ? session.now() : stepsEnd;
  return { name: scenario.name, file: scenario.file, passed: true, stepsRun: scenario.steps.length, failure: null, virtualUs: end - start };
}

/** Longest the end of a run waits for an attempt the last step started to end or reach its sleep, and then for its summary. */
const SETTLE_US = 30_000_000;

/**
 * The last step may have started what the board then does by itself: after a `wake`, the resume (its
 * R1/R2 hooks, a failure among them, the console's closing line and the summary); after a suspend, the
 * stages up to the sleep. Ending the run before that left the outcome unseen by --fail-text, so a
 * resume that failed passed. The run goes on (bounded, and within --timeout) until the attempt has
 * ended or the board sleeps (only a wake ends that), then until the serial output is quiet and the
 * summary is out. A run whose board is idle or asleep after its last step ends there, as before.
 */
function settle(session: Session, advance: Advance, stopped: () => boolean): void {
  const end = session.now() + SETTLE_US;
  // Time moves from event to event: an idle board has none, so the quiet time is stepped to, not waited for.
  const quiet = (): void => {
    while (!stopped() && !session.quietFor(SUMMARY_QUIET_US) && session.now() < end) {
      advance(Math.max(1, session.lastSerialAt + SUMMARY_QUIET_US - session.now()));
    }
  };
  // A line the last step typed may still wait in the console's RX FIFO: it is read and answered first (a suspend
  // it asks for starts after the console's settle delay, a few ms), so what it started is awaited below.
  if (session.board.serialPending() > 0) {
    if (!advance(SETTLE_US, () => session.board.serialPending() === 0)) return;
    quiet();
  }
  const busy = (): boolean => session.board.pm.phase !== P_IDLE && (session.board.asleep() === null || session.board.waking());
  if (!busy()) return;
  if (!advance(Math.max(0, end - session.now()), () => !busy())) return;
  quiet();
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
    case "release-button":
      if (!board.hasButton) return { expected: "a button to " + (step.kind === "press-button" ? "press" : "release"), seen: session.noButton() };
      if (step.kind === "press-button") board.pressButton();
      else board.releaseButton();
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
  // The step's text and the expected text are the file's or the command line's: escaped as the name is (a bidi control reorders the line).
  const step = escapeText(f.step);
  return "FAIL " + escapeText(f.where) + ": " + (f.index === 0 ? step : "step " + f.index + " `" + step + "`") + "\n  expected: " + escapeText(f.expected) + "\n  seen:     " +
    (f.seen.indexOf("\n") >= 0 ? "\n" + f.seen : f.seen);
}
