// The runtime Platform on ESP32: microsecond clock, Moddable timers re-armed without allocating, critical section, light and deep sleep.
import { T_HIBERNATE, TEST_PLATFORM, WAKE_NONE, WAKE_TEST_HOLD, WAKE_TIMER } from "../../runtime/status";
// Only a constant: the face itself arrives through the options, so tests pass a recording fake.
import { RESET_DEEP_SLEEP } from "./native";
import type { BoardPlatform, IrqSource } from "../types";
import type { Esp32WakePlan } from "../esp32-wake";
import { IMAGE_LOADED, PLATFORM_IMAGE_OTHER_LAYOUT } from "../../drivers/common/image-store";

/** quiesce-native.c's default MODDEF_QUIESCE_RTCIMAGEBYTES (manifests/esp32.json defines.quiesce.rtcImageBytes). */
export const RTC_IMAGE_BYTES_DEFAULT = 2048;

/** The native module as Esp32Platform calls it (boards/esp32/native.ts; a recording fake in tests). */
export interface QuiesceNative {
  /** esp_timer time since boot, µs. */
  nowUs(): number;
  /** Masks this core's interrupts (our spinlock's critical section); keep it short (interrupt watchdog). */
  enterCritical(): number;
  /** Leaves the critical section `enterCritical` entered. */
  leaveCritical(): number;
  /** Stalls the other core (esp_ipc_isr); calls nest. */
  stallOther(): number;
  /** Releases one `stallOther`. */
  releaseOther(): number;
  /** Light sleep woken by every GPIO of `wakeMask` (level 1 where `highMask` has it), the UART and the timer (mask 0, port < 0, `timerUs` <= 0: off): the wake cause (IRQ line or WAKE_*). */
  lightSleep(wakeMask: number, highMask: number, uartPort: number, uartThreshold: number, uartLine: number, timerUs: number): number;
  /** Deep sleep woken by ext0 (one RTC GPIO, -1 none), ext1 (RTC GPIO mask, EXT1_* mode) and the timer: returns a wake cause only if the sleep was rejected; otherwise the chip reboots. */
  deepSleep(ext0Pin: number, ext0Level: number, ext1Mask: number, ext1Mode: number, timerUs: number): number;
  /** esp_reset_reason() as a RESET_* code. */
  resetReason(): number;
  /** What ended the deep sleep this boot came from (IRQ line or WAKE_*). */
  bootWakeCause(ext0Pin: number, ext1Mask: number, uartLine: number): number;
  /** How long the deep sleep this boot came from lasted by the RTC clock, µs, -1 unknown. */
  bootSleptUs(): number;
  /** Keeps the image in RTC memory (or only its header when it is at `flashAddress`): bytes kept inline, or IMAGE_TOO_LARGE. */
  imageSave(buffer: Uint8Array, flashAddress: number): number;
  /** Copies the RTC image into `buffer`: its length, or IMAGE_NONE, IMAGE_BAD_CHECKSUM, IMAGE_TOO_LARGE, IMAGE_IN_FLASH. */
  imageLoad(buffer: Uint8Array): number;
  /** Checks `buffer` (read back from flash) against the RTC header: the image length, or IMAGE_NONE / IMAGE_BAD_CHECKSUM. */
  imageVerify(buffer: Uint8Array): number;
  /** Invalidates the RTC image header. */
  imageClear(): number;
  /** One IMAGE_INFO_* field of the RTC header, -1 for an unknown field. */
  imageInfo(field: number): number;
  /** Native counter `index` (STAT_*), -1 from STAT_COUNT on. */
  stat(index: number): number;
  /** 1 in a debug build (UART0 then carries xsbug, so the console must not open it), else 0. */
  debugBuild(): number;
}

/** Moddable's `timer` module, as far as the platform uses it. */
export interface TimerApi {
  /** Timer.set: a timer calling `callback` after `interval` ms, then every `repeat` ms. */
  set(callback: () => void, interval: number, repeat: number): unknown;
  /** Timer.schedule: re-arms `timer` without allocating. */
  schedule(timer: unknown, interval?: number, repeat?: number): void;
}

/**
 * Where the hardware critical section spans.
 * - MASK_NOIRQ: from S3 to R1 (the DESIGN's mask window), other CPU stalled too. Only for boards whose
 *   NoIrq hooks touch registers and GPIO alone: an ESP-IDF I2C or SPI transfer waits for its own
 *   interrupt and a semaphore, which inside the critical section deadlocks (or trips the interrupt
 *   watchdog after CONFIG_ESP_INT_WDT_TIMEOUT_MS = 300 ms).
 * - MASK_SLEEP: only around the native sleep call. The S3..R1 window is still atomic for JavaScript:
 *   the runtime runs it in one turn, and Moddable delivers GPIO and UART events as messages the XS
 *   task reads only between turns (the ISR coalesces them per instance), which is the latch.
 */
export const MASK_NOIRQ = 0;
/** Mask mode: latch IRQs in the runtime across S3..R1 and enter the hardware critical section only around the sleep call (drivers may do I2C/SPI in NoIrq hooks). */
export const MASK_SLEEP = 1;

