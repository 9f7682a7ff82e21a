// The console's five platform timers, created once at boot and re-armed without allocating.
import type { Platform } from "../../runtime/platform";

/** Retry delay after the UART refused a write ("output full") and no onWritable is due. */
export const TX_RETRY_US = 1_000;

/**
 * How long the console keeps its device lock after the last byte typed: the idle governor does not
 * sleep while someone is at the console (a light sleep would lose the next keystroke, ESP32 UART wake).
 */
export const CONSOLE_HOLD_AWAKE_US = 30_000_000;

/** What the timers call back into (the console). */
export interface TimerTarget {
  service(): void;
  settled(): void;
  resyncQuiet(): void;
  retryWrite(): void;
  quiet(): void;
}

/**
 * Why a deferred "kick" at delay 0: work that follows a PM hook or the done callback (reading input,
 * running a command, completing our own S2) must run after the runtime's call returns, never inside
 * it. Platform timers are one-shot and re-armed with schedule (Timer.schedule on XS: no allocation).
 */
export class ConsoleTimers {
  private readonly platform: Platform;
  private readonly kickTimer: number;
  private readonly settleTimer: number;
  private readonly resyncTimer: number;
  private readonly retryTimer: number;
  private readonly quietTimer: number;

  constructor(platform: Platform, target: TimerTarget) {
    this.platform = platform;
    this.kickTimer = platform.createTimer(function consoleKick(): void {
      target.service();
    });
    this.settleTimer = platform.createTimer(function consoleSettle(): void {
      target.settled();
    });
    this.resyncTimer = platform.createTimer(function consoleResync(): void {
      target.resyncQuiet();
    });
    this.retryTimer = platform.createTimer(function consoleRetry(): void {
      target.retryWrite();
    });
    this.quietTimer = platform.createTimer(function consoleQuiet(): void {
      target.quiet();
    });
  }

  kick(): void {
    this.platform.schedule(this.kickTimer, 0);
  }

  settle(us: number): void {
    this.platform.schedule(this.settleTimer, us);
  }

  resync(us: number): void {
    this.platform.schedule(this.resyncTimer, us);
  }

  cancelResync(): void {
    this.platform.cancel(this.resyncTimer);
  }

  retry(): void {
    this.platform.schedule(this.retryTimer, TX_RETRY_US);
  }

  /** Input arrived: `quiet` is called once CONSOLE_HOLD_AWAKE_US pass without more. */
  typed(): void {
    this.platform.schedule(this.quietTimer, CONSOLE_HOLD_AWAKE_US);
  }
}
