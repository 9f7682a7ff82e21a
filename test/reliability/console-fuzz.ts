// Console fuzz engine: random byte strings into the simulated UART0 RX, an independent line oracle, and a reply parser.
import { Rig } from "../console/sim";
import type { UartPeer } from "../../host-sim/core/contracts";

// What the oracle expects for one terminated line (mirrors the LineReader contract: whole-line verdicts).
const L_BLANK = 0; // empty or only spaces/tabs: a prompt and nothing else
const L_TOO_LONG = 1; // more than `limit` printable bytes: exactly the too-long line
const L_REFUSED = 2; // a non-printable byte: exactly the refused line naming the first one
const L_COMMAND = 3; // printable words: at least one reply line (error or report)
const L_STATUS = 4; // the interleaved `status`: exactly the reference reply

const CR = 0x0d;
const LF = 0x0a;
// No "suspend": backspace and DEL in the garbage can edit "suspend deep" into a valid command, which
// suspends (test/console/suspend.test.ts covers that); every other command only answers.
const WORDS = ["help", "status", "stats", "devices", "trace", "trace 3", "trace dump", "status x", "sus", "trace 0", "trace -1", "stats reset", "  ", "\t", "x".repeat(50)].map((w) => Buffer.from(w, "latin1"));
/** The ESP32 UART RX FIFO. The fuzz fills it to the brim: past 96 bytes (RXFIFO_FULL) too. */
const FIFO_BYTES = 128;
const STATUS_LINE = Buffer.from("\r\nstatus\r\n", "latin1");

/** The console's side of the wire: every byte it transmits, split into reply lines and prompts, checked against the oracle. */
class ReplyChecker implements UartPeer {
  readonly line = new Uint8Array(8192);
  lineLength = 0;
  atLineStart = true;
  promptHalf = false;
  repliesInSegment = 0;
  segmentText: string[] = [];
  prompts = 0;
  replyLines = 0;
  errors: string[] = [];
  /** FIFO of expected verdicts: kind, byte, column. */
  readonly kind = new Uint8Array(1 << 16);
  readonly arg1 = new Int32Array(1 << 16);
  readonly arg2 = new Int32Array(1 << 16);
  head = 0;
  count = 0;
  statusReference: string | null = null;
  statusChecked = 0;
  readonly limit: number;
  readonly tooLong: string;

  constructor(limit: number) {
    this.limit = limit;
    this.tooLong = "line too long: limit is " + limit + " bytes, line discarded";
  }

  expect(kind: number, a1: number, a2: number): void {
    if (this.count === this.kind.length) throw new Error("fuzz: more than " + this.kind.length + " lines in flight");
    const i = (this.head + this.count) % this.kind.length;
    this.kind[i] = kind;
    this.arg1[i] = a1;
    this.arg2[i] = a2;
    this.count++;
  }

  uartReceive(byte: number): void {
    if (this.atLineStart) {
      if (this.promptHalf) {
        this.promptHalf = false;
        if (byte === 0x20) { this.prompt(); return; }
        this.line[this.lineLength++] = 0x3e; // a reply line that starts with ">"
        this.atLineStart = false;
      } else if (byte === 0x3e) {
        this.promptHalf = true;
        return;
      } else {
        this.atLineStart = false;
      }
    }
    if (byte === LF && this.lineLength > 0 && this.line[this.lineLength - 1] === CR) {
      this.replyLine(this.lineLength - 1);
      this.lineLength = 0;
      this.atLineStart = true;
      return;
    }
    if (this.lineLength === this.line.length) { this.errors.push("reply line longer than " + this.line.length + " bytes"); this.lineLength = 0; }
    this.line[this.lineLength++] = byte;
  }

  private replyLine(length: number): void {
    this.replyLines++;
    this.repliesInSegment++;
    const k = this.count > 0 ? this.kind[this.head] : -1;
    // Text is only needed for the lines whose exact wording is checked.
    if (k === L_TOO_LONG || k === L_REFUSED || k === L_STATUS || this.repliesInSegment === 1) {
      this.segmentText.push(Buffer.from(this.line.buffer, 0, length).toString("latin1"));
    }
  }

