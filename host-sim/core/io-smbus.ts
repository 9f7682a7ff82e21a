// Simulated ECMA-419 SMBus (embedded:io/smbus): register reads/writes over the simulated I2C, as Moddable's smbus.js.
import type { SimBoardIo } from "./board-io";
import { type ByteBuffer, bytesOf } from "./io-common";
import { I2C_WRITE_LENGTH, type I2cOptions, type SimI2c, type SimI2cClass } from "./io-i2c";

export interface SmbusOptions extends I2cOptions {
  /** Send a stop (not a repeated start) after the register byte of a read. Default false. */
  stop?: boolean;
}

export interface SimSmbus extends SimI2c {
  readUint8(register: number): number;
  readUint16(register: number, bigEndian?: boolean): number;
  readBuffer(register: number, countOrBuffer: number | ByteBuffer): ArrayBuffer | number;
  writeUint8(register: number, value: number): void;
  writeUint16(register: number, value: number, bigEndian?: boolean): void;
  writeBuffer(register: number, buffer: ByteBuffer): void;
  sendByte(command: number): void;
  receiveByte(): number;
  readQuick(): void;
  writeQuick(): void;
}

export type SimSmbusClass = new (options: SmbusOptions) => SimSmbus;

/**
 * Moddable modules/io/i2c/smbus.js: reads are a register write (repeated start unless `stop`) then
 * a read, both from 3 bytes of buffers made per instance; writes are one transfer with a stop.
 * writeBuffer stages register + payload in the board's buffer instead of allocating as smbus.js does,
 * so the bus sees the same single transfer. A NAK throws like I2C.
 */
export function makeSmbusClass(board: SimBoardIo, I2C: SimI2cClass): SimSmbusClass {
  class SMBus extends I2C implements SimSmbus {
    readonly #stop: boolean;
    readonly #three: Uint8Array;
    readonly #two: Uint8Array;
    readonly #one: Uint8Array;
    readonly #empty: Uint8Array;

    constructor(options: SmbusOptions) {
      super(options);
      this.#stop = !!options.stop;
      this.#three = new Uint8Array(3);
      this.#two = this.#three.subarray(0, 2);
      this.#one = this.#three.subarray(0, 1);
      this.#empty = this.#three.subarray(0, 0);
    }

    readUint8(register: number): number {
      const b = this.#one;
      b[0] = register;
      this.#writeRead(b, b);
      return b[0];
    }

    readUint16(register: number, bigEndian?: boolean): number {
      const w = this.#two;
      this.#one[0] = register;
      this.#writeRead(this.#one, w);
      return bigEndian ? (w[0] << 8) | w[1] : (w[1] << 8) | w[0];
    }

    /** Into a caller buffer (returns its length, no allocation) or a new ArrayBuffer of `count` bytes. */
    readBuffer(register: number, countOrBuffer: number | ByteBuffer): ArrayBuffer | number {
      this.#one[0] = register;
      this.#register(this.#one);
      return this.read(countOrBuffer);
    }

    writeUint8(register: number, value: number): void {
      const w = this.#two;
      w[0] = register;
      w[1] = value;
      this.write(w);
    }

    writeUint16(register: number, value: number, bigEndian?: boolean): void {
      const b = this.#three;
      b[0] = register;
      if (bigEndian) {
        b[1] = value >> 8;
        b[2] = value;
      } else {
        b[1] = value;
        b[2] = value >> 8;
      }
      this.write(b);
    }

    writeBuffer(register: number, buffer: ByteBuffer): void {
      if (ArrayBuffer.isView(buffer) && (buffer as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT !== undefined && (buffer as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT > 1) {
        throw new TypeError("SMBus.writeBuffer: not a byte buffer; pass a Uint8Array or ArrayBuffer");
      }
      const data = bytesOf("SMBus.writeBuffer", buffer);
      const staging = board.smbusScratch;
      if (data.length + 1 > staging.length) {
        throw new RangeError("SMBus.writeBuffer: " + String(data.length) + " bytes exceed the staging buffer; raise maxSmbusBlock in SimBoardOptions");
      }
      staging[0] = register;
      staging.set(data, 1);
      if (!this[I2C_WRITE_LENGTH](staging, data.length + 1, true)) throw new Error("write failed: SMBus.writeBuffer register 0x" + (register & 0xff).toString(16) + " NAKed");
    }

    sendByte(command: number): void {
      this.#one[0] = command;
      this.write(this.#one);
    }

    receiveByte(): number {
      this.read(this.#one);
      return this.#one[0];
    }

    readQuick(): void {
      this.read(this.#empty);
    }

    /** smbus.js discards the probe result (write of zero bytes returns 1 on NAK); so does this. */
    writeQuick(): void {
      this.write(this.#empty);
    }

    #writeRead(out: Uint8Array, into: Uint8Array): void {
      this.#register(out);
      this.read(into);
    }

    /** The register phase ends with a stop only when the options asked for it (smbus.js #stop). */
    #register(out: Uint8Array): void {
      if (!this[I2C_WRITE_LENGTH](out, out.length, this.#stop)) throw new Error("writeRead failed: SMBus register 0x" + (out[0] & 0xff).toString(16) + " NAKed");
    }
  }
  return SMBus;
}
