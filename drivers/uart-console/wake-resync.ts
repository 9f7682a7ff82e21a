// After an ESP32 UART wake (the waking byte is lost) the broken input line is dropped whole and the application told what it held.
import type { LineReader } from "./line-reader";
import type { ConsoleClient } from "../common/console-io";

/** Bytes of the dropped line kept to name it (the application quotes at most this many, as it quotes any input). */
export const FRAGMENT_MAX = 40;

/**
 * ESP-IDF `uart_set_wakeup_threshold`: in light sleep the UART counts RX edges and wakes the chip at
 * the threshold; the character carrying them is never received. The line being typed therefore lacks
 * its first byte ("tatus"), and may also carry what was typed before the sleep. Resync mode drops
 * every byte up to the next CR/LF, or until `quietUs` pass without input (the waking key was alone,
 * say Enter), then hands what it dropped to the client, which names it and prompts: the next full line
 * is read intact.
 */
export class WakeResync {
  active = false;
  /** Resyncs done (UART wakes handled). */
  count = 0;
  private readonly fragment = new Uint8Array(FRAGMENT_MAX);
  private length = 0;
  private cut = false;
  private readonly reader: LineReader;
  /** The application (set once at boot by `UartConsole.bind`). */
  client: ConsoleClient;

  constructor(reader: LineReader, client: ConsoleClient) {
    this.reader = reader;
    this.client = client;
  }

  /** Starts discarding; the partial line typed before the sleep is part of the broken line. */
  start(): void {
    this.count++;
    this.active = true;
    const pending = this.reader.pendingLength;
    this.length = pending < FRAGMENT_MAX ? pending : FRAGMENT_MAX;
    for (let i = 0; i < this.length; i++) this.fragment[i] = this.reader.buf[i];
    this.cut = pending > FRAGMENT_MAX;
    this.reader.reset();
  }

  /** One input byte while active. Returns true when it ended the fragment (CR/LF). */
  byte(b: number): boolean {
    if (b === 0x0d || b === 0x0a) {
      this.finish(b === 0x0d);
      return true;
    }
    if (b >= 0x20 && b <= 0x7e && this.length < FRAGMENT_MAX) this.fragment[this.length++] = b;
    else this.cut = true;
    return false;
  }

  /** Ends resync (at CR/LF, or after the quiet time) and tells the client what was dropped. */
  finish(cr: boolean): void {
    this.active = false;
    if (cr) this.reader.swallowLf();
    this.client.wakeDiscarded(this.fragment, this.length, this.cut);
  }
}
