// The sleep stage: a real platform sleep, a platform-level test hold, or a devices-level hold in the event loop.
import type { Platform } from "./platform";
import type { IrqController } from "./irq";
import type { MaskWindow } from "./mask";
import type { Recorder } from "./recorder";
import { TEST_DEVICES, WAKE_NONE, WAKE_TEST_HOLD } from "./status";

/**
 * Linux's pm_test levels: TEST_DEVICES runs every device stage but no platform call and holds in the
 * event loop (IRQs on: a JS timer cannot fire inside the critical section, and a wake source ends
 * the hold as it would end a sleep); TEST_PLATFORM calls the platform with a hold instead of a sleep.
 * `end` is the one way out: the platform's wake callback, a synchronous wake, the hold timer or a
 * wake line during a devices-level hold; it reports to the owner once per sleep.
 */
export class SleepStage {
  private readonly platform: Platform;
  private readonly irq: IrqController;
  private readonly window: MaskWindow;
  private readonly rec: Recorder;
  private readonly holdUs: number;
  private readonly ended: (cause: number) => void;
  private readonly holdTimer: number;
  private sleeping = false;
  private stage = -1;
  private test = 0;
  private start = 0;

  constructor(platform: Platform, irq: IrqController, window: MaskWindow, rec: Recorder, holdUs: number, ended: (cause: number) => void) {
    this.platform = platform;
    this.irq = irq;
    this.window = window;
    this.rec = rec;
    this.holdUs = holdUs;
    this.ended = ended;
    this.holdTimer = platform.createTimer(() => this.holdOver(WAKE_TEST_HOLD));
    platform.setWakeCallback((cause: number) => this.end(cause));
  }

  /**
   * Sleeps (IRQs already masked); a synchronous wake (ESP32 light sleep) ends the stage before this returns.
   * false, nothing slept: `woken` (a wake line or a PM lock) became true in the sleep record's trace listener.
   */
  enter(stage: number, target: number, test: number, woken: () => boolean): boolean {
    const now = this.platform.now();
    this.sleptUs = -1;
    this.sleeping = true;
    this.stage = stage;
    this.test = test;
    this.start = now;
    this.rec.sleepEnter(now, stage, target);
    if (woken()) {
      // The timeline's sleep lane closes at once: 0 µs, ended by the line (WAKE_NONE for a lock).
      this.sleeping = false;
      this.rec.sleepExit(now, stage, 0, this.irq.wakeLine >= 0 ? this.irq.wakeLine : WAKE_NONE);
      return false;
    }
    if (test === TEST_DEVICES) {
      this.window.unmask();
      this.platform.schedule(this.holdTimer, this.holdUs);
      return true;
    }
    const cause = this.platform.sleep(target, test, this.holdUs);
    if (cause !== WAKE_NONE) this.end(cause);
    return true;
  }

  /** The last sleep's length after a hibernate reboot (the RTC clock's), -1 when the platform cannot tell. */
  sleptUs = -1;

  /** After a reboot from a hibernate image: the image's attempt is asleep until the resume starts. */
  enterFromImage(stage: number, sleptUs: number): void {
    this.sleeping = true;
    this.stage = stage;
    this.test = 0;
    this.sleptUs = sleptUs;
    // The sleep is recorded as `sleptUs` long, ending now (a clock that restarted at the reboot cannot say more).
    this.start = this.platform.now() - (sleptUs >= 0 ? sleptUs : 0);
  }

  /** A wake line fired while a suspend was armed: a devices-level hold ends like a sleep would. */
  wakeRaised(line: number): void {
    this.rec.wakeRaised(this.platform.now(), line);
    if (this.sleeping && this.test === TEST_DEVICES && !this.irq.masked) this.holdOver(line);
  }

  /** The sleep ended with `cause`; nothing if no sleep is in progress. */
  end(cause: number): void {
    if (!this.sleeping) return;
    this.sleeping = false;
    const now = this.platform.now();
    this.rec.sleepExit(now, this.stage, now - this.start, cause);
    this.ended(cause);
  }

  private holdOver(cause: number): void {
    if (!this.sleeping || this.test !== TEST_DEVICES) return;
    this.platform.cancel(this.holdTimer);
    this.window.mask();
    this.end(cause);
  }
}
