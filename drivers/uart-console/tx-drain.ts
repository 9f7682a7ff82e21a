// The console's TX side: hands the TX ring to the UART in slices no larger than the free FIFO space it last reported.
import type { SerialIo } from "../common/io";
import type { TxRing } from "./tx-ring";
import type { ConsoleTimers } from "./timers";

/** Largest single serial.write: the ESP32 TX FIFO is 128 bytes (serial.c throws "output full" beyond free space). */
const TX_CHUNK = 128;

/**
 * Every write is a subarray view made once at boot (`views[k]` is the first k bytes of the chunk), so
 * draining allocates nothing. The free count comes from onWritable; a refused write means it was stale.
 */
export class TxDrain {
  private readonly ring: TxRing;
  private readonly serial: SerialIo;
  private readonly timers: ConsoleTimers;
  private readonly chunk = new Uint8Array(TX_CHUNK);
  private readonly views: Uint8Array[] = [];
  /** Free TX FIFO space the UART last reported (onWritable), less what was written since. */
  writable = 0;
  /**
   * False from this driver's S3 to its R1: the UART is off and the ring keeps the bytes. This is the
   * driver's own fact; it no longer asks whether IRQs are masked (that is the runtime's state, not on
   * the port). The difference: progress lines made inside the masked S3 stage before our own S3, or in
   * R1 after our own R1, are handed to the FIFO at once instead of after unmask; a FIFO write is a
   * synchronous register copy of at most 128 bytes, legal with interrupts off, and the UART is on then.
   */
  on = true;
  /** Failed serial writes. */
  errors = 0;

  constructor(ring: TxRing, serial: SerialIo, timers: ConsoleTimers) {
    this.ring = ring;
    this.serial = serial;
    this.timers = timers;
    for (let k = 0; k <= TX_CHUNK; k++) this.views.push(this.chunk.subarray(0, k));
  }

  /** Hands waiting bytes to the UART, never more than the free FIFO space it reported. */
  drain(): void {
    const r = this.ring;
    // UART off (our S3 to our R1): no I/O; the ring keeps the bytes.
    if (!this.on) return;
    while (r.count > 0 && this.writable > 0) {
      const k = r.peek(this.chunk, this.writable);
      try {
        this.serial.write(this.views[k]);
      } catch (e) {
        // "output full": our count was stale. Wait for onWritable, or probe again on a timer.
        this.errors++;
        this.writable = 0;
        this.timers.retry();
        return;
      }
      r.consume(k);
      this.writable -= k;
    }
  }

  /** Timer: a write was refused and no onWritable is coming; probe with a small count. */
  probe(): void {
    if (this.writable === 0) this.writable = 16;
  }
}
