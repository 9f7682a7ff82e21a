// Request-queue property tests: random submit/gate/open/done sequences and the driver that applies them to a queue.
import fc from "fast-check";
import { RequestQueue, OK } from "../../runtime";

export type QueueOp = "submit" | "gate" | "open" | "done";

/** Sequences of queue operations, at most `maxLength` long. */
export const queueOps = (maxLength: number): fc.Arbitrary<QueueOp[]> => fc.array(fc.constantFrom<QueueOp>("submit", "gate", "open", "done"), { maxLength });

/**
 * Applies `ops` to `q` in order (submits numbered 0, 1, 2…, done answers OK) and returns the accepted submits;
 * null as soon as `check`, run after each op, is false.
 */
export function applyOps(q: RequestQueue, ops: readonly QueueOp[], check: () => boolean = () => true): number[] | null {
  const accepted: number[] = [];
  let next = 0;
  for (const op of ops) {
    if (op === "submit") { const t = next++; if (q.submit(t) === OK) accepted.push(t); }
    else if (op === "gate") q.gate();
    else if (op === "open") q.open();
    else q.done(OK);
    if (!check()) return null;
  }
  return accepted;
}
