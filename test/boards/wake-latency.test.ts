// Sleep ends with ESP-IDF's wake latency: light sleep 60 + 476 us to the firmware, deep sleep 350 + 2000 us to the reboot.
import { describe, expect, it } from "vitest";
import { OK, T_HIBERNATE, T_STANDBY, TEST_NONE } from "../../runtime";
import { deepSleepWakeUs, LIGHT_SLEEP_HW_OUT_US, LIGHT_SLEEP_SW_OUT_US } from "../../host-sim/board/sim-platform";
import { SLEEP_DEEP, SLEEP_LIGHT, SLEEP_NONE } from "../../host-sim/board/sim-sleep";
import { SOC_ACTIVE } from "../../host-sim/models/energy";
import { makeDevkitc } from "../drivers/cases";

function asleep(b: ReturnType<typeof makeDevkitc>, target: number, mode: number): void {
  expect(b.sim.pm.suspend(target, TEST_NONE)).toBe(OK);
  for (let i = 0; i < 200 && b.sim.platform.sleeping !== mode; i++) b.sim.advance(5_000);
  expect(b.sim.platform.sleeping).toBe(mode);
}

describe("wake latency", () => {
  it("light sleep: the SoC runs from the wake event, the firmware 536 us later (sleep_modes.c, PM_SLP_IRAM_OPT off)", () => {
    const b = makeDevkitc();
    asleep(b, T_STANDBY, SLEEP_LIGHT);
    const woke: number[] = [];
    b.sim.platform.setWakeCallback((cause) => woke.push(cause, b.sim.time.now()));
    const t0 = b.sim.time.now();
    b.sim.platform.wakeNow(0);
    expect(b.sim.energy.socMode()).toBe(SOC_ACTIVE); // running the exit path
    expect(b.sim.platform.sleeping).toBe(SLEEP_LIGHT);
    b.sim.advance(LIGHT_SLEEP_HW_OUT_US + LIGHT_SLEEP_SW_OUT_US - 1);
    expect(woke).toEqual([]);
    b.sim.advance(1);
    expect(woke).toEqual([0, t0 + 536]);
    expect(b.sim.platform.sleeping).toBe(SLEEP_NONE);
  });

  it("deep sleep: the reboot starts 250 + 100 * 240 / 240 + 2000 = 2350 us after the wake", () => {
    expect(deepSleepWakeUs(240)).toBe(2350);
    expect(deepSleepWakeUs(80)).toBe(2550);
    const b = makeDevkitc();
    asleep(b, T_HIBERNATE, SLEEP_DEEP);
    b.sim.platform.wakeNow(0);
    b.sim.advance(2349);
    expect(b.sim.boots).toBe(1);
    b.sim.advance(1);
    expect(b.sim.boots).toBe(2);
  });
});
