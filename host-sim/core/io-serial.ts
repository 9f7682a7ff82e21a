// Simulated ECMA-419 Serial (embedded:io/serial) over a SimUart, following Moddable's ESP32 serial.c.
import { OWNER_SERIAL } from "./pin-pads";
import type { SimBoardIo } from "./board-io";
import {
  type ByteBuffer, bytesOf, copyTarget, getCallback, getFormat, getPin, getSigned, hostCheck, HOST_CLOSED, HOST_NOT_INSTANCE, HOST_OK, isBufferArg, isObjectLike, optionsObject, required,
  toInteger,
} from "./io-common";
import type { SimUart, UartOwner } from "./uart";

export interface SerialOptions {
  transmit?: number;
  receive?: number;
  baud: number;
  port?: number;
  format?: string;
  onReadable?: ((this: SimSerial, count: number) => void) | null;
  onWritable?: ((this: SimSerial, count: number) => void) | null;
  target?: unknown;
}

export interface SimSerial {
  read(countOrBuffer?: number | ByteBuffer): number | ArrayBuffer | undefined;
  write(value: number | ByteBuffer): void;
  close(): void;
  format: string;
  target?: unknown;
}

export type SimSerialClass = new (options: SerialOptions) => SimSerial;

const NO_PIN = -1;

/**
 * serial.c semantics: read() answers undefined when the RX FIFO is empty; format "number" moves one
 * byte, "buffer" reads all waiting bytes, `count` of them (clamped to what is waiting), or into a
 * caller's buffer, returning how many it filled (the allocation-free form). write() refuses with
 * "output full" what the 128-byte TX FIFO cannot take. onReadable(bytes waiting) and
 * onWritable(free space) arrive through the board's event queue; onWritable fires once right after
 * construction (the FIFO starts empty).
 */
