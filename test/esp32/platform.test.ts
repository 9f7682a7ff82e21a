// boards/esp32/platform.ts over a recording fake of the native face, driven through whole suspends by the real runtime.
import { describe, expect, it } from "vitest";
import { PowerManager } from "../../runtime/pm";
import { OK, T_HIBERNATE, T_STANDBY, TEST_NONE, TEST_PLATFORM, WAKE_NONE, WAKE_TEST_HOLD, WAKE_TIMER, WAKE_RESET } from "../../runtime/status";
import type { PmHooks } from "../../runtime/driver";
import { esp32WakePlan } from "../../boards/esp32-wake";
import { ESP32_DEVKITC } from "../../boards/esp32-devkitc/board";
import { CONSOLE_WAKE_LINE } from "../../boards/esp32-console";
import { Esp32Platform, MASK_NOIRQ, MASK_SLEEP, type Esp32PlatformOptions, type QuiesceNative, type TimerApi } from "../../boards/esp32/platform";

/** Records every native call as "name(args)"; sleep answers are scripted. */
class FakeNative implements QuiesceNative {
  log: string[];
  t = 1_000;
  lightCause = 0;
  deepCause = 0;
  reset = 0;
  bootCause = WAKE_RESET;
  saveResult = 16;
  constructor(log: string[]) { this.log = log; }
  private rec(s: string): number { this.log.push(s); return 0; }
  nowUs(): number { return this.t; }
  enterCritical(): number { return this.rec("enterCritical"); }
  leaveCritical(): number { return this.rec("leaveCritical"); }
  stallOther(): number { return this.rec("stallOther"); }
  releaseOther(): number { return this.rec("releaseOther"); }
  lightSleep(m: number, h: number, u: number, th: number, ul: number, us: number): number {
    this.rec("lightSleep(" + [m, h, u, th, ul, us].join(",") + ")");
    return this.lightCause;
  }
  deepSleep(p: number, l: number, m: number, mode: number, us: number): number { this.rec("deepSleep(" + [p, l, m, mode, us].join(",") + ")"); return this.deepCause; }
  resetReason(): number { return this.reset; }
  bootWakeCause(p: number, m: number, ul: number): number { this.rec("bootWakeCause(" + [p, m, ul].join(",") + ")"); return this.bootCause; }
  bootSleptUs(): number { this.rec("bootSleptUs"); return this.sleptUs; }
  sleptUs = -1;
  imageSave(b: Uint8Array, a: number): number { this.rec("imageSave(" + b.length + "," + a + ")"); return this.saveResult; }
  imageLoad(): number { return -1; }
  imageVerify(): number { return -1; }
  imageClear(): number { return this.rec("imageClear"); }
  imageInfo(): number { return 0; }
  stat(): number { return 0; }
  debugBuild(): number { return 0; }
}

/** Moddable's timer module on a virtual clock: set/schedule/unschedule, fired by `run`. */
class FakeTimers implements TimerApi {
  log: string[];
  private cbs: (() => void)[] = [];
  due: number[] = [];
  constructor(log: string[]) { this.log = log; }
  set(cb: () => void, interval: number, repeat: number): unknown {
    this.cbs.push(cb); this.due.push(interval); this.log.push("Timer.set(" + interval + "," + repeat + ")");
    return this.cbs.length - 1;
  }
  schedule(t: unknown, interval?: number, repeat?: number): void {
    const i = t as number;
    this.due[i] = interval === undefined ? -1 : interval;
    this.log.push(interval === undefined ? "Timer.schedule(" + i + ")" : "Timer.schedule(" + i + "," + interval + "," + repeat + ")");
  }
  fire(i: number): void { this.cbs[i](); }
}

/** GPIO0 (the BOOT button, active low) wakes light and deep sleep (ext0), as on the DevKitC. */
const BUTTON_ONLY = { lightMask: 1, lightHighMask: 0, ext0Pin: 0, ext0Level: 0, ext1Mask: 0, ext1Mode: 1 };
const BASE: Omit<Esp32PlatformOptions, "maskMode" | "log"> = {
  wake: BUTTON_ONLY, uartPort: 0, uartThreshold: 3, uartLine: 40, standbyTimerUs: 0, hibernateTimerUs: 0,
};

