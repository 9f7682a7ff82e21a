// Console input waiting between the UART's RX FIFO and the line reader, so the FIFO is emptied on every onReadable.
import type { SerialIo } from "../common/io";

/**
 * Why the console always empties the FIFO: on ESP32 the RXFIFO_FULL interrupt follows the FIFO level
 * (count above rxfifo_full_thrhd, 96 after reset), and Moddable's serial.c re-enables it after every
 * onReadable and every read (uart_enable_rx_intr), so a handler that leaves 96 or more bytes waiting is
 * called again at once, turn after turn: a busy event loop for as long as the console is gated (S2)
 * or waiting for TX room. RXFIFO_TOUT likewise re-fires every 4 character times while any byte waits.
 * So each onReadable moves everything into this ring; when the ring is full the rest is read and
 * discarded (counted). From the first discard on, everything is discarded until the ring is empty, so
 * the cut sits at one known place: the end of what was kept. The console then says how many bytes
 * were lost and drops the line in progress.
 */
export class RxBacklog {
  readonly capacity: number;
  private readonly buf: Uint8Array;
  private head = 0;
  /** Bytes waiting for the line reader. */
  count = 0;
  /** Bytes discarded since the console last reported it (0: nothing to report). */
  dropping = 0;
  /** Bytes ever discarded, and the most ever waiting (sizing evidence for `rxBacklogBytes`). */
  discarded = 0;
  highWater = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.buf = new Uint8Array(capacity);
  }

  /** Room left before bytes are discarded (0 while a discard waits to be reported). */
  get free(): number {
    return this.dropping > 0 ? 0 : this.capacity - this.count;
  }

  /**
   * Empties the UART's RX FIFO through `chunk` (read(buffer): no allocation). Bounded: the FIFO holds
   * 128 bytes and a few more may arrive meanwhile; a short read means it is empty.
   */
  pull(serial: SerialIo, chunk: Uint8Array): number {
    let got = 0;
    try {
      for (let k = 0; k < 8; k++) {
        const n = serial.read(chunk);
        if (typeof n !== "number" || n <= 0) return got;
        this.append(chunk, n);
        got += n;
        if (n < chunk.length) return got;
      }
    } catch {
      // A failing read must not stop TX or the console's S2 completion: what came before it is kept.
    }
    return got;
  }

  /** Keeps src[0..n) in order, discarding what does not fit (and, once discarding, all of it). */
  append(src: Uint8Array, n: number): void {
    let i = 0;
    if (this.dropping === 0) {
      for (; i < n && this.count < this.capacity; i++) {
        this.buf[(this.head + this.count) % this.capacity] = src[i];
        this.count++;
      }
      if (this.count > this.highWater) this.highWater = this.count;
    }
    this.dropping += n - i;
    this.discarded += n - i;
  }

  /** The oldest waiting byte (count > 0). */
  shift(): number {
    const b = this.buf[this.head];
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return b;
  }

  /** Forgets the bytes kept (a reset of the console's input). */
  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
