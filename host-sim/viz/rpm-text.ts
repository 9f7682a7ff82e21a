// The words of the timeline's runtime-PM lane: the console's `rpm` formatter (console/rpm-report.ts), written to a string.
import type { PowerManager } from "../../runtime/pm";
import { RPM_STATE_COUNT } from "../../runtime/runtime-pm-table";
import { STATUS_NAMES } from "../../runtime/status";
import { TxRing } from "../../drivers/uart-console/tx-ring";
import { Printer } from "../../console/printer";
import { Words } from "../../console/words";
import { RpmReport } from "../../console/rpm-report";

const WORDS = new Words();

/** Runs one of the report's word writers and returns what it wrote (host side: allocates). */
function words(write: (report: RpmReport) => void): string {
  const ring = new TxRing(256);
  // The word writers read only the ring and the status words: no PowerManager behind the printer.
  write(new RpmReport(new Printer(ring, WORDS, {} as PowerManager)));
  const out = new Uint8Array(ring.count);
  ring.peek(out, out.length);
  return String.fromCharCode(...out);
}

let stateNames: string[] | null = null;

/** "active", "suspending", "suspended", "resuming": as the `rpm` lines print the state (unpadded). */
export function rpmStateText(state: number): string {
  if (stateNames === null) {
    stateNames = [];
    for (let s = 0; s < RPM_STATE_COUNT; s++) stateNames.push(words((r) => r.stateWords(s, false)));
  }
  return state >= 0 && state < stateNames.length ? stateNames[state] : "state " + state;
}

/** A failed runtime hook: "suspending: failures 1 last TIMEOUT" (the state it was in, then the `rpm` line's counts). */
export function rpmFailText(was: number, count: number, status: number): string {
  const head = was >= 0 ? rpmStateText(was) + ": " : "";
  // A dump's record may carry a status this build has no word for: its number then.
  if (!(status >= 0 && status < STATUS_NAMES.length)) return head + words((r) => r.failureWords(count, 0)).replace(/ last .*$/, "") + " last status " + status;
  return head + words((r) => r.failureWords(count, status));
}

/** A put at usage 0: "puts without a get 2" (the `rpm` header's count, so far in the trace). */
export function rpmBadPutText(count: number): string {
  return words((r) => r.badPutWords(count));
}
