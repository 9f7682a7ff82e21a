// Runtime Platform on the virtual clock: timer pool, masking flag, light sleep ending on wake lines, deep sleep = reboot.
import type { IrqSource, BoardPlatform, WakeSource } from "../../boards/types";
import { T_HIBERNATE, TEST_PLATFORM, WAKE_NONE, WAKE_TEST_HOLD, WAKE_TIMER } from "../../runtime/status";
import type { SimTime } from "./sim-time";

/** Simulated SoC: awake. */
export const SLEEP_NONE = 0;
/** Simulated SoC: in light sleep (standby). */
export const SLEEP_LIGHT = 1;
/** Simulated SoC: in deep sleep (hibernate); the wake reboots the firmware. */
export const SLEEP_DEEP = 2;
/** Simulated SoC: a test level's hold (TEST_PLATFORM), not a sleep. */
export const SLEEP_HOLD = 3;

function noop(): void {}

/*
 * Wake latency: time from the wake event to the firmware running again. ESP-IDF charges these for
 * the ESP32 (components/esp_hw_support/sleep_modes.c and Kconfig):
 * - light sleep: DEFAULT_HARDWARE_OUT_OVERHEAD_US 60 us, plus DEFAULT_SLEEP_OUT_OVERHEAD_US, the
 *   software sleep-out path: 212 us with CONFIG_PM_SLP_IRAM_OPT (code in IRAM), else 476 us. The
 *   option defaults to n, so 60 + 476 = 536 us unless a board says otherwise.
 * - deep sleep: DEEP_SLEEP_TIME_OVERHEAD_US 250 + 100 * 240 / f_CPU(MHz) us until the wake stub
 *   (350 us at 240 MHz), plus CONFIG_ESP_SLEEP_WAIT_FLASH_READY_EXTRA_DELAY 2000 us (ESP32 default)
 *   before flash is read: 2350 us, then the reboot.
 * The SoC draws active current from the wake event on (it is running the exit path).
 */
export const LIGHT_SLEEP_HW_OUT_US = 60;
export const LIGHT_SLEEP_SW_OUT_US = 476;
export const LIGHT_SLEEP_SW_OUT_IRAM_US = 212;
export const DEEP_SLEEP_FLASH_READY_US = 2000;

/** Deep-sleep wake to flash-ready at `cpuMhz`: 250 + 100 * 240 / f_CPU + 2000 us. */
export function deepSleepWakeUs(cpuMhz: number): number {
  return 250 + (100 * 240) / cpuMhz + DEEP_SLEEP_FLASH_READY_US;
}

/**
 * Timers the runtime and drivers create come from a pool of clock slots made once here, so a reboot
 * (deep-sleep wake) can hand the same slots to the new boot: `reset` cancels them and forgets the old
 * callbacks, which is what losing RAM does to the old firmware's timers.
 *
 * Sleep: standby ends when a wake-capable line is raised (the IRQ sink passes through here first) or
 * the armed timer wake fires; a wake line already latched makes it return at once (ESP32 light sleep
 * returns immediately if a wake source is pending). Hibernate ends the same way but on hibernate-
 * capable lines only, and the wake is a reboot, done by the board through `onDeepWake`. Either ends
 * after its wake latency (above): `sleeping` stays set until the firmware runs, so bytes arriving
 * meanwhile are lost as on the chip. TEST_PLATFORM holds `holdUs` (a wake line ends the hold early;
 * nothing slept, so no latency).
 */
