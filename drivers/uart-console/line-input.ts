// Typed bytes to complete lines: the RX backlog through the line reader with echo and erase, the wake resync, one line held for the app.
import { LineReader, R_NONE, R_ECHO, R_ERASE } from "./line-reader";
import type { TxRing } from "./tx-ring";
import type { RxBacklog } from "./rx-backlog";
import type { WakeResync } from "./wake-resync";
import type { ConsoleTimers } from "./timers";

/**
 * The line discipline is the driver's (what a terminal expects of the other end: echo, "\b \b" on
 * erase, CR LF after a line, and after an ESP32 UART wake the broken line dropped); the application
 * only ever sees whole lines. One line event is held (`event`) until the application takes it, so
 * input behind it stays in the backlog and a reply never has to be cut for lack of TX room.
 */
export class LineInput {
  /** The held line event: R_NONE, or R_LINE (`line[0..length)`), R_EMPTY, R_TOO_LONG or R_REFUSED (line-reader.ts). */
  event = R_NONE;
  /** The line buffer: valid for an R_LINE event until `take` is followed by `read`. */
  readonly line: Uint8Array;
  private readonly reader: LineReader;
  private readonly ring: TxRing;
  private readonly rx: RxBacklog;
  private readonly resync: WakeResync;
  private readonly timers: ConsoleTimers;
  private readonly echo: boolean;
  private readonly resyncQuietUs: number;
  private readonly erase = new Uint8Array([0x08, 0x20, 0x08]);

  constructor(reader: LineReader, ring: TxRing, rx: RxBacklog, resync: WakeResync, timers: ConsoleTimers, echo: boolean,
    resyncQuietUs: number) {
    this.reader = reader;
    this.line = reader.buf;
    this.ring = ring;
    this.rx = rx;
    this.resync = resync;
    this.timers = timers;
    this.echo = echo;
    this.resyncQuietUs = resyncQuietUs;
  }

  /** Length of the R_LINE line. */
  get length(): number {
    return this.reader.lineLength;
  }

  /** The line buffer's size: a longer line ends as R_TOO_LONG. */
  get limit(): number {
    return this.reader.limit;
  }

  /** The non-printable byte of an R_REFUSED line and its 1-based column. */
  get refusedByte(): number {
    return this.reader.refusedByte;
  }

  get refusedColumn(): number {
    return this.reader.refusedColumn;
  }

  /** Bytes typed and not read yet. */
  get typed(): boolean {
    return this.rx.count > 0;
  }

  /** Bytes the backlog had to drop while the application was busy (0: nothing to report). */
  get discarded(): number {
    return this.rx.dropping;
  }

  /** The application reports the discard: the line in progress lost its tail, so it is dropped. Returns the count. */
  acceptDiscard(): number {
    const n = this.rx.dropping;
    this.reader.reset();
    this.rx.dropping = 0;
    return n;
  }

  /** Hands the held event to the application (it then replies; the next `read` may reuse `line`). */
  take(): number {
    const ev = this.event;
    this.event = R_NONE;
    return ev;
  }

  /** Reads typed bytes (echo, erase, resync) until a line event is held or the backlog is empty. */
  read(): void {
    const rx = this.rx;
    while (rx.count > 0 && this.event === R_NONE) this.consume(rx.shift());
  }

  /** After a UART wake: the line in flight lost its first byte; drop it (wake-resync.ts). */
  startResync(): void {
    this.resync.start();
    this.event = R_NONE;
    this.timers.resync(this.resyncQuietUs);
  }

  /** Something threw inside the console: drop the line in progress. */
  recover(): void {
    this.reader.reset();
    this.event = R_NONE;
    this.resync.active = false;
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
      if (this.echo) this.ring.bytes(this.erase);
    } else {
      if (this.echo) this.ring.newline();
      this.event = ev;
    }
  }
}
