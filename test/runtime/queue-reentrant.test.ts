// A property over random queue interleavings, including calls made from inside serve and from completion callbacks: exactly once, the counters balance.
import { expect, test } from "vitest";
import fc from "fast-check";
import { RequestQueue, OK, PENDING, FULL, BUSY, IO, ABORTED, FAILED } from "../../runtime";

type Op = { k: "submit" } | { k: "gate" } | { k: "open" } | { k: "fail" } | { k: "revive" } | { k: "done"; s: number }
  | { k: "drain" } | { k: "abort" } | { k: "retry" };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ k: "submit" } as Op), fc.constant({ k: "submit" } as Op), fc.constant({ k: "submit" } as Op), fc.constant({ k: "gate" } as Op), fc.constant({ k: "open" } as Op),
  fc.constant({ k: "fail" } as Op), fc.constant({ k: "revive" } as Op), fc.constantFrom(OK, IO).map((s) => ({ k: "done", s }) as Op),
  fc.constant({ k: "drain" } as Op), fc.constant({ k: "abort" } as Op), fc.constant({ k: "retry" } as Op));
const answerArb = fc.constantFrom(OK, PENDING, BUSY, FULL, IO, -999 /* throw */);

let runs = 0, totalCompleted = 0, inServeDrains = 0;
test("exactly-once and the counter invariant with re-entrant calls from serve and callbacks", () => {
  fc.assert(fc.property(
    fc.array(opArb, { minLength: 20, maxLength: 80 }), fc.integer({ min: 1, max: 4 }),
    fc.array(fc.tuple(answerArb, fc.array(opArb, { maxLength: 3 })), { minLength: 1, maxLength: 20, size: "large" }),
    fc.array(fc.array(opArb, { maxLength: 2 }), { minLength: 1, maxLength: 20 }),
    (ops, cap, serveScript0, cbScript0) => {
      const serveScript = serveScript0.slice(), cbScript = cbScript0.slice();
      let next = 1, serveCalls = 0, cbCalls = 0, depth = 0;
      const accepted = new Set<number>();
      const completed = new Map<number, number>();
      const errors: string[] = [];
      // eslint-disable-next-line prefer-const
      let q: RequestQueue;
      const run = (op: Op): void => {
        if (depth > 3) return;
        depth++;
        try {
          switch (op.k) {
            case "submit": { if (next > 80) break; const t = next++; accepted.add(t); const s = q.submit(t); if (s !== OK) { accepted.delete(t); if (completed.has(t)) errors.push("refused but completed " + t); } break; }
            case "gate": q.gate(); break;
            case "open": q.open(); break;
            case "fail": q.fail(FAILED); break;
            case "revive": q.revive(); break;
            case "done": q.done(op.s); break;
            case "drain": q.drainFailed(); break;
            case "abort": q.completeWaiting(ABORTED); break;
            case "retry": q.retry(); break;
          }
        } finally { depth--; }
      };
      q = new RequestQueue(cap, (t) => {
        const [ans, inner] = serveScript[serveCalls++ % serveScript.length];
        for (const op of inner) run(op);
        if (ans === -999) throw new Error("serve " + t);
        return ans;
      }, (t, s) => {
        if (!accepted.has(t)) errors.push("completed unaccepted " + t);
        completed.set(t, (completed.get(t) ?? 0) + 1);
        if ((completed.get(t) ?? 0) > 1) errors.push("twice " + t);
        for (const op of cbScript[cbCalls++ % cbScript.length]) run(op);
      });
      const check = (where: string) => {
        if (q.submitted !== q.refused + q.completed + q.length) errors.push("balance " + where);
        let pending = 0; for (const t of accepted) if (!completed.has(t)) pending++;
        if (pending !== q.length) errors.push("length " + q.length + " vs outstanding " + pending + " at " + where);
      };
      for (let i = 0; i < ops.length; i++) { run(ops[i]); check("op " + i + " " + ops[i].k); if (errors.length) break; }
      // Cleanup: bring it back to open and finish everything (answers OK from here on).
      for (let i = 0; i < 50 && errors.length === 0 && q.length > 0; i++) {
        serveScript.length = 0; serveScript.push([OK, []]); cbScript.length = 0; cbScript.push([]);
        q.revive(); q.open(); q.done(OK); q.retry();
        check("cleanup " + i);
      }
      if (errors.length === 0 && q.length !== 0) errors.push("left " + q.length);
      runs++; totalCompleted += q.completed; inServeDrains += q.completedFailed + q.completedAborted;
      expect(errors).toEqual([]);
    }), { numRuns: 5000, verbose: 1 });
  console.log("runs", runs, "completed", totalCompleted, "failed/aborted", inServeDrains);
});