function rig(maskMode: number) {
  const log: string[] = [];
  const face = new FakeNative(log);
  const timers = new FakeTimers(log);
  const platform = new Esp32Platform(face, timers, { ...BASE, maskMode, log: (m) => log.push("log:" + m) });
  const pm = new PowerManager({
    board: "boards/test-esp32", maxDevices: 4, stateArenaBytes: 16, blockCount: 1, blockSize: 8, irqLines: 43,
    traceRecords: 64, defaultBudgetUs: 10_000, testHoldUs: 5_000, failureHistory: 2,
  }, platform);
  const hooks = (name: string): PmHooks => ({
    prepare: () => { log.push(name + ":prepare"); return OK; },
    suspend: () => { log.push(name + ":suspend"); return OK; },
    powerOffNoIrq: () => { log.push(name + ":powerOffNoIrq"); return OK; },
    powerOnNoIrq: () => { log.push(name + ":powerOnNoIrq"); return OK; },
    resume: () => { log.push(name + ":resume"); return OK; },
  });
  pm.register({ name: "bus", hooks: hooks("bus") });
  pm.register({ name: "sensor", hooks: hooks("sensor"), parent: "bus" });
  pm.seal();
  const outcomes: number[] = [];
  pm.setDoneCallback((s) => outcomes.push(s));
  log.length = 0;
  return { log, face, timers, platform, pm, outcomes };
}

