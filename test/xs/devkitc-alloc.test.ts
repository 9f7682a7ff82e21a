// Zero allocation on XS for the simulated ESP32-DevKitC: host-sim core, chip models, drivers and boot, full standby cycles.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXs, type XsMeasurement } from "./harness";

const FIXTURE = path.join(__dirname, "fixtures", "devkitc-cycles.ts");

describe("esp32-devkitc SimBoard on XS", () => {
  let r: XsMeasurement[];

  beforeAll(async () => {
    r = await runInXs(FIXTURE, [
      { command: "cycle", arg: 5000 },
      { command: "cycle", arg: 5000 },
      { command: "cycle", arg: 5000 },
      { command: "cycle", arg: 5000 },
      { command: "cycles", arg: 100 },
    ], { timeoutMs: 120_000 });
  }, 120_000);

  it("a full standby cycle (RTC timer wake) ends OK and allocates 0 slots after two warm-ups, at the same compute", () => {
    expect(r.slice(2, 4).map((m) => [m.result, m.slots, m.retained])).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(r[3].compute).toBe(r[2].compute);
  });

  it("100 cycles: all OK, 0 slots allocated, 0 retained after gc", () => {
    expect([r[4].result, r[4].slots, r[4].retained]).toEqual([100, 0, 0]);
  });
});
