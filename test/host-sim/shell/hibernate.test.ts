// Hibernate in the shell: the firmware reboots on wake, and the session follows the new firmware's trace into the summary.
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { Session } from "../../../host-sim/cli/session";

describe("hibernate", () => {
  it("the summary after a button wake from hibernate names the wake and counts the deep sleep", () => {
    const s = new Session(bootShellBoard({ seed: 1 }), 2000);
    s.advance(50_000);
    s.sendLine("suspend hibernate");
    s.advance(3_000_000, () => s.board.asleep() !== null);
    expect(s.board.asleep()).toBe("hibernate");
    s.advance(2_000_000);
    expect(s.wake("button")).toBeNull();
    s.advance(3_000_000, () => s.summaries.length > 0);
    s.flushSummaries();
    const sum = s.summaries[0];
    expect([sum.target, sum.ok, sum.wake]).toEqual(["hibernate", true, "button"]);
    // Deep sleep draws microamps; the 2 s asleep are in the cycle, not counted as transitions.
    expect(sum.energy!.sleepUs).toBeGreaterThan(2_000_000);
    expect(sum.energy!.sleepUa).toBeLessThan(800);
    expect(sum.totalUs).toBeGreaterThanOrEqual(sum.stages.reduce((t, l) => Math.max(t, l.us), 0));
  });
});