export function makeSerialClass(board: SimBoardIo): SimSerialClass {
  class Serial implements SimSerial {
    target?: unknown;
    #uart: SimUart | null = null;
    #transmit = NO_PIN;
    #receive = NO_PIN;
    #number = false;
    #onReadable: ((this: SimSerial, count: number) => void) | null = null;
    #onWritable: ((this: SimSerial, count: number) => void) | null = null;

    constructor(options: SerialOptions) {
      const o = optionsObject("Serial", arguments.length, options);
      let transmit = NO_PIN;
      let receive = NO_PIN;
      if ("transmit" in o) {
        transmit = getPin("Serial", o, "transmit");
        if (!board.isPinFree(transmit)) throw new Error("in use: Serial transmit " + board.describePin(transmit));
      }
      if ("receive" in o) {
        receive = getPin("Serial", o, "receive");
        if (!board.isPinFree(receive)) throw new Error("in use: Serial receive " + board.describePin(receive));
      } else if (transmit === NO_PIN) {
        throw new Error("invalid: Serial needs option 'transmit', 'receive' or both (GPIO numbers)");
      }
      let port = 0;
      if ("port" in o) {
        port = getSigned("Serial", o, "port");
        if (port < 0 || port >= board.uarts.length) throw new RangeError("invalid port: Serial port " + String(o.port) + "; use 0.." + String(board.uarts.length - 1));
      }
      const baud = toInteger(o.baud, "Serial option 'baud'");
      if (baud <= 0 || baud > 20_000_000) throw new RangeError("invalid baud: Serial baud " + String(o.baud) + "; use 1..20000000 (115200 typical)");
      const onReadable = getCallback<(this: SimSerial, count: number) => void>("Serial", o, "onReadable");
      const onWritable = getCallback<(this: SimSerial, count: number) => void>("Serial", o, "onWritable");
      copyTarget(this, o);
      const format = getFormat(o, "buffer");
      if (format !== "buffer" && format !== "number") throw new RangeError('invalid format: Serial format "' + format + '"; use "buffer" or "number"');
      const uart = board.uart(port);
      if (uart.isOpen) throw new RangeError("port in use: UART" + String(port) + " already has an open Serial; close it first");

      this.#transmit = transmit;
      this.#receive = receive;
      this.#number = format === "number";
      this.#onReadable = receive !== NO_PIN ? onReadable : null;
      this.#onWritable = transmit !== NO_PIN ? onWritable : null;
      if (transmit !== NO_PIN) board.claimPin(transmit, OWNER_SERIAL);
      if (receive !== NO_PIN) board.claimPin(receive, OWNER_SERIAL);
      this.#uart = uart;
      const self = this;
      const owner: UartOwner = {
        readable(count: number): void {
          const cb = self.#onReadable;
          if (cb !== null) cb.call(self, count);
        },
        writable(count: number): void {
          const cb = self.#onWritable;
          if (cb !== null) cb.call(self, count);
        },
      };
      uart.open(baud, owner, this.#onReadable !== null, this.#onWritable !== null);
    }

    read(countOrBuffer?: number | ByteBuffer): number | ArrayBuffer | undefined {
      hostCheck("Serial", "read", Serial.#state(this));
      const uart = this.#uart as SimUart;
      const available = uart.rxCount;
      if (available === 0) return undefined;
      let result: number | ArrayBuffer;
      if (this.#number) {
        result = uart.readByte();
      } else if (countOrBuffer === undefined) {
        const ab = new ArrayBuffer(available);
        uart.readInto(new Uint8Array(ab), available);
        result = ab;
      } else if (isBufferArg(countOrBuffer)) {
        const into = bytesOf("Serial.read", countOrBuffer);
        if (into.length === 0) throw new Error("invalid: Serial.read into an empty buffer; pass a buffer of at least 1 byte");
        result = uart.readInto(into, into.length);
      } else {
        let n = toInteger(countOrBuffer, "Serial.read count");
        if (n <= 0) throw new Error("invalid: Serial.read(" + String(countOrBuffer) + "); ask for at least 1 byte");
        if (n > available) n = available;
        const ab = new ArrayBuffer(n);
        uart.readInto(new Uint8Array(ab), n);
        result = ab;
      }
      uart.afterRead();
      return result;
    }

    write(value: number | ByteBuffer): void {
      hostCheck("Serial", "write", Serial.#state(this));
      const uart = this.#uart as SimUart;
      required(value, "Serial.write", 0, this.#number ? "a byte" : "the buffer to send");
      if (this.#number) {
        if (uart.txFree === 0) throw new Error("output full: Serial TX FIFO is full; wait for onWritable");
        uart.writeByte(toInteger(value, "Serial.write byte"));
        return;
      }
      const bytes = bytesOf("Serial.write", value);
      if (bytes.length > uart.txFree) {
        throw new Error("output full: Serial.write of " + String(bytes.length) + " bytes, " + String(uart.txFree) + " free in the TX FIFO; write at most the onWritable count");
      }
      uart.writeBytes(bytes, bytes.length);
    }

    /** Masks the UART's interrupts and frees the pins; bytes already in the TX FIFO still go out. Idempotent. */
    close(): void {
      const state = Serial.#state(this);
      if (state === HOST_CLOSED) return;
      hostCheck("Serial", "close", state);
      const uart = this.#uart as SimUart;
      this.#uart = null;
      uart.close();
      if (this.#transmit !== NO_PIN) board.releasePin(this.#transmit);
      if (this.#receive !== NO_PIN) board.releasePin(this.#receive);
      this.#onReadable = null;
      this.#onWritable = null;
    }

    get format(): string {
      hostCheck("Serial", "format", Serial.#state(this));
      return this.#number ? "number" : "buffer";
    }

    set format(value: string) {
      hostCheck("Serial", "format", Serial.#state(this));
      if (value === "number") this.#number = true;
      else if (value === "buffer") this.#number = false;
      else throw new RangeError('unimplemented: Serial format "' + String(value) + '"; use "buffer" or "number"');
    }

    static #state(self: unknown): number {
      if (!isObjectLike(self) || !(#uart in self)) return HOST_NOT_INSTANCE;
      return (self as Serial).#uart === null ? HOST_CLOSED : HOST_OK;
    }
  }
  return Serial;
}
