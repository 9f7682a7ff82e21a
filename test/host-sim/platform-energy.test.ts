// The ESP32's own costs on the simulated platform: light-sleep entry/exit, deep-sleep boot and flash re-power, the runtime's dispatch.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../host-sim/core/clock";
import { SimTime } from "../../host-sim/board/sim-time";
import { DEEP_SLEEP_APP_BOOT_US, deepSleepWakeUs, LIGHT_SLEEP_HW_OUT_US, LIGHT_SLEEP_SW_OUT_US, lightSleepEntryUs, SimPlatform } from "../../host-sim/board/sim-platform";
import { SLEEP_DEEP, SLEEP_LIGHT, SLEEP_NONE } from "../../host-sim/board/sim-sleep";
import { DISPATCH_XS_N, DISPATCH_XS_PER_HOOK, ESP32_XS_UNITS_PER_US } from "../../host-sim/board/dispatch-cost";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { EnergyMeter, ESP32_ACTIVE_240MHZ_UA, ESP32_DEEP_SLEEP_UA, ESP32_LIGHT_SLEEP_UA, SOC_ACTIVE, SOC_DEEP_SLEEP, SOC_LIGHT_SLEEP } from "../../host-sim/models/energy";
import { OK, S_POWER_OFF, S_PREPARE, S_RESUME, S_SUSPEND, STAGE_COUNT, T_HIBERNATE, T_STANDBY, TEST_NONE, TEST_PLATFORM } from "../../runtime/status";

const uC = (uaTimesUs: number): number => uaTimesUs / 1e6;

/** A bare platform on the virtual clock, its SoC mode wired to a meter as SimBoard does. */
function platformRig(): { time: SimTime; platform: SimPlatform; meter: EnergyMeter; modes: [number, number][] } {
  const time = new SimTime(new VirtualClock(64));
  const platform = new SimPlatform(time, 4, 48, [], 0);
  const meter = new EnergyMeter({ clock: time });
  const modes: [number, number][] = [];
  platform.onSleepChange = (mode: number): void => {
    modes.push([time.now(), mode]);
    meter.setSocMode(mode === SLEEP_LIGHT ? SOC_LIGHT_SLEEP : mode === SLEEP_DEEP ? SOC_DEEP_SLEEP : SOC_ACTIVE);
  };
  platform.setWakeCallback(() => {});
  return { time, platform, meter, modes };
}

describe("ESP32 light sleep: entry path, sleep, hardware + software exit", () => {
  it("a 10 ms timer sleep costs 280 us entry + 536 us exit at 68 mA and 10 ms at 0.8 mA: 63.488 uC", () => {
    const { time, platform, meter, modes } = platformRig();
    platform.timerWakeUs = 10_000;
    let woke = -1;
    platform.setWakeCallback(() => { woke = time.now(); });
    expect(platform.sleep(T_STANDBY, TEST_NONE, 0)).toBe(-1);
    time.runUntilIdle(1_000_000);
    const entry = lightSleepEntryUs(240);
    const exit = LIGHT_SLEEP_HW_OUT_US + LIGHT_SLEEP_SW_OUT_US;
    expect([entry, exit]).toEqual([280, 536]);
    expect(modes).toEqual([[entry, SLEEP_LIGHT], [entry + 10_000, SLEEP_NONE]]);
    expect(woke).toBe(entry + 10_000 + exit);
    expect(meter.chargeUc()).toBeCloseTo(uC((entry + exit) * ESP32_ACTIVE_240MHZ_UA + 10_000 * ESP32_LIGHT_SLEEP_UA), 9);
    expect(uC((entry + exit) * 68_000 + 10_000 * 800)).toBeCloseTo(63.488, 9);
  });

  it("lightEntryUs = 0 restores the immediate entry; the TEST_PLATFORM hold has no entry path", () => {
    const { time, platform, modes } = platformRig();
    platform.lightEntryUs = 0;
    platform.sleep(T_STANDBY, TEST_NONE, 0);
    expect(modes).toEqual([[0, SLEEP_LIGHT]]);
    const r = platformRig();
    r.platform.sleep(T_STANDBY, TEST_PLATFORM, 500);
    expect(r.modes[0][0]).toBe(0);
    expect(time.now()).toBe(0);
  });
});

