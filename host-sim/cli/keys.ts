// Keyboard stream → shell events (rxjs): lines, the button key, quit; raw mode edits locally (history, completion), line mode splits on newlines.
import { type Observable, type OperatorFunction, concat, defer, from, mergeMap, of } from "rxjs";

export type KeyEvent =
  | { kind: "line"; text: string }
  /** The button key (Ctrl-B unless --button-key): press (and release) the BOOT button. */
  | { kind: "press" }
  /** Ctrl-L: clear the screen. */
  | { kind: "clear" }
  /** Tab with several completions and no longer common prefix: show them. */
  | { kind: "candidates"; words: string[] }
  /** Ctrl-C, Ctrl-D or end of input. */
  | { kind: "quit"; why: string }
  /** Raw mode: the line being typed changed (what to show; control bytes as ^X). */
  | { kind: "edit"; display: string };

export const KEY_PRESS = 0x02;
export const KEY_INTERRUPT = 0x03;
export const KEY_EOF = 0x04;
const KEY_TAB = 0x09;
const KEY_CLEAR = 0x0c;
/** Ctrl-U: erase the line being typed (as a shell's line editor does); Ctrl-W: erase the word before the cursor. */
const KEY_KILL_LINE = 0x15;
const KEY_KILL_WORD = 0x17;
const ESC = 0x1b;
/** Keys the shell or the terminal line discipline already own: not offered as the button key. */
const TAKEN = "CDHIJLMQSUWZ[";

/**
 * The byte of a button key spelled `ctrl-x`, `C-x` or `^X`; throws an Error naming the spelling and
 * the keys that are free (Ctrl-B is tmux's prefix, hence the option).
 */
export function parseButtonKey(spec: string): number {
  const m = /^(?:ctrl-|c-|\^)([a-z])$/i.exec(spec.trim());
  if (m === null) throw new Error("button key `" + spec + "` is not a control key; write e.g. ctrl-g, C-g or ^G");
  const letter = m[1].toUpperCase();
  if (TAKEN.indexOf(letter) >= 0) throw new Error("Ctrl-" + letter + " is taken (Ctrl-C/D quit, Ctrl-L clears, Ctrl-U/W erase, Tab/Enter/Backspace, flow control); pick another, e.g. ctrl-g");
  return letter.charCodeAt(0) - 0x40;
}

/** "Ctrl-B" for 0x02. */
export function keyName(b: number): string {
  return "Ctrl-" + String.fromCharCode(b + 0x40);
}

/** Key help for the banner; on a board without a button the button key is marked unavailable. */
export function keyHelp(buttonKey = KEY_PRESS, hasButton = true): string[] {
  return [
    (keyName(buttonKey) + "").padEnd(30) + (hasButton ? "press the BOOT button (same as `press`; --button-key to change)" : "(unavailable: this board has no button)"),
    "Up / Down, Tab                line history; complete commands, devices and arguments",
    "Ctrl-U / Ctrl-W               erase the line being typed / its last word",
    "Ctrl-L                        clear the screen",
    "Ctrl-C / Ctrl-D               quit",
  ];
}

export interface RawOptions {
  /** Byte of the button key (default Ctrl-B). */
  buttonKey?: number;
  /** Completions of the last word of `line` (the whole words that fit; empty: none). */
  complete?: (line: string) => string[];
}

/** What a terminal in raw mode sends, decoded byte by byte into KeyEvents. Stateful: one per subscription. */
class RawDecoder {
  private line: number[] = [];
  private escape = 0;
  private readonly history: string[] = [];
  /** Index into history while browsing with Up/Down; history.length is the line being typed. */
  private browse = 0;
  private draft: number[] = [];
  /** The local echo last announced (an `edit` event): Enter takes it down even when it came in an earlier chunk. */
  private shown = "";

  constructor(private readonly o: RawOptions) {}

