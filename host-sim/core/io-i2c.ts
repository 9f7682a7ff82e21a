// Simulated ECMA-419 I2C (embedded:io/i2c): transfers routed by address to the I2cTarget models on its SDA/SCL pair.
import type { I2cTarget } from "./contracts";
import { OWNER_I2C } from "./pin-pads";
import type { SimBoardIo } from "./board-io";
import { i2cAddressNs, i2cDataNs, i2cStopNs, periodNs } from "./bus-timing";
import {
  type ByteBuffer, bytesOf, copyTarget, getFormat, getPin, hostCheck, HOST_CLOSED, HOST_NOT_INSTANCE, HOST_OK, isBufferArg, isObjectLike, optionsObject, required, toInteger,
} from "./io-common";

export interface I2cOptions {
  data: number;
  clock: number;
  hz: number;
  address: number;
  port?: number;
  timeout?: number;
  pullup?: boolean;
  format?: string;
  target?: unknown;
}

/** Raw write of `length` bytes (SMBus stages register + payload in a board buffer and sends a prefix). */
export const I2C_WRITE_LENGTH: unique symbol = Symbol("i2cWriteLength");

export interface SimI2c {
  read(countOrBuffer: number | ByteBuffer, stop?: boolean): ArrayBuffer | number;
  write(buffer: ByteBuffer, stop?: boolean): number | undefined;
  /** Moddable's experimental extension: write, repeated start, read. */
  writeRead(buffer: ByteBuffer, countOrBuffer: number | ByteBuffer, stop?: boolean): ArrayBuffer | number;
  close(): void;
  format: string;
  target?: unknown;
  [I2C_WRITE_LENGTH](bytes: Uint8Array, length: number, stop: boolean): boolean;
}

export type SimI2cClass = new (options: I2cOptions) => SimI2c;

/**
 * Builds the I2C class bound to `board`. Validation, error classes and texts follow Moddable's
 * modules/io/i2c/esp32/_i2c.c. Several instances may share one SDA/SCL pair (one per address);
 * the pins are released when the last of them closes. A target that answers false NAKs: read and
 * write throw "read failed"/"write failed", except a zero-length write (a probe), which returns 1.
 * Each segment takes its wire time on the virtual clock (host-sim/core/bus-timing.ts): START and
 * the address byte, then the chip model sees the transfer, then the data bytes and the STOP. A NAK
 * ends after the address byte with a STOP; a stalled chip adds the controller's timeout (also summed
 * in the board's counters, i2cStallUs).
 */
