// The console allocates nothing after boot: exact XS slot counts for command lines, bad input, suspends and UART wakes; lint clean.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXs, type XsMeasurement } from "../xs/harness";
import { lintPaths } from "../lint/alloc-lint-run";

const FIXTURE = path.join(__dirname, "fixtures", "console-xs.ts");

describe("uart-console on XS", () => {
  let r: XsMeasurement[];

  beforeAll(async () => {
    r = await runInXs(FIXTURE, [
      { command: "lines", arg: 1 },
      { command: "suspends", arg: 2 },
      { command: "uartWakes", arg: 1 },
      { command: "lines", arg: 8 },
      { command: "suspends", arg: 8 },
      { command: "uartWakes", arg: 10 },
      { command: "stats", arg: 10 },
      { command: "recovers", arg: 1 },
      { command: "recovers", arg: 5 },
      { command: "faults", arg: 0 },
      { command: "throws", arg: 1 },
      { command: "throws", arg: 5 },
      { command: "answers", arg: 2 },
      { command: "answers", arg: 6 },
    ], { timeoutMs: 120_000 });
  }, 120_000);

  it("8 rounds of every command and bad-input line (168 lines: trace dump, recover, rpm, locks and policy included): 0 slots", () => {
    expect([r[3].slots, r[3].retained]).toEqual([0, 0]);
    // 21 lines a round; the too-long, refused and empty ones never reach the parser.
    expect(r[3].result).toBe(8 * 18);
  });

  it("8 console-started suspends with progress lines (test holds, standby and hibernate): all OK, 0 slots", () => {
    expect([r[4].result, r[4].slots, r[4].retained]).toEqual([8, 0, 0]);
  });

  it("10 standby sleeps woken by UART input (byte lost, fragment discarded, next line run): all OK, 0 slots", () => {
    expect([r[5].result, r[5].slots, r[5].retained]).toEqual([10, 0, 0]);
  });

  it("10 stats replies with a wrapped flight recorder (21 attempts, the last 8 printed): 0 slots", () => {
    expect([r[6].result, r[6].slots, r[6].retained]).toEqual([2 + 1 + 8 + 10, 0, 0]);
  });

  it("5 rounds of a failed device (skipped by a suspend, re-probed, BUSY bursts, status, recover): all back, 0 slots", () => {
    expect([r[8].result, r[8].slots, r[8].retained]).toEqual([5, 0, 0]);
  });

  it("5 suspends whose S2 hook throws an Error: the outcome line and stats print its name and message, 0 slots", () => {
    expect([r[11].result, r[11].slots, r[11].retained]).toEqual([5, 0, 0]);
  });

  it("6 suspends whose S2 hook answers undefined or 70000: the outcome line and stats say what it answered, 0 slots", () => {
    expect([r[13].result, r[13].slots, r[13].retained]).toEqual([6, 0, 0]);
  });

  it("nothing was dropped or caught on the way", () => {
    expect(r[9].result).toBe(0);
  });

  it("the allocation lint passes on drivers/uart-console and console/", () => {
    const report = lintPaths(["drivers/uart-console", "console"], {}, path.join(__dirname, "..", ".."));
    expect(report.files.length).toBeGreaterThanOrEqual(10);
    expect(report.violations).toEqual([]);
    // No escape: the host-side dump decoder (the only one, its Error) lives in host-sim/viz now.
    expect(report.escapes.map((e) => e.file + " " + e.rule)).toEqual([]);
  });
});
