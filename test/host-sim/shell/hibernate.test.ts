// Hibernate in the shell: the firmware reboots on wake, and the session follows the new firmware's trace into the summary.
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { Session } from "../../../host-sim/cli/session";
import { DEEP_SLEEP_APP_BOOT_US, deepSleepWakeUs } from "../../../host-sim/board/sim-platform";
import { ESP32_ACTIVE_240MHZ_UA } from "../../../host-sim/models/energy";

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
    // The sleep ends at the wake (the RTC's reading on the new firmware's sleep-exit record), so the
    // 2,350 us to flash ready and the 34,650 us boot count as awake, at the ESP32's active current,
    // and what is left asleep is deep sleep's microamps (sleep-latency.ts, energy.ts).
    const e = sum.energy!;
    const wakeUs = deepSleepWakeUs(240) + DEEP_SLEEP_APP_BOOT_US;
    expect(e.sleepUs).toBeGreaterThan(2_000_000);
    expect(e.sleepUa).toBeLessThan(100);
    expect(e.sleepUa).toBeGreaterThan(0);
    expect(e.activeUs).toBeGreaterThanOrEqual(wakeUs);
    expect(e.activeUa).toBeGreaterThan(ESP32_ACTIVE_240MHZ_UA * 0.9);
    expect(sum.totalUs).toBeGreaterThanOrEqual(sum.stages.reduce((t, l) => Math.max(t, l.us), 0));
  });
});
