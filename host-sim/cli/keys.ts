// Keyboard stream → shell events (rxjs): lines, the button key, quit; raw mode edits locally, line mode splits on newlines.
import { type Observable, type OperatorFunction, concat, defer, from, mergeMap, of } from "rxjs";

export type KeyEvent =
  | { kind: "line"; text: string }
  /** Ctrl-B: press (and release) the BOOT button. */
  | { kind: "press" }
  /** Ctrl-C, Ctrl-D or end of input. */
  | { kind: "quit"; why: string }
  /** Raw mode: the line being typed changed (what to show; control bytes as ^X). */
  | { kind: "edit"; display: string };

export const KEY_PRESS = 0x02;
export const KEY_INTERRUPT = 0x03;
export const KEY_EOF = 0x04;
const ESC = 0x1b;

/** Key help for the banner. */
export const KEY_HELP = [
  "Ctrl-B                        press the BOOT button (same as `press`)",
  "Ctrl-C / Ctrl-D               quit",
];

/** What a terminal in raw mode sends, decoded byte by byte into KeyEvents. Stateful: one per subscription. */
class RawDecoder {
  private line: number[] = [];
  private escape = 0;

  feed(chunk: Uint8Array): KeyEvent[] {
    const out: KeyEvent[] = [];
    let edited = false;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.escape > 0) {
        // ESC [ ... final byte: cursor keys and friends are dropped, not sent to the firmware.
        if (this.escape === 1 && b !== 0x5b && b !== 0x4f) this.escape = 0;
        else if (this.escape >= 2 && b >= 0x40 && b <= 0x7e) this.escape = 0;
        else this.escape++;
        continue;
      }
      if (b === ESC) {
        this.escape = 1;
      } else if (b === KEY_PRESS) {
        out.push({ kind: "press" });
      } else if (b === KEY_INTERRUPT || b === KEY_EOF) {
        out.push({ kind: "quit", why: b === KEY_INTERRUPT ? "Ctrl-C" : "Ctrl-D" });
        return out;
      } else if (b === 0x0d || b === 0x0a) {
        if (edited) out.push({ kind: "edit", display: "" });
        edited = false;
        out.push({ kind: "line", text: Buffer.from(this.line).toString("latin1") });
        this.line = [];
        if (b === 0x0d && chunk[i + 1] === 0x0a) i++;
      } else if (b === 0x08 || b === 0x7f) {
        this.line.pop();
        edited = true;
      } else {
        this.line.push(b);
        edited = true;
      }
    }
    if (edited) out.push({ kind: "edit", display: caret(this.line) });
    return out;
  }
}

/** Piped or cooked input: lines split on LF (CR LF accepted); a last line without newline still counts. */
class LineDecoder {
  private rest = "";

  feed(chunk: Uint8Array): KeyEvent[] {
    this.rest += Buffer.from(chunk).toString("latin1");
    const out: KeyEvent[] = [];
    let nl = this.rest.indexOf("\n");
    while (nl >= 0) {
      out.push({ kind: "line", text: this.rest.slice(0, nl).replace(/\r$/, "") });
      this.rest = this.rest.slice(nl + 1);
      nl = this.rest.indexOf("\n");
    }
    return out;
  }

  end(): KeyEvent[] {
    const out: KeyEvent[] = [];
    if (this.rest !== "") out.push({ kind: "line", text: this.rest.replace(/\r$/, "") });
    this.rest = "";
    return out;
  }
}

function caret(bytes: number[]): string {
  let s = "";
  for (const b of bytes) s += b < 0x20 ? "^" + String.fromCharCode(b + 0x40) : b === 0x7f ? "^?" : String.fromCharCode(b);
  return s;
}

function toBytes(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
}

/**
 * The keyboard operator. Bytes are kept as latin1 so every byte value survives to the firmware's RX
 * unchanged (binary input is the firmware's to refuse, with its own message). End of input becomes a
 * quit event after the last line.
 */
export function keyEvents(raw: boolean): OperatorFunction<string | Uint8Array, KeyEvent> {
  return (source: Observable<string | Uint8Array>) => defer(() => {
    if (raw) {
      const d = new RawDecoder();
      return concat(source.pipe(mergeMap((c) => from(d.feed(toBytes(c))))), of<KeyEvent>({ kind: "quit", why: "end of input" }));
    }
    const d = new LineDecoder();
    return concat(
      source.pipe(mergeMap((c) => from(d.feed(toBytes(c))))),
      defer(() => from(d.end())),
      of<KeyEvent>({ kind: "quit", why: "end of input" }),
    );
  });
}
