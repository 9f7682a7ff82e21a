// What a hook's bad answer was, printed after its PROTOCOL ("(answered undefined: a forgotten return?)"), from pm.stats.
import { BAD_UNDEFINED, BAD_BOOLEAN, BAD_FRACTION, BAD_RANGE, BAD_PENDING, BAD_COMPLETED } from "../runtime/stats";
import type { Printer } from "./printer";

/**
 * " (answered ...)" for the last bad answer: `kind` its BAD_* code, `n` its number (stats.ts `badAnswerNumber`).
 * The words are string literals read a character at a time (printer.ts `text`): nothing is made.
 */
export function answerNote(p: Printer, kind: number, n: number): void {
  const r = p.ring;
  r.byte(0x20);
  r.byte(0x28);
  if (kind === BAD_COMPLETED) {
    // Only a status is kept as BAD_COMPLETED (stage-run.ts `takeInbox`): anything else is kept as what it was.
    p.text("completed its token inside the call, then answered ");
    p.status(n);
    p.text(", not PENDING");
  } else {
    p.text("answered ");
    if (kind === BAD_UNDEFINED) p.text("undefined: a forgotten return?");
    else if (kind === BAD_BOOLEAN) p.text(n !== 0 ? "true" : "false");
    else if (kind === BAD_FRACTION) p.text("a number that is no integer");
    else if (kind === BAD_RANGE) {
      if (n < 0) r.byte(0x2d);
      r.dec(n < 0 ? -n : n);
      p.text(", which is no status");
    } else if (kind === BAD_PENDING) p.text("PENDING, which a stage with IRQs masked cannot wait for");
    else p.text("no number: a string, an object or a Promise (an async hook?)");
  }
  r.byte(0x29);
}
