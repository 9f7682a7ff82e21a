// One UART's hardware: 128-byte RX/TX FIFOs draining at the baud rate, RX timeout, and the ISR Moddable installs.
import type { UartPeer } from "./contracts";
import type { SimBoardIo } from "./board-io";

/** What the open Serial instance receives from the delivery on the event loop. */
export interface UartOwner {
  readable(count: number): void;
  writable(count: number): void;
}

/** Moddable serial.c kTransmitTreshold: TXFIFO_EMPTY fires when fewer than 10 bytes wait. */
export const TX_THRESHOLD = 10;
/** serial.c: uart_set_rx_timeout(uart, 4): RXFIFO_TOUT after 4 idle character times. */
export const RX_TIMEOUT_CHARS = 4;

/**
 * Mirrors modules/io/serial/esp32/serial.c. The ISR only sets isReadable/isWritable, masks its
 * interrupt and posts one message if none is pending; the delivery (event loop) clears the flags,
 * calls onReadable(bytes waiting)/onWritable(free space) and unmasks RX. If the post fails (queue
 * full) the flag stays set with RX masked, so that UART delivers nothing more: as on the board.
 * A byte takes 10 bit times (8N1) to leave the TX FIFO and reach the peer.
 */
export class SimUart {
  readonly port: number;
  readonly line: number;
  private readonly board: SimBoardIo;
  private readonly size: number;
  private readonly rxFull: number;
  private readonly rx: Uint8Array;
  private readonly tx: Uint8Array;
  /** [rxHead, rxCount, txHead, txCount] */
  private readonly fifo: Int32Array;
  /** [open, hasReadable, hasWritable, rxIntr, txIntr, isReadable, isWritable, txRunning] */
  private readonly flags: Uint8Array;
  /** [rxBytes, rxOverflowBytes, txBytes, rxDroppedClosed, postsLost] */
  readonly counters: Uint32Array;
  /** One 8N1 character in whole nanoseconds, and the sub-microsecond carry between bytes. */
  private byteNs = Math.round(10_000_000_000 / 115200);
  private carryNs = 0;
  private readonly txTimer: number;
  private readonly rxTimer: number;
  peer: UartPeer | null = null;
  private owner: UartOwner | null = null;

  constructor(board: SimBoardIo, port: number, line: number) {
    this.board = board;
    this.port = port;
    this.line = line;
    this.size = board.soc.uartFifoBytes;
    this.rxFull = board.soc.uartRxFullThreshold;
    this.rx = new Uint8Array(this.size);
    this.tx = new Uint8Array(this.size);
    this.fifo = new Int32Array(4);
    this.flags = new Uint8Array(8);
    this.counters = new Uint32Array(5);
    const self = this;
    this.txTimer = board.clock.createTimer(function uartTxByte(): void {
      self.txDone();
    });
    this.rxTimer = board.clock.createTimer(function uartRxTimeout(): void {
      if (self.fifo[1] > 0) self.isr(true, false);
    });
    board.setLineHandler(line, function uartDeliver(): void {
      self.deliver();
    });
  }

  get isOpen(): boolean {
    return this.flags[0] === 1;
  }

  get rxCount(): number {
    return this.fifo[1];
  }

  get txCount(): number {
    return this.fifo[3];
  }

  get txFree(): number {
    return this.size - this.fifo[3];
  }

  /** Bytes still in the TX FIFO or on the wire (0 once the peer has everything). */
  get txPending(): number {
    return this.fifo[3];
  }

  get rxOverflows(): number {
    return this.counters[1];
  }

  /** Serial constructor: configures the port and enables the interrupts it has callbacks for. */
  open(baud: number, owner: UartOwner, hasReadable: boolean, hasWritable: boolean): void {
    const f = this.flags;
    this.byteNs = Math.round(10_000_000_000 / baud);
    this.carryNs = 0;
    this.owner = owner;
    f[0] = 1;
    f[1] = hasReadable ? 1 : 0;
    f[2] = hasWritable ? 1 : 0;
    f[5] = 0;
    f[6] = 0;
    f[3] = 0;
    f[4] = 0;
    if (hasReadable) this.enableRx();
    if (hasWritable) this.enableTx();
  }

  close(): void {
    const f = this.flags;
    f[0] = 0;
    f[1] = 0;
    f[2] = 0;
    f[3] = 0;
    f[4] = 0;
    this.owner = null;
    this.board.clock.cancel(this.rxTimer);
    // The TX FIFO keeps shifting out: closing does not reset the hardware FIFO in serial.c.
  }

  /** A byte arrives on RX. A full FIFO drops it (the hardware's RXFIFO_OVF). */
  inject(byte: number): void {
    const q = this.fifo;
    if (this.flags[0] === 0) {
      this.counters[3]++;
      return;
    }
    if (q[1] === this.size) {
      this.counters[1]++;
      return;
    }
    this.rx[(q[0] + q[1]) % this.size] = byte;
    q[1]++;
    this.counters[0]++;
    if (this.flags[1] === 1 && this.flags[3] === 1) {
      if (q[1] >= this.rxFull) this.isr(true, false);
      else this.board.clock.schedule(this.rxTimer, this.charsUs(RX_TIMEOUT_CHARS));
    }
  }

