// The run-wide checks (--fail-text, --expect-text, --timeout) as wokwi-cli has them: what they watch, and the watcher a scenario run consults after every event.
import type { Subscription } from "rxjs";
import { PLAIN } from "./progress";
import { type AsleepEvent, type Session, asleepNotice } from "./session";
import { formatSummary } from "./summary";
import { LineSearch } from "./text-search";

/**
 * wokwi-cli's run-wide checks: `--fail-text` fails the run the moment the output contains it,
 * `--expect-text` must appear before the run ends (the run goes on after the last step until it does
 * or the timeout passes), `--timeout` bounds the whole run in virtual time. "The output" is what a CI
 * log of the run shows: the firmware's serial output and the simulator's own `[sim]` lines (sleep
 * notices, suspend summaries), whether or not --quiet keeps them off the screen; not the runner's
 * step and PASS/FAIL lines, which quote the scenario.
 */
export interface RunGuard {
  expectText: string | null;
  failText: string | null;
  /** Virtual microseconds the whole scenario may take; Infinity: no limit. */
  timeoutUs: number;
}

export const NO_GUARD: RunGuard = { expectText: null, failText: null, timeoutUs: Infinity };

/** The `[sim]` line a scenario run prints when the board falls asleep (without the marker; asleepNotice's lines). */
export function scenarioAsleepText(session: Session, s: AsleepEvent): string {
  return asleepNotice(s, "woken by " + session.board.wakers().join(", "));
}

/** Longest the run goes on after a --fail-text match for the rest of its line (80 characters take 7 ms at 115200 baud). */
const LINE_END_US = 50_000;

/** Watches serial output and the run's `[sim]` lines for the guard's texts, reading each character once (text-search.ts). */
export class GuardWatch {
  /** One search per stream: the serial output, then the `[sim]` lines. */
  private readonly failScan: LineSearch[];
  private readonly expectScan: LineSearch[];
  /** Where the fail text was found: the line and whether it is a `[sim]` line. */
  private failedIn: { search: LineSearch; sim: boolean } | null = null;
  expected = false;
  readonly deadline: number;
  private readonly subs: Subscription;

  constructor(readonly g: RunGuard, private readonly session: Session) {
    this.deadline = session.now() + g.timeoutUs;
    this.expected = g.expectText === null;
    this.failScan = g.failText === null ? [] : [new LineSearch(g.failText), new LineSearch(g.failText)];
    this.expectScan = g.expectText === null ? [] : [new LineSearch(g.expectText), new LineSearch(g.expectText)];
    const feed = (stream: number, text: string): void => {
      this.failScan[stream]?.push(text);
      this.expectScan[stream]?.push(text);
    };
    // Output the board printed before the run started is part of the run's log.
    feed(0, session.serialLog);
    const sim = (text: string): void => feed(1, text.split("\n").map((l) => "[sim] " + l + "\n").join(""));
    this.subs = session.serial$.subscribe((text) => feed(0, text));
    this.subs.add(session.asleep$.subscribe((s) => sim(scenarioAsleepText(session, s))));
    this.subs.add(session.summary$.subscribe((s) => sim(formatSummary(s, PLAIN))));
  }

  get failed(): boolean {
    return this.failedIn !== null;
  }

  /** True when the run must stop: fail text seen. Also notes the expect text. */
  check(): boolean {
    for (let i = 0; i < this.failScan.length && this.failedIn === null; i++) {
      if (this.failScan[i].search()) this.failedIn = { search: this.failScan[i], sim: i === 1 };
    }
    for (let i = 0; i < this.expectScan.length && !this.expected; i++) this.expected = this.expectScan[i].search();
    return this.failedIn !== null;
  }

  /**
   * The run stops at the match, often mid-line (the UART sends a byte at a time): the board runs on
   * briefly (at most LINE_END_US) so the failure quotes the whole line.
   */
  finishLine(): void {
    const f = this.failedIn;
    if (f !== null && !f.search.complete) this.session.advance(LINE_END_US, () => f.search.complete);
  }

  timedOut(): boolean {
    return this.session.now() >= this.deadline;
  }

  /** The failure the guard found while steps ran, or null. */
  failure(): { expected: string; seen: string } | null {
    this.finishLine();
    const f = this.failedIn;
    if (f !== null) {
      return {
        expected: "no serial output or [sim] line containing " + JSON.stringify(this.g.failText) + " (--fail-text)",
        seen: (f.sim ? "" : "| ") + f.search.found,
      };
    }
    if (this.timedOut()) {
      return { expected: "the scenario to finish within --timeout " + this.g.timeoutUs / 1e6 + " s (virtual)", seen: "still running at " + (this.session.now() / 1e6).toFixed(3) + " s" };
    }
    return null;
  }

  stop(): void {
    this.subs.unsubscribe();
  }
}

