// The command shell, an application of the runtime: on a UART console driver, it runs commands, prints progress and every outcome.
import type { PowerManager } from "../runtime/pm";
import { OK, BUSY, INVALID, FAILED, T_HIBERNATE, S_REPROBE, D_FAILED } from "../runtime/status";
import { P_IDLE, P_REPROBING } from "../runtime/phase";
import { E_SUSPEND_BEGIN, E_STAGE_END, E_HOOK_DONE, E_RESUME_FAIL } from "../runtime/trace";
import type { ConsoleClient, ConsoleIo } from "../drivers/common/console-io";
import type { TxRing } from "../drivers/uart-console/tx-ring";
import { Words } from "./words";
import { Printer } from "./printer";
import { Progress, failureRecord } from "./progress";
import { Reports } from "./reports";
import { Commands, BUSY_NONE, BUSY_SUSPEND, BUSY_REPROBE, type CommandHost } from "./commands";
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
  /** A `suspend` line waits for its settle delay: a second one is refused, never merged into it. */
  private starting = false;
  /** The device a `recover` asked to re-probe (-1: none), and its hook's answer once the re-probe ran it (-1: not yet). */
  private recoverDevice = -1;
  private recoverStatus = -1;
  /** A re-probe stage ended: the console reports it from its own service loop (the runtime has then rescheduled). */
  private reprobeEnded = false;
  /** The done report held the prompt back: a re-probe was due at once and its lines follow the outcome. */
  private promptAfterReprobe = false;
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
      if (this.pm.governor.ownedLast && status === OK && !this.fromImage) return;
      this.progress.reportDropped();
      this.printer.outcome(status, this.fromImage);
      this.fromImage = false;
      // A device that failed in this attempt is re-probed at the next idle moment: its lines come next, then the prompt.
      if (this.reprobeDueNow()) this.promptAfterReprobe = true;
      else if (!this.uart.resyncing) this.lines.prompt();
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
      const tr = this.pm.trace;
      const ev = tr.eventAt(slot);
      // A dump and a suspend exclude each other: a suspend that begins mid-dump ends the dump first.
      if (ev === E_SUSPEND_BEGIN && !this.reports.cutDump()) this.progress.droppedLines++;
      if (tr.stageAt(slot) === S_REPROBE) this.noteReprobe(ev, tr.deviceAt(slot), tr.statusAt(slot));
      // An attempt the idle governor started is quiet, as ESP-IDF's automatic light sleep: only its failures
      // print (`policy` shows every decision). Forty lines per automatic sleep would keep the UART, and the chip, awake.
      if (!this.pm.governor.owns || failureRecord(ev)) this.progress.record(slot);
      this.uart.flush();
    } catch (e) {
      this.caught++;
    }
  }

  /** CommandHost: the suspend starts after the driver's settle delay, so the LF of its CR LF is read first and cannot abort it as a wake. */
  requestSuspend(target: number, test: number): void {
    this.suspendTarget = target;
    this.suspendTest = test;
    this.starting = true;
    this.uart.settle();
  }

  /** CommandHost: `recover` asked for a re-probe of d; the outcome line follows its end. */
  recovering(d: number): void {
    this.recoverDevice = d;
    this.recoverStatus = -1;
  }

  /** CommandHost: what a new suspend, dump or recover would overlap. */
  busy(): number {
    const phase = this.pm.phase;
    if (this.starting || (phase !== P_IDLE && phase !== P_REPROBING)) return BUSY_SUSPEND;
    if (phase === P_REPROBING || this.recoverDevice >= 0) return BUSY_REPROBE;
    return BUSY_NONE;
  }

  // ---- ConsoleClient: called from the driver's service loop and timers ----

  step(): boolean {
    this.progress.reportDropped();
    if (this.reprobeEnded && this.pm.phase !== P_REPROBING) {
      this.reprobeEnded = false;
      this.reprobeReport();
      return true;
    }
    return this.lines.step();
  }

  /** The settle delay passed: start the requested suspend; a refusal (BUSY, INVALID, FAILED) is named. */
  settled(): void {
    this.starting = false;
    try {
      const status = this.pm.suspend(this.suspendTarget, this.suspendTest);
      if (status === OK) return;
      const w = this.words;
      if (status === BUSY) {
        this.ring.bytes(this.pm.phase === P_REPROBING ? w.suspendBusyReprobe : w.suspendBusy);
      } else {
        this.ring.bytes(w.suspendRefused);
        this.printer.status(status);
        const storage = this.pm.graph.storage;
        if (status === INVALID) {
          this.ring.bytes(w.suspendInvalid);
        } else if (status === FAILED && this.suspendTarget === T_HIBERNATE && storage >= 0) {
          // The image would be lost (or an older one restored): name the device to recover.
          this.ring.bytes(w.hibernateStorageFailed1);
          this.printer.device(storage, 0);
          this.ring.bytes(w.hibernateStorageFailed2);
          this.printer.device(storage, 0);
          this.ring.bytes(w.hibernateStorageFailed3);
        } else if (status === FAILED) {
          this.ring.bytes(w.suspendFailedDevice);
        }
      }
      this.ring.newline();
      this.lines.prompt();
    } catch (e) {
      this.caught++;
    }
  }

  /** Inside the runtime: a re-probe record. Notes the answer for `recover`; its end is reported from `step`. */
  private noteReprobe(ev: number, d: number, status: number): void {
    if ((ev === E_HOOK_DONE || ev === E_RESUME_FAIL) && d === this.recoverDevice) this.recoverStatus = status;
    if (ev === E_STAGE_END) {
      this.reprobeEnded = true;
      this.uart.kick();
    }
  }

  /** After a re-probe: the `recover` outcome line if its device was in it, then a prompt (progress broke the line). */
  private reprobeReport(): void {
    const d = this.recoverDevice;
    const w = this.words;
    const r = this.ring;
    if (d >= 0 && this.recoverStatus >= 0) {
      if (r.lastByte !== 0x0a) r.newline();
      r.bytes(w.cmdRecover);
      r.byte(0x20);
      this.printer.device(d, 0);
      if (this.pm.deviceState(d) === D_FAILED) {
        r.bytes(w.recoverStill);
        this.printer.status(this.recoverStatus);
        this.printer.reprobeDue(d);
      } else {
        r.bytes(w.recoverActive);
      }
      r.newline();
      this.recoverDevice = -1;
    }
    const waiting = this.recoverDevice >= 0 || this.starting || this.reports.active;
    if (this.promptAfterReprobe || (!waiting && r.lastByte === 0x0a)) this.lines.prompt();
    this.promptAfterReprobe = false;
  }

  /** A failed device whose re-probe the runtime will run at the next idle moment. */
  private reprobeDueNow(): boolean {
    const pm = this.pm;
    const now = pm.platform.now();
    for (let d = 0; d < pm.graph.count; d++) if (pm.deviceState(d) === D_FAILED && pm.recovery.dueIn(d, now) === 0) return true;
    return false;
  }

  wakeDiscarded(fragment: Uint8Array, length: number, cut: boolean): void {
    this.lines.wakeDiscarded(fragment, length, cut);
  }

  recover(): void {
    this.lines.recover();
  }
}
