// Firmware console on embedded:io/serial: a PM device (TX drained in S2, RX a wake source) and an allocation-free line reader.
import type { PowerManager } from "../../runtime/pm";
import { P_SUSPENDING, P_SLEEPING } from "../../runtime/pm";
import type { DeviceSpec } from "../../runtime/driver";
import { OK, BUSY, ROLE_WAKE } from "../../runtime/status";
import type { BoardDriver, DriverContext, SerialIo } from "../common/io";
import { numberOption } from "../common/io";
import { TxRing } from "./tx-ring";
import { LineReader } from "./line-reader";
import { Words } from "./words";
import { Printer } from "./printer";
import { Progress } from "./progress";
import { Reports } from "./reports";
import { Commands } from "./commands";
import { ConsoleTimers } from "./timers";
import { WakeResync } from "./wake-resync";
import { RxBacklog } from "./rx-backlog";
import { TxDrain } from "./tx-drain";
import { ConsoleLines } from "./console-lines";
import { ConsolePower } from "./console-power";

/** Bytes taken from the UART per read(buffer) call; the ESP32 RX FIFO is 128 bytes. */
const RX_CHUNK = 64;

/**
 * The console. RX: every onReadable empties the UART FIFO with `read(buffer)` in 64-byte chunks into
 * a backlog ring (`rxBacklogBytes`, default 256; rx-backlog.ts says why it must never leave bytes in
 * the FIFO), whose bytes go one by one to the line reader's fixed buffer (board option `lineBytes`,
 * default 128) whenever the console may run a line (console-lines.ts). TX: every reply and progress
 * line goes into a fixed ring (`txRingBytes`, default 4096) drained on onWritable in slices no larger
 * than the free FIFO space it reported (tx-drain.ts).
 *
 * Power management (console-power.ts): S2 gates the console and answers PENDING until the ring is
 * empty; S3 stops TX; RX is a wake source (ROLE_WAKE, `wakeLine`): input from S1 on aborts the
 * suspend, and while asleep it wakes the chip.
 *
 * ESP32 UART wake (ESP-IDF `uart_set_wakeup_threshold`, light sleep only) loses the byte that wakes
 * the chip: after a resume caused by our line the broken line is discarded and a prompt printed, so
 * the next full line is read intact (wake-resync.ts). Deep sleep cannot be woken by UART on ESP32.
 *
 * Nothing after boot allocates: callbacks are bound in the constructor, output is preencoded bytes and
 * numbers, input is parsed in place. This class is the boundary: every entry point (PM hook, UART
 * callback, timer) catches everything, so bad input never reaches the event loop.
 */
