// After an ESP32 UART wake (the waking byte is lost) the broken input line is discarded whole and a prompt printed.
import type { LineReader } from "./line-reader";
import type { TxRing } from "./tx-ring";
import type { Words } from "./words";
import { QUOTE_MAX } from "./printer";

/**
 * ESP-IDF `uart_set_wakeup_threshold`: in light sleep the UART counts RX edges and wakes the chip at
 * the threshold; the character carrying them is never received. The line being typed therefore lacks
 * its first byte ("tatus"), and may also carry what was typed before the sleep. Resync mode drops
 * every byte up to the next CR/LF, or until `quietUs` pass without input (the waking key was alone,
 * say Enter), then names what it dropped and prints a prompt: the next full line is read intact.
 */
export class WakeResync {
  active = false;
  /** Resyncs done (UART wakes handled). */
  count = 0;
  private readonly fragment = new Uint8Array(QUOTE_MAX);
  private length = 0;
  private cut = false;
  private readonly ring: TxRing;
  private readonly words: Words;
  private readonly reader: LineReader;

  constructor(ring: TxRing, words: Words, reader: LineReader) {
    this.ring = ring;
    this.words = words;
    this.reader = reader;
  }

  /** Starts discarding; the partial line typed before the sleep is part of the broken line. */
  start(): void {
    this.count++;
    this.active = true;
    const pending = this.reader.pendingLength;
    this.length = pending < QUOTE_MAX ? pending : QUOTE_MAX;
    for (let i = 0; i < this.length; i++) this.fragment[i] = this.reader.buf[i];
    this.cut = pending > QUOTE_MAX;
    this.reader.reset();
  }

  /** One input byte while active. Returns true when it ended the fragment (CR/LF). */
  byte(b: number): boolean {
    if (b === 0x0d || b === 0x0a) {
      this.finish(b === 0x0d);
      return true;
    }
    if (b >= 0x20 && b <= 0x7e && this.length < QUOTE_MAX) this.fragment[this.length++] = b;
    else this.cut = true;
    return false;
  }

  /** Ends resync (at CR/LF, or after the quiet time) and prints what was discarded and a prompt. */
  finish(cr: boolean): void {
    const r = this.ring;
    const w = this.words;
    this.active = false;
    if (cr) this.reader.swallowLf();
    if (this.length > 0 || this.cut) {
      r.bytes(w.uartWake1);
      r.bytes(w.quoteOpen);
      r.range(this.fragment, 0, this.length);
      if (this.cut) r.bytes(w.ellipsis);
      r.bytes(w.quoteClose);
      r.bytes(w.uartWake2);
    } else {
      r.bytes(w.uartWakeQuiet);
    }
    r.newline();
    r.bytes(w.prompt);
  }
}
