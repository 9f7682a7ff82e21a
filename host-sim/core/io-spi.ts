// Simulated ECMA-419 SPI (embedded:io/spi): the SpiTarget on its chip-select pin, with Moddable's CS timing.
import type { SpiTarget } from "./contracts";
import { DRIVE_PUSH_PULL, OWNER_SPI } from "./pin-pads";
import type { SimBoardIo, SpiSelection } from "./board-io";
import { periodNs, spiBytesNs, spiSelectNs } from "./bus-timing";
import {
  type ByteBuffer, bytesOf, copyTarget, getFormat, getPin, getSigned, hostCheck, HOST_CLOSED, HOST_NOT_INSTANCE, HOST_OK, isBufferArg, isObjectLike, optionsObject, required, toInteger,
} from "./io-common";

export interface SpiOptions {
  clock: number;
  hz: number;
  port: number;
  in?: number;
  out?: number;
  select?: number;
  /** Chip-select level while selected (0 = active low, Moddable's default). */
  active?: number;
  mode?: number;
  format?: string;
  target?: unknown;
}

export interface SimSpi {
  read(countOrBuffer: number | ByteBuffer): ArrayBuffer | undefined;
  write(buffer: ByteBuffer): void;
  transfer(buffer: ByteBuffer): void;
  flush(deselect?: boolean): void;
  close(): void;
  format: string;
  target?: unknown;
}

export type SimSpiClass = new (options: SpiOptions) => SimSpi;

const NO_PIN = -1;

/**
 * Moddable modules/io/spi/esp/spi.c over modSPI: the first transfer activates the instance's
 * configuration, which asserts its CS; CS then stays asserted across read/write/transfer calls until
 * flush(true), another SPI configuration is activated, or close. So a driver ends a command (page
 * program, deep power-down) with flush(true), and the target sees spiDeselect then. Transfers are
 * synchronous (config.sync). With no target on the CS pin, MISO floats high and reads 0xFF.
 * read() clocks out no data here (tx null); the chip ignores MOSI during its data-out phase.
 * transfer() passes the caller's buffer as both tx and rx: a target reads tx[i] before writing rx[i].
 * Wire time (host-sim/core/bus-timing.ts): asserting CS costs the CS setup, then the target sees the
 * bytes and 8 SCLK periods per byte pass at `hz` (the CPU waits: transfers are synchronous).
 */
