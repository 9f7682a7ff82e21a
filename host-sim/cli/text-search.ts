// Searches a growing text (serial output, `[sim]` lines) incrementally: each character is examined about once, however long the run.

/*
 * Why not `log.indexOf(text, cursor)`: the log is built with `+=`, and V8 flattens such a string (copies
 * all of it) before searching it. Checked after every step of virtual time, that made a run's cost grow
 * with the square of its output: a 100-cycle scenario took two minutes. Here only the text that arrived
 * since the last search is read, with the needle's length - 1 characters before it (a match may straddle
 * two chunks).
 */

/** `wait-serial`: text after a cursor; a match moves the cursor past it, as `indexOf(text, cursor)` would. */
export class SerialWait {
  /** Characters searched so far (tests check the work stays linear in the output). */
  scanned = 0;
  /** Offset of the cursor in the whole output. */
  cursor = 0;
  private length = 0;
  /** The text after the cursor, in the chunks it arrived in. */
  private after: string[] = [];
  private needle: string | null = null;
  /** Chunks of `after` already searched for `needle`, and the last needle.length - 1 characters of them. */
  private done = 0;
  private carry = "";

  push(text: string): void {
    this.after.push(text);
    this.length += text.length;
  }

  /** Text after the cursor containing `needle`: moves the cursor past it and answers true. */
  consume(needle: string): boolean {
    if (needle !== this.needle) {
      // Another wait: everything after the cursor is searched once for its text.
      this.needle = needle;
      this.done = 0;
      this.carry = "";
    }
    if (this.done === this.after.length) return false;
    const fresh = this.after.length - this.done === 1 ? this.after[this.done] : this.after.slice(this.done).join("");
    const hay = this.carry + fresh;
    this.scanned += hay.length;
    const at = hay.indexOf(needle);
    if (at < 0) {
      this.done = this.after.length;
      this.carry = hay.slice(hay.length - Math.min(hay.length, needle.length - 1));
      return false;
    }
    const rest = hay.slice(at + needle.length);
    this.cursor = this.length - rest.length;
    this.after = rest === "" ? [] : [rest];
    this.needle = null;
    return true;
  }
}

/** Longest line prefix kept for a match's report: a line that never ends must not be searched again and again. */
const LINE_KEEP = 4096;

/** `--fail-text` / `--expect-text`: finds the needle once in a stream and keeps the line it was on. */
export class LineSearch {
  /** Characters searched so far. */
  scanned = 0;
  /** The line the needle was found on, as far as it has arrived (it grows until its newline), or null. */
  private hit: string | null = null;
  /** The found line has ended (its newline arrived, or it reached LINE_KEEP). */
  complete = false;
  private pending: string[] = [];
  /** The text after the last newline searched (the start of a match's line), bounded. */
  private line = "";

  constructor(readonly needle: string) {}

  /** The line the needle is on, without its line end, or null before it is found. */
  get found(): string | null {
    return this.hit === null ? null : this.hit.replace(/\r$/, "");
  }

  push(text: string): void {
    if (this.hit === null) {
      if (text !== "") this.pending.push(text);
      return;
    }
    if (this.complete) return;
    // After the match: the rest of its line, so a report quotes the whole line, not the part that had arrived.
    const nl = text.indexOf("\n");
    this.hit += nl < 0 ? text : text.slice(0, nl);
    this.complete = nl >= 0 || this.hit.length >= LINE_KEEP;
  }

  /** Searches what arrived since the last call; true once the needle has been seen. */
  search(): boolean {
    if (this.hit !== null) return true;
    if (this.pending.length === 0) return false;
    const hay = this.line + (this.pending.length === 1 ? this.pending[0] : this.pending.join(""));
    this.pending = [];
    const from = Math.max(0, this.line.length - this.needle.length + 1);
    this.scanned += hay.length - from;
    const at = hay.indexOf(this.needle, from);
    if (at >= 0) {
      const end = hay.indexOf("\n", at);
      this.hit = hay.slice(hay.lastIndexOf("\n", at) + 1, end < 0 ? hay.length : end);
      this.complete = end >= 0;
      this.line = "";
      return true;
    }
    // The last line's start, and at least the needle's length - 1 characters: a needle with a newline in it may span chunks.
    this.line = hay.slice(Math.min(hay.lastIndexOf("\n") + 1, Math.max(0, hay.length - this.needle.length + 1)));
    const keep = Math.max(LINE_KEEP, this.needle.length - 1);
    if (this.line.length > keep) this.line = this.line.slice(this.line.length - keep);
    return false;
  }
}