/** How `Esp32Platform` masks, which GPIO/UART/timer wakes each sleep, and where its boot messages go. */
export interface Esp32PlatformOptions {
  /** MASK_NOIRQ or MASK_SLEEP: where the hardware critical section spans. */
  maskMode: number;
  /** The board's GPIO wake sources as the chip arms them (boards/esp32-wake.ts esp32WakePlan): all for light sleep, the hibernate ones as ext0 + ext1. */
  wake: Esp32WakePlan;
  /** Console UART that wakes light sleep (-1: none), the RX edges that count, and its IRQ line. */
  uartPort: number;
  /** RX edges that wake light sleep (esp_sleep_enable_uart_wakeup's threshold). */
  uartThreshold: number;
  /** IRQ line reported as the cause of a UART wake. */
  uartLine: number;
  /** Timer wake from standby / hibernate in microseconds, 0 for none. */
  standbyTimerUs: number;
  /** RTC timer wake from hibernate, µs (0: none). */
  hibernateTimerUs: number;
  /** Boot messages (main.ts passes trace or the console). */
  log: (message: string) => void;
  /** RTC slow memory for the image of a board without a storage device: the manifest's defines.quiesce.rtcImageBytes (default 2,048). */
  rtcImageBytes?: number;
  /** Where Digital/Serial events enter the runtime (boards/esp32/irq-source.ts). */
  irqSource?: IrqSource;
}

// A Moddable timer whose repeat interval is 0 is freed after its callback; ours keep a repeat and are
// unscheduled in the callback instead, so one Timer.set at boot serves forever (Timer.schedule does not allocate).
const PARKED_REPEAT_MS = 0x3fffffff;

export class Esp32Platform implements BoardPlatform {
  /** The options it was made with. */
  readonly options: Esp32PlatformOptions;
  readonly irqSource?: IrqSource;
  private readonly face: QuiesceNative;
  private readonly timerApi: TimerApi;
  private readonly timers: unknown[] = [];
  private readonly callbacks: (() => void)[] = [];
  /** Per timer: when it is due (platform µs), -1 while not armed (nextDeadline reads these). */
  private readonly dueAt: number[] = [];
  /** The next sleep's timer wake (absolute µs, the governor's wakeAt), -1 none; used by one sleep. */
  private wakeAtUs = -1;
  private wake: ((cause: number) => void) | null = null;
  private image: Uint8Array | null = null;
  private imageFlashAddress = -1;
  /** In MASK_NOIRQ: 1 while this platform holds the critical section / the other CPU. */
  private critical = 0;
  private stalled = 0;
  /** Hibernate attempts that fell back to a resume (image too large, or deep sleep rejected). */
  hibernateRefusals = 0;
  /** BoardPlatform.imageBytes: what the native module's RTC image holds (quiesce-native.c MODDEF_QUIESCE_RTCIMAGEBYTES). */
  readonly imageBytes: number;

  constructor(face: QuiesceNative, timerApi: TimerApi, options: Esp32PlatformOptions) {
    if (options.maskMode !== MASK_NOIRQ && options.maskMode !== MASK_SLEEP) {
      throw new Error("Esp32Platform: maskMode " + options.maskMode + " is neither MASK_NOIRQ (0) nor MASK_SLEEP (1): set it in the board's platform options");
    }
    this.face = face;
    this.timerApi = timerApi;
    this.options = options;
    this.imageBytes = options.rtcImageBytes ?? RTC_IMAGE_BYTES_DEFAULT;
    if (options.irqSource !== undefined) this.irqSource = options.irqSource;
  }

  /** Boot: WAKE_NONE unless this boot is the wake from our deep sleep; then its cause (button line, WAKE_TIMER, WAKE_RESET). */
  hibernateWakeCause(): number {
    if (this.face.resetReason() !== RESET_DEEP_SLEEP) return WAKE_NONE;
    const w = this.options.wake;
    return this.face.bootWakeCause(w.ext0Pin, w.ext1Mask, this.options.uartLine);
  }

  /** Boot, after a hibernate wake: the sleep's length by the RTC clock (µs), -1 if unknown. */
  hibernateSleptUs(): number {
    return this.face.bootSleptUs();
  }

  log(message: string): void {
    this.options.log(message);
  }

  /**
   * Boot, optional: bytes `hibernate` copies into RTC slow memory with a checksummed header (for a
   * board without a storage device). Boards with one (ROLE_STORAGE, drivers/w25q) write the image
   * there during S1/S2 and leave this unbound: hibernate then only records the header and sleeps.
   */
  bindImage(bytes: Uint8Array, flashAddress: number): void {
    this.image = bytes;
    this.imageFlashAddress = flashAddress;
  }

  /** Boot after a hibernate wake (no storage device): the RTC image into `into`, then forgotten. IMAGE_LOADED or a PLATFORM_IMAGE_* code. */
  loadImage(into: Uint8Array): number {
    const n = this.face.imageLoad(into);
    this.face.imageClear();
    if (n < 0) return n;
    return n === into.length ? IMAGE_LOADED : PLATFORM_IMAGE_OTHER_LAYOUT;
  }

