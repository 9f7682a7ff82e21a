// Winbond W25Q command layer over one ECMA-419 SPI instance: opcodes, framing, /CS per command, no allocation.
import type { Platform } from "../../runtime/platform";
import type { SpiIo } from "../common/io";
import type { SpiBus } from "../spi-bus/spi-bus";

// Instructions (W25Q64JV datasheet, section 8.1 instruction set table).
export const CMD_WRITE_ENABLE = 0x06;
export const CMD_READ_STATUS1 = 0x05;
export const CMD_READ_DATA = 0x03;
export const CMD_PAGE_PROGRAM = 0x02;
export const CMD_SECTOR_ERASE = 0x20;
export const CMD_POWER_DOWN = 0xb9;
export const CMD_RELEASE_POWER_DOWN = 0xab;
export const CMD_JEDEC_ID = 0x9f;
/** Status register-1 bit 0 (section 7.1.1). */
export const STATUS_BUSY = 0x01;
export const MANUFACTURER_WINBOND = 0xef;
export const PAGE_BYTES = 256;
export const SECTOR_BYTES = 4096;
/** Section 9.6 (W25Q64JV): typical and maximum tPP / tSE, us. Drivers poll first at typical, then every typ/8. */
export const PP_TYP_US = 400;
export const PP_MAX_US = 3000;
export const SE_TYP_US = 45_000;
export const SE_MAX_US = 400_000;
/** Section 9.6 tRES1: /CS high after ABh to standby (no ID read). */
export const T_RES1_US = 3;
/** Section 9.6 tDP: /CS high after B9h to power-down; the chip ignores every instruction (ABh too) meanwhile. */
export const T_DP_US = 3;

/**
 * Every command is one /CS-low cycle ended by flush(true): on Moddable /CS stays asserted across
 * write/read calls until then, and the flash acts on program/erase/power-down only when /CS rises
 * (section 6.1). Each method answers false if the bus is off or the SPI call threw.
 */
export class FlashPort {
  private readonly io: SpiIo;
  private readonly bus: SpiBus;
  private readonly platform: Platform;
  private readonly one: Uint8Array;
  private readonly head: Uint8Array;
  private readonly pair: Uint8Array;
  readonly jedec: Uint8Array;
  /** Last status register-1 read, or -1. */
  status = -1;
  /** Spins R1/boot made waiting tRES1, and the longest one in us (the suite checks >= 3). */
  spins = 0;
  lastSpinUs = 0;
  /** Releases that had to wait out tDP first (a rollback R1 right after our S3), and the last wait in us. */
  tdpWaits = 0;
  lastTdpWaitUs = 0;
  /** Platform time /CS rose on our B9h, or -1 once released (XS keeps the number in the property's slot: no allocation). */
  private powerDownAt = -1;

  constructor(io: SpiIo, bus: SpiBus, platform: Platform) {
    this.io = io;
    this.bus = bus;
    this.platform = platform;
    const buffer = new ArrayBuffer(12);
    this.one = new Uint8Array(buffer, 0, 1);
    this.head = new Uint8Array(buffer, 1, 4);
    this.pair = new Uint8Array(buffer, 5, 2);
    this.jedec = new Uint8Array(buffer, 8, 4);
  }

  /** A one-byte instruction (WREN, power-down, release). */
  command(op: number): boolean {
    if (!this.bus.ready()) return false;
    this.one[0] = op;
    try {
      this.io.write(this.one);
      this.io.flush(true);
    } catch (e) {
      return false;
    }
    return true;
  }

  /** B9h: deep power-down, effective tDP after /CS rises; remembers when, for `release`. */
  powerDown(): boolean {
    if (!this.command(CMD_POWER_DOWN)) return false;
    this.powerDownAt = this.platform.now();
    return true;
  }

  /** Read Status Register-1 (05h); sets `status`. */
  readStatus(): boolean {
    this.status = -1;
    if (!this.bus.ready()) return false;
    this.pair[0] = CMD_READ_STATUS1;
    this.pair[1] = 0;
    try {
      this.io.transfer(this.pair);
      this.io.flush(true);
    } catch (e) {
      return false;
    }
    this.status = this.pair[1];
    return true;
  }

  /** 03h: `into.length` bytes from `address`. */
  read(address: number, into: Uint8Array): boolean {
    if (!this.bus.ready()) return false;
    this.address(CMD_READ_DATA, address);
    try {
      this.io.write(this.head);
      this.io.read(into);
      this.io.flush(true);
    } catch (e) {
      return false;
    }
    return true;
  }

  /** WREN then 02h with `data` (within one page); the program runs after /CS rises, BUSY set. */
  program(address: number, data: Uint8Array): boolean {
    if (!this.command(CMD_WRITE_ENABLE)) return false;
    this.address(CMD_PAGE_PROGRAM, address);
    try {
      this.io.write(this.head);
      this.io.write(data);
      this.io.flush(true);
    } catch (e) {
      return false;
    }
    return true;
  }

  /** WREN then 20h: 4 KB sector erase (tSE 45 ms typ, 400 ms max). */
  eraseSector(address: number): boolean {
    if (!this.command(CMD_WRITE_ENABLE)) return false;
    this.address(CMD_SECTOR_ERASE, address);
    try {
      this.io.write(this.head);
      this.io.flush(true);
    } catch (e) {
      return false;
    }
    return true;
  }

  /** 9Fh: manufacturer, memory type, capacity into `jedec[1..3]`. True if it is a Winbond part. */
  identify(): boolean {
    if (!this.bus.ready()) return false;
    this.jedec[0] = CMD_JEDEC_ID;
    this.jedec[1] = 0;
    this.jedec[2] = 0;
    this.jedec[3] = 0;
    try {
      this.io.transfer(this.jedec);
      this.io.flush(true);
    } catch (e) {
      return false;
    }
    return this.jedec[1] === MANUFACTURER_WINBOND;
  }

  /**
   * ABh, then tRES1 before any other instruction. Called in R1 (IRQs masked, one CPU: no timer can
   * run, and 3 us is ~720 cycles at 240 MHz, far below a timer's own latency) and at boot, so it
   * spins on platform.now() like ESP-IDF's esp_rom_delay_us. The guard bounds the loop should the
   * clock be stuck; the flash model would then report the tRES1 violation.
   *
   * Before ABh it waits out what is left of tDP since our own B9h: when a later S3 hook fails, the
   * rollback runs this R1 microseconds after the power-down, and an ABh inside tDP is ignored (9.6),
   * so the chip would stay down and the identify that follows fail. The same bounded spin, <= 3 us.
   */
  release(): boolean {
    const downAt = this.powerDownAt;
    if (downAt >= 0) {
      let t = this.platform.now();
      if (t - downAt < T_DP_US) {
        const from = t;
        for (let guard = 0; t - downAt < T_DP_US && guard < 100_000; guard++) t = this.platform.now();
        this.tdpWaits++;
        this.lastTdpWaitUs = t - from;
      }
    }
    if (!this.command(CMD_RELEASE_POWER_DOWN)) return false;
    this.powerDownAt = -1;
    const start = this.platform.now();
    let now = start;
    for (let guard = 0; now - start < T_RES1_US && guard < 100_000; guard++) now = this.platform.now();
    this.spins++;
    this.lastSpinUs = now - start;
    return true;
  }

  private address(op: number, address: number): void {
    this.head[0] = op;
    this.head[1] = (address >>> 16) & 0xff;
    this.head[2] = (address >>> 8) & 0xff;
    this.head[3] = address & 0xff;
  }
}