export function makeI2cClass(board: SimBoardIo): SimI2cClass {
  class I2C implements SimI2c {
    target?: unknown;
    #slot = -1;
    #data = -1;
    #clock = -1;
    #address = 0;
    /** One SCL period, whole ns. */
    #period = 10_000;

    constructor(options: I2cOptions) {
      const o = optionsObject("I2C", arguments.length, options);
      if (!("data" in o)) throw new RangeError("data required: I2C needs option 'data' (the SDA pin), e.g. device.I2C.default");
      if (!("clock" in o)) throw new RangeError("clock required: I2C needs option 'clock' (the SCL pin), e.g. device.I2C.default");
      if (!("address" in o)) throw new RangeError("address required: I2C needs option 'address' (7-bit, 0..127)");
      const data = getPin("I2C", o, "data");
      const clock = getPin("I2C", o, "clock");
      const shared = board.i2c.sharesPins(data, clock);
      if (!shared && (!board.isPinFree(data) || !board.isPinFree(clock))) {
        throw new RangeError("inUse: I2C " + board.describePin(board.isPinFree(data) ? clock : data));
      }
      const address = getPin("I2C", o, "address");
      if (address > 127) throw new RangeError("invalid address: I2C address " + String(o.address) + " is not 7-bit; use 0..127 (not the 8-bit write address)");
      if (!board.isValidPin(data) || !board.isValidPin(clock) || board.isInputOnly(data) || board.isInputOnly(clock)) {
        throw new RangeError("unusable pins: I2C SDA " + String(data) + "/SCL " + String(clock) + " need output-capable GPIOs");
      }
      const hz = toInteger(o.hz, "I2C option 'hz'");
      if (hz <= 0 || hz > 20_000_000) throw new RangeError("invalid hz: I2C hz " + String(o.hz) + "; use 1..20000000 (100000 or 400000 typical)");
      if ("timeout" in o && toInteger(o.timeout, "I2C option 'timeout'") < -1) throw new RangeError("invalid timeout: I2C timeout is ms, -1 waits forever");
      if ("port" in o) {
        const port = toInteger(o.port, "I2C option 'port'");
        if (port < 0 || port >= board.soc.i2cPorts) throw new RangeError("invalid port: I2C port " + String(o.port) + "; use 0.." + String(board.soc.i2cPorts - 1));
      }
      copyTarget(this, o);
      if (getFormat(o, "buffer") !== "buffer") throw new RangeError('invalid format: I2C supports only format "buffer"');
      const slot = board.i2c.openSlot(data, clock, address);
      if (slot === -2) throw new RangeError("duplicate address: an open I2C instance already talks to 0x" + address.toString(16) + " on SDA " + String(data) + "/SCL " + String(clock) + "; close it or share it");
      if (slot === -1) throw new RangeError("no memory: too many open I2C instances; raise maxI2cInstances in SimBoardOptions");
      board.claimPin(data, OWNER_I2C);
      board.claimPin(clock, OWNER_I2C);
      this.#slot = slot;
      this.#data = data;
      this.#clock = clock;
      this.#address = address;
      this.#period = periodNs(hz);
    }

    read(countOrBuffer: number | ByteBuffer, stop?: boolean): ArrayBuffer | number {
      hostCheck("I2C", "read", I2C.#state(this));
      required(countOrBuffer, "I2C.read", 0, "a byte count or a buffer to fill");
      if (isBufferArg(countOrBuffer)) {
        const bytes = bytesOf("I2C.read", countOrBuffer);
        if (!this.#read(bytes, bytes.length, stop !== false)) throw this.#fail("read failed");
        return bytes.length;
      }
      const n = toInteger(countOrBuffer, "I2C.read count");
      const result = new ArrayBuffer(n < 0 ? 0 : n);
      if (!this.#read(new Uint8Array(result), result.byteLength, stop !== false)) throw this.#fail("read failed");
      return result;
    }

    write(buffer: ByteBuffer, stop?: boolean): number | undefined {
      hostCheck("I2C", "write", I2C.#state(this));
      const bytes = bytesOf("I2C.write", required(buffer, "I2C.write", 0, "the buffer to send"));
      const ok = this[I2C_WRITE_LENGTH](bytes, bytes.length, stop !== false);
      if (bytes.length === 0) return ok ? undefined : 1;
      if (!ok) throw this.#fail("write failed");
      return undefined;
    }

    writeRead(buffer: ByteBuffer, countOrBuffer: number | ByteBuffer, stop?: boolean): ArrayBuffer | number {
      hostCheck("I2C", "writeRead", I2C.#state(this));
      required(countOrBuffer, "I2C.writeRead", 1, "a byte count or a buffer to fill");
      const out = bytesOf("I2C.writeRead", required(buffer, "I2C.writeRead", 0, "the buffer to send"));
      let into: Uint8Array;
      let result: ArrayBuffer | number;
      if (isBufferArg(countOrBuffer)) {
        into = bytesOf("I2C.writeRead", countOrBuffer);
        result = into.length;
      } else {
        const n = toInteger(countOrBuffer, "I2C.writeRead count");
        result = new ArrayBuffer(n < 0 ? 0 : n);
        into = new Uint8Array(result);
      }
      if (!this[I2C_WRITE_LENGTH](out, out.length, false) || !this.#read(into, into.length, stop !== false)) {
        throw this.#fail("writeRead failed");
      }
      return result;
    }

    [I2C_WRITE_LENGTH](bytes: Uint8Array, length: number, stop: boolean): boolean {
      hostCheck("I2C", "write", I2C.#state(this));
      const target: I2cTarget | null = board.i2c.target(this.#data, this.#clock, this.#address);
      board.busy(0, i2cAddressNs(this.#period));
      const ok = target !== null && target.i2cWrite(bytes, length, stop);
      this.#finish(target, ok, length, stop);
      return ok;
    }

    /** Frees the instance; the pins go back when no other instance uses this SDA/SCL pair. Idempotent. */
    close(): void {
      const state = I2C.#state(this);
      if (state === HOST_CLOSED) return;
      hostCheck("I2C", "close", state);
      board.i2c.closeSlot(this.#slot);
      this.#slot = -1;
    }

    get format(): string {
      return "buffer";
    }

    set format(value: string) {
      if (value !== "buffer") throw new RangeError('I2C: format "' + String(value) + '" unsupported; only "buffer"');
    }

    static #state(self: unknown): number {
      if (!isObjectLike(self) || !(#slot in self)) return HOST_NOT_INSTANCE;
      return (self as I2C).#slot < 0 ? HOST_CLOSED : HOST_OK;
    }

    #read(into: Uint8Array, length: number, stop: boolean): boolean {
      const target: I2cTarget | null = board.i2c.target(this.#data, this.#clock, this.#address);
      board.busy(0, i2cAddressNs(this.#period));
      const ok = target !== null && target.i2cRead(into, length, stop);
      this.#finish(target, ok, length, stop);
      return ok;
    }

    /** Counts the segment and charges the rest of its wire time: data + STOP, or STOP (+ stall timeout) after a NAK. */
    #finish(target: I2cTarget | null, ok: boolean, length: number, stop: boolean): void {
      const stalledBefore = board.counters[2];
      board.i2cCount(target, ok);
      if (ok) board.busy(0, i2cDataNs(this.#period, length, stop));
      else board.busy(0, i2cStopNs(this.#period) + 1000 * (board.counters[2] - stalledBefore));
    }

    #fail(what: string): Error {
      return new Error(what + ": I2C address 0x" + this.#address.toString(16) + " NAKed on SDA " + String(this.#data) + "/SCL " + String(this.#clock) + " (no chip there, or it is asleep/stalled)");
    }
  }
  return I2C;
}