describe("Esp32Platform (fake native face, real runtime)", () => {
  it("MASK_NOIRQ: critical section and other-CPU stall span S3..R1, light sleep with button, console UART and no timer", () => {
    const r = rig(MASK_NOIRQ);
    expect(r.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(r.log).toEqual([
      "sensor:prepare", "bus:prepare", "sensor:suspend", "bus:suspend",
      "enterCritical", "stallOther",
      "sensor:powerOffNoIrq", "bus:powerOffNoIrq",
      "lightSleep(1,0,0,3,40,0)",
      "bus:powerOnNoIrq", "sensor:powerOnNoIrq",
      "releaseOther", "leaveCritical",
      "bus:resume", "sensor:resume",
    ]);
    expect([r.outcomes, r.pm.stats.lastWakeCause]).toEqual([[OK], 0]);
  });

  it("MASK_SLEEP: NoIrq hooks run outside the hardware critical section, which wraps only the sleep call", () => {
    const r = rig(MASK_SLEEP);
    r.face.lightCause = 40;
    r.pm.suspend(T_STANDBY, TEST_NONE);
    expect(r.log).toEqual([
      "sensor:prepare", "bus:prepare", "sensor:suspend", "bus:suspend",
      "sensor:powerOffNoIrq", "bus:powerOffNoIrq",
      "enterCritical", "lightSleep(1,0,0,3,40,0)", "leaveCritical",
      "bus:powerOnNoIrq", "sensor:powerOnNoIrq",
      "bus:resume", "sensor:resume",
    ]);
    expect([r.outcomes, r.pm.stats.lastWakeCause]).toEqual([[OK], 40]);
  });

  it("TEST_PLATFORM holds in a timer-woken light sleep and reports WAKE_TEST_HOLD", () => {
    const r = rig(MASK_NOIRQ);
    r.face.lightCause = WAKE_TIMER;
    r.pm.suspend(T_STANDBY, TEST_PLATFORM);
    expect(r.log.filter((l) => !l.includes(":"))).toEqual(["enterCritical", "stallOther", "lightSleep(1,0,0,3,40,5000)", "releaseOther", "leaveCritical"]);
    expect(r.pm.stats.lastWakeCause).toBe(WAKE_TEST_HOLD);
  });

  it("hibernate: a rejected deep sleep clears the header and resumes; with an RTC image bound it is saved first", () => {
    const r = rig(MASK_SLEEP);
    r.face.deepCause = 0;
    r.pm.suspend(T_HIBERNATE, TEST_NONE);
    expect(r.log.filter((l) => !l.includes(":"))).toEqual(["enterCritical", "deepSleep(0,0,0,1,0)", "imageClear", "leaveCritical"]);
    r.log.length = 0;
    r.platform.bindImage(r.pm.arena.bytes, -1);
    r.pm.suspend(T_HIBERNATE, TEST_NONE);
    const n = r.pm.arena.bytes.length;
    expect(r.log.filter((l) => !l.includes(":"))).toEqual(["enterCritical", "imageSave(" + n + ",-1)", "deepSleep(0,0,0,1,0)", "imageClear", "leaveCritical"]);
    r.log.length = 0;
    r.face.saveResult = -3;
    r.pm.suspend(T_HIBERNATE, TEST_NONE);
    expect(r.log.filter((l) => !l.includes(":"))).toEqual(["enterCritical", "imageSave(" + n + ",-1)", "leaveCritical"]);
    expect([r.outcomes, r.platform.hibernateRefusals]).toEqual([[OK, OK, OK], 3]);
  });

  it("boot: WAKE_NONE unless the reset reason is our deep sleep, then the mapped wake cause", () => {
    const r = rig(MASK_SLEEP);
    expect(r.platform.hibernateWakeCause()).toBe(WAKE_NONE);
    r.face.reset = 1;
    r.face.bootCause = 0;
    expect(r.platform.hibernateWakeCause()).toBe(0);
    expect(r.log).toEqual(["bootWakeCause(0,0,40)"]);
  });

  it("timers: one Timer.set at creation, parked; schedule rounds up to ms; firing unschedules before the callback", () => {
    const log: string[] = [];
    const timers = new FakeTimers(log);
    const p = new Esp32Platform(new FakeNative(log), timers, { ...BASE, maskMode: MASK_SLEEP, log: () => undefined });
    const h = p.createTimer(() => log.push("callback"));
    p.schedule(h, 1_500);
    p.schedule(h, 0);
    timers.fire(h);
    p.cancel(h);
    expect(log).toEqual([
      "Timer.set(1073741823,1073741823)", "Timer.schedule(0)",
      "Timer.schedule(0,2,1073741823)", "Timer.schedule(0,0,1073741823)",
      "Timer.schedule(0)", "callback", "Timer.schedule(0)",
    ]);
  });

  it("idle governor: nextDeadline from its own timers; wakeAt arms the next light or deep sleep's RTC timer once", () => {
    const log: string[] = [];
    const face = new FakeNative(log);
    const p = new Esp32Platform(face, new FakeTimers(log), { ...BASE, maskMode: MASK_SLEEP, standbyTimerUs: 5_000_000, log: () => undefined });
    const a = p.createTimer(() => undefined);
    const b = p.createTimer(() => undefined);
    expect(p.nextDeadline()).toBe(-1);
    p.schedule(a, 2_500);
    p.schedule(b, 900);
    expect(p.nextDeadline()).toBe(2_000);
    p.cancel(b);
    expect(p.nextDeadline()).toBe(4_000);
    log.length = 0;
    // 1 s from now: earlier than the board's 5 s standby timer, so it wins; the next sleep is back to the board's.
    p.wakeAt(1_001_000);
    p.sleep(T_STANDBY, TEST_NONE, 0);
    p.sleep(T_STANDBY, TEST_NONE, 0);
    // A wake time already past: 1 us (at once); hibernate takes it through deepSleep.
    p.wakeAt(10);
    p.sleep(T_HIBERNATE, TEST_NONE, 0);
    expect(log.filter((l) => l.includes("Sleep"))).toEqual(["lightSleep(1,0,0,3,40,1000000)", "lightSleep(1,0,0,3,40,5000000)", "deepSleep(0,0,0,1,1)"]);
  });

  it("arms every GPIO wake source of the board's plan: all for light sleep, the hibernate ones as ext0 + ext1 for deep sleep and the boot cause", () => {
    const plan = esp32WakePlan(Object.assign({}, ESP32_DEVKITC, { wakeSources: [
      { device: "button", line: 0, hibernate: true },
      { device: "bme280", line: 21, hibernate: false },
      { device: "led", line: 27, hibernate: true, level: 1 },
      { device: "console", line: CONSOLE_WAKE_LINE, hibernate: false },
    ] }));
    const log: string[] = [];
    const face = new FakeNative(log);
    const p = new Esp32Platform(face, new FakeTimers(log), { ...BASE, wake: plan, maskMode: MASK_SLEEP, log: () => undefined });
    p.sleep(T_STANDBY, TEST_NONE, 0);
    p.sleep(T_HIBERNATE, TEST_NONE, 0);
    face.reset = 1;
    p.hibernateWakeCause();
    const gpio = 2 ** 0 + 2 ** 21 + 2 ** 27;
    expect(log.filter((l) => l.includes("Sleep") || l.includes("Wake"))).toEqual([
      "lightSleep(" + gpio + "," + 2 ** 27 + ",0,3,40,0)", "deepSleep(0,0," + 2 ** 27 + ",1,0)", "bootWakeCause(0," + 2 ** 27 + ",40)",
    ]);
  });

  it("rejects an unknown mask mode, naming the option", () => {
    expect(() => new Esp32Platform(new FakeNative([]), new FakeTimers([]), { ...BASE, maskMode: 7, log: () => undefined }))
      .toThrow(/maskMode 7 is neither MASK_NOIRQ \(0\) nor MASK_SLEEP \(1\)/);
  });
});
