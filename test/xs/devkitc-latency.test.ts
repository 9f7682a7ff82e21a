// CI gate: the DevKitC's simulated suspend/resume latency equals bench/results.json and lies between the critical path and the sequential sum.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runDevkitcLatency, type DevkitcLatency } from "../../bench/devkitc-latency";
import { DISPATCH_XS_PER_HOOK, ESP32_XS_UNITS_PER_US } from "../../host-sim/board/dispatch-cost";
import { lightSleepEntryUs } from "../../host-sim/board/sim-platform";
import { S_SUSPEND } from "../../runtime/status";

/** The light-sleep entry path on the suspend side (sleep-latency.ts): 280 us at 240 MHz. */
const ENTRY_US = lightSleepEntryUs(240);

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

  /*
   * Until transfers took wire time and hooks carried the runtime's dispatch, every hook but the
   * console's drain took 0 us and suspend sat within 1% of the critical path by construction. Now one
   * CPU runs the synchronous hooks one after another: the longest chain is a lower bound, the sequential
   * sum (plus the light-sleep entry) an upper one, and the PENDING drain lets other hooks overlap it.
   */
  it("with console output, suspend is the console's S2 drain: between the critical path and the sequential sum, plus the light-sleep entry", () => {
    const c = consoleRun;
    const longest = Object.entries(c.hooks).map(([name, h]) => [name, h.suspend]).sort((a, b) => (b[1] as number) - (a[1] as number))[0];
    expect(longest[0]).toBe("console");
    const runtimeUs = c.measured.suspendUs - ENTRY_US;
    expect([runtimeUs >= c.criticalPath.suspendUs, runtimeUs <= c.sequential.suspendUs, c.criticalPath.suspendUs <= c.sequential.suspendUs])
      .toEqual([true, true, true]);
  });

  it("quiet, no hook waits: every S2 hook is its dispatch, and the gap to the critical path is the serial work off it, the entry path and now() calls (under 1 us per device per stage)", () => {
    const q = quietRun;
    const devices = Object.keys(q.hooks).length;
    // The console's S2 returns at once: its duration is the runtime's dispatch of one S2 hook (496.56 XS units at 4/us).
    expect(Math.abs(q.hooks.console.suspend - DISPATCH_XS_PER_HOOK[S_SUSPEND] / ESP32_XS_UNITS_PER_US)).toBeLessThanOrEqual(1);
    const suspendRest = q.dispatchUs.suspendUs - (q.sequential.suspendUs - q.criticalPath.suspendUs) - ENTRY_US;
    const resumeRest = q.dispatchUs.resumeUs - (q.sequential.resumeUs - q.criticalPath.resumeUs);
    // What is left is the whole-microsecond durations (each hook's loses under 1 us) and the now() calls (0.25 us:
    // one after each hook, two per stage): S1..S3, R1..R2.
    const bound = (stages: number): number => stages * devices * (1 + 0.25) + stages * 2 * 0.25;
    expect([suspendRest >= 0, suspendRest < bound(3), resumeRest >= 0, resumeRest < bound(2)]).toEqual([true, true, true, true]);
    // Resume does not depend on the console's output: both variants resume alike (within one 0.25 us
    // now() call: the console's own R2 reads the clock once more when it has lines to flush).
    expect(Math.abs(q.measured.resumeUs - consoleRun.measured.resumeUs)).toBeLessThanOrEqual(0.25 + 1e-9);
  });
});
