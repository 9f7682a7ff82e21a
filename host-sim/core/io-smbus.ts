// Simulated ECMA-419 SMBus (embedded:io/smbus): register reads/writes over the simulated I2C, as Moddable's smbus.js.
import type { SimBoardIo } from "./board-io";
import { type ByteBuffer, bytesOf, HOST_CLOSED, HOST_NOT_INSTANCE, HOST_OK, isObjectLike, scriptCheck } from "./io-common";
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
 *
 * Errors are smbus.js's, which is JavaScript over a native I2C: a method on a non-instance or a
 * closed SMBus is a TypeError (not I2C's SyntaxError); `new SMBus()` hands undefined to I2C, whose
 * ToObject fails (TypeError); read()/writeRead() without a count pass undefined on, which XS reads
 * as 0 bytes. Register and value bytes go through Uint8Array stores, so a BigInt is a TypeError.
 */
export function makeSmbusClass(board: SimBoardIo, I2C: SimI2cClass): SimSmbusClass {
  class SMBus extends I2C implements SimSmbus {
    readonly #stop: boolean;
    readonly #three: Uint8Array;
    readonly #two: Uint8Array;
    readonly #one: Uint8Array;
    readonly #empty: Uint8Array;
    #open = true;

    constructor(options: SmbusOptions) {
      super(options);
      this.#stop = !!(options as { stop?: unknown }).stop;
      this.#three = new Uint8Array(3);
      this.#two = this.#three.subarray(0, 2);
      this.#one = this.#three.subarray(0, 1);
      this.#empty = this.#three.subarray(0, 0);
    }

    readUint8(register: number): number {
      scriptCheck("SMBus", "readUint8", SMBus.#state(this));
      const b = this.#one;
      b[0] = register;
      this.#writeRead(b, b);
      return b[0];
    }

    readUint16(register: number, bigEndian?: boolean): number {
      scriptCheck("SMBus", "readUint16", SMBus.#state(this));
      const w = this.#two;
      this.#one[0] = register;
      this.#writeRead(this.#one, w);
      return bigEndian ? (w[0] << 8) | w[1] : (w[1] << 8) | w[0];
    }

    /** Into a caller buffer (returns its length, no allocation) or a new ArrayBuffer of `count` bytes. */
    readBuffer(register: number, countOrBuffer: number | ByteBuffer): ArrayBuffer | number {
      scriptCheck("SMBus", "readBuffer", SMBus.#state(this));
      this.#one[0] = register;
      this.#register(this.#one);
      return this.read(countOrBuffer);
    }

    writeUint8(register: number, value: number): void {
      scriptCheck("SMBus", "writeUint8", SMBus.#state(this));
      const w = this.#two;
      w[0] = register;
      w[1] = value;
      this.write(w);
    }

    writeUint16(register: number, value: number, bigEndian?: boolean): void {
      scriptCheck("SMBus", "writeUint16", SMBus.#state(this));
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
      scriptCheck("SMBus", "writeBuffer", SMBus.#state(this));
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
      scriptCheck("SMBus", "sendByte", SMBus.#state(this));
      this.#one[0] = command;
      this.write(this.#one);
    }

    receiveByte(): number {
      scriptCheck("SMBus", "receiveByte", SMBus.#state(this));
      this.read(this.#one);
      return this.#one[0];
    }

    readQuick(): void {
      scriptCheck("SMBus", "readQuick", SMBus.#state(this));
      this.read(this.#empty);
    }

    /** smbus.js discards the probe result (write of zero bytes returns 1 on NAK); so does this. */
    writeQuick(): void {
      scriptCheck("SMBus", "writeQuick", SMBus.#state(this));
      this.write(this.#empty);
    }

    override read(countOrBuffer: number | ByteBuffer, stop?: boolean): ArrayBuffer | number {
      scriptCheck("SMBus", "read", SMBus.#state(this));
      return super.read(countOrBuffer === undefined ? 0 : countOrBuffer, stop);
    }

    override write(buffer: ByteBuffer, stop?: boolean): number | undefined {
      scriptCheck("SMBus", "write", SMBus.#state(this));
      return super.write(bytesOf("SMBus.write", buffer), stop);
    }

    override writeRead(buffer: ByteBuffer, countOrBuffer: number | ByteBuffer, stop?: boolean): ArrayBuffer | number {
      scriptCheck("SMBus", "writeRead", SMBus.#state(this));
      return super.writeRead(bytesOf("SMBus.writeRead", buffer), countOrBuffer === undefined ? 0 : countOrBuffer, stop);
    }

    /** smbus.js: `this.#io?.close()`, so closing twice, or a closed SMBus, is harmless. */
    override close(): void {
      scriptCheck("SMBus", "close", SMBus.#state(this) === HOST_NOT_INSTANCE ? HOST_NOT_INSTANCE : HOST_OK);
      this.#open = false;
      super.close();
    }

    static #state(self: unknown): number {
      if (!isObjectLike(self) || !(#three in self)) return HOST_NOT_INSTANCE;
      return (self as SMBus).#open ? HOST_OK : HOST_CLOSED;
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
