// Node heap checks of a 64-device runtime cycle: jitless retention slope, jitless allocation, GC-free JIT soak.
import { beforeAll, describe, expect, it } from "vitest";
import { runHeapChild, JITLESS_FLAGS, JIT_FLAGS } from "./run-child";

interface SlopeReport {
  n: number;
  cycles: number;
  allocation: number[];
  retention: number[];
  allocationMedian: number;
  retentionMedian: number;
  control: number;
}

interface SoakReport {
  deviceCycles: number;
  gcEvents: number;
  kinds: number[];
}

describe("Node heap (child process, 64 MB young generation)", () => {
  let slope: SlopeReport;
  let soak: SoakReport;

  beforeAll(async () => {
    [slope, soak] = await Promise.all([
      runHeapChild<SlopeReport>(JITLESS_FLAGS, ["slope", "64", "200"]),
      runHeapChild<SoakReport>(JIT_FLAGS, ["soak", "64", "1000000"]),
    ]);
  }, 60_000);

  it("the method sees allocation: a control allocating one object per device shows bytes", () => {
    // 64 small objects kept in an array: well above a byte per iteration.
    expect(slope.control).toBeGreaterThan(64 * 16);
  });

  it("retains nothing: heap slope across gc() is under 1 byte per cycle (median of 7 x 200 cycles, --jitless)", () => {
    expect({ n: slope.n, cycles: slope.cycles, runs: slope.retention.length }).toEqual({ n: 64, cycles: 200, runs: 7 });
    expect(Math.abs(slope.retentionMedian)).toBeLessThan(1);
  });

  // V8's interpreter boxes every Float64Array read and every non-Smi arithmetic result as a 16-byte
  // HeapNumber, so the runtime keeps hot-path times (relative to a per-stage epoch), generations, tokens,
  // budgets and durations in Int32Arrays; Float64Arrays (trace times, flight records) are only written there.
  it("allocates under 1 byte per cycle with --jitless", () => {
    expect(Math.abs(slope.allocationMedian)).toBeLessThan(1);
  });

  it("runs 1,000,000 device-cycles in JIT mode without a single GC event", () => {
    expect({ deviceCycles: soak.deviceCycles, gcEvents: soak.gcEvents, kinds: soak.kinds }).toEqual({
      deviceCycles: 1_000_000, gcEvents: 0, kinds: [],
    });
  });
});