  private prompt(): void {
    this.prompts++;
    if (this.statusReference === null && this.prompts === 1) { this.resetSegment(); return; } // the boot banner's prompt
    if (this.count === 0) { this.errors.push("prompt " + this.prompts + " answers no input line"); this.resetSegment(); return; }
    const k = this.kind[this.head];
    const a1 = this.arg1[this.head];
    const a2 = this.arg2[this.head];
    this.head = (this.head + 1) % this.kind.length;
    this.count--;
    const n = this.repliesInSegment;
    const text = this.segmentText;
    if (this.errors.length < 20) {
      if (text.length > 0 && text[0].startsWith("console: internal error")) this.errors.push("internal error answering a line");
      if (k === L_BLANK && n !== 0) this.errors.push("blank line answered with " + n + " lines: " + JSON.stringify(text));
      if (k === L_TOO_LONG && (n !== 1 || text[0] !== this.tooLong)) this.errors.push("too-long line answered " + JSON.stringify(text));
      if (k === L_REFUSED) {
        const want = "line refused: byte 0x" + a1.toString(16).padStart(2, "0") + " at column " + a2 +
          " is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)";
        if (n !== 1 || text[0] !== want) this.errors.push("refused line answered " + JSON.stringify(text) + ", want " + JSON.stringify(want));
      }
      if (k === L_COMMAND && n < 1) this.errors.push("a command line got a bare prompt");
      if (k === L_STATUS) {
        const got = text.join("\n");
        if (this.statusReference === null) this.statusReference = got;
        else if (got !== this.statusReference) this.errors.push("status after garbage answered " + JSON.stringify(got));
        this.statusChecked++;
      }
    }
    this.resetSegment();
  }

  private resetSegment(): void {
    this.repliesInSegment = 0;
    this.segmentText = [];
  }
}

/**
 * The oracle: an independent reading of the console's documented line rules (line-reader.ts header):
 * CR, LF and CR LF end one line; backspace/DEL erase (not once overflowed); TAB is a space; a byte
 * outside 0x20-0x7e refuses the line (first one named, 1-based column); more than `limit` bytes is too long.
 */
class LineOracle {
  private len = 0;
  private nonBlank = 0;
  private readonly buf: Uint8Array;
  private overflow = false;
  private bad = -1;
  private badColumn = 0;
  private column = 0;
  private afterCr = false;
  status = false;
  lines = 0;

  constructor(private readonly limit: number, private readonly out: ReplyChecker) {
    this.buf = new Uint8Array(limit);
  }

  push(b: number): void {
    if (b === LF && this.afterCr) { this.afterCr = false; return; }
    this.afterCr = b === CR;
    if (b === CR || b === LF) { this.end(); return; }
    if (b === 0x08 || b === 0x7f) {
      if (this.overflow || this.len === 0) return;
      this.len--;
      if (this.column > 0) this.column--;
      return;
    }
    this.column++;
    if (b === 0x09) b = 0x20;
    if (b < 0x20 || b > 0x7e) {
      if (this.bad < 0) { this.bad = b; this.badColumn = this.column; }
      return;
    }
    if (this.len === this.limit) { this.overflow = true; return; }
    this.buf[this.len++] = b;
  }

  private end(): void {
    this.lines++;
    let blank = true;
    for (let i = 0; i < this.len; i++) if (this.buf[i] !== 0x20) { blank = false; break; }
    if (this.overflow) this.out.expect(L_TOO_LONG, 0, 0);
    else if (this.bad >= 0) this.out.expect(L_REFUSED, this.bad, this.badColumn);
    else if (this.status) this.out.expect(L_STATUS, 0, 0);
    else this.out.expect(blank ? L_BLANK : L_COMMAND, 0, 0);
    this.status = false;
    this.len = 0;
    this.overflow = false;
    this.bad = -1;
    this.badColumn = 0;
    this.column = 0;
  }
}

export interface FuzzResult {
  strings: number;
  bytes: number;
  lines: number;
  prompts: number;
  statusChecks: number;
  rxOverflows: number;
  /** Bytes the console discarded (its backlog full): 0, since the sender honours its input room. */
  rxDiscarded: number;
  /** Most bytes ever waiting in the RX FIFO right after a feed (>= 96 exercises RXFIFO_FULL). */
  maxFifo: number;
  /** Most bytes ever waiting in the console's backlog. */
  backlogMax: number;
  maxPending: number;
  faults: number;
  errors: string[];
  seconds: number;
}

