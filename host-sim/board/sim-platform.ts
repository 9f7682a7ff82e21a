// Runtime Platform on the virtual clock: timer pool, masking flag, light sleep ending on wake lines, deep sleep = reboot.
import type { IrqSource, BoardPlatform, WakeSource } from "../../boards/types";
import { T_HIBERNATE, TEST_PLATFORM, WAKE_NONE, WAKE_TEST_HOLD, WAKE_TIMER } from "../../runtime/status";
import type { SimTime } from "./sim-time";
import { IMAGE_LOADED, PLATFORM_IMAGE_NONE, PLATFORM_IMAGE_OTHER_LAYOUT } from "../../drivers/common/image-store";
import { dispatchUsPerHook, ESP32_XS_UNITS_PER_US } from "./dispatch-cost";
import { DEEP_SLEEP_APP_BOOT_US, deepSleepWakeUs, LIGHT_SLEEP_HW_OUT_US, LIGHT_SLEEP_SW_OUT_US, lightSleepEntryUs } from "./sleep-latency";

/** Simulated SoC: awake. */
export const SLEEP_NONE = 0;
/** Simulated SoC: in light sleep (standby). */
export const SLEEP_LIGHT = 1;
/** Simulated SoC: in deep sleep (hibernate); the wake reboots the firmware. */
export const SLEEP_DEEP = 2;
/** Simulated SoC: a test level's hold (TEST_PLATFORM), not a sleep. */
export const SLEEP_HOLD = 3;

function noop(): void {}

/** RTC slow memory kept for the hibernate image: the native module's default (quiesce-native.c, manifests/esp32.json rtcImageBytes). */
export const RTC_IMAGE_BYTES = 2048;

// Sleep entry/exit latencies (ESP-IDF constants) live in sleep-latency.ts; re-exported for existing importers.
export {
  DEEP_SLEEP_APP_BOOT_US, DEEP_SLEEP_FLASH_READY_US, deepSleepWakeUs, LIGHT_SLEEP_HW_OUT_US, LIGHT_SLEEP_SW_OUT_IRAM_US,
  LIGHT_SLEEP_SW_OUT_US, lightSleepEntryUs,
} from "./sleep-latency";

/**
 * Timers the runtime and drivers create come from a pool of clock slots made once here, so a reboot
 * (deep-sleep wake) can hand the same slots to the new boot: `reset` cancels them and forgets the old
 * callbacks, which is what losing RAM does to the old firmware's timers.
 *
 * Sleep: standby ends when a wake-capable line is raised (the IRQ sink passes through here first) or
 * the armed timer wake fires; a wake line already latched makes it return at once (ESP32 light sleep
 * returns immediately if a wake source is pending). Hibernate ends the same way but on hibernate-
 * capable lines only, and the wake is a reboot, done by the board through `onDeepWake`. Either ends
 * after its wake latency (sleep-latency.ts), and light sleep starts after its entry path: `sleeping` stays set until the firmware runs, so bytes arriving
 * meanwhile are lost as on the chip. TEST_PLATFORM holds `holdUs` (a wake line ends the hold early;
 * nothing slept, so no latency).
 */
export class SimPlatform implements BoardPlatform {
  /** The board's time: every timer and sleep of the platform runs on it. */
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
  /** Light-sleep wake latency (us), hardware and software paths; see sleep-latency.ts. */
  lightWakeUs = LIGHT_SLEEP_HW_OUT_US + LIGHT_SLEEP_SW_OUT_US;
  /** Deep-sleep wake to flash-ready at 240 MHz (us); `appBootUs` follows. */
  deepWakeUs = deepSleepWakeUs(240);
  /** Light-sleep entry path (us, CPU busy at active current before the chip sleeps); 0 = none. */
  lightEntryUs = lightSleepEntryUs(240);
  /** Boot after a deep-sleep wake or reset, from flash-ready to the firmware (us); the board spends it in reboot. */
  appBootUs = DEEP_SLEEP_APP_BOOT_US;
  /** CPU time the runtime spends dispatching one hook, per stage (host-sim/board/dispatch-cost.ts). */
  readonly dispatchUs = new Float64Array(5);
  /** Dispatches charged so far. */
  dispatches = 0;
  /** CPU time charged for those dispatches (us). */
  dispatchTotalUs = 0;
  /** Bound once: the fault wrapper calls it before every hook (boards/boot.ts wrap). */
  readonly chargeDispatch: (stage: number) => void;
  /** SLEEP_* state. */
  sleeping = SLEEP_NONE;
  /** Nesting depth of maskInterrupts (0: unmasked). */
  masked = 0;
  /** Nesting depth of enterSingleCpu (0: both CPUs run). */
  singleCpu = 0;
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
  /**
   * RTC slow memory's share for the hibernate image (BoardPlatform.imageBytes): 2,048 bytes, the
   * native module's default (boards/esp32/quiesce-native.c MODDEF_QUIESCE_RTCIMAGEBYTES) of the
   * ESP32's 8 KB (TRM §1.3.2.2). Made once, so it survives the deep sleep's reboot as RTC memory does.
   */
  readonly imageBytes: number;
  private readonly rtcImage: Uint8Array;
  /** Bytes of `rtcImage` holding a valid image, 0 none. */
  private rtcImageLength = 0;
  /** The arena a hibernate copies into RTC memory (bindImage), null: the board has a storage device. */
  private boundImage: Uint8Array | null = null;
  /** Hibernates refused because the bound image did not fit RTC memory (Esp32Platform.hibernateRefusals). */
  hibernateRefusals = 0;
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
  readonly sinkProxy: {
    /** Forwards `line` to the runtime's sink, then ends a sleep it is a wake line for. */
    raise(line: number): void;
  };

