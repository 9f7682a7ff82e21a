// The command shell, an application of the runtime: on a UART console driver, it runs commands, prints progress and every outcome.
import type { PowerManager } from "../runtime/pm";
import { BUSY } from "../runtime/status";
import type { ConsoleClient, ConsoleIo } from "../drivers/common/console-io";
import type { TxRing } from "../drivers/uart-console/tx-ring";
import { Words } from "./words";
import { Printer } from "./printer";
import { Progress } from "./progress";
import { Reports } from "./reports";
import { Commands, type CommandHost } from "./commands";
import { ConsoleLines } from "./console-lines";

/**
 * Boot constructs it after seal with the power manager and the board's console driver. It uses the
 * runtime's public API (suspend, stats, trace, graph, flight, deviceState) and, of the driver, only
 * `ConsoleIo`: it writes the TX ring and reads whole lines, and never sees the serial port or the
 * driver's power hooks. The driver calls it (`ConsoleClient`) only while the console is open.
 *
 * Nothing after boot allocates: words are preencoded, output is bytes and numbers, input is parsed in
 * place. Its own entry points (the done report, the trace listener, the settle callback) catch
 * everything; the driver's service loop catches what `step` throws.
 */
export class ConsoleApp implements ConsoleClient, CommandHost {
  /** The driver underneath. */
  readonly uart: ConsoleIo;
  /** Where every reply and progress line goes (the driver's TX ring). */
  readonly ring: TxRing;
  readonly words: Words;
  readonly printer: Printer;
  readonly progress: Progress;
  readonly reports: Reports;
  readonly commands: Commands;
  /** Bound once: hand it to pm.trace.setListener, or call it from a listener that fans out. */
  readonly traceListener: (slot: number) => void;
  private readonly pm: PowerManager;
  private readonly lines: ConsoleLines;
  /** The attempt in progress resumed from a hibernate image (the outcome line says so). */
  private fromImage = false;
  private suspendTarget = 0;
  private suspendTest = 0;
  /** Exceptions caught at the application's own entry points. */
  private caught = 0;

  constructor(pm: PowerManager, uart: ConsoleIo) {
    this.pm = pm;
    this.uart = uart;
    this.ring = uart.ring;
    this.words = new Words();
    this.printer = new Printer(this.ring, this.words, pm);
    this.progress = new Progress(this.printer);
    this.reports = new Reports(this.printer);
    this.commands = new Commands(this.printer, this.reports, this, uart.input.line);
    this.lines = new ConsoleLines(this.ring, this.words, uart.input, this.reports, this.commands);
    const self = this;
    this.traceListener = function consoleTrace(slot: number): void {
      self.onTrace(slot);
    };
    uart.bind(this);
  }

  /** Exceptions caught at the console boundary: the application's and its driver's. */
  get faults(): number {
    return this.caught + this.uart.faults;
  }

  /** Boot, after pm.seal(): encodes device names, builds the tree, takes the trace listener, prints a prompt. */
  boot(takeTraceListener: boolean): void {
    this.printer.bootNames();
    this.reports.bootTree();
    if (takeTraceListener) this.pm.trace.setListener(this.traceListener);
    this.ring.bytes(this.words.banner);
    this.ring.newline();
    this.lines.prompt();
    this.uart.service();
  }

  /**
   * The board's boot code registers pm.setDoneCallback once and calls this with the outcome:
   * "suspend ok, woke by ...", "suspend failed: <device> <stage> <status>" or "resumed from hibernate".
   * The driver has reopened by now (its R2, or its give-up listener if its S2 timed out).
   */
  onSuspendDone(status: number): void {
    try {
      this.progress.reportDropped();
      this.printer.outcome(status, this.fromImage);
      this.fromImage = false;
      if (!this.uart.resyncing) this.lines.prompt();
    } catch (e) {
      this.caught++;
    }
    this.uart.kick();
  }

  /** Trace listener: a progress line per record it shows; runs inside the runtime, so it only writes the ring. */
  onTrace(slot: number): void {
    try {
      // pm.fromImage is cleared before the done callback runs: note it while the attempt is recorded.
      if (this.pm.fromImage) this.fromImage = true;
      this.progress.record(slot);
      this.uart.flush();
    } catch (e) {
      this.caught++;
    }
  }

  /** CommandHost: the suspend starts after the driver's settle delay, so the LF of its CR LF is read first and cannot abort it as a wake. */
  requestSuspend(target: number, test: number): void {
    this.suspendTarget = target;
    this.suspendTest = test;
    this.uart.settle();
  }

  // ---- ConsoleClient: called from the driver's service loop and timers ----

  step(): boolean {
    this.progress.reportDropped();
    return this.lines.step();
  }

  /** The settle delay passed: start the requested suspend (BUSY: one is running; say so). */
  settled(): void {
    try {
      if (this.pm.suspend(this.suspendTarget, this.suspendTest) === BUSY) {
        this.ring.bytes(this.words.suspendBusy);
        this.ring.newline();
        this.lines.prompt();
      }
    } catch (e) {
      this.caught++;
    }
  }

  wakeDiscarded(fragment: Uint8Array, length: number, cut: boolean): void {
    this.lines.wakeDiscarded(fragment, length, cut);
  }

  recover(): void {
    this.lines.recover();
  }
}
