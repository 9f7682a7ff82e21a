// Firmware console on embedded:io/serial: a PM device (TX drained in S2, RX a wake source) and an allocation-free line reader.
import type { PowerManager } from "../../runtime/pm";
import { P_SUSPENDING, P_SLEEPING, P_RESUMING } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import type { DeviceSpec } from "../../runtime/driver";
import { OK, PENDING, BUSY, ROLE_WAKE, TEST_DEVICES } from "../../runtime/status";
import type { BoardDriver, DriverContext, SerialIo } from "../common/io";
import { numberOption } from "../common/io";
import { TxRing } from "./tx-ring";
import { LineReader, R_NONE, R_ECHO, R_ERASE, R_LINE, R_EMPTY, R_TOO_LONG } from "./line-reader";
import { Words } from "./words";
import { Printer } from "./printer";
import { Progress } from "./progress";
import { Reports, REPORT_LINE_MAX } from "./reports";
import { Commands, X_PROMPT, X_REPORT } from "./commands";
import { ConsoleTimers } from "./timers";
import { WakeResync } from "./wake-resync";
import { RxBacklog } from "./rx-backlog";

/** Bytes taken from the UART per read(buffer) call; the ESP32 RX FIFO is 128 bytes. */
const RX_CHUNK = 64;
/** Largest single serial.write: the ESP32 TX FIFO is 128 bytes (serial.c throws "output full" beyond free space). */
const TX_CHUNK = 128;
/** Ring room a single-line reply needs before a line is run (the longest error is about 190 bytes). */
const REPLY_ROOM = 256;