  /** Pops one received byte, or -1 if the FIFO is empty. */
  readByte(): number {
    const q = this.fifo;
    if (q[1] === 0) return -1;
    const b = this.rx[q[0]];
    q[0] = (q[0] + 1) % this.size;
    q[1]--;
    return b;
  }

  /** Moves up to `length` received bytes into `into` from offset 0. Returns how many. */
  readInto(into: Uint8Array, length: number): number {
    let n = 0;
    const q = this.fifo;
    while (n < length && q[1] > 0) {
      into[n++] = this.rx[q[0]];
      q[0] = (q[0] + 1) % this.size;
      q[1]--;
    }
    return n;
  }

  /** Called after every read when onReadable is set (serial.c re-enables RX then). */
  afterRead(): void {
    if (this.flags[1] === 1) this.enableRx();
  }

  /** Queues bytes for transmission; the caller has checked they fit. */
  writeBytes(data: Uint8Array, length: number): void {
    const q = this.fifo;
    for (let i = 0; i < length; i++) {
      this.tx[(q[2] + q[3]) % this.size] = data[i];
      q[3]++;
    }
    this.afterWrite();
  }

  writeByte(byte: number): void {
    const q = this.fifo;
    this.tx[(q[2] + q[3]) % this.size] = byte & 0xff;
    q[3]++;
    this.afterWrite();
  }

  private afterWrite(): void {
    if (this.flags[7] === 0 && this.fifo[3] > 0) {
      this.flags[7] = 1;
      this.carryNs = 0;
      this.board.clock.schedule(this.txTimer, this.nextByteUs());
    }
    if (this.flags[2] === 1 && this.flags[4] === 0) this.enableTx();
  }

  private txDone(): void {
    const q = this.fifo;
    this.flags[7] = 0;
    if (q[3] === 0) return;
    const b = this.tx[q[2]];
    q[2] = (q[2] + 1) % this.size;
    q[3]--;
    this.counters[2]++;
    if (q[3] > 0) {
      this.flags[7] = 1;
      this.board.clock.schedule(this.txTimer, this.nextByteUs());
    }
    if (this.peer !== null) this.peer.uartReceive(b);
    if (this.flags[2] === 1 && this.flags[4] === 1 && q[3] < TX_THRESHOLD) this.isr(false, true);
  }

  /**
   * uart_enable_rx_intr clears stale status first; a FIFO already holding data raises again. The ESP32
   * raises RXFIFO_FULL from the FIFO level, not from an arriving byte (with the 7-bit threshold field
   * wrapped to 0 it fires on an empty FIFO, esp-rs/esp-hal#652), and serial.c calls this after every
   * onReadable and read: a reader that leaves >= 96 bytes waiting is called again at once, as here.
   */
  private enableRx(): void {
    this.flags[3] = 1;
    const count = this.fifo[1];
    if (count >= this.rxFull) this.isr(true, false);
    else if (count > 0) this.board.clock.schedule(this.rxTimer, this.charsUs(RX_TIMEOUT_CHARS));
  }

  /** Whole-us delay to the end of the next TX byte; the nanosecond remainder carries, so there is no drift. */
  private nextByteUs(): number {
    const ns = this.carryNs + this.byteNs;
    // Integer-only division (no fractional intermediate, which V8 --jitless would box).
    this.carryNs = ns % 1000;
    return (ns - this.carryNs) / 1000;
  }

  private charsUs(chars: number): number {
    const ns = chars * this.byteNs + 999;
    return (ns - (ns % 1000)) / 1000;
  }

  private enableTx(): void {
    this.flags[4] = 1;
    if (this.fifo[3] < TX_THRESHOLD) this.isr(false, true);
  }

  /** serial_isr: mask the source, set the flag, post once per pending delivery. */
  private isr(rx: boolean, tx: boolean): void {
    const f = this.flags;
    let post = false;
    if (tx && f[2] === 1 && f[4] === 1) {
      if (f[6] === 0) post = true;
      f[6] = 1;
      f[4] = 0;
    }
    if (rx && f[1] === 1 && f[3] === 1) {
      if (f[5] === 0) post = true;
      f[5] = 1;
      f[3] = 0;
      this.board.clock.cancel(this.rxTimer);
    }
    if (post && !this.board.post(this.line)) this.counters[4]++;
  }

  /** serialDeliver, on the event loop (through the IRQ sink). */
  private deliver(): void {
    const f = this.flags;
    if (f[0] === 0 || this.owner === null) {
      this.board.counters[5]++;
      return;
    }
    if (f[5] === 1) {
      f[5] = 0;
      const count = this.fifo[1];
      if (count > 0) this.owner.readable(count);
      if (f[0] === 1 && f[1] === 1) this.enableRx();
    }
    if (f[6] === 1 && f[0] === 1 && this.owner !== null) {
      f[6] = 0;
      const free = this.size - this.fifo[3];
      if (free > 0) this.owner.writable(free);
    }
  }
}
