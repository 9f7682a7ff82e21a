// The simulated ESP32's sleeps: light sleep, deep sleep and test holds, ended by wake lines or the timer after the chip's latencies.
import type { WakeSource } from "../../boards/types";
import { T_HIBERNATE, TEST_PLATFORM, WAKE_NONE, WAKE_TEST_HOLD, WAKE_TIMER } from "../../runtime/status";
import { RtcImageMemory } from "./rtc-memory";
import type { SimTime } from "./sim-time";
import { DEEP_SLEEP_APP_BOOT_US, deepSleepWakeUs, LIGHT_SLEEP_HW_OUT_US, LIGHT_SLEEP_SW_OUT_US, lightSleepEntryUs } from "./sleep-latency";

/** Simulated SoC: awake. */
export const SLEEP_NONE = 0;
/** Simulated SoC: in light sleep (standby). */
export const SLEEP_LIGHT = 1;
/** Simulated SoC: in deep sleep (hibernate); the wake reboots the firmware. */
export const SLEEP_DEEP = 2;
/** Simulated SoC: a test level's hold (TEST_PLATFORM), not a sleep. */
export const SLEEP_HOLD = 3;

/**
 * Standby ends when a wake-capable line is raised (the IRQ sink passes through here first) or the
 * armed timer wake fires; a wake line already latched makes it return at once (ESP32 light sleep
 * returns immediately if a wake source is pending). Hibernate ends the same way but on hibernate-
 * capable lines only, and the wake is a reboot, done by the board through `onDeepWake`. Either ends
 * after its wake latency (sleep-latency.ts), and light sleep starts after its entry path: `sleeping` stays set until the firmware runs, so bytes arriving
 * meanwhile are lost as on the chip. TEST_PLATFORM holds `holdUs` (a wake line ends the hold early;
 * nothing slept, so no latency). SimPlatform adds the rest of the runtime's Platform on top.
 */
export class SimSleep {
  /** The board's time: every timer and sleep of the platform runs on it. */
  readonly time: SimTime;
  private readonly wakeTimer: number;
  private wakeCallback: ((cause: number) => void) | null = null;
  private pendingCause = WAKE_NONE;
  /** 1 between the wake event and the end of the wake latency. */
  private exiting = 0;
  private exitStartedAt = 0;
  /** Light-sleep wake latency (us), hardware and software paths; see sleep-latency.ts. */
  lightWakeUs = LIGHT_SLEEP_HW_OUT_US + LIGHT_SLEEP_SW_OUT_US;
  /** Deep-sleep wake to flash-ready at 240 MHz (us); `appBootUs` follows. */
  deepWakeUs = deepSleepWakeUs(240);
  /** Light-sleep entry path (us, CPU busy at active current before the chip sleeps); 0 = none. */
  lightEntryUs = lightSleepEntryUs(240);
  /** Boot after a deep-sleep wake or reset, from flash-ready to the firmware (us); the board spends it in reboot. */
  appBootUs = DEEP_SLEEP_APP_BOOT_US;
  /** SLEEP_* state. */
  sleeping = SLEEP_NONE;
  /** `sleep` calls since construction (TEST_PLATFORM holds included). */
  sleeps = 0;
  /** Armed before each sleep like esp_sleep_enable_timer_wakeup; 0 = off. */
  timerWakeUs = 0;
  /** The next sleep's timer wake at this absolute time (the idle governor's `wakeAt`), -1 none; used by one sleep. */
  wakeAtUs = -1;
  /** RTC memory: the wake cause of the deep sleep this boot came from, WAKE_NONE on power-on. */
  rtcWakeCause = WAKE_NONE;
  /** Virtual time a deep sleep began (the RTC clock runs through it), -1 if none; read once by the next boot. */
  rtcDeepSleepAt = -1;
  /** Length of the deep sleep the present boot came from, by the RTC clock, -1 if unknown. */
  rtcSleptUs = -1;
  /** RTC slow memory holding the hibernate image (no storage device); kept across the deep sleep's reboot. */
  readonly rtc: RtcImageMemory;
  private readonly wakeLines: Uint8Array;
  private readonly deepWakeLines: Uint8Array;
  private sink: { raise(line: number): void } | null = null;
  /** The board's reboot (deep-sleep wake), bound once. */
  onDeepWake: ((cause: number) => void) | null = null;
  /** SoC power mode changes (energy meter), bound once. */
  onSleepChange: ((mode: number) => void) | null = null;
  /** What the IRQ source posts into: forwards to the runtime, then checks for a wake. */
  readonly sinkProxy: {
    /** Forwards `line` to the runtime's sink, then ends a sleep it is a wake line for. */
    raise(line: number): void;
  };

  constructor(time: SimTime, lines: number, wakeSources: readonly WakeSource[], rtcImageBytes: number) {
    this.time = time;
    this.rtc = new RtcImageMemory(rtcImageBytes);
    const self = this;
    this.wakeTimer = time.createTimer(function platformWake(): void {
      if (self.exiting === 1) self.finishWake(self.pendingCause);
      else self.wakeNow(self.pendingCause);
    });
    this.wakeLines = new Uint8Array(lines);
    this.deepWakeLines = new Uint8Array(lines);
    for (let i = 0; i < wakeSources.length; i++) {
      this.wakeLines[wakeSources[i].line] = 1;
      if (wakeSources[i].hibernate) this.deepWakeLines[wakeSources[i].line] = 1;
    }
    this.sinkProxy = {
      raise(line: number): void {
        if (self.sink !== null) self.sink.raise(line);
        self.lineRaised(line);
      },
    };
  }