/**
 * The console. RX: every onReadable empties the UART FIFO with `read(buffer)` in 64-byte chunks into
 * a backlog ring (`rxBacklogBytes`, default 256; rx-backlog.ts says why it must never leave bytes in
 * the FIFO), whose bytes go one by one to the line reader's fixed buffer (board option `lineBytes`,
 * default 128) whenever the console may run a line. TX: every reply and progress line goes into
 * a fixed ring (`txRingBytes`, default 4096) drained on onWritable in slices no larger than the free
 * FIFO space it reported, through subarray views made once at boot.
 *
 * Power management:
 * - S2 gates the console (no commands; typed bytes wait in the backlog) and answers
 *   PENDING until the ring is empty (every byte handed to the UART), then completes through
 *   pm.complete. The ring keeps accepting (progress lines) and keeps draining until S3.
 * - S3 stops TX; lines produced while the UART is off wait in the ring and are flushed in R2.
 * - RX is a wake source (ROLE_WAKE, `wakeLine`): input arriving from S1 on aborts the suspend; while
 *   asleep it wakes the chip.
 *
 * ESP32 UART wake (ESP-IDF `uart_set_wakeup_threshold`, light sleep only) loses the byte that wakes
 * the chip: after a resume caused by our line the broken line is discarded and a prompt printed, so
 * the next full line is read intact (wake-resync.ts). Deep sleep cannot be woken by UART on ESP32.
 *
 * Nothing after boot allocates: callbacks are bound in the constructor, output is preencoded bytes and
 * numbers, input is parsed in place. Handlers catch everything: bad input never reaches the event loop.
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
  private readonly platform: Platform;
  private readonly serial: SerialIo;
  private readonly raiseWake: boolean;
  private readonly rxChunk = new Uint8Array(RX_CHUNK);
  /** Input read from the UART, not yet given to the line reader. */
  readonly rx: RxBacklog;
  private readonly txChunk = new Uint8Array(TX_CHUNK);
  private readonly txViews: Uint8Array[] = [];
  private writable = 0;
  private txOn = true;
  private gated = false;
  /** A line event (R_LINE...) waiting for TX room before it runs. */
  private held = R_NONE;
  private drainToken = -1;
  readonly resync: WakeResync;
  private wokeByUart = false;
  private fromImage = false;
  private suspendTarget = 0;
  private suspendTest = 0;
  private servicing = false;
  private again = false;
  private readonly timers: ConsoleTimers;
  /** Exceptions caught at the console boundary, failed serial writes, UART wakes handled. */
  faults = 0;
  txErrors = 0;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
    this.platform = ctx.platform;
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
    for (let k = 0; k <= TX_CHUNK; k++) this.txViews.push(this.txChunk.subarray(0, k));
    const self = this;
    this.traceListener = function consoleTrace(slot: number): void {
      self.onTrace(slot);
    };
    this.timers = new ConsoleTimers(this.platform, this);
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
    this.prompt();
    this.service();
  }

  // ---- PM hooks ----

  prepare(token: number): number {
    return OK;
  }

  /**
   * Drains to empty, not to a mark: only S2 hooks still in flight add lines now, and they end, so the
   * wait is bounded by their budgets plus the ring's drain time; the user then sees every S2 line
   * before the UART stops.
   */
  suspend(token: number): number {
    this.gated = true;
    this.drainTx();
    if (this.ring.count === 0) return OK;
    this.drainToken = token;
    return PENDING;
  }

  powerOffNoIrq(token: number): number {
    this.txOn = false;
    this.drainToken = -1;
    return OK;
  }

  powerOnNoIrq(token: number): number {
    const pm = this.pm;
    this.txOn = true;
    this.fromImage = pm.fromImage;
    // Only a real sleep loses the waking byte; a devices-level test hold never stops the UART.
    const cause = pm.stats.lastWakeCause;
    this.wokeByUart = pm.phase === P_RESUMING && (cause === this.wakeLine || (cause >= 0 && cause === this.uartLine)) &&
      pm.test !== TEST_DEVICES;
    return OK;
  }

  resume(token: number): number {
    this.reopen();
    return OK;
  }

  /**
   * The board's boot code registers pm.setDoneCallback once and calls this with the outcome:
   * "suspend ok, woke by ...", "suspend failed: <device> <stage> <status>" or "resumed from hibernate".
   */
  onSuspendDone(status: number): void {
    try {
      // S2 timed out or failed: the runtime never calls our resume, so reopen here.
      if (this.gated) this.reopen();
      this.progress.reportDropped();
      this.printer.outcome(status, this.fromImage);
      this.fromImage = false;
      if (!this.resync.active) this.prompt();
    } catch (e) {
      this.faults++;
    }
    this.timers.kick();
  }

  /** CommandHost: the suspend starts `settleUs` after its line, so the LF of its CR LF is read first and cannot abort it as a wake. */
  requestSuspend(target: number, test: number): void {
    this.suspendTarget = target;
    this.suspendTest = test;
    this.timers.settle(this.settleUs);
  }

  // ---- callbacks (bound once) ----

  onReadable(): void {
    // Input matters as a wake only while a suspend can still be aborted or a (test) sleep ended.
    const phase = this.pm.phase;
    if (this.raiseWake && (phase === P_SUSPENDING || phase === P_SLEEPING)) this.pm.irq.raise(this.wakeLine);
    this.service();
  }

  onWritable(bytes: number): void {
    this.writable = bytes;
    this.service();
  }

  onTrace(slot: number): void {
    try {
      this.progress.record(slot);
      // Never complete our S2 from here: the runtime is inside its own bookkeeping. A timer does it.
      this.drainTx();
      if (this.drainToken >= 0 && this.ring.count === 0) this.timers.kick();
    } catch (e) {
      this.faults++;
    }
  }

  /** Timer: the settle delay after a `suspend` line ended. */
  settled(): void {
    try {
      if (this.pm.suspend(this.suspendTarget, this.suspendTest) === BUSY) {
        this.ring.bytes(this.words.suspendBusy);
        this.ring.newline();
        this.prompt();
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
    if (this.writable === 0) this.writable = 16;
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
      this.recover();
      try {
        this.drainTx();
      } catch (e2) {
        this.faults++;
      }
    }
    this.servicing = false;
  }

  // ---- internals ----

  private serviceOnce(): void {
    for (;;) {
      // Gated or not: bytes left in the FIFO would re-raise its interrupt at once (rx-backlog.ts).
      this.rx.pull(this.serial, this.rxChunk);
      this.drainTx();
      if (this.drainToken >= 0 && this.ring.count === 0) {
        const token = this.drainToken;
        this.drainToken = -1;
        this.pm.complete(token, OK);
      }
      if (this.gated) return;
      this.progress.reportDropped();
      if (this.reports.active) {
        if (this.ring.free < REPORT_LINE_MAX) return;
        if (!this.reports.step()) this.prompt();
        continue;
      }
      if (this.held !== R_NONE) {
        if (this.ring.free < REPLY_ROOM) return;
        const ev = this.held;
        this.held = R_NONE;
        this.handleLine(ev);
        continue;
      }
      const rx = this.rx;
      if (rx.count === 0) {
        if (rx.dropping === 0) return;
        if (this.ring.free < REPLY_ROOM) return;
        this.reportDiscard();
        continue;
      }
      while (rx.count > 0 && this.held === R_NONE) this.consume(rx.shift());
    }
  }

  /** The backlog overflowed while the console was busy: the line in progress lost its tail. Say so. */
  private reportDiscard(): void {
    const r = this.ring;
    const w = this.words;
    this.reader.reset();
    if (r.lastByte !== 0x0a) r.newline();
    r.bytes(w.rxDiscarded1);
    r.dec(this.rx.dropping);
    r.bytes(w.rxDiscarded2);
    r.newline();
    this.rx.dropping = 0;
    this.commands.errors++;
    this.prompt();
  }

  private consume(b: number): void {
    if (this.resync.active) {
      if (this.resync.byte(b)) this.timers.cancelResync();
      else this.timers.resync(this.resyncQuietUs);
      return;
    }
    const ev = this.reader.push(b);
    if (ev === R_NONE) return;
    if (ev === R_ECHO) {
      if (this.echo) this.ring.byte(b);
    } else if (ev === R_ERASE) {
      if (this.echo) this.ring.bytes(this.words.erase);
    } else {
      if (this.echo) this.ring.newline();
      this.held = ev;
    }
  }

  private handleLine(ev: number): void {
    const r = this.ring;
    const w = this.words;
    if (ev === R_LINE) {
      const x = this.commands.execute(this.reader.lineLength);
      if (x === X_PROMPT) this.prompt();
      else if (x === X_REPORT && !this.reports.active) this.prompt();
      return;
    }
    if (ev === R_TOO_LONG) {
      r.bytes(w.tooLong1);
      r.dec(this.reader.limit);
      r.bytes(w.tooLong2);
      r.newline();
    } else if (ev !== R_EMPTY) {
      r.bytes(w.refused1);
      r.hex2(this.reader.refusedByte);
      r.bytes(w.refused2);
      r.dec(this.reader.refusedColumn);
      r.bytes(w.refused3);
      r.newline();
    }
    if (ev !== R_EMPTY) this.commands.errors++;
    this.prompt();
  }

  private prompt(): void {
    this.ring.bytes(this.words.prompt);
  }

  /** Hands waiting bytes to the UART, never more than the free FIFO space it reported. */
  private drainTx(): void {
    const r = this.ring;
    // IRQs masked (S3..R1) or UART off: no I/O; the ring keeps the bytes.
    if (!this.txOn || this.pm.irq.masked) return;
    while (r.count > 0 && this.writable > 0) {
      const k = r.peek(this.txChunk, this.writable);
      try {
        this.serial.write(this.txViews[k]);
      } catch (e) {
        // "output full": our count was stale. Wait for onWritable, or probe again on a timer.
        this.txErrors++;
        this.writable = 0;
        this.timers.retry();
        return;
      }
      r.consume(k);
      this.writable -= k;
    }
  }

  private reopen(): void {
    this.gated = false;
    this.drainToken = -1;
    this.txOn = true;
    if (this.wokeByUart) {
      this.wokeByUart = false;
      this.resync.start();
      this.held = R_NONE;
      this.timers.resync(this.resyncQuietUs);
    }
    // Not from inside the hook: commands must not run within a PM stage.
    this.timers.kick();
  }

  /** Something threw inside the console: drop the line in progress, say so, carry on. */
  private recover(): void {
    this.faults++;
    this.reader.reset();
    this.held = R_NONE;
    this.reports.kind = 0;
    this.resync.active = false;
    if (this.ring.free >= REPLY_ROOM) {
      this.ring.bytes(this.words.internalError);
      this.ring.newline();
      this.prompt();
    }
  }
}
