// Zero allocation on a real XS engine: all DevKitC drivers through busy cycles, rollbacks and button wakes allocate 0 slots.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXs, type XsMeasurement } from "../xs/harness";

describe("DevKitC drivers on XS", () => {
  let r: XsMeasurement[];

  beforeAll(async () => {
    r = await runInXs(path.join(__dirname, "xs-cycles.ts"), [
      { command: "cycles", arg: 16 },
      { command: "cycles", arg: 16 },
      { command: "cycles", arg: 8 },
      { command: "cycles", arg: 8 },
      // Two of 40 (one of 160 would pass XS's per-crank limit with the console printing progress).
      { command: "cycles", arg: 40 },
      { command: "cycles", arg: 40 },
      { command: "completions" },
      { command: "violations" },
    ], { timeoutMs: 120_000 });
  }, 120_000);

  it("after warm-up, 8 and 2 x 40 iterations (bme280 sample, flash program+read, telemetry frame, LED, suspend; every 4th rolled back at S3; every 8th a button sleep/wake) allocate 0 slots and retain 0", () => {
    expect(r.slice(2, 6).map((m) => [m.slots, m.retained])).toEqual([[0, 0], [0, 0], [0, 0], [0, 0]]);
    // Compute differs run to run only by the seeded contact bounce (a different number of edges per press).
    expect(Math.abs(r[3].compute - r[2].compute) / r[2].compute).toBeLessThan(0.05);
  });

  it("every cycle ran: 128 iterations = 128 + 16 button-driven suspends, a quarter of the former rolled back; no timing violation", () => {
    const ok = Math.floor(r[5].result / 1000);
    const failed = r[5].result % 1000;
    expect(failed).toBe(32);
    expect(ok).toBe(128 - 32 + 16);
    expect(r[6].result).toBe(128 * 4);
    expect(r[7].result).toBe(0);
  });
});
