// BUSY polling for W25Q program/erase: a timer-driven status-register poll with the datasheet maximum as deadline; never busy-waits.
import type { Platform } from "../../runtime/platform";
import { OK, IO, TIMEOUT } from "../../runtime/status";
import { type FlashPort, STATUS_BUSY } from "./flash";

/** Who started the operation being polled. */
export const BY_NONE = 0;
export const BY_QUEUE = 1;
export const BY_JOB = 2;

/**
 * First poll at the typical time, then every typical/8, until status register-1 bit 0 clears (OK),
 * the read fails (IO) or the maximum passes (TIMEOUT: a stuck chip). One operation at a time; `done`
 * (bound once at boot) hears who started it and the outcome.
 */
export class BusyPoll {
  /** Status polls made since boot. */
  polls = 0;
  /** Who owns the operation in flight (BY_*), BY_NONE when the chip is idle. */
  by = BY_NONE;
  private deadline = 0;
  private interval = 0;
  private readonly flash: FlashPort;
  private readonly platform: Platform;
  private readonly timer: number;
  private readonly done: (by: number, status: number) => void;

  constructor(flash: FlashPort, platform: Platform, done: (by: number, status: number) => void) {
    this.flash = flash;
    this.platform = platform;
    this.done = done;
    const self = this;
    this.timer = platform.createTimer(function w25qPoll(): void {
      self.poll();
    });
  }

  start(by: number, typUs: number, maxUs: number): void {
    this.by = by;
    this.deadline = this.platform.now() + maxUs;
    this.interval = typUs / 8;
    this.platform.schedule(this.timer, typUs);
  }

  private poll(): void {
    this.polls++;
    let status = OK;
    if (!this.flash.readStatus()) status = IO;
    else if ((this.flash.status & STATUS_BUSY) !== 0) {
      if (this.platform.now() < this.deadline) {
        this.platform.schedule(this.timer, this.interval);
        return;
      }
      status = TIMEOUT;
    }
    const by = this.by;
    this.by = BY_NONE;
    this.done(by, status);
  }
}