  /** Cold boot: the RTC image header is invalidated, so no later boot resumes from it. */
  clearImage(): void {
    this.face.imageClear();
  }

  now(): number {
    return this.face.nowUs();
  }

  createTimer(callback: () => void): number {
    const handle = this.timers.length;
    const self = this;
    const api = this.timerApi;
    const timer = api.set(function quiesceTimerFired(): void {
      self.fired(handle);
    }, PARKED_REPEAT_MS, PARKED_REPEAT_MS);
    api.schedule(timer);
    this.timers.push(timer);
    this.callbacks.push(callback);
    this.dueAt.push(-1);
    return handle;
  }

  schedule(handle: number, delayUs: number): void {
    // Moddable timers count milliseconds: round up so a deadline is never early.
    const ms = delayUs <= 0 ? 0 : Math.ceil(delayUs / 1000);
    this.dueAt[handle] = this.face.nowUs() + ms * 1000;
    this.timerApi.schedule(this.timers[handle], ms, PARKED_REPEAT_MS);
  }

  cancel(handle: number): void {
    this.dueAt[handle] = -1;
    this.timerApi.schedule(this.timers[handle]);
  }

  /** The earliest armed timer made here (runtime and drivers), absolute µs, or -1: a deadline for the idle governor. */
  nextDeadline(): number {
    let best = -1;
    for (let i = 0; i < this.dueAt.length; i++) {
      const t = this.dueAt[i];
      if (t >= 0 && (best < 0 || t < best)) best = t;
    }
    return best;
  }

  /** The next sleep (light or deep) wakes by the RTC timer at absolute `timeUs` (-1: only the board's timer wake). */
  wakeAt(timeUs: number): void {
    this.wakeAtUs = timeUs;
  }

  private fired(handle: number): void {
    this.dueAt[handle] = -1;
    this.timerApi.schedule(this.timers[handle]);
    this.callbacks[handle]();
  }

  /** The timer wake for this sleep in µs (0: none): the board's `boardUs`, or the governor's wake time if earlier. */
  private timerWake(boardUs: number): number {
    const at = this.wakeAtUs;
    if (at < 0) return boardUs;
    this.wakeAtUs = -1;
    const now = this.face.nowUs();
    // esp_sleep_enable_timer_wakeup takes >= 1 us; a wake time already past wakes at once.
    const us = at > now + 1 ? at - now : 1;
    return boardUs > 0 && boardUs < us ? boardUs : us;
  }

  maskInterrupts(): void {
    if (this.options.maskMode !== MASK_NOIRQ) return;
    this.face.enterCritical();
    this.critical = 1;
  }

  unmaskInterrupts(): void {
    if (this.critical === 0) return;
    this.critical = 0;
    this.face.leaveCritical();
  }

  enterSingleCpu(): void {
    if (this.options.maskMode !== MASK_NOIRQ) return;
    this.face.stallOther();
    this.stalled = 1;
  }

  leaveSingleCpu(): void {
    if (this.stalled === 0) return;
    this.stalled = 0;
    this.face.releaseOther();
  }

  setWakeCallback(callback: (cause: number) => void): void {
    this.wake = callback;
  }

  /**
   * Light sleep returns here with the cause (synchronous). Deep sleep does not return: the chip
   * resets and main.ts resumes from the RTC image; if it cannot sleep it answers a cause and the
   * runtime resumes as after a wake. TEST_PLATFORM holds in a real light sleep with a timer wake.
   */
  sleep(target: number, test: number, holdUs: number): number {
    const o = this.options;
    const own = this.critical === 0;
    if (own) this.face.enterCritical();
    let cause = WAKE_NONE;
    if (test === TEST_PLATFORM) {
      cause = this.face.lightSleep(o.wake.lightMask, o.wake.lightHighMask, o.uartPort, o.uartThreshold, o.uartLine, holdUs);
      if (cause === WAKE_TIMER) cause = WAKE_TEST_HOLD;
    } else if (target === T_HIBERNATE) {
      cause = this.hibernate();
    } else {
      cause = this.face.lightSleep(o.wake.lightMask, o.wake.lightHighMask, o.uartPort, o.uartThreshold, o.uartLine, this.timerWake(o.standbyTimerUs));
    }
    if (own) this.face.leaveCritical();
    return cause;
  }

  private hibernate(): number {
    const o = this.options;
    const w = o.wake;
    const image = this.image;
    if (image !== null && this.face.imageSave(image, this.imageFlashAddress) < 0) {
      this.hibernateRefusals++;
      return w.ext0Pin >= 0 ? w.ext0Pin : WAKE_TIMER;
    }
    const cause = this.face.deepSleep(w.ext0Pin, w.ext0Level, w.ext1Mask, w.ext1Mode, this.timerWake(o.hibernateTimerUs));
    // Only reached when ESP-IDF rejected the deep sleep: the image must not resurrect a later boot.
    this.face.imageClear();
    this.hibernateRefusals++;
    return cause;
  }

  /** Test hook and parity with host-sim: delivers an asynchronous wake (ESP32 never needs it). */
  wakeLater(cause: number): void {
    if (this.wake !== null) this.wake(cause);
  }
}