export class SimPlatform implements BoardPlatform {
  readonly time: SimTime;
  irqSource: IrqSource | undefined = undefined;
  /** CPU time one now() call costs (esp_timer_get_time is ~60 cycles at 240 MHz). */
  readonly nowCostUs: number;
  private readonly slots: Int32Array;
  private readonly callbacks: (() => void)[];
  private created = 0;
  private readonly wakeTimer: number;
  private wakeCallback: ((cause: number) => void) | null = null;
  private pendingCause = WAKE_NONE;
  /** 1 between the wake event and the end of the wake latency. */
  private exiting = 0;
  private exitStartedAt = 0;
  /** Light-sleep and deep-sleep wake latency (us); see the constants above. */
  lightWakeUs = LIGHT_SLEEP_HW_OUT_US + LIGHT_SLEEP_SW_OUT_US;
  deepWakeUs = deepSleepWakeUs(240);
  /** SLEEP_* state, masks depth, counters. */
  sleeping = SLEEP_NONE;
  masked = 0;
  singleCpu = 0;
  sleeps = 0;
  /** Armed before each sleep like esp_sleep_enable_timer_wakeup; 0 = off. */
  timerWakeUs = 0;
  /** RTC memory: the wake cause of the deep sleep this boot came from, WAKE_NONE on power-on. */
  rtcWakeCause = WAKE_NONE;
  /** Boot messages. */
  readonly messages: string[] = [];
  private readonly wakeLines: Uint8Array;
  private readonly deepWakeLines: Uint8Array;
  private sink: { raise(line: number): void } | null = null;
  /** The board's reboot (deep-sleep wake), bound once. */
  onDeepWake: ((cause: number) => void) | null = null;
  /** SoC power mode changes (energy meter), bound once. */
  onSleepChange: ((mode: number) => void) | null = null;
  /** What the IRQ source posts into: forwards to the runtime, then checks for a wake. */
  readonly sinkProxy: { raise(line: number): void };

  constructor(time: SimTime, poolSize: number, lines: number, wakeSources: readonly WakeSource[], nowCostUs: number) {
    this.time = time;
    this.nowCostUs = nowCostUs;
    this.slots = new Int32Array(poolSize);
    this.callbacks = new Array(poolSize);
    const self = this;
    for (let i = 0; i < poolSize; i++) {
      this.callbacks[i] = noop;
      const k = i;
      this.slots[i] = time.createTimer(function poolTimer(): void {
        self.callbacks[k]();
      });
    }
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

  now(): number {
    return this.time.spend(this.nowCostUs);
  }

  createTimer(callback: () => void): number {
    if (this.created === this.slots.length) {
      throw new RangeError("SimPlatform: all " + this.slots.length + " runtime timer slots are used; raise timerSlots in SimBoardOptions");
    }
    this.callbacks[this.created] = callback;
    return this.created++;
  }

  schedule(handle: number, delayUs: number): void {
    this.time.schedule(this.slots[handle], delayUs);
  }

  cancel(handle: number): void {
    this.time.cancel(this.slots[handle]);
  }

  maskInterrupts(): void {
    this.masked++;
  }

  unmaskInterrupts(): void {
    this.masked--;
  }

  enterSingleCpu(): void {
    this.singleCpu++;
  }

  leaveSingleCpu(): void {
    this.singleCpu--;
  }

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
    this.enter(target === T_HIBERNATE ? SLEEP_DEEP : SLEEP_LIGHT);
    if (this.timerWakeUs > 0) this.arm(WAKE_TIMER, this.timerWakeUs);
    return WAKE_NONE;
  }

  setWakeCallback(callback: (cause: number) => void): void {
    this.wakeCallback = callback;
  }

  hibernateWakeCause(): number {
    const cause = this.rtcWakeCause;
    this.rtcWakeCause = WAKE_NONE;
    return cause;
  }

  log(message: string): void {
    this.messages.push(message);
  }

  /** Reboot: the old firmware's timers die with its RAM. */
  reset(): void {
    for (let i = 0; i < this.created; i++) {
      this.time.cancel(this.slots[i]);
      this.callbacks[i] = noop;
    }
    this.created = 0;
    this.time.cancel(this.wakeTimer);
    this.sleeping = SLEEP_NONE;
    this.exiting = 0;
    this.masked = 0;
    this.singleCpu = 0;
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
