// Runtime Platform on the virtual clock: the sleeps of sim-sleep.ts plus the timer pool, masking, CPU costs, log and image hooks.
import type { IrqSource, BoardPlatform, WakeSource } from "../../boards/types";
import type { SimTime } from "./sim-time";
import { dispatchUsPerHook, ESP32_XS_UNITS_PER_US } from "./dispatch-cost";
import { RTC_IMAGE_BYTES } from "./rtc-memory";
import { SimSleep } from "./sim-sleep";
import { SimTimerPool } from "./timer-pool";

// Sleep entry/exit latencies (ESP-IDF constants) live in sleep-latency.ts; re-exported for existing importers.
export {
  DEEP_SLEEP_APP_BOOT_US, DEEP_SLEEP_FLASH_READY_US, deepSleepWakeUs, LIGHT_SLEEP_HW_OUT_US, LIGHT_SLEEP_SW_OUT_IRAM_US,
  LIGHT_SLEEP_SW_OUT_US, lightSleepEntryUs,
} from "./sleep-latency";

/**
 * Timers the runtime and drivers create come from a pool made once (timer-pool.ts), so a reboot
 * (deep-sleep wake) hands the same slots to the new boot; the hibernate image of a board without a
 * storage device goes to RTC memory (rtc-memory.ts), which the reboot keeps. Sleeps and wakes:
 * sim-sleep.ts.
 */
export class SimPlatform extends SimSleep implements BoardPlatform {
  irqSource: IrqSource | undefined = undefined;
  /** CPU time one now() call costs (esp_timer_get_time is ~60 cycles at 240 MHz). */
  readonly nowCostUs: number;
  private readonly timers: SimTimerPool;
  /** CPU time the runtime spends dispatching one hook, per stage (host-sim/board/dispatch-cost.ts). */
  readonly dispatchUs = new Float64Array(5);
  /** Dispatches charged so far. */
  dispatches = 0;
  /** CPU time charged for those dispatches (us). */
  dispatchTotalUs = 0;
  /** Bound once: the fault wrapper calls it before every hook (boards/boot.ts wrap). */
  readonly chargeDispatch: (stage: number) => void;
  /** Nesting depth of maskInterrupts (0: unmasked). */
  masked = 0;
  /** Nesting depth of enterSingleCpu (0: both CPUs run). */
  singleCpu = 0;
  /** RTC slow memory's share for the hibernate image (BoardPlatform.imageBytes): 2,048 bytes unless told (rtc-memory.ts). */
  readonly imageBytes: number;
  /** Boot messages. */
  readonly messages: string[] = [];

  constructor(time: SimTime, poolSize: number, lines: number, wakeSources: readonly WakeSource[], nowCostUs: number, xsUnitsPerUs = ESP32_XS_UNITS_PER_US,
    rtcImageBytes = RTC_IMAGE_BYTES) {
    // The pool's clock slots come before the wake timer's, as they always have (equal deadlines fire in slot order).
    const timers = new SimTimerPool(time, poolSize);
    super(time, lines, wakeSources, rtcImageBytes);
    this.timers = timers;
    this.imageBytes = rtcImageBytes;
    this.nowCostUs = nowCostUs;
    this.setXsRate(xsUnitsPerUs);
    const self = this;
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
    return this.timers.create(callback);
  }

  schedule(handle: number, delayUs: number): void {
    this.timers.schedule(handle, delayUs);
  }

  cancel(handle: number): void {
    this.timers.cancel(handle);
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

  /** Platform.nextDeadline: the earliest armed timer the firmware made (runtime, drivers, application), absolute µs, or -1. */
  nextDeadline(): number {
    return this.timers.nextDeadline();
  }

  log(message: string): void {
    this.messages.push(message);
  }

  /** BoardPlatform.bindImage: a hibernate copies `bytes` into RTC memory (the board has no storage device). */
  bindImage(bytes: Uint8Array, _flashAddress: number): void {
    this.rtc.bind(bytes);
  }

  /** BoardPlatform.loadImage: the RTC image into `into`, consumed (a later boot never sees it again). */
  loadImage(into: Uint8Array): number {
    return this.rtc.load(into);
  }

  /** Hibernates refused because the bound image did not fit RTC memory (Esp32Platform.hibernateRefusals). */
  get hibernateRefusals(): number {
    return this.rtc.refusals;
  }

  /**
   * Tests: RTC slow memory as `other` left it (its hibernate image, if any, not consumed): another
   * firmware on the same chip, as an OTA update that takes effect at the deep-sleep wake would boot.
   */
  adoptRtcMemory(other: SimPlatform): void {
    this.rtc.adopt(other.rtc);
  }

  /** BoardPlatform.clearImage: a cold boot forgets the RTC image. */
  clearImage(): void {
    this.rtc.clear();
  }

  /** Reboot: the old firmware's timers, masks and sleep state die with its RAM (RTC memory, `rtc`, is kept). */
  override reset(): void {
    super.reset();
    this.timers.reset();
    this.masked = 0;
    this.singleCpu = 0;
  }
}
