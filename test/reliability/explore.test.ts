// Property-based exploration: random graphs, faults, wakes, IRQs, completion orders and requests (2,000 cases).
import { expect, test } from "vitest";
import fc from "fast-check";
import { worldArb, checkWorld } from "./explore";
import { World, type WorldSpec } from "./world";
import { TraceEvents, STAGE_NAMES, STATUS_NAMES } from "../../runtime";

const RUNS = Number(process.env.QUIESCE_CASES ?? 2000);
const SEED = process.env.QUIESCE_SEED ? Number(process.env.QUIESCE_SEED) : undefined;

/** The shrunk case's whole trace, decoded, so a failure reads like a sleepgraph log. */
function traceOf(spec: WorldSpec): string {
  const w = new World(spec);
  try { w.run(); } catch { /* the trace so far is what matters */ }
  return w.obs.trace.slice(0, 400).map((r) => String(r.t).padStart(8) + " us  " + (r.d >= 0 ? "d" + r.d : "--").padEnd(4) +
    (r.s >= 0 ? STAGE_NAMES[r.s] : "").padEnd(14) + TraceEvents.EVENT_NAMES[r.e].padEnd(12) + (STATUS_NAMES[r.st] ?? r.st)).join("\n");
}

test("protocol invariants hold for " + RUNS + " random worlds", () => {
  const started = Date.now();
  const result = fc.check(fc.property(worldArb, (spec) => { checkWorld(spec); }), { numRuns: RUNS, seed: SEED });
  if (result.failed) {
    const spec = result.counterexample![0];
    throw new Error("invariant broken: " + String((result as { errorInstance?: unknown }).errorInstance) +
      "\nreplay: QUIESCE_SEED=" + result.seed + " npx vitest run test/reliability/explore.test.ts\nshrunk case: " +
      JSON.stringify(spec) + "\nits trace:\n" + traceOf(spec));
  }
  const secs = (Date.now() - started) / 1000;
  console.log("explore: " + RUNS + " cases in " + secs.toFixed(1) + " s (" + Math.round(RUNS / secs) + " cases/s)");
  expect(result.numRuns).toBe(RUNS);
  // About 2,200 cases/s on one core: test:deep's 100,000 take ~45 s alone, more beside other work.
}, 60_000 + RUNS * 2);
