// The inbox's one-test signal: `ok` is OK exactly while nothing waits, and NaN (equal to no answer) otherwise.
import { describe, test, expect } from "vitest";
import fc from "fast-check";
import { Inbox } from "../../runtime/inbox";
import { OK, PENDING } from "../../runtime/status";

/** What the walk's test `status !== inbox.ok` must mean: an answer that is not a synchronous OK, or something waits. */
function slowPath(inbox: Inbox, status: unknown): boolean {
  return status !== inbox.ok;
}

describe("the walk's test after a call (inbox.ts `ok`)", () => {
  test("an empty inbox lets exactly a synchronous OK through", () => {
    const inbox = new Inbox(4);
    expect(slowPath(inbox, OK)).toBe(false);
    for (const answer of [PENDING, -3, NaN, undefined, "0", 0.5, null]) expect(slowPath(inbox, answer)).toBe(true);
  });

  test("after any sequence of puts, own completions, stops and takes, ok is OK exactly when notes is 0", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("put" as const), d: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant("early" as const), status: fc.integer({ min: -5, max: 0 }) }),
      fc.record({ kind: fc.constantFrom("stop" as const, "takeStop" as const, "takeOwn" as const, "clear" as const) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const inbox = new Inbox(64);
      for (const o of ops) {
        if (o.kind === "put") inbox.put(o.d, OK, 0, 0);
        else if (o.kind === "early") inbox.early(o.status);
        else inbox[o.kind]();
        // A synchronous OK takes the common step only when nothing waits; every other answer never does.
        expect(slowPath(inbox, OK)).toBe(inbox.notes !== 0);
        expect(slowPath(inbox, PENDING)).toBe(true);
        expect(Object.is(inbox.ok, inbox.notes === 0 ? OK : NaN)).toBe(true);
      }
    }), { numRuns: 500 });
  });
});