/** xorshift32: the whole run is a pure function of the seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

/** Writes one random string into `into` at `at`; returns its length. */
function randomString(r: () => number, into: Uint8Array, at: number, limit: number): number {
  const shape = r() % 100;
  const len = shape < 55 ? r() % 40 : shape < 80 ? 40 + (r() % (limit - 40)) : shape < 95 ? limit - 4 + (r() % 200) : 300 + (r() % 1200);
  let n = 0;
  while (n < len) {
    const c = r() % 100;
    if (c < 62) into[at + n++] = 0x20 + (r() % 95);
    else if (c < 70) into[at + n++] = r() % 0x20; // control bytes, CR/LF/BS/TAB/ESC among them
    else if (c < 73) into[at + n++] = 0x7f;
    else if (c < 79) {
      // Partial and whole UTF-8: a lead byte with too few continuations, or stray continuations.
      into[at + n++] = [0xc3, 0xe2, 0xf0, 0x80, 0xbf, 0xff, 0xfe][r() % 7];
      if (n < len && (r() & 1) === 1) into[at + n++] = 0x80 + (r() % 64);
    } else {
      const w = WORDS[r() % WORDS.length];
      for (let i = 0; i < w.length && n < len; i++) into[at + n++] = w[i];
      if (n < len) into[at + n++] = 0x20;
    }
  }
  const end = r() % 10;
  if (end < 3) into[at + n++] = CR;
  else if (end < 5) into[at + n++] = LF;
  else if (end < 8) { into[at + n++] = CR; into[at + n++] = LF; }
  else if (end < 9) { into[at + n++] = LF; into[at + n++] = CR; }
  // else: unterminated, it runs into the next string
  return n;
}

/**
 * Feeds `count` random strings into UART0's RX as a sender with flow control would: never more than
 * the 128-byte FIFO holds, nor more than the console's input backlog has room for (bytes beyond it
 * are discarded by design and reported, test/console/bad-input.test.ts "console RX while busy"), interleaving "\r\nstatus\r\n" every `statusEvery`
 * strings, then lets the board go quiet and returns what was counted.
 */
export function fuzzConsole(count: number, seed: number, statusEvery = 1000): FuzzResult {
  const started = Date.now();
  const rig = new Rig({ terminalBytes: 1 << 16 });
  const limit = rig.uart.reader.limit;
  const checker = new ReplyChecker(limit);
  rig.board.attachUart(0, checker);
  checker.statusReference = null;
  checker.prompts = 1; // the banner's prompt was taken by the rig's terminal already
  const oracle = new LineOracle(limit, checker);
  const r = rng(seed);
  const uart = rig.board.uart(0);
  const pending = new Uint8Array(4096);
  let bytes = 0;
  let maxPending = 0;
  let maxFifo = 0;
  const backlog = rig.uart.rx;
  const feed = (data: Uint8Array, length: number, status: boolean): void => {
    let i = 0;
    while (i < length) {
      // The console empties the FIFO into its backlog on every onReadable, gated or waiting for TX room.
      const fifoRoom = FIFO_BYTES - uart.rxCount;
      const backlogRoom = backlog.free - uart.rxCount;
      const room = fifoRoom < backlogRoom ? fifoRoom : backlogRoom;
      if (room <= 0) {
        rig.clock.runUntil(rig.clock.now() + 2_000);
        const p = rig.uart.reader.pendingLength;
        if (p > maxPending) maxPending = p;
        continue;
      }
      const k = Math.min(room, length - i);
      for (let j = 0; j < k; j++) {
        const b = data[i + j];
        // The status line's own words: it is "status" only if nothing was typed before it on that line.
        oracle.push(b);
        if (status && b === LF && j + i === 1) oracle.status = true;
        uart.inject(b);
      }
      i += k;
      bytes += k;
      if (uart.rxCount > maxFifo) maxFifo = uart.rxCount;
    }
  };
  for (let s = 0; s < count; s++) {
    const n = randomString(r, pending, 0, limit);
    feed(pending, n, false);
    if ((s + 1) % statusEvery === 0) feed(STATUS_LINE, STATUS_LINE.length, true);
  }
  feed(STATUS_LINE, STATUS_LINE.length, true);
  rig.settle(600_000_000);
  const errors = checker.errors.slice();
  if (checker.count !== 0) errors.push(checker.count + " terminated lines never answered");
  if (checker.prompts - 1 !== oracle.lines) errors.push("lines " + oracle.lines + " but prompts " + (checker.prompts - 1));
  return {
    strings: count, bytes, lines: oracle.lines, prompts: checker.prompts - 1, statusChecks: checker.statusChecked,
    rxOverflows: uart.rxOverflows, rxDiscarded: backlog.discarded, maxFifo, backlogMax: backlog.highWater, maxPending, faults: rig.console.faults, errors, seconds: (Date.now() - started) / 1000,
  };
}
