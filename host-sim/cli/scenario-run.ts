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
  }
}

/**
 * The CLI's `--scenario` and the tests both call this, so a passing test means the CLI passes. Steps
 * run in order; `onStep` sees each before it runs (the CLI prints them). No real time passes.
 */
export function runScenario(scenario: Scenario, session: Session, onStep?: (index: number, step: Step) => void): ScenarioResult {
  const start = session.now();
  for (let i = 0; i < scenario.steps.length; i++) {
    const step = scenario.steps[i];
    if (onStep !== undefined) onStep(i, step);
    const failure = runStep(step, session);
    if (failure !== null) {
      return {
        name: scenario.name, file: scenario.file, passed: false, stepsRun: i + 1, virtualUs: session.now() - start,
        failure: { where: scenario.file + ":" + step.line, index: i + 1, step: describeStep(step), expected: failure.expected, seen: failure.seen },
      };
    }
  }
  return { name: scenario.name, file: scenario.file, passed: true, stepsRun: scenario.steps.length, failure: null, virtualUs: session.now() - start };
}

function runStep(step: Step, session: Session): { expected: string; seen: string } | null {
  const board = session.board;
  switch (step.kind) {
    case "write-serial":
      session.sendLine(step.text);
      session.advance(0);
      return null;
    case "wait-serial": {
      const text = step.text;
      if (session.advance(step.timeoutUs, () => session.consumeSerial(text))) return null;
      return { expected: "serial output containing " + JSON.stringify(text) + " within " + step.timeoutUs / 1e6 + " s (virtual)", seen: tail(session) };
    }
    case "delay":
      session.advance(step.us);
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
  }
}

/** The last lines of serial output after the wait's start, for the failure message. */
function tail(session: Session): string {
  const rest = session.serialLog.slice(session.serialCursor);
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
