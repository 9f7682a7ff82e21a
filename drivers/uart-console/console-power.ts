// The console's PM side: S2 gates it and waits for the TX ring to drain, S3 stops TX, R1 notes a UART wake, R2 reopens.
import type { PowerManager } from "../../runtime/pm";
import { P_RESUMING } from "../../runtime/pm";
import { OK, PENDING, TEST_DEVICES } from "../../runtime/status";
import type { TxRing } from "./tx-ring";
import type { TxDrain } from "./tx-drain";
import type { ConsoleLines } from "./console-lines";
import type { ConsoleTimers } from "./timers";

/**
 * S2 drains to empty, not to a mark: only S2 hooks still in flight add lines now, and they end, so the
 * wait is bounded by their budgets plus the ring's drain time; the user then sees every S2 line before
 * the UART stops. The ring keeps accepting (progress lines) and keeps draining until S3; lines produced
 * while the UART is off wait in the ring and are flushed in R2.
 */
export class ConsolePower {
  private readonly pm: PowerManager;
  private readonly ring: TxRing;
  private readonly tx: TxDrain;
  private readonly lines: ConsoleLines;
  private readonly timers: ConsoleTimers;
  private readonly wakeLine: number;
  private readonly uartLine: number;
  /** True from S2 until reopened: no commands run; typed bytes wait in the backlog. */
  gated = false;
  /** The cycle resumed from a hibernate image (the outcome line says so). */
  fromImage = false;
  private drainToken = -1;
  private wokeByUart = false;
  private suspendTarget = 0;
  private suspendTest = 0;

  constructor(pm: PowerManager, ring: TxRing, tx: TxDrain, lines: ConsoleLines, timers: ConsoleTimers, wakeLine: number, uartLine: number) {
    this.pm = pm;
    this.ring = ring;
    this.tx = tx;
    this.lines = lines;
    this.timers = timers;
    this.wakeLine = wakeLine;
    this.uartLine = uartLine;
  }

  suspend(token: number): number {
    this.gated = true;
    this.tx.drain();
    if (this.ring.count === 0) return OK;
    this.drainToken = token;
    return PENDING;
  }

  powerOff(): void {
    this.tx.on = false;
    this.drainToken = -1;
  }

  powerOn(): void {
    const pm = this.pm;
    this.tx.on = true;
    this.fromImage = pm.fromImage;
    // Only a real sleep loses the waking byte; a devices-level test hold never stops the UART.
    const cause = pm.stats.lastWakeCause;
    this.wokeByUart = pm.phase === P_RESUMING && (cause === this.wakeLine || (cause >= 0 && cause === this.uartLine)) &&
      pm.test !== TEST_DEVICES;
  }

  /** Our S2 is waiting and the ring is empty: it may complete (from a timer or the service loop only). */
  drained(): boolean {
    return this.drainToken >= 0 && this.ring.count === 0;
  }

  /** Completes our pending S2 once the ring is empty. Never from a PM callback: the runtime is inside its bookkeeping. */
  completeIfDrained(): void {
    if (this.drainToken >= 0 && this.ring.count === 0) {
      const token = this.drainToken;
      this.drainToken = -1;
      this.pm.complete(token, OK);
    }
  }

  /** R2, or the done report after a failed S2 (the runtime then never calls our resume). */
  reopen(): void {
    this.gated = false;
    this.drainToken = -1;
    this.tx.on = true;
    if (this.wokeByUart) {
      this.wokeByUart = false;
      this.lines.startResync();
    }
    // Not from inside the hook: commands must not run within a PM stage.
    this.timers.kick();
  }

  /** The suspend starts `settleUs` after its line, so the LF of its CR LF is read first and cannot abort it as a wake. */
  request(target: number, test: number, settleUs: number): void {
    this.suspendTarget = target;
    this.suspendTest = test;
    this.timers.settle(settleUs);
  }

  /** Settle timer: starts the requested suspend; answers what pm.suspend answered (BUSY: one is running). */
  start(): number {
    return this.pm.suspend(this.suspendTarget, this.suspendTest);
  }
}
