// Passive recorders the simulated board hangs on its outputs: chip-model timing violations and the bytes a UART sent.
import type { UartPeer, ViolationSink } from "../core/contracts";

/** Collects model timing violations; tests assert it stays empty. */
export class ViolationLog implements ViolationSink {
  /** Every violation so far, as "chip: rule". */
  readonly list: string[] = [];
  /** Appends "chip: rule" to `list`. */
  violation(chip: string, rule: string): void {
    this.list.push(chip + ": " + rule);
  }
}

/** The far end of a UART: keeps every byte the board transmitted. */
export class ByteSink implements UartPeer {
  /** The bytes received, `capacity` at most (later ones are dropped). */
  readonly bytes: Uint8Array;
  /** Bytes kept in `bytes`. */
  count = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  uartReceive(byte: number): void {
    if (this.count < this.bytes.length) this.bytes[this.count++] = byte;
  }
}
