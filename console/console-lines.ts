// The shell's line work: a held input line run as a command or answered as bad input, report steps, the wake and discard notices.
import type { TxRing } from "../drivers/uart-console/tx-ring";
import type { LineInput } from "../drivers/uart-console/line-input";
import { R_NONE, R_LINE, R_EMPTY, R_TOO_LONG } from "../drivers/uart-console/line-reader";
import type { Words } from "./words";
import { Reports, REPORT_LINE_MAX } from "./reports";
import { Commands, X_PROMPT, X_REPORT } from "./commands";

/** Ring room a single-line reply needs before a line is run (the longest error is about 190 bytes). */
const REPLY_ROOM = 256;

/**
 * Runs only while the console is open (the UART driver calls it from its service loop, never during
 * its S2..R2). A line waits in the driver (`input.event`) until the TX ring has room for its reply,
 * so a reply is never cut; input behind it stays in the driver's backlog meanwhile.
 */
export class ConsoleLines {
  private readonly ring: TxRing;
  private readonly words: Words;
  private readonly input: LineInput;
  private readonly reports: Reports;
  private readonly commands: Commands;

  constructor(ring: TxRing, words: Words, input: LineInput, reports: Reports, commands: Commands) {
    this.ring = ring;
    this.words = words;
    this.input = input;
    this.reports = reports;
    this.commands = commands;
  }

  /** One unit of input work; false when it must wait (for TX room or for input). */
  step(): boolean {
    const ring = this.ring;
    if (this.reports.active) {
      if (ring.free < REPORT_LINE_MAX) return false;
      if (!this.reports.step()) this.prompt();
      return true;
    }
    const input = this.input;
    if (input.event !== R_NONE) {
      if (ring.free < REPLY_ROOM) return false;
      this.handleLine(input.take());
      return true;
    }
    if (!input.typed) {
      if (input.discarded === 0) return false;
      if (ring.free < REPLY_ROOM) return false;
      this.reportDiscard();
      return true;
    }
    input.read();
    return true;
  }

  prompt(): void {
    this.ring.bytes(this.words.prompt);
  }

  /** The driver dropped the line broken by a UART wake: name what it held (cut: there was more), then prompt. */
  wakeDiscarded(fragment: Uint8Array, length: number, cut: boolean): void {
    const r = this.ring;
    const w = this.words;
    if (length > 0 || cut) {
      r.bytes(w.uartWake1);
      r.bytes(w.quoteOpen);
      r.range(fragment, 0, length);
      if (cut) r.bytes(w.ellipsis);
      r.bytes(w.quoteClose);
      r.bytes(w.uartWake2);
    } else {
      r.bytes(w.uartWakeQuiet);
    }
    r.newline();
    r.bytes(w.prompt);
  }

  /** Something threw inside the console (the driver dropped its line): drop the report, say so, carry on. */
  recover(): void {
    this.reports.kind = 0;
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
    const n = this.input.acceptDiscard();
    if (r.lastByte !== 0x0a) r.newline();
    r.bytes(w.rxDiscarded1);
    r.dec(n);
    r.bytes(w.rxDiscarded2);
    r.newline();
    this.commands.errors++;
    this.prompt();
  }

  private handleLine(ev: number): void {
    const r = this.ring;
    const w = this.words;
    if (ev === R_LINE) {
      const x = this.commands.execute(this.input.length);
      if (x === X_PROMPT) this.prompt();
      else if (x === X_REPORT && !this.reports.active) this.prompt();
      return;
    }
    if (ev === R_TOO_LONG) {
      r.bytes(w.tooLong1);
      r.dec(this.input.limit);
      r.bytes(w.tooLong2);
      r.newline();
    } else if (ev !== R_EMPTY) {
      r.bytes(w.refused1);
      r.hex2(this.input.refusedByte);
      r.bytes(w.refused2);
      r.dec(this.input.refusedColumn);
      r.bytes(w.refused3);
      r.newline();
    }
    if (ev !== R_EMPTY) this.commands.errors++;
    this.prompt();
  }
}
