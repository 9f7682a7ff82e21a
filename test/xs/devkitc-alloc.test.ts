// Zero allocation on XS for the simulated ESP32-DevKitC: host-sim core, chip models, drivers, console and boot, full standby cycles.
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
      // 100 cycles as 2 x 50: with the console printing progress a cycle costs ~11.5 M instructions, and
      // one crank may not pass 1e9.
      { command: "cycles", arg: 50 },
      { command: "cycles", arg: 50 },
      { command: "consoleCycle", arg: 5000 },
      { command: "consoleCycle", arg: 5000 },
      { command: "consoleCycle", arg: 5000 },
      { command: "consoleCycle", arg: 5000 },
      { command: "consoleUartWake" },
      { command: "consoleUartWake" },
      { command: "consoleUartWake" },
      { command: "governor", arg: 3 },
      { command: "governor", arg: 3 },
      { command: "governor", arg: 3 },
      { command: "policyReport" },
      { command: "policyReport" },
      { command: "policyReport" },
    ], { timeoutMs: 120_000 });
  }, 120_000);

  it("a full standby cycle (RTC timer wake) ends OK and allocates 0 slots after two warm-ups, at the same compute", () => {
    expect(r.slice(2, 4).map((m) => [m.result, m.slots, m.retained])).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(r[3].compute).toBe(r[2].compute);
  });

  it("100 cycles: all OK, 0 slots allocated, 0 retained after gc", () => {
    expect(r.slice(4, 6).map((m) => [m.result, m.slots, m.retained])).toEqual([[50, 0, 0], [50, 0, 0]]);
  });

  it("the console's progress output during a suspend allocates 0 slots: `suspend` typed on UART0, timer wake, after two warm-ups", () => {
    const m = r.slice(6, 10);
    // Every run ended OK and printed the whole transcript (echo, progress, outcome, prompt): the same bytes each time.
    expect(m.every((x) => x.result > 2000)).toBe(true);
    expect(m.map((x) => x.result)).toEqual([m[0].result, m[0].result, m[0].result, m[0].result]);
    expect(m.slice(2).map((x) => [x.slots, x.retained])).toEqual([[0, 0], [0, 0]]);
    expect(m[3].compute).toBe(m[2].compute);
  });

  it("a console suspend woken by a byte on UART0 (lost, wake cause the console's line, resync message) allocates 0 slots after warm-up", () => {
    const m = r.slice(10, 13);
    expect(m.every((x) => x.result > 2000)).toBe(true);
    expect(m.slice(1).map((x) => [x.slots, x.retained])).toEqual([[0, 0], [0, 0]]);
  });

  it("the idle governor (decide, timer wake, sleep, wake, locks around each measurement, a refused release) allocates 0 slots", () => {
    const m = r.slice(13, 16);
    // 3 periods each: every timer fired, the governor slept at least once per period by itself.
    expect(m.every((x) => Math.floor(x.result / 1000) === 3 && x.result % 1000 >= 3)).toBe(true);
    expect(m.slice(1).map((x) => [x.slots, x.retained])).toEqual([[0, 0], [0, 0]]);
  });

  it("`policy` and `locks` on the console allocate 0 slots after a warm-up", () => {
    const m = r.slice(16, 19);
    expect(m.every((x) => x.result > 500)).toBe(true);
    expect(m.slice(1).map((x) => [x.slots, x.retained])).toEqual([[0, 0], [0, 0]]);
  });
});
