// CI gate: the DevKitC's simulated suspend/resume latency equals bench/results.json and its suspend stays within 1% of the critical path.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runDevkitcLatency, type DevkitcLatency } from "../../bench/devkitc-latency";

const RESULTS = path.join(__dirname, "..", "..", "bench", "results.json");

describe("ESP32-DevKitC simulated latency (bench/devkitc-latency.ts)", () => {
  let consoleRun: DevkitcLatency;
  let quietRun: DevkitcLatency;

  beforeAll(() => {
    consoleRun = runDevkitcLatency(true);
    quietRun = runDevkitcLatency(false);
  });

  it("is deterministic and equals the committed bench/results.json (after an intended driver or model change: `npm run bench -- --update`)", () => {
    const committed = (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as { devkitcLatency: DevkitcLatency[] }).devkitcLatency;
    expect([runDevkitcLatency(true), runDevkitcLatency(false)]).toEqual([consoleRun, quietRun]);
    expect([consoleRun, quietRun]).toEqual(committed);
  });

  it("with console output, suspend is the console's S2 drain: measured within 1% of the critical path, which is at most the sequential sum", () => {
    const c = consoleRun;
    const longest = Object.entries(c.hooks).map(([name, h]) => [name, h.suspend]).sort((a, b) => (b[1] as number) - (a[1] as number))[0];
    expect(longest[0]).toBe("console");
    expect([c.error.suspend !== null && c.error.suspend <= 0.01, c.measured.suspendUs >= c.criticalPath.suspendUs, c.criticalPath.suspendUs <= c.sequential.suspendUs])
      .toEqual([true, true, true]);
  });

  it("quiet, no hook waits: the console's S2 returns at once and the remaining gap to the critical path is dispatch only (under 2 us per device)", () => {
    const q = quietRun;
    const devices = Object.keys(q.hooks).length;
    expect(q.hooks.console.suspend).toBe(0);
    expect([q.dispatchUs.suspendUs >= 0, q.dispatchUs.suspendUs < 2 * devices, q.dispatchUs.resumeUs >= 0, q.dispatchUs.resumeUs < 2 * devices])
      .toEqual([true, true, true, true]);
    // Resume does not depend on the console's output: both variants resume alike (within one 0.25 us
    // now() call: the console's own R2 reads the clock once more when it has lines to flush).
    expect(Math.abs(q.measured.resumeUs - consoleRun.measured.resumeUs)).toBeLessThanOrEqual(0.25);
  });
});
