// The `rpm` reply, line by line: each device's runtime PM state, usage count, autosuspend delay and counts.
import { RPM_STATE_NAMES, D_FAILED, THREW, PROTOCOL } from "../runtime/status";
import { answerNote } from "./answer-note";
import type { Printer } from "./printer";
import { makeBytes, makeTable } from "./words";

/** State names padded to one column (11 bytes). @boot */
function padded(names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) out.push((names[i] + "           ").slice(0, 11));
  return out;
}

/** Bytes the report writes, encoded once at boot (console/words.ts style). */
const W = {
  header: makeBytes("runtime pm: "),
  suspendedOf: makeBytes(" of "),
  suspendedTail: makeBytes(" devices runtime-suspended, "),
  badPuts: makeBytes("puts without a get "),
  state: makeTable(padded(RPM_STATE_NAMES)),
  stateBare: makeTable(RPM_STATE_NAMES),
  usage: makeBytes("usage "),
  delay: makeBytes("  autosuspend "),
  ms: makeBytes(" ms"),
  off: makeBytes("off"),
  counts: makeBytes("  suspends "),
  gap: makeBytes("  "),
  resumes: makeBytes(" resumes "),
  space: makeBytes(" "),
  failures: makeBytes("failures "),
  noHooks: makeBytes("active     (no runtime hooks)"),
  /** A device whose runtime resume failed is the failed-device path's: its runtime state says nothing then. */
  failed: makeBytes("failed     "),
  last: makeBytes(" last "),
};

/**
 * A cursor like the other reports: `start` counts the lines, `line` writes one. Numbers and boot-made
 * bytes only: nothing allocates (test/console/alloc.test.ts). The word writers (`stateWords`,
 * `failureWords`, `badPutWords`) are also what the timeline's runtime-PM lane prints (host-sim/viz/rpm-text.ts).
 */
export class RpmReport {
  private readonly p: Printer;

  constructor(printer: Printer) {
    this.p = printer;
  }

  /** A header, then one line per device. */
  start(): number {
    return 1 + this.p.pm.graph.count;
  }

  line(i: number): void {
    const p = this.p;
    const r = p.ring;
    const rpm = p.pm.rpm, st = p.pm.stats;
    if (i === 0) {
      let down = 0;
      for (let d = 0; d < p.pm.graph.count; d++) down += rpm.skip[d];
      r.bytes(W.header);
      r.dec(down);
      r.bytes(W.suspendedOf);
      r.dec(p.pm.graph.count);
      r.bytes(W.suspendedTail);
      this.badPutWords(rpm.badPuts);
      return;
    }
    const d = i - 1;
    r.bytes(p.words.indent);
    p.device(d, p.nameWidth);
    if (rpm.capable[d] === 0) {
      r.bytes(W.noHooks);
      r.bytes(W.gap);
      r.bytes(W.usage);
      r.dec(rpm.usage[d]);
      return;
    }
    if (p.pm.deviceState(d) === D_FAILED) r.bytes(W.failed);
    else this.stateWords(rpm.state[d], true);
    r.bytes(W.usage);
    r.dec(rpm.usage[d]);
    r.bytes(W.delay);
    if (rpm.delayUs[d] < 0) r.bytes(W.off);
    else {
      r.dec(rpm.delayUs[d] / 1000);
      r.bytes(W.ms);
    }
    r.bytes(W.counts);
    r.dec(rpm.suspends[d]);
    r.bytes(W.resumes);
    r.dec(rpm.resumes[d]);
    r.bytes(W.space);
    this.failureWords(rpm.failures[d], rpm.lastError[d]);
    // Its last failure is the last runtime hook's throw: what it threw (rpm-state.ts `thrownValue`).
    if (rpm.lastError[d] === THREW && rpm.thrownDevice === d) p.thrownNote(rpm.thrownValue);
    // A bad answer of a runtime hook is kept at stage -1 (rpm-state.ts `bad`).
    else if (rpm.lastError[d] === PROTOCOL && st.badAnswerDevice === d && st.badAnswerStage === -1) answerNote(p, st.badAnswerKind, st.badAnswerNumber);
  }

  /** A runtime state's name ("suspended"); `pad`: to the `rpm` lines' column. */
  stateWords(state: number, pad: boolean): void {
    this.p.ring.bytes(pad ? W.state[state] : W.stateBare[state]);
  }

  /** "failures N", then " last STATUS" once a runtime hook failed. */
  failureWords(count: number, last: number): void {
    const r = this.p.ring;
    r.bytes(W.failures);
    r.dec(count);
    if (count === 0) return;
    r.bytes(W.last);
    r.bytes(this.p.words.status[last]);
  }

  /** "puts without a get N": puts made at usage 0 (PROTOCOL, counted). */
  badPutWords(count: number): void {
    this.p.ring.bytes(W.badPuts);
    this.p.ring.dec(count);
  }
}