  /** The runtime's IRQ sink (null: none): `sinkProxy` forwards raised lines to it. */
  setSink(sink: { raise(line: number): void } | null): void {
    this.sink = sink;
  }

  sleep(target: number, test: number, holdUs: number): number {
    this.sleeps++;
    if (test === TEST_PLATFORM) {
      this.enter(SLEEP_HOLD);
      this.arm(WAKE_TEST_HOLD, holdUs);
      return WAKE_NONE;
    }
    // The light-sleep entry path runs on the CPU (IRQs masked) before the chip sleeps.
    if (target !== T_HIBERNATE && this.lightEntryUs > 0) this.time.spend(this.lightEntryUs);
    // No storage device: the image goes to RTC memory, or the deep sleep is refused (as Esp32Platform:
    // the runtime resumes with this cause).
    if (target === T_HIBERNATE && !this.rtc.save()) return WAKE_TIMER;
    this.enter(target === T_HIBERNATE ? SLEEP_DEEP : SLEEP_LIGHT);
    if (target === T_HIBERNATE) this.rtcDeepSleepAt = this.time.now();
    let delay = this.timerWakeUs > 0 ? this.timerWakeUs : -1;
    if (this.wakeAtUs >= 0) {
      // The earlier of the board's timer wake and the governor's (a wake time already past wakes at once).
      const at = this.wakeAtUs > this.time.now() ? this.wakeAtUs - this.time.now() : 0;
      if (delay < 0 || at < delay) delay = at;
      this.wakeAtUs = -1;
    }
    if (delay >= 0) this.arm(WAKE_TIMER, delay);
    return WAKE_NONE;
  }

  /** Platform.wakeAt: the next sleep wakes by timer at absolute `timeUs` (-1: none). */
  wakeAt(timeUs: number): void {
    this.wakeAtUs = timeUs;
  }

  setWakeCallback(callback: (cause: number) => void): void {
    this.wakeCallback = callback;
  }

  hibernateSleptUs(): number {
    return this.rtcSleptUs;
  }

  hibernateWakeCause(): number {
    const cause = this.rtcWakeCause;
    this.rtcWakeCause = WAKE_NONE;
    return cause;
  }

  /** Reboot: any sleep or wake in progress is forgotten with the firmware (RTC memory, `rtc`, is kept). */
  reset(): void {
    this.rtc.unbind();
    this.time.cancel(this.wakeTimer);
    this.wakeAtUs = -1;
    this.sleeping = SLEEP_NONE;
    this.exiting = 0;
    this.wakeCallback = null;
    this.sink = null;
  }

  /**
   * The wake event of the present sleep, now, with `cause` (the wake timer path, also used for an
   * injected timer wake): the SoC is running again, the firmware resumes after the wake latency.
   */
  wakeNow(cause: number): void {
    const mode = this.sleeping;
    if (mode === SLEEP_NONE || this.exiting === 1) return;
    this.time.cancel(this.wakeTimer);
    if (this.onSleepChange !== null) this.onSleepChange(SLEEP_NONE);
    if (mode === SLEEP_HOLD) {
      this.finishWake(cause);
      return;
    }
    this.exiting = 1;
    this.exitStartedAt = this.time.now();
    this.pendingCause = cause;
    this.time.schedule(this.wakeTimer, mode === SLEEP_DEEP ? this.deepWakeUs : this.lightWakeUs);
  }

  /** True from a wake event to the end of the wake latency: `sleeping` still names the sleep, but nothing more is needed to end it. */
  get waking(): boolean {
    return this.exiting === 1;
  }

  /**
   * True while the peripherals run: awake, or past the light-sleep hardware wake (the UART fills its
   * FIFO while the CPU is still on the software sleep-out path). A deep-sleep exit is a boot: false.
   */
  get peripheralsAwake(): boolean {
    if (this.sleeping === SLEEP_NONE) return true;
    return this.exiting === 1 && this.sleeping === SLEEP_LIGHT && this.time.now() - this.exitStartedAt >= LIGHT_SLEEP_HW_OUT_US;
  }

  private finishWake(cause: number): void {
    const mode = this.sleeping;
    this.exiting = 0;
    this.sleeping = SLEEP_NONE;
    if (mode === SLEEP_DEEP) {
      // The sleep lasted until the wake event; the boot that follows reads it (ESP32: esp_rtc_get_time_us).
      this.rtcSleptUs = this.rtcDeepSleepAt >= 0 ? this.exitStartedAt - this.rtcDeepSleepAt : -1;
      this.rtcDeepSleepAt = -1;
      if (this.onDeepWake !== null) this.onDeepWake(cause);
      return;
    }
    if (this.wakeCallback !== null) this.wakeCallback(cause);
  }

  private enter(mode: number): void {
    this.sleeping = mode;
    if (this.onSleepChange !== null) this.onSleepChange(mode);
  }

  private arm(cause: number, delayUs: number): void {
    this.pendingCause = cause;
    this.time.schedule(this.wakeTimer, delayUs);
  }

  /** A line reached the runtime: if it is a wake source for the present sleep, that is the wake event. */
  private lineRaised(line: number): void {
    const mode = this.sleeping;
    if (mode === SLEEP_NONE || this.exiting === 1) return;
    const wakes = mode === SLEEP_DEEP ? this.deepWakeLines[line] : this.wakeLines[line];
    if (wakes !== 1) return;
    this.arm(line, 0);
  }
}