  constructor(time: SimTime, poolSize: number, lines: number, wakeSources: readonly WakeSource[], nowCostUs: number, xsUnitsPerUs = ESP32_XS_UNITS_PER_US,
    rtcImageBytes = RTC_IMAGE_BYTES) {
    this.time = time;
    this.imageBytes = rtcImageBytes;
    this.rtcImage = new Uint8Array(rtcImageBytes);
    this.nowCostUs = nowCostUs;
    this.setXsRate(xsUnitsPerUs);
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
    this.chargeDispatch = function chargeDispatch(stage: number): void {
      const us = self.dispatchUs[stage];
      self.dispatches++;
      if (us > 0) {
        self.dispatchTotalUs += us;
        self.time.spend(us);
      }
    };
  }

  /** The ESP32's XS rate (metered instructions per us) the dispatch cost is charged at; 0 turns it off. */
  setXsRate(unitsPerUs: number): void {
    dispatchUsPerHook(unitsPerUs, this.dispatchUs);
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
    // the runtime resumes with this cause). The copy (~1 KB at CPU speed, a few µs) is not charged.
    if (target === T_HIBERNATE && this.boundImage !== null) {
      const img = this.boundImage;
      this.rtcImageLength = 0;
      if (img.length > this.imageBytes) {
        this.hibernateRefusals++;
        return WAKE_TIMER;
      }
      this.rtcImage.set(img);
      this.rtcImageLength = img.length;
    }
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

  /**
   * Platform.nextDeadline: the earliest armed timer the firmware made (runtime, drivers, application
   * timers from this pool), absolute µs, or -1. The virtual clock knows each slot's deadline; the
   * models' own timers and the platform's wake timer are not firmware timers and are left out.
   */
  nextDeadline(): number {
    const clock = this.time.clock;
    let best = -1;
    for (let i = 0; i < this.created; i++) {
      const t = clock.deadlineOf(this.slots[i]);
      if (t !== Infinity && (best < 0 || t < best)) best = t;
    }
    return best;
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

  log(message: string): void {
    this.messages.push(message);
  }

  /** BoardPlatform.bindImage: a hibernate copies `bytes` into RTC memory (the board has no storage device). */
  bindImage(bytes: Uint8Array, _flashAddress: number): void {
    this.boundImage = bytes;
  }

  /** BoardPlatform.loadImage: the RTC image into `into`, consumed (a later boot never sees it again). */
  loadImage(into: Uint8Array): number {
    const n = this.rtcImageLength;
    this.rtcImageLength = 0;
    if (n === 0) return PLATFORM_IMAGE_NONE;
    if (n !== into.length) return PLATFORM_IMAGE_OTHER_LAYOUT;
    into.set(this.rtcImage.subarray(0, n));
    return IMAGE_LOADED;
  }

  /**
   * Tests: RTC slow memory as `other` left it (its hibernate image, if any, not consumed): another
   * firmware on the same chip, as an OTA update that takes effect at the deep-sleep wake would boot.
   */
  adoptRtcMemory(other: SimPlatform): void {
    const n = Math.min(other.rtcImageLength, this.rtcImage.length);
    this.rtcImage.set(other.rtcImage.subarray(0, n));
    this.rtcImageLength = n;
  }

  /** BoardPlatform.clearImage: a cold boot forgets the RTC image. */
  clearImage(): void {
    this.rtcImageLength = 0;
  }

  /** Reboot: the old firmware's timers die with its RAM (RTC memory, `rtcImage`, is kept). */
  reset(): void {
    this.boundImage = null;
    for (let i = 0; i < this.created; i++) {
      this.time.cancel(this.slots[i]);
      this.callbacks[i] = noop;
    }
    this.created = 0;
    this.time.cancel(this.wakeTimer);
    this.wakeAtUs = -1;
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
