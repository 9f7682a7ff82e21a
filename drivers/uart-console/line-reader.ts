// Assembles console input bytes into lines in a fixed buffer and classifies bad input (too long, not printable).

// What one input byte produced.
export const R_NONE = 0;
/** A printable byte was appended: echo it. */
export const R_ECHO = 1;
/** Backspace/DEL removed the last byte: echo "\b \b". */
export const R_ERASE = 2;
/** End of line: buf[0..lineLength) holds a printable line. */
export const R_LINE = 3;
/** End of line with nothing typed. */
export const R_EMPTY = 4;
/** End of a line longer than the buffer: all of it was discarded. */
export const R_TOO_LONG = 5;
/** End of a line that held a non-printable byte (badByte at badColumn): refused whole. */
export const R_REFUSED = 6;

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const BS = 0x08;
const DEL = 0x7f;
const SPACE = 0x20;

/**
 * Why whole-line verdicts: a partially executed line is worse than none, so a line that overflowed
 * or carried a control byte is discarded at its end and the reply says why; the next line starts
 * clean. CR, LF and CR LF all end a line (the LF of a CR LF pair is swallowed, so it is one line,
 * not a line and an empty one). TAB counts as a space.
 *
 * Editing follows the screen: every typed byte takes its place in the buffer, printable ones are
 * echoed, control bytes are not. Backspace removes the last byte typed and answers R_ERASE ("\b \b")
 * only if that byte was echoed, so erasing a refused control byte erases nothing on screen and clears
 * the refusal, and no echoed character disappears from the screen but not from the line (or back).
 */
export class LineReader {
  readonly limit: number;
  readonly buf: Uint8Array;
  private len = 0;
  /** Length of the line just ended (valid after R_LINE until the next push). */
  lineLength = 0;
  private overflow = false;
  /** The bad byte and column of the line just refused (valid after R_REFUSED). */
  refusedByte = -1;
  refusedColumn = 0;
  private afterCr = false;

  constructor(limit: number) {
    this.limit = limit;
    this.buf = new Uint8Array(limit);
  }

  /** Bytes of the line being typed, control bytes included (for the UART wake fragment). */
  get pendingLength(): number {
    return this.len;
  }

  push(b: number): number {
    if (b === LF && this.afterCr) {
      this.afterCr = false;
      return R_NONE;
    }
    this.afterCr = b === CR;
    if (b === CR || b === LF) return this.end();
    if (b === BS || b === DEL) {
      if (this.overflow || this.len === 0) return R_NONE;
      this.len--;
      return printable(this.buf[this.len]) ? R_ERASE : R_NONE;
    }
    if (b === TAB) b = SPACE;
    if (this.len === this.limit) {
      this.overflow = true;
      return R_NONE;
    }
    this.buf[this.len++] = b;
    return this.overflow || !printable(b) ? R_NONE : R_ECHO;
  }

  /** A CR ended something outside the reader (the UART wake fragment): swallow its LF. */
  swallowLf(): void {
    this.afterCr = true;
  }

  /** Drops the partial line. */
  reset(): void {
    this.len = 0;
    this.overflow = false;
    this.afterCr = false;
  }

  private end(): number {
    let result = R_LINE;
    this.refusedByte = -1;
    this.refusedColumn = 0;
    if (this.overflow) result = R_TOO_LONG;
    else if (this.len === 0) result = R_EMPTY;
    else {
      for (let i = 0; i < this.len; i++) {
        if (printable(this.buf[i])) continue;
        this.refusedByte = this.buf[i];
        this.refusedColumn = i + 1;
        result = R_REFUSED;
        break;
      }
    }
    this.lineLength = this.len;
    this.len = 0;
    this.overflow = false;
    return result;
  }
}

/** Console text: ASCII 0x20..0x7e (TAB was turned into a space on the way in). */
function printable(b: number): boolean {
  return b >= SPACE && b <= 0x7e;
}
