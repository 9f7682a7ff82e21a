// Console fuzz: 100,000 random byte strings (a million in test:deep) through UART0 RX; every terminated line answered once, nothing thrown, status still works.
import { expect, test } from "vitest";
import { fuzzConsole } from "./console-fuzz";

// 100,000 strings in `npm test`; `npm run test:deep` and `npm run test:soak` run the million.
const STRINGS = Number(process.env.QUIESCE_FUZZ_STRINGS ?? 100_000);
const SEED = Number(process.env.QUIESCE_SEED ?? 20240611);

test("console answers every line of " + STRINGS + " random strings and stays usable", () => {
  const r = fuzzConsole(STRINGS, SEED);
  console.log("console fuzz: " + r.strings + " strings, " + r.bytes + " bytes, " + r.lines + " lines in " + r.seconds.toFixed(1) + " s (" +
    Math.round(r.strings / r.seconds) + " strings/s), " + r.statusChecks + " status checks, FIFO max " + r.maxFifo + ", backlog max " + r.backlogMax + "; replay: QUIESCE_SEED=" + SEED);
  expect(r.errors).toEqual([]);
  expect(r.prompts).toBe(r.lines);
  expect(r.faults).toBe(0);
  expect(r.rxOverflows).toBe(0);
  expect(r.rxDiscarded).toBe(0);
  expect(r.maxFifo).toBe(128); // the FIFO ran past RXFIFO_FULL (96): no spin, the console drained it
  expect(r.maxPending).toBeLessThanOrEqual(128);
  expect(r.statusChecks).toBe(Math.floor(STRINGS / 1000) + 1);
  expect(r.lines).toBeGreaterThan(STRINGS / 2);
  // About 38,000 strings/s on one core: the 1,000,000 of test:deep take ~26 s alone.
}, 60_000 + STRINGS / 10);
