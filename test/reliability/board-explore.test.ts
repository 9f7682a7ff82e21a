// Property over the simulated ESP32-DevKitC: random hook/chip faults, button/UART wakes, requests and suspends (500 cases).
import { expect, test } from "vitest";
import fc from "fast-check";
import { boardArb, checkBoard, describeBoardCase } from "./board-explore";

const RUNS = Number(process.env.QUIESCE_BOARD_CASES ?? 500);
const SEED = process.env.QUIESCE_SEED ? Number(process.env.QUIESCE_SEED) : undefined;

test("board invariants hold for " + RUNS + " random DevKitC runs", () => {
  const started = Date.now();
  let attempts = 0;
  let sleeps = 0;
  const result = fc.check(fc.property(boardArb, (spec) => {
    const w = checkBoard(spec);
    attempts += w.sim.pm.stats.attempts;
    sleeps += w.sim.platform.sleeps;
  }), { numRuns: RUNS, seed: SEED });
  if (result.failed) {
    const spec = result.counterexample![0];
    throw new Error("board invariant broken: " + String((result as { errorInstance?: unknown }).errorInstance) +
      "\nreplay: QUIESCE_SEED=" + result.seed + " npx vitest run test/reliability/board-explore.test.ts\nshrunk case: " +
      JSON.stringify(spec) + "\n" + describeBoardCase(spec));
  }
  const secs = (Date.now() - started) / 1000;
  console.log("board explore: " + RUNS + " cases in " + secs.toFixed(1) + " s (" + Math.round(RUNS / secs) + " cases/s), " +
    attempts + " suspend attempts, " + sleeps + " platform sleeps");
  expect(result.numRuns).toBe(RUNS);
  expect(attempts).toBeGreaterThan(RUNS);
});
