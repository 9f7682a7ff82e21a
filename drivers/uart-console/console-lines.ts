// The console's input work: backlog bytes through the line reader (echo, erase), line replies and errors, report steps.
import type { TxRing } from "./tx-ring";
import { LineReader, R_NONE, R_ECHO, R_ERASE, R_LINE, R_EMPTY, R_TOO_LONG } from "./line-reader";
import type { Words } from "./words";
import { Reports, REPORT_LINE_MAX } from "./reports";
import { Commands, X_PROMPT, X_REPORT } from "./commands";
import type { ConsoleTimers } from "./timers";
import type { WakeResync } from "./wake-resync";
import type { RxBacklog } from "./rx-backlog";

/** Ring room a single-line reply needs before a line is run (the longest error is about 190 bytes). */
const REPLY_ROOM = 256;

/**
 * Runs only while the console is open (not gated by S2). A line event waits (`held`) until the TX ring
 * has room for its reply, so a reply is never cut; input behind it stays in the backlog meanwhile.
 */
export class ConsoleLines {
  private readonly ring: TxRing;
  private readonly words: Words;
  private readonly reader: LineReader;
  private readonly reports: Reports;
  private readonly commands: Commands;
  private readonly resync: WakeResync;
  private readonly rx: RxBacklog;
  private readonly timers: ConsoleTimers;
  private readonly echo: boolean;
  private readonly resyncQuietUs: number;
  /** A line event (R_LINE...) waiting for TX room before it runs. */
  private held = R_NONE;

  constructor(ring: TxRing, words: Words, reader: LineReader, reports: Reports, commands: Commands, resync: WakeResync,
    rx: RxBacklog, timers: ConsoleTimers, echo: boolean, resyncQuietUs: number) {
    this.ring = ring;
    this.words = words;
    this.reader = reader;
    this.reports = reports;
    this.commands = commands;
    this.resync = resync;
    this.rx = rx;
    this.timers = timers;
    this.echo = echo;
    this.resyncQuietUs = resyncQuietUs;
  }

  /** One unit of input work; false when it must wait (for TX room or for input). */
  step(): boolean {
    const ring = this.ring;
    if (this.reports.active) {
      if (ring.free < REPORT_LINE_MAX) return false;
      if (!this.reports.step()) this.prompt();
      return true;
    }
    if (this.held !== R_NONE) {
      if (ring.free < REPLY_ROOM) return false;
      const ev = this.held;
      this.held = R_NONE;
      this.handleLine(ev);
      return true;
    }
    const rx = this.rx;
    if (rx.count === 0) {
      if (rx.dropping === 0) return false;
      if (ring.free < REPLY_ROOM) return false;
      this.reportDiscard();
      return true;
    }
    while (rx.count > 0 && this.held === R_NONE) this.consume(rx.shift());
    return true;
  }

  prompt(): void {
    this.ring.bytes(this.words.prompt);
  }

  /** After a UART wake: the line in flight lost its first byte; discard it (wake-resync.ts). */
  startResync(): void {
    this.resync.start();
    this.held = R_NONE;
    this.timers.resync(this.resyncQuietUs);
  }

  /** Something threw inside the console: drop the line in progress, say so, carry on. */
  recover(): void {
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
}