export class UartConsole implements BoardDriver {
  readonly name: string;
  readonly roles = ROLE_WAKE;
  readonly stateBytes = 0;
  readonly requestBlocks = 0;
  /** IRQ line whose raise means "RX activity" (wake source). */
  readonly wakeLine: number;
  /** The UART's own interrupt line (RX and TX events); a board may also name it as the wake cause. */
  readonly uartLine: number;
  /** Time S2 may take: draining a full ring at the configured baud, plus margin. */
  readonly suspendBudgetUs: number;
  readonly echo: boolean;
  readonly resyncQuietUs: number;
  readonly settleUs: number;
  id = -1;
  readonly ring: TxRing;
  readonly reader: LineReader;
  readonly words: Words;
  readonly printer: Printer;
  readonly progress: Progress;
  readonly reports: Reports;
  readonly commands: Commands;
  /** Bound once: hand it to pm.trace.setListener, or call it from a listener that fans out. */
  readonly traceListener: (slot: number) => void;
  private readonly pm: PowerManager;
  private readonly serial: SerialIo;
  private readonly raiseWake: boolean;
  private readonly rxChunk = new Uint8Array(RX_CHUNK);
  /** Input read from the UART, not yet given to the line reader. */
  readonly rx: RxBacklog;
  readonly resync: WakeResync;
  private readonly tx: TxDrain;
  private readonly lines: ConsoleLines;
  private readonly power: ConsolePower;
  private servicing = false;
  private again = false;
  private readonly timers: ConsoleTimers;
  /** Exceptions caught at the console boundary. */
  faults = 0;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
    const o = ctx.options;
    const serialOptions = (typeof o.serial === "object" && o.serial !== null ? o.serial : o) as { readonly [key: string]: unknown };
    const baud = typeof serialOptions.baud === "number" ? serialOptions.baud : 115200;
    const lineBytes = numberOption(ctx, "lineBytes", 128);
    const ringBytes = numberOption(ctx, "txRingBytes", 4096);
    const backlogBytes = numberOption(ctx, "rxBacklogBytes", 256);
    if (lineBytes < 16 || ringBytes < 1024 || backlogBytes < RX_CHUNK) {
      throw new Error(ctx.board + ": device \"" + ctx.name + "\": lineBytes must be >= 16, txRingBytes >= 1024 and rxBacklogBytes >= " +
        RX_CHUNK + " (got " + lineBytes + ", " + ringBytes + ", " + backlogBytes + "): raise them in its board entry");
    }
    this.wakeLine = numberOption(ctx, "wakeLine", ctx.irqLine);
    this.uartLine = ctx.irqLine;
    this.raiseWake = o.raiseWakeOnRx === true;
    this.echo = o.echo !== false;
    this.resyncQuietUs = numberOption(ctx, "resyncQuietUs", 100_000);
    this.settleUs = numberOption(ctx, "settleUs", 2_000);
    this.suspendBudgetUs = Math.ceil(ringBytes * 10 * 1e6 / baud) + 20_000;
    this.ring = new TxRing(ringBytes);
    this.reader = new LineReader(lineBytes);
    this.rx = new RxBacklog(backlogBytes);
    this.words = new Words();
    this.printer = new Printer(this.ring, this.words, this.pm);
    this.progress = new Progress(this.printer);
    this.reports = new Reports(this.printer);
    this.commands = new Commands(this.printer, this.reports, this, this.reader.buf);
    this.resync = new WakeResync(this.ring, this.words, this.reader);
    const self = this;
    this.traceListener = function consoleTrace(slot: number): void {
      self.onTrace(slot);
    };
    this.timers = new ConsoleTimers(ctx.platform, this);
    this.lines = new ConsoleLines(this.ring, this.words, this.reader, this.reports, this.commands, this.resync, this.rx, this.timers,
      this.echo, this.resyncQuietUs);
    if (this.raiseWake) {
      this.pm.irq.register(this.wakeLine, function consoleWakeLine(): void {}, true);
    }
    this.serial = new ctx.device.io.Serial(Object.assign({}, {
      port: serialOptions.port as number,
      transmit: serialOptions.transmit as number | undefined,
      receive: serialOptions.receive as number | undefined,
      baud,
    }, {
      format: "buffer",
      onReadable: function consoleReadable(): void {
        self.onReadable();
      },
      onWritable: function consoleWritable(bytes: number): void {
        self.onWritable(bytes);
      },
    }));
    this.tx = new TxDrain(this.ring, this.serial, this.pm, this.timers);
    this.power = new ConsolePower(this.pm, this.ring, this.tx, this.lines, this.timers, this.wakeLine, this.uartLine);
  }

  /** Failed serial writes (output full), each retried. */
  get txErrors(): number {
    return this.tx.errors;
  }

  /** Free TX FIFO space last reported; an accessor so a test can pretend a stale count. */
  private get writable(): number {
    return this.tx.writable;
  }

  private set writable(bytes: number) {
    this.tx.writable = bytes;
  }

  attach(id: number): void {
    this.id = id;
  }

  /** The registry entry for this console (boot code may use it or build its own from the fields). */
  buildSpec(): DeviceSpec {
    return {
      name: this.name, hooks: this, roles: this.roles, wakeLine: this.wakeLine,
      stageBudgetUs: { suspend: this.suspendBudgetUs },
    };
  }

  /** Boot, after pm.seal(): encodes device names, builds the tree, takes the trace listener, prints a prompt. */
  boot(takeTraceListener: boolean): void {
    this.printer.bootNames();
    this.reports.bootTree();
    if (takeTraceListener) this.pm.trace.setListener(this.traceListener);
    this.ring.bytes(this.words.banner);
    this.ring.newline();
    this.lines.prompt();
    this.service();
  }

  // ---- PM hooks (console-power.ts) ----

  prepare(token: number): number {
    return OK;
  }

  suspend(token: number): number {
    return this.power.suspend(token);
  }

  powerOffNoIrq(token: number): number {
    this.power.powerOff();
    return OK;
  }

  powerOnNoIrq(token: number): number {
    this.power.powerOn();
    return OK;
  }

  resume(token: number): number {
    this.power.reopen();
    return OK;
  }

  /**
   * The board's boot code registers pm.setDoneCallback once and calls this with the outcome:
   * "suspend ok, woke by ...", "suspend failed: <device> <stage> <status>" or "resumed from hibernate".
   */
  onSuspendDone(status: number): void {
    const power = this.power;
    try {
      // S2 timed out or failed: the runtime never calls our resume, so reopen here.
      if (power.gated) power.reopen();
      this.progress.reportDropped();
      this.printer.outcome(status, power.fromImage);
      power.fromImage = false;
      if (!this.resync.active) this.lines.prompt();
    } catch (e) {
      this.faults++;
    }
    this.timers.kick();
  }

  /** CommandHost: the suspend starts `settleUs` after its line, so the LF of its CR LF is read first and cannot abort it as a wake. */
  requestSuspend(target: number, test: number): void {
    this.power.request(target, test, this.settleUs);
  }

  // ---- callbacks (bound once) ----

  onReadable(): void {
    // Input matters as a wake only while a suspend can still be aborted or a (test) sleep ended.
    const phase = this.pm.phase;
    if (this.raiseWake && (phase === P_SUSPENDING || phase === P_SLEEPING)) this.pm.irq.raise(this.wakeLine);
    this.service();
  }

  onWritable(bytes: number): void {
    this.tx.writable = bytes;
    this.service();
  }

  onTrace(slot: number): void {
    try {
      this.progress.record(slot);
      // Never complete our S2 from here: the runtime is inside its own bookkeeping. A timer does it.
      this.tx.drain();
      if (this.power.drained()) this.timers.kick();
    } catch (e) {
      this.faults++;
    }
  }

  /** Timer: the settle delay after a `suspend` line ended. */
  settled(): void {
    try {
      if (this.power.start() === BUSY) {
        this.ring.bytes(this.words.suspendBusy);
        this.ring.newline();
        this.lines.prompt();
      }
    } catch (e) {
      this.faults++;
    }
    this.service();
  }

  /** Timer: no input for resyncQuietUs after a UART wake: the waking key came alone. */
  resyncQuiet(): void {
    if (this.resync.active) this.resync.finish(false);
    this.service();
  }

  /** Timer: a write was refused ("output full") and no onWritable is coming; probe again. */
  retryWrite(): void {
    this.tx.probe();
    this.service();
  }

  /** Timer: deferred service (after a hook or the done callback returned). */
  service(): void {
    if (this.servicing) {
      this.again = true;
      return;
    }
    this.servicing = true;
    try {
      do {
        this.again = false;
        this.serviceOnce();
      } while (this.again);
    } catch (e) {
      // Something threw inside the console: drop the line in progress, say so, carry on.
      this.faults++;
      this.lines.recover();
      try {
        this.tx.drain();
      } catch (e2) {
        this.faults++;
      }
    }
    this.servicing = false;
  }

  private serviceOnce(): void {
    for (;;) {
      // Gated or not: bytes left in the FIFO would re-raise its interrupt at once (rx-backlog.ts).
      this.rx.pull(this.serial, this.rxChunk);
      this.tx.drain();
      this.power.completeIfDrained();
      if (this.power.gated) return;
      this.progress.reportDropped();
      if (!this.lines.step()) return;
    }
  }
}