export function makeSpiClass(board: SimBoardIo): SimSpiClass {
  class SPI implements SimSpi {
    target?: unknown;
    #open = false;
    #clock = NO_PIN;
    #mosi = NO_PIN;
    #miso = NO_PIN;
    #select = NO_PIN;
    #active = 0;
    /** One SCLK period, whole ns. */
    #period = 1;
    #selection: SpiSelection;

    constructor(options: SpiOptions) {
      const o = optionsObject("SPI", arguments.length, options);
      const clock = getPin("SPI", o, "clock");
      if (!board.isPinFree(clock)) throw new Error("in use: SPI clock " + board.describePin(clock));
      const hz = toInteger(o.hz, "SPI option 'hz'");
      if (hz < 1 || hz > 40_000_000) throw new RangeError("invalid hz: SPI hz " + String(o.hz) + "; use 1..40000000");
      let mosi = NO_PIN;
      let miso = NO_PIN;
      let select = NO_PIN;
      let active = 0;
      if ("out" in o) {
        mosi = getPin("SPI", o, "out");
        if (!board.isPinFree(mosi)) throw new Error("in use: SPI out " + board.describePin(mosi));
      }
      if ("in" in o) {
        miso = getPin("SPI", o, "in");
        if (!board.isPinFree(miso)) throw new Error("in use: SPI in " + board.describePin(miso));
      }
      if ("select" in o) {
        select = getPin("SPI", o, "select");
        if (!board.isPinFree(select)) throw new Error("in use: SPI select " + board.describePin(select));
        if ("active" in o) {
          active = toInteger(o.active, "SPI option 'active'");
          if (active !== 0 && active !== 1) throw new RangeError("invalid active: SPI active " + String(o.active) + "; use 0 (CS low while selected) or 1");
        }
      }
      if ("mode" in o && toInteger(o.mode, "SPI option 'mode'") & ~3) throw new RangeError("invalid mode: SPI mode " + String(o.mode) + "; use 0..3 (CPOL/CPHA)");
      if (mosi === NO_PIN && miso === NO_PIN) throw new Error("in or out required: SPI needs option 'in' (MISO), 'out' (MOSI) or both");
      const host = getSigned("SPI", o, "port");
      if (board.soc.spiHosts.indexOf(host) < 0) throw new RangeError("invalid port: SPI port " + String(o.port) + "; use an spi_host_device_t of " + board.soc.name + " (" + board.soc.spiHosts.join(", ") + ")");
      copyTarget(this, o);
      if (getFormat(o, "buffer") !== "buffer") throw new RangeError('invalid format: SPI supports only format "buffer"');

      this.#clock = clock;
      this.#mosi = mosi;
      this.#miso = miso;
      this.#select = select;
      this.#active = active;
      this.#period = periodNs(hz);
      board.claimPin(clock, OWNER_SPI);
      if (mosi !== NO_PIN) board.claimPin(mosi, OWNER_SPI);
      if (miso !== NO_PIN) board.claimPin(miso, OWNER_SPI);
      if (select !== NO_PIN) {
        board.claimPin(select, OWNER_SPI);
        board.configurePin(select, DRIVE_PUSH_PULL, 1 - active, 0);
      }
      const self = this;
      this.#selection = {
        select(): void {
          if (self.#select === NO_PIN) return;
          board.writePin(self.#select, self.#active);
          const t = board.spiTarget(self.#select);
          if (t !== null) t.spiSelect();
        },
        deselect(): void {
          if (self.#select === NO_PIN) return;
          board.writePin(self.#select, 1 - self.#active);
          const t = board.spiTarget(self.#select);
          if (t !== null) t.spiDeselect();
        },
      };
      this.#open = true;
    }

    /** Into a caller buffer (returns undefined, no allocation) or a new ArrayBuffer of `count` bytes. */
    read(countOrBuffer: number | ByteBuffer): ArrayBuffer | undefined {
      hostCheck("SPI", "read", SPI.#state(this));
      if (isBufferArg(required(countOrBuffer, "SPI.read", 0, "a byte count or a buffer to fill"))) {
        const rx = bytesOf("SPI.read", countOrBuffer);
        if (rx.length > 65535) throw new RangeError("unsupported byteLength: SPI.read of " + String(rx.length) + " bytes; split it (max 65535)");
        this.#run(null, rx, rx.length);
        return undefined;
      }
      const n = toInteger(countOrBuffer, "SPI.read count");
      if (n <= 0 || n > 65535) throw new RangeError("unsupported byteLength: SPI.read(" + String(countOrBuffer) + "); use 1..65535");
      const result = new ArrayBuffer(n);
      this.#run(null, new Uint8Array(result), n);
      return result;
    }

    write(buffer: ByteBuffer): void {
      hostCheck("SPI", "write", SPI.#state(this));
      const tx = bytesOf("SPI.write", required(buffer, "SPI.write", 0, "the buffer to send"));
      if (tx.length > 65535) throw new RangeError("unsupported byteLength: SPI.write of " + String(tx.length) + " bytes; split it (max 65535)");
      this.#run(tx, null, tx.length);
    }

    /** Full duplex in place: the buffer is sent and overwritten with what came back. */
    transfer(buffer: ByteBuffer): void {
      hostCheck("SPI", "transfer", SPI.#state(this));
      const b = bytesOf("SPI.transfer", required(buffer, "SPI.transfer", 0, "the buffer to send and fill"));
      if (b.length > 65535) throw new RangeError("unsupported byteLength: SPI.transfer of " + String(b.length) + " bytes; split it (max 65535)");
      this.#run(b, b, b.length);
    }

    /** Waits for queued transfers (none: they are synchronous); flush(true) also releases CS. */
    flush(deselect?: boolean): void {
      hostCheck("SPI", "flush", SPI.#state(this));
      if (deselect) board.spiActivate(null);
    }

    /** Releases CS if held, then the pins. Idempotent. */
    close(): void {
      const state = SPI.#state(this);
      if (state === HOST_CLOSED) return;
      hostCheck("SPI", "close", state);
      this.#open = false;
      if (board.isSpiActive(this.#selection)) board.spiActivate(null);
      board.releasePin(this.#clock);
      if (this.#mosi !== NO_PIN) board.releasePin(this.#mosi);
      if (this.#miso !== NO_PIN) board.releasePin(this.#miso);
      if (this.#select !== NO_PIN) board.releasePin(this.#select);
    }

    get format(): string {
      return "buffer";
    }

    set format(value: string) {
      if (value !== "buffer") throw new RangeError('SPI: format "' + String(value) + '" unsupported; only "buffer"');
    }

    static #state(self: unknown): number {
      if (!isObjectLike(self) || !(#open in self)) return HOST_NOT_INSTANCE;
      return (self as SPI).#open ? HOST_OK : HOST_CLOSED;
    }

    #run(tx: Uint8Array | null, rx: Uint8Array | null, length: number): void {
      if (!board.isSpiActive(this.#selection)) {
        board.spiActivate(this.#selection);
        if (this.#select !== NO_PIN) board.busy(1, spiSelectNs(this.#period));
      }
      const t: SpiTarget | null = this.#select === NO_PIN ? null : board.spiTarget(this.#select);
      if (t !== null) t.spiTransfer(this.#mosi === NO_PIN ? null : tx, this.#miso === NO_PIN ? null : rx, length);
      else if (rx !== null) rx.fill(0xff, 0, length);
      board.spiCount(length);
      board.busy(1, spiBytesNs(this.#period, length));
    }
  }
  return SPI;
}