  feed(chunk: Uint8Array): KeyEvent[] {
    const out: KeyEvent[] = [];
    const edit = (display: string): void => {
      this.shown = display;
      out.push({ kind: "edit", display });
    };
    let edited = false;
    const button = this.o.buttonKey ?? KEY_PRESS;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.escape > 0) {
        // ESC [ ... final byte: Up/Down browse the history; other cursor keys are dropped, not sent to the firmware.
        if (this.escape === 1 && b !== 0x5b && b !== 0x4f) this.escape = 0;
        else if (this.escape >= 2 && b >= 0x40 && b <= 0x7e) {
          this.escape = 0;
          if (b === 0x41 || b === 0x42) edited = this.historyStep(b === 0x41 ? -1 : 1) || edited;
        } else this.escape++;
        continue;
      }
      if (b === ESC) {
        this.escape = 1;
      } else if (b === button) {
        out.push({ kind: "press" });
      } else if (b === KEY_INTERRUPT || b === KEY_EOF) {
        out.push({ kind: "quit", why: b === KEY_INTERRUPT ? "Ctrl-C" : "Ctrl-D" });
        return out;
      } else if (b === KEY_CLEAR) {
        out.push({ kind: "clear" });
      } else if (b === KEY_TAB) {
        const more = this.completeLine();
        if (more !== null) out.push(more);
        else edited = true;
      } else if (b === 0x0d || b === 0x0a) {
        // Keys arrive one chunk each on a terminal: the echo shown may be from earlier chunks.
        if (edited || this.shown !== "") edit("");
        edited = false;
        const text = Buffer.from(this.line).toString("latin1");
        if (text.trim() !== "" && this.history[this.history.length - 1] !== text) this.history.push(text);
        this.browse = this.history.length;
        out.push({ kind: "line", text });
        this.line = [];
        if (b === 0x0d && chunk[i + 1] === 0x0a) i++;
      } else if (b === 0x08 || b === 0x7f) {
        this.line.pop();
        edited = true;
      } else if (b === KEY_KILL_LINE) {
        this.line = [];
        edited = true;
      } else if (b === KEY_KILL_WORD) {
        while (this.line.length > 0 && this.line[this.line.length - 1] === 0x20) this.line.pop();
        while (this.line.length > 0 && this.line[this.line.length - 1] !== 0x20) this.line.pop();
        edited = true;
      } else {
        this.line.push(b);
        edited = true;
      }
    }
    if (edited) edit(caret(this.line));
    return out;
  }

  /** Up (-1) / Down (+1): the line becomes the history entry; past the newest, the draft comes back. */
  private historyStep(dir: number): boolean {
    const next = this.browse + dir;
    if (next < 0 || next > this.history.length) return false;
    if (this.browse === this.history.length) this.draft = this.line;
    this.browse = next;
    this.line = next === this.history.length ? this.draft : Array.from(Buffer.from(this.history[next], "latin1"));
    return true;
  }

  /** Tab: a unique completion (or a longer common prefix) is typed in; several are listed; none does nothing. */
  private completeLine(): KeyEvent | null {
    if (this.o.complete === undefined) return null;
    const text = Buffer.from(this.line).toString("latin1");
    const words = this.o.complete(text);
    if (words.length === 0) return null;
    const word = /(\S*)$/.exec(text)![1];
    let prefix = words[0];
    for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const add = words.length === 1 ? words[0].slice(word.length) + " " : prefix.slice(word.length);
    if (add === "") return { kind: "candidates", words };
    for (const c of Buffer.from(add, "latin1")) this.line.push(c);
    return null;
  }
}

/** Piped or cooked input: a line ends at CR, LF or CR LF (as the firmware's console reads them); a last line without one still counts. */
class LineDecoder {
  private rest = "";
  /** The previous chunk ended with CR: an LF that starts this one belongs to it. */
  private afterCr = false;

  feed(chunk: Uint8Array): KeyEvent[] {
    const text = Buffer.from(chunk).toString("latin1");
    const out: KeyEvent[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      const cr = this.afterCr;
      this.afterCr = c === "\r";
      if (c === "\n" && cr) continue;
      if (c === "\r" || c === "\n") {
        out.push({ kind: "line", text: this.rest });
        this.rest = "";
      } else {
        this.rest += c;
      }
    }
    return out;
  }

  end(): KeyEvent[] {
    const out: KeyEvent[] = [];
    if (this.rest !== "") out.push({ kind: "line", text: this.rest });
    this.rest = "";
    return out;
  }
}

/**
 * The line as echoed: controls as ^X, bytes past ASCII as \xHH (one column per character). As Latin-1
 * characters they echoed wrong: 0x80-0x9f are C1 controls a terminal may act on or print as nothing, and a
 * UTF-8 emoji is four of them in two columns, so erasing the echo also erased the prompt. The firmware
 * refuses such a line anyway ("line refused: byte 0xf0 at column 2"), naming the byte as shown here.
 */
function caret(bytes: number[]): string {
  let s = "";
  for (const b of bytes) {
    s += b < 0x20 ? "^" + String.fromCharCode(b + 0x40) : b === 0x7f ? "^?" : b >= 0x80 ? "\\x" + b.toString(16) : String.fromCharCode(b);
  }
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
export function keyEvents(raw: boolean, o: RawOptions = {}): OperatorFunction<string | Uint8Array, KeyEvent> {
  return (source: Observable<string | Uint8Array>) => defer(() => {
    if (raw) {
      const d = new RawDecoder(o);
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
