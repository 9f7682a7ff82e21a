// BME280 register map, datasheet timing and the I2C register access the driver builds on (no power management here).
import type { I2cIo } from "../common/io";
import type { I2cBus } from "../i2c-bus/i2c-bus";
import { parseTrim, TRIM_COUNT } from "./compensate";

// Registers (datasheet BST-BME280-DS002 section 5.3, Table 18).
export const REG_CALIB_A = 0x88; // 0x88..0xA1, 26 bytes
export const REG_ID = 0xd0;
export const REG_RESET = 0xe0;
export const REG_CALIB_B = 0xe1; // 0xE1..0xE7, 7 bytes
export const REG_CTRL_HUM = 0xf2;
export const REG_STATUS = 0xf3;
export const REG_CTRL_MEAS = 0xf4;
export const REG_CONFIG = 0xf5;
export const REG_DATA = 0xf7; // 0xF7..0xFE, 8 bytes: press[3], temp[3], hum[2]
export const CHIP_ID = 0x60;
export const RESET_WORD = 0xb6;
/** Table 1 t_startup: first communication after power-on or soft reset. */
export const BME280_STARTUP_US = 2000;
export const STATUS_MEASURING = 0x08;
/** Section 3.5.2: if the status still says measuring, poll again after this long. */
export const REPOLL_US = 500;

/**
 * One BME280 on its bus: register reads and writes that answer false / -1 instead of throwing (a NAK
 * or a bus that is off is an IO status for the caller), the 8-byte data burst and the trimming NVM.
 * All buffers are views of one ArrayBuffer made here, so no access allocates.
 */
export class Bme280Chip {
  readonly trim = new Int32Array(TRIM_COUNT);
  /** True once the trimming NVM was read (a driver new after a hibernate reboot has none yet). */
  trimmed = false;
  /** The last data burst (REG_DATA..+7). */
  readonly data: Uint8Array;
  private readonly bus: I2cBus;
  private readonly io: I2cIo;
  private readonly reg: Uint8Array;
  private readonly pair: Uint8Array;
  private readonly one: Uint8Array;
  private readonly calA: Uint8Array;
  private readonly calB: Uint8Array;

  constructor(bus: I2cBus, address: number) {
    this.bus = bus;
    const buffer = new ArrayBuffer(48);
    this.reg = new Uint8Array(buffer, 0, 1);
    this.pair = new Uint8Array(buffer, 1, 2);
    this.one = new Uint8Array(buffer, 3, 1);
    this.data = new Uint8Array(buffer, 4, 8);
    this.calA = new Uint8Array(buffer, 12, 26);
    this.calB = new Uint8Array(buffer, 38, 7);
    this.io = bus.open(address);
  }

  readTrim(): boolean {
    if (!this.readBurst(REG_CALIB_A, this.calA) || !this.readBurst(REG_CALIB_B, this.calB)) return false;
    parseTrim(this.calA, this.calB, this.trim);
    this.trimmed = true;
    return true;
  }

  /** Section 5.2: one burst, so the data belong to one measurement. */
  readData(): boolean {
    return this.readBurst(REG_DATA, this.data);
  }

  /** One register, or -1 on a NAK / bus off. */
  readReg(reg: number): number {
    return this.readBurst(reg, this.one) ? this.one[0] : -1;
  }

  /** Section 6.2.2: write the register address, repeated start, read with auto-increment. */
  private readBurst(reg: number, into: Uint8Array): boolean {
    if (!this.bus.ready()) return false;
    this.reg[0] = reg;
    try {
      this.io.write(this.reg, false);
      this.io.read(into);
    } catch (e) {
      return false;
    }
    return true;
  }

  writeReg(reg: number, value: number): boolean {
    if (!this.bus.ready()) return false;
    this.pair[0] = reg;
    this.pair[1] = value;
    try {
      this.io.write(this.pair);
    } catch (e) {
      return false;
    }
    return true;
  }
}

/** Section 9.1 t_measure,max in us: 1.25 + 2.3*T + (2.3*P + 0.575) + (2.3*H + 0.575) ms, skipped terms 0. */
export function measureMaxUs(osrsT: number, osrsP: number, osrsH: number): number {
  const t = OVERSAMPLING[osrsT];
  const p = OVERSAMPLING[osrsP];
  const h = OVERSAMPLING[osrsH];
  return 1250 + 2300 * t + (p === 0 ? 0 : 2300 * p + 575) + (h === 0 ? 0 : 2300 * h + 575);
}

/** osrs code -> oversampling factor (Tables 20, 23, 24; codes 5..7 are x16). */
const OVERSAMPLING = [0, 1, 2, 4, 8, 16, 16, 16];
