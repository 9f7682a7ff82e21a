// The multi-attempt summary (sleepgraph -multi): min / median / max per stage and per device over the file's attempts.
import { describe, expect, it } from "vitest";
import { deviceSpreads, multiTables, spread, stageSpreads } from "../../host-sim/viz/html-multi";
import { toHtml } from "../../host-sim/viz/html";
import { devkitcTimeline } from "./devkitc-run";

describe("multi-attempt summary", () => {
  const { model } = devkitcTimeline();

  it("spread: min, median (middle two averaged), max and the attempt of the max", () => {
    expect(spread([{ v: 5, attempt: 0 }, { v: 1, attempt: 1 }, { v: 9, attempt: 2 }, { v: 3, attempt: 3 }]))
      .toEqual({ min: 1, median: 4, max: 9, n: 4, maxAttempt: 3 });
    expect(spread([])).toBeNull();
  });

  it("per stage over the three DevKitC attempts: what each attempt's stage took", () => {
    const prepare = stageSpreads(model).find((r) => model.stageNames[r.stage] === "prepare")!.s;
    const values = model.attempts.map((a) => a.stageUs[0]).sort((a, b) => a - b);
    expect(prepare).toMatchObject({ n: 3, min: values[0], median: values[1], max: values[2] });
    // The sleep ran in two attempts (the S2 rollback never slept).
    expect(stageSpreads(model).find((r) => r.stage === 3)!.s.n).toBe(2);
  });

  it("per device: its hook time per attempt, slowest first, with the stage it spends most in", () => {
    const rows = deviceSpreads(model);
    const console_ = rows.find((r) => model.devices[r.device].name === "console")!;
    expect(model.stageNames[console_.stage]).toBe("suspend");
    expect(rows[0].s.max).toBeGreaterThanOrEqual(rows[rows.length - 1].s.max);
    expect(rows.map((r) => model.devices[r.device].name).sort()).toEqual(["bme280", "button", "console", "flash", "i2c0", "led", "telemetry", "vspi"]);
  });

  it("is on the page with two or more attempts, not with one", () => {
    expect(toHtml(model)).toContain("<h2>Over 3 attempts: min / median / max (like sleepgraph -multi)</h2>");
    expect(multiTables({ ...model, attempts: model.attempts.slice(0, 1) })).toBe("");
  });
});