describe("ESP32 deep sleep: 2,350 us to flash ready, 34,650 us of boot at active current; module flash off while asleep", () => {
  it("hibernate with a 1 s timer wake: deep current while asleep, then 37 ms at 68 mA before the new firmware's boot", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 3, console: false });
    sim.settle();
    const e = sim.energy;
    let asleepAt = -1;
    let wokeAt = -1;
    let q = [0, 0, 0];
    // Read at the moment the chip goes down (not at the end of the advance step that got there).
    let socAsleep = -1;
    let flashAsleep = -1;
    const hook = sim.platform.onSleepChange;
    sim.platform.onSleepChange = (mode: number): void => {
      if (hook !== null) hook(mode);
      if (mode === SLEEP_DEEP) {
        asleepAt = sim.now();
        socAsleep = e.chargeUcOf(null);
        flashAsleep = e.chargeUcOf(sim.moduleFlash);
      }
      if (mode === SLEEP_NONE && asleepAt >= 0 && wokeAt < 0) {
        wokeAt = sim.now();
        q = [e.chargeUcOf(null), e.chargeUcOf(sim.moduleFlash), 0];
      }
    };
    let bootAt = -1;
    let bootSoc = -1;
    const boot = sim.boot.bind(sim);
    sim.boot = (options) => {
      if (bootAt < 0 && asleepAt >= 0) {
        bootAt = sim.now();
        bootSoc = e.chargeUcOf(null);
      }
      return boot(options);
    };
    sim.setTimerWake(1_000_000);
    expect(sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    for (let i = 0; i < 100 && asleepAt < 0; i++) sim.advance(1000);
    expect(asleepAt).toBeGreaterThan(0);
    sim.settle();
    expect(sim.boots).toBe(2);
    // Asleep: the SoC at 10 uA, the module flash unpowered (VDD_SDIO off). The sleep began at a
    // fractional time (wire time, dispatch); the RTC wake timer fires on the next whole microsecond.
    expect(Math.abs(wokeAt - asleepAt - 1_000_000)).toBeLessThan(1);
    expect(q[0] - socAsleep).toBeCloseTo(uC((wokeAt - asleepAt) * ESP32_DEEP_SLEEP_UA), 9);
    expect(q[1] - flashAsleep).toBe(0);
    // Wake stub + flash ready (2,350 us), then the app boot (34,650 us), all at active current.
    expect(deepSleepWakeUs(240) + DEEP_SLEEP_APP_BOOT_US).toBe(37_000);
    expect(bootAt - wokeAt).toBe(37_000);
    expect(bootSoc - q[0]).toBeCloseTo(uC(37_000 * ESP32_ACTIVE_240MHZ_UA), 9);
    expect(sim.moduleFlash.isPowered()).toBe(true);
  });
});

describe("the runtime's dispatch: its XS cost per stage at ESP32_XS_UNITS_PER_US, charged before each hook at active current", () => {
  it("the per-hook XS figures are bench/results.json's N = 8 stage cost minus the driver-hook floor", () => {
    const bench = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "bench", "results.json"), "utf8")) as {
      xs: { sizes: { n: number; stagePerDevice: Record<string, number>; hookFloor: number }[] };
    };
    const row = bench.xs.sizes.find((s) => s.n === DISPATCH_XS_N);
    expect(row).toBeDefined();
    const names = ["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume"];
    expect(DISPATCH_XS_PER_HOOK.map((x) => Math.round(x * 100) / 100)).toEqual(names.map((k) => Math.round((row!.stagePerDevice[k] - row!.hookFloor) * 100) / 100));
  });

  it("one S2 dispatch: 496.56 XS units / 4 per us = 124.14 us of CPU time at 68 mA = 8.442 uC", () => {
    const { time, platform, meter } = platformRig();
    platform.chargeDispatch(S_SUSPEND);
    expect(time.now()).toBeCloseTo(496.56 / ESP32_XS_UNITS_PER_US, 9);
    expect(meter.chargeUc()).toBeCloseTo(uC((496.56 / 4) * 68_000), 9);
    platform.setXsRate(0);
    platform.chargeDispatch(S_RESUME);
    expect(time.now()).toBeCloseTo(124.14, 9);
    expect(platform.dispatches).toBe(2);
  });

  it("a DevKitC standby cycle charges each dispatched hook once: the total equals the per-stage costs x hooks, and each hook's duration holds its dispatch", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 5, console: false });
    sim.settle();
    sim.setTimerWake(5000);
    const p = sim.platform;
    const n0 = p.dispatches;
    const us0 = p.dispatchTotalUs;
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    sim.settle();
    const devices = sim.pm.graph.count;
    // Five hooks per device (S1, S2, S3, R1, R2), every device.
    expect(p.dispatches - n0).toBe(5 * devices);
    const perDevice = DISPATCH_XS_PER_HOOK.reduce((a, b) => a + b, 0) / ESP32_XS_UNITS_PER_US;
    expect(p.dispatchTotalUs - us0).toBeCloseTo(devices * perDevice, 6);
    const last = sim.pm.stats.lastByStage;
    for (let d = 0; d < devices; d++) {
      for (const [hook, stage] of [[S_PREPARE, 0], [S_SUSPEND, 1], [S_POWER_OFF, 2]]) {
        expect(last[stage][d]).toBeGreaterThanOrEqual(Math.floor(DISPATCH_XS_PER_HOOK[hook] / ESP32_XS_UNITS_PER_US));
      }
    }
  });

  it("xsUnitsPerUs: 0 charges nothing: every do-nothing hook is 0 us again", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 5, console: false, xsUnitsPerUs: 0 });
    sim.settle();
    sim.setTimerWake(5000);
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    sim.settle();
    expect(sim.platform.dispatchTotalUs).toBe(0);
    const led = sim.pm.graph.indexOf("led");
    expect(sim.pm.stats.lastByStage[S_SUSPEND][led]).toBe(0);
  });
});
