// Far end of a simulated UART: collects what the device sent into a ring and types bytes into the device's RX.
import type { Clock, UartPeer } from "../core/contracts";
import { FAULT_NAK, FAULT_NONE, FAULT_STALL, type FaultKind, checkRange, faultCode } from "./common";

export interface UartTerminalOptions {
  /** Pushes one byte into the device's RX (the simulated Serial's receive side), bound once at wiring. */
  deliver: (byte: number) => void;
  /** With both clock and baud, typed bytes arrive one frame apart (10 bits: start, 8 data, stop). */
  clock?: Clock;
  baud?: number;
  /** Ring sizes in bytes. Default 4096 each. */
  rxCapacity?: number;
  txCapacity?: number;
  name?: string;
}

// Counters (Float64Array indices).
const RX_HEAD = 0;
const RX_COUNT = 1;
const TX_HEAD = 2;
const TX_COUNT = 3;
const RX_DROPPED = 4;
const TX_DROPPED = 5;
const RX_TOTAL = 6;
const FAULT = 7;
const PUMPING = 8;

export class UartTerminal implements UartPeer {
  readonly name: string;
  private readonly deliver: (byte: number) => void;
  private readonly clock: Clock | null;
  private readonly frameUs: number;
  private readonly timer: number;
  private readonly rx: Uint8Array;
  private readonly tx: Uint8Array;
  private readonly n = new Float64Array(9);

  constructor(options: UartTerminalOptions) {
    this.name = options.name ?? "uart-terminal";
    this.deliver = options.deliver;
    this.rx = new Uint8Array(checkRange(this.name, "rxCapacity", options.rxCapacity ?? 4096, 1, 1 << 24));
    this.tx = new Uint8Array(checkRange(this.name, "txCapacity", options.txCapacity ?? 4096, 1, 1 << 24));
    const paced = options.clock !== undefined && options.baud !== undefined;
    this.clock = paced ? (options.clock as Clock) : null;
    this.frameUs = paced ? 10_000_000 / (options.baud as number) : 0;
    const self = this;
    this.timer = this.clock === null ? -1 : this.clock.createTimer(function uartPump(): void {
      self.pump();
    });
  }

  /** Data path: one byte from the device. Allocation-free; a full ring drops the new byte and counts it. */
  uartReceive(byte: number): void {
    if (this.n[FAULT] === FAULT_NAK || this.n[RX_COUNT] >= this.rx.length) {
      this.n[RX_DROPPED] += 1;
      return;
    }
    this.rx[(this.n[RX_HEAD] + this.n[RX_COUNT]) % this.rx.length] = byte & 0xff;
    this.n[RX_COUNT] += 1;
    this.n[RX_TOTAL] += 1;
  }

  /** Next complete line the device sent (without CR/LF), or null if no newline arrived yet. Test side: allocates. */
  takeLine(): string | null {
    const count = this.n[RX_COUNT];
    const head = this.n[RX_HEAD];
    for (let i = 0; i < count; i++) {
      if (this.rx[(head + i) % this.rx.length] === 0x0a) {
        const line = this.take(i);
        this.drop(1);
        return line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
      }
    }
    return null;
  }

  /** Everything received and not yet taken, as text. Test side: allocates. */
  takeAll(): string {
    return this.take(this.n[RX_COUNT]);
  }

  /** Sends text (UTF-8) or bytes to the device: immediately, or paced at the baud rate. */
  type(data: string | Uint8Array): void {
    if (typeof data === "string") {
      for (let i = 0; i < data.length; i++) {
        const cp = data.codePointAt(i) as number;
        // Node and xsnap count an astral character as two code units, XS on the device as one:
        // step by the length this engine gives it.
        i += String.fromCodePoint(cp).length - 1;
        this.queueCodePoint(cp);
      }
    } else {
      for (let i = 0; i < data.length; i++) this.queue(data[i]);
    }
    this.kick();
  }

