// CI gate: the runtime's XS compute must equal the committed bench/results.json exactly (re-baseline with `npm run bench -- --update`); the three baselines are deterministic and ordered.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runXsBench, runWallBench, SIZES, type XsBenchResult } from "../../bench/xs-bench";
import { BASELINE_KINDS } from "../../bench/baseline/async-board";

const RESULTS = path.join(__dirname, "..", "..", "bench", "results.json");

/** The runtime-owned numbers: a change to runtime/ that moves any of them needs a re-baseline. */
function runtimeNumbers(x: XsBenchResult) {
  return {
    xs: x.xsVersion,
    sizes: x.sizes.map((s) => ({
      n: s.n,
      compute: s.runtime.compute,
      slots: s.runtime.slots,
      outcome: s.runtime.outcome,
      stagePerDevice: s.stagePerDevice,
      maskedPerDevice: s.maskedPerDevice,
      // The baselines are deterministic too: a change to one (or to the TraceRing the records baseline
      // writes) re-baselines the README's comparison, so it is gated like the runtime's own figure.
      baselines: s.baselines.map((b) => [b.kind, b.computeNet, b.slotsNet]),
    })),
    boot: x.boot,
  };
}

describe("XS compute matches the committed benchmark baseline", () => {
  let committed: XsBenchResult;
  let now: XsBenchResult;

  beforeAll(async () => {
    committed = (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as { xs: XsBenchResult }).xs;
    // Wall time is not deterministic and takes seconds: the gate reads compute only (the wall path is smoke-tested below).
    now = await runXsBench({ wall: false });
  }, 120_000);

  it("runtime and baseline compute, slots and stage costs are identical to bench/results.json (run `npm run bench -- --update` after an intended change)", () => {
    expect(runtimeNumbers(now)).toEqual(runtimeNumbers(committed));
  });

  it("boot is linear and at most 3,000 compute per device at N = 4,096 (constructor, register, seal)", () => {
    const per = now.boot.map((b) => b.perDevice);
    expect(now.boot.map((b) => b.n)).toEqual([256, 1024, 4096]);
    expect(per[2]).toBeLessThanOrEqual(3000);
    expect(Math.abs(per[2] / per[0] - 1)).toBeLessThan(0.05);
  });

  it("every cycle ends OK; the runtime allocates 0 slots per cycle at every N, each baseline allocates on every cycle", () => {
    expect(now.sizes.map((s) => s.n)).toEqual(SIZES);
    expect(now.sizes.map((s) => [s.runtime.outcome, ...s.baselines.map((b) => b.outcome)])).toEqual(SIZES.map(() => [0, 0, 0, 0, 0]));
    expect(now.sizes.map((s) => s.runtime.slots)).toEqual(SIZES.map(() => 0));
    expect(now.sizes.map((s) => s.baselines.map((b) => b.kind))).toEqual(SIZES.map(() => BASELINE_KINDS));
    // Pending hooks always cost their Promises: even the sync-or-Promise baseline allocates at every N.
    expect(now.sizes.map((s) => s.baselines.map((b) => b.slotsNet > 10 * s.n))).toEqual(SIZES.map(() => [true, true, true, true]));
  });

  it("the tuned baselines are what they claim: naive > tuned async > sync-or-Promise in compute and in slots at every N", () => {
    const [naive, tuned, sync] = [0, 1, 2];
    for (const s of now.sizes) {
      const b = s.baselines;
      expect([s.n, b[naive].computeNet > b[tuned].computeNet, b[tuned].computeNet > b[sync].computeNet]).toEqual([s.n, true, true]);
      expect([s.n, b[naive].slotsNet > b[tuned].slotsNet, b[tuned].slotsNet > b[sync].slotsNet]).toEqual([s.n, true, true]);
    }
  });

  it("wall-time batches run every implementation to OK inside its crank and report a time for each (2 cycles, 1 round, 2 workers: a smoke test)", async () => {
    const w = await runWallBench({ rounds: 1, cycles: 2, workers: 2 });
    expect(w.outcome).toBe(0);
    expect(w.samples.map((s) => s.length)).toEqual([2, 2, 2, 2, 2]);
    expect(w.perWorker.map((m) => m.length)).toEqual([5, 5]);
    expect(w.perDeviceCycleUs.every((us) => us > 0)).toBe(true);
    expect(w.gcOnlyUs).toBeGreaterThan(0);
  }, 60_000);
});
