// CI gate: the runtime's XS compute must equal the committed bench/results.json exactly (re-baseline with `npm run bench -- --update`).
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runXsBench, type XsBenchResult } from "../../bench/xs-bench";

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
    })),
  };
}

describe("XS compute matches the committed benchmark baseline", () => {
  let committed: XsBenchResult;
  let now: XsBenchResult;

  beforeAll(async () => {
    committed = (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as { xs: XsBenchResult }).xs;
    now = await runXsBench();
  }, 120_000);

  it("runtime compute, slots and stage costs are identical to bench/results.json (run `npm run bench -- --update` after an intended change)", () => {
    expect(runtimeNumbers(now)).toEqual(runtimeNumbers(committed));
  });

  it("the runtime allocates 0 slots per cycle at every N; the async baseline allocates on every cycle", () => {
    expect(now.sizes.map((s) => s.runtime.slots)).toEqual([0, 0, 0]);
    expect(now.sizes.map((s) => s.baseline.slotsNet > 1000 * s.n)).toEqual([true, true, true]);
    expect(now.sizes.map((s) => [s.runtime.outcome, s.baseline.outcome])).toEqual([[0, 0], [0, 0], [0, 0]]);
  });
});
