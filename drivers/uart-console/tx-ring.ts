// Fixed TX byte ring of the console plus the allocation-free writers (bytes, decimal, hex, padding) that fill it.

/**
 * The console never builds strings: every reply is bytes copied from boot-made tables, bytes copied
 * from the line buffer, and numbers written digit by digit into a scratch array. Output waits here
 * until the UART's onWritable says the 128-byte hardware FIFO has room (Moddable serial.c throws
 * "output full" on a write larger than the free FIFO space). A write that does not fit is dropped
 * and counted; callers that care check `free` first and write whole lines.
 */
export class TxRing {
  readonly capacity: number;
  readonly buf: Uint8Array;
  private head = 0;
  /** Bytes waiting. */
  count = 0;
  /** Bytes that ever left the ring: handed to the UART, or forgotten by `clear`. */
  sent = 0;
  /** Bytes refused because the ring was full. */
  droppedBytes = 0;
  /** Most bytes ever waiting (sizing evidence for the board). */
  highWater = 0;
  /** Last byte accepted: progress lines start on a fresh line when it is not LF (after a prompt). */
  lastByte = 0x0a;
  private readonly digits = new Uint8Array(24);
  private readonly f64 = new DataView(new ArrayBuffer(8));

  constructor(capacity: number) {
    this.capacity = capacity;
    this.buf = new Uint8Array(capacity);
  }

  get free(): number {
    return this.capacity - this.count;
  }

  byte(b: number): void {
    if (this.count === this.capacity) {
      this.droppedBytes++;
      return;
    }
    this.buf[(this.head + this.count) % this.capacity] = b;
    this.lastByte = b;
    this.count++;
    if (this.count > this.highWater) this.highWater = this.count;
  }

  bytes(src: Uint8Array): void {
    for (let i = 0; i < src.length; i++) this.byte(src[i]);
  }

  /** Copies src[start..end) (the offending part of an input line, say). */
  range(src: Uint8Array, start: number, end: number): void {
    for (let i = start; i < end; i++) this.byte(src[i]);
  }

  spaces(n: number): void {
    for (let i = 0; i < n; i++) this.byte(0x20);
  }

  /** `src` then spaces up to `width` (at least one space after it). */
  padded(src: Uint8Array, width: number): void {
    this.bytes(src);
    this.spaces(src.length < width ? width - src.length : 1);
  }

  newline(): void {
    this.byte(0x0d);
    this.byte(0x0a);
  }

  /** Decimal integer (rounded). Non-finite numbers print as "?". */
  dec(n: number): void {
    this.decRight(n, 0);
  }

  /** Decimal integer right-aligned in `width` columns. */
  decRight(n: number, width: number): void {
    if (!(n === n) || n === Infinity || n === -Infinity) {
      this.spaces(width - 1);
      this.byte(0x3f);
      return;
    }
    let v = Math.round(n);
    const negative = v < 0;
    if (negative) v = -v;
    let k = 0;
    do {
      const q = Math.floor(v / 10);
      this.digits[k++] = 0x30 + (v - q * 10);
      v = q;
    } while (v > 0 && k < this.digits.length);
    const len = k + (negative ? 1 : 0);
    if (width > len) this.spaces(width - len);
    if (negative) this.byte(0x2d);
    while (k > 0) this.byte(this.digits[--k]);
  }

  /** Two lowercase hex digits. */
  hex2(b: number): void {
    this.byte(hexDigit((b >> 4) & 15));
    this.byte(hexDigit(b & 15));
  }

  /** A float64 as 16 hex digits, little-endian byte order (the dump format). */
  hexF64(v: number): void {
    this.f64.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.hex2(this.f64.getUint8(i));
  }

  /** A 16-bit signed integer as 4 hex digits, little-endian. */
  hexI16(v: number): void {
    this.hex2(v & 0xff);
    this.hex2((v >> 8) & 0xff);
  }

  /** A 32-bit signed integer as 8 hex digits, little-endian. */
  hexI32(v: number): void {
    this.hexI16(v & 0xffff);
    this.hexI16((v >> 16) & 0xffff);
  }

  /** Copies up to `max` waiting bytes into `into` (from 0) without consuming them. */
  peek(into: Uint8Array, max: number): number {
    let n = max < this.count ? max : this.count;
    if (n > into.length) n = into.length;
    for (let i = 0; i < n; i++) into[i] = this.buf[(this.head + i) % this.capacity];
    return n;
  }

  consume(n: number): void {
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
    this.sent += n;
  }

  /** Forgets everything waiting (a board reset of the console). */
  clear(): void {
    this.sent += this.count;
    this.head = 0;
    this.count = 0;
  }
}

function hexDigit(n: number): number {
  return n < 10 ? 0x30 + n : 0x57 + n;
}