  /** "nak": the terminal is disconnected (the device's output is lost). "stall": typing pauses (flow control held). */
  setFault(kind: FaultKind): void {
    this.n[FAULT] = faultCode(this.name, kind);
    if (this.n[FAULT] !== FAULT_STALL) this.kick();
  }

  /** Empties both rings, clears counters and faults. */
  reset(): void {
    if (this.clock !== null) this.clock.cancel(this.timer);
    this.n.fill(0);
    this.n[FAULT] = FAULT_NONE;
  }

  received(): number {
    return this.n[RX_TOTAL];
  }

  /** Bytes lost to a full receive ring or a "nak" fault, and typed bytes lost to a full transmit ring. */
  dropped(): number {
    return this.n[RX_DROPPED] + this.n[TX_DROPPED];
  }

  /** Typed bytes not yet delivered. */
  pending(): number {
    return this.n[TX_COUNT];
  }

  private queue(byte: number): void {
    if (this.n[TX_COUNT] >= this.tx.length) {
      this.n[TX_DROPPED] += 1;
      return;
    }
    this.tx[(this.n[TX_HEAD] + this.n[TX_COUNT]) % this.tx.length] = byte;
    this.n[TX_COUNT] += 1;
  }

  /** UTF-8 by hand: TextEncoder is not a global on every XS build. */
  private queueCodePoint(cp: number): void {
    if (cp < 0x80) {
      this.queue(cp);
    } else if (cp < 0x800) {
      this.queue(0xc0 | (cp >> 6));
      this.queue(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      this.queue(0xe0 | (cp >> 12));
      this.queue(0x80 | ((cp >> 6) & 0x3f));
      this.queue(0x80 | (cp & 0x3f));
    } else {
      this.queue(0xf0 | (cp >> 18));
      this.queue(0x80 | ((cp >> 12) & 0x3f));
      this.queue(0x80 | ((cp >> 6) & 0x3f));
      this.queue(0x80 | (cp & 0x3f));
    }
  }

  private kick(): void {
    if (this.n[FAULT] === FAULT_STALL || this.n[TX_COUNT] === 0) return;
    if (this.clock === null) {
      while (this.n[TX_COUNT] > 0 && this.n[FAULT] !== FAULT_STALL) this.deliverOne();
    } else if (this.n[PUMPING] === 0) {
      this.n[PUMPING] = 1;
      this.clock.schedule(this.timer, this.frameUs);
    }
  }

  private pump(): void {
    this.n[PUMPING] = 0;
    if (this.n[FAULT] === FAULT_STALL || this.n[TX_COUNT] === 0) return;
    this.deliverOne();
    this.kick();
  }

  private deliverOne(): void {
    const byte = this.tx[this.n[TX_HEAD]];
    this.n[TX_HEAD] = (this.n[TX_HEAD] + 1) % this.tx.length;
    this.n[TX_COUNT] -= 1;
    this.deliver(byte);
  }

  /** Decodes `count` bytes as UTF-8 (malformed bytes become U+FFFD) and consumes them. */
  private take(count: number): string {
    const head = this.n[RX_HEAD];
    let out = "";
    let i = 0;
    while (i < count) {
      const b = this.rx[(head + i) % this.rx.length];
      const extra = b < 0x80 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
      let cp = extra === 0 ? b : extra === 1 ? b & 0x1f : extra === 2 ? b & 0x0f : b & 0x07;
      let ok = extra >= 0 && i + extra < count;
      for (let k = 1; ok && k <= extra; k++) {
        const c = this.rx[(head + i + k) % this.rx.length];
        if ((c & 0xc0) !== 0x80) ok = false;
        else cp = (cp << 6) | (c & 0x3f);
      }
      out += ok ? String.fromCodePoint(cp) : "\ufffd";
      i += ok ? extra + 1 : 1;
    }
    this.drop(count);
    return out;
  }

  private drop(count: number): void {
    this.n[RX_HEAD] = (this.n[RX_HEAD] + count) % this.rx.length;
    this.n[RX_COUNT] -= count;
  }
}
