// The words of an idle-governor decision for the timeline's markers: the console's `policy` formatter, fed from a trace record (and the live governor when there is one).
import type { PowerManager } from "../../runtime/pm";
import { Decision, R_LATENCY, R_LOCK, R_SHORT, R_SLEEP } from "../../runtime/policy";
import { TxRing } from "../../drivers/uart-console/tx-ring";
import { Printer } from "../../console/printer";
import { Words } from "../../console/words";
import { PolicyReport } from "../../console/policy-report";
import { DECISIONS_KEPT } from "../../runtime/governor";

/** What an E_GOVERNOR trace record carries (runtime/recorder.ts `governor`): status = reason * 8 + target, duration = idle µs. */
export interface GovernorRecord {
  readonly time: number;
  readonly reason: number;
  readonly target: number;
  /** -1: no deadline. */
  readonly idleUs: number;
}

/** Decodes an E_GOVERNOR record's status and duration. */
export function governorRecord(time: number, status: number, duration: number): GovernorRecord {
  return { time, reason: status >> 3, target: status & 7, idleUs: duration < 0 ? -1 : duration };
}

const WORDS = new Words();

/**
 * "idle 58 s to next timer: hibernate, break-even 3.1 s", as the console's `policy` prints it
 * (console/policy-report.ts `decisionWords`). With the live PowerManager: the governor's own kept
 * decision when it is still there (a lock's name, a phase), else the break-even and latency
 * recomputed from its states table as the rule does. Without one (a dump): what the record says.
 */
export function governorText(rec: GovernorRecord, pm: PowerManager | null): string {
  const d = decisionOf(rec, pm);
  const ring = new TxRing(512);
  const printer = new Printer(ring, WORDS, pm ?? ({} as PowerManager));
  if (pm !== null) printer.bootNames();
  new PolicyReport(printer).decisionWords(d);
  const out = new Uint8Array(ring.count);
  ring.peek(out, out.length);
  return String.fromCharCode(...out);
}

function decisionOf(rec: GovernorRecord, pm: PowerManager | null): Decision {
  const g = pm === null ? null : pm.governor;
  if (g !== null) {
    for (let i = 0; i < DECISIONS_KEPT; i++) {
      const k = g.decision(i);
      if (k !== null && k.time === rec.time && k.reason === rec.reason && k.target === rec.target) return k;
    }
  }
  const d = new Decision();
  d.time = rec.time;
  d.reason = rec.reason;
  d.target = rec.target;
  d.idleUs = rec.idleUs;
  d.other = -1;
  d.breakEvenUs = -1;
  d.constraintUs = -1;
  if (g === null) return d;
  const st = g.states;
  const i = st.indexOf(rec.target);
  if (rec.reason === R_LOCK) d.other = pm!.locks.firstHeld();
  if (i < 0 || (rec.reason !== R_SLEEP && rec.reason !== R_SHORT && rec.reason !== R_LATENCY)) return d;
  // As runtime/policy.ts decide: the effective break-even is max(the state's, its latency).
  d.latencyUs = st.latency(i);
  d.breakEvenUs = st.breakEvenUs[i] > d.latencyUs ? st.breakEvenUs[i] : d.latencyUs;
  d.constraintUs = g.tightest();
  d.other = 0;
  if (rec.reason === R_SLEEP && d.constraintUs >= 0) {
    // A deeper state the idle time allowed but the constraint ruled out (the record is written as the rule decides).
    for (let k = st.count - 1; k > i; k--) {
      const lat = st.latency(k);
      const need = st.breakEvenUs[k] > lat ? st.breakEvenUs[k] : lat;
      if (rec.idleUs < 0 || rec.idleUs >= need) {
        if (lat > d.constraintUs) d.other = st.target[k];
        break;
      }
    }
  }
  return d;
}
