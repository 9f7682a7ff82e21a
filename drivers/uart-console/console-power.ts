// The UART's power hooks: S2 closes the console and waits for the TX ring to drain, S3 stops TX, R1 notes a UART wake, R2 reopens.
import type { DevicePort } from "../../runtime/port";
import { PendingStage } from "../../runtime/port";
import { OK, TEST_DEVICES } from "../../runtime/status";
import type { TxRing } from "./tx-ring";
import type { TxDrain } from "./tx-drain";
import type { LineInput } from "./line-input";
import type { ConsoleTimers } from "./timers";

/**
 * S2 drains to empty, not to a mark: only S2 hooks still in flight add lines now, and they end, so the
 * wait is bounded by their budgets plus the ring's drain time; the user then sees every S2 line before
 * the UART stops. The ring keeps accepting (progress lines) and keeps draining until S3; lines produced
 * while the UART is off wait in the ring and are flushed after R1. S1 needs nothing (the ring and the
 * line buffer are made at boot), so there is no prepare hook.
 */
export class ConsolePower {
  private readonly ring: TxRing;
  private readonly tx: TxDrain;
  private readonly input: LineInput;
  private readonly timers: ConsoleTimers;
  private readonly wakeLine: number;
  private readonly uartLine: number;
  private port: DevicePort | null = null;
  /** Our S2 while it waits for the ring to drain (made at attach, with the port). */
  private drain: PendingStage | null = null;
  /** True from S2 until reopened: the application does not run; typed bytes wait in the backlog. */
  gated = false;
  private wokeByUart = false;

  constructor(ring: TxRing, tx: TxDrain, input: LineInput, timers: ConsoleTimers, wakeLine: number, uartLine: number) {
    this.ring = ring;
    this.tx = tx;
    this.input = input;
    this.timers = timers;
    this.wakeLine = wakeLine;
    this.uartLine = uartLine;
  }

  /** Boot, after seal. @boot */
  attach(port: DevicePort): void {
    this.port = port;
    this.drain = new PendingStage(port);
  }

  suspend(token: number): number {
    this.gated = true;
    this.tx.drain();
    if (this.ring.count === 0) return OK;
    return (this.drain as PendingStage).hold(token);
  }

  powerOff(): void {
    this.tx.on = false;
    (this.drain as PendingStage).drop();
  }

  /**
   * R1. Only a real sleep loses the waking byte: a devices-level test hold never stops the UART.
   * The wake cause is the port's; see README.md (Power management) for why a rollback R1 may see a stale one.
   */
  powerOn(): void {
    const port = this.port as DevicePort;
    this.tx.on = true;
    const cause = port.wakeCause;
    this.wokeByUart = (cause === this.wakeLine || (cause >= 0 && cause === this.uartLine)) && port.testLevel !== TEST_DEVICES;
  }

  /** Our S2 is waiting and the ring is empty: it may complete (from a timer or the service loop only). */
  drained(): boolean {
    return this.ring.count === 0 && this.drain !== null && this.drain.waiting;
  }

  /** Completes our pending S2 once the ring is empty. Never from a runtime callback: the runtime is inside its bookkeeping. */
  completeIfDrained(): void {
    if (this.ring.count === 0 && this.drain !== null) this.drain.finish(OK);
  }

  /** R2 (also the rollback mirror of our S2, a timed-out one included). */
  reopen(): void {
    this.gated = false;
    if (this.drain !== null) this.drain.drop();
    this.tx.on = true;
    if (this.wokeByUart) {
      this.wokeByUart = false;
      this.input.startResync();
    }
    // Not from inside the hook: the application must not run within a PM stage.
    this.timers.kick();
  }

  /**
   * The runtime gave up on one of our stages (our S2's budget ran out) or marked us failed: stop
   * waiting, and reopen now rather than rely on a resume that a failed device never gets. The
   * console is the user's window on the failure, so it must not stay closed.
   */
  gaveUp(): void {
    if (this.drain !== null) this.drain.drop();
    if (this.gated) this.reopen();
  }
}
