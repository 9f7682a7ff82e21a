// One duration/current/charge format for the shell, its summaries and the HTML timeline.
import { describe, expect, it } from "vitest";
import { formatCharge, formatCurrent, formatDuration, formatHours } from "../../host-sim/units";
import { fmtUs } from "../../host-sim/viz/html-tables";
import { toHtml } from "../../host-sim/viz/html";
import { formatDuration as shellDuration } from "../../host-sim/cli/progress";
import { runScenario } from "../viz/scenario";

describe("units", () => {
  it("a hook of 1 us, 0 us or 0.25 us reads one way, as the firmware prints whole microseconds", () => {
    expect([0, 0.25, 1, 1.4, 999.6, 3400, 69_522.4, 1_250_000].map(formatDuration))
      .toEqual(["0 us", "<1 us", "1 us", "1 us", "1.000 ms", "3.400 ms", "69.522 ms", "1.250 s"]);
    expect([formatCurrent(801.2), formatCurrent(68_010), formatCharge(327.6), formatCharge(4968), formatHours(29.4), formatHours(80.2), formatHours(Infinity)])
      .toEqual(["801.2 uA", "68.010 mA", "327.6 uC", "4.968 mC", "29.4 h", "80 h (3.3 days)", "forever"]);
  });

  it("the shell, the HTML tables and the page's script share the same function", () => {
    expect(shellDuration).toBe(formatDuration);
    expect(fmtUs).toBe(formatDuration);
    expect(toHtml(runScenario().viz.finish())).toContain(formatDuration.toString());
  });
});
