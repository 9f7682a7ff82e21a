// Bosch BME280 on I2C: datasheet init, forced-mode sampling through a RequestQueue, staged suspend/resume.
import { type PowerManager, P_IDLE } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, IO } from "../../runtime/status";
import { type BoardDriver, type DriverContext, type I2cIo, numberOption, parentOf } from "../common/io";
import { I2cBus, isI2cBus } from "../i2c-bus/i2c-bus";
import { compensate, parseTrim, TRIM_COUNT } from "./compensate";

// Registers (datasheet BST-BME280-DS002 section 5.3, Table 18).
const REG_CALIB_A = 0x88; // 0x88..0xA1, 26 bytes
const REG_ID = 0xd0;
const REG_RESET = 0xe0;
const REG_CALIB_B = 0xe1; // 0xE1..0xE7, 7 bytes
const REG_CTRL_HUM = 0xf2;
const REG_STATUS = 0xf3;
const REG_CTRL_MEAS = 0xf4;
const REG_CONFIG = 0xf5;
const REG_DATA = 0xf7; // 0xF7..0xFE, 8 bytes: press[3], temp[3], hum[2]
const CHIP_ID = 0x60;
const RESET_WORD = 0xb6;
/** Table 1 t_startup: first communication after power-on or soft reset. */
export const BME280_STARTUP_US = 2000;
const STATUS_MEASURING = 0x08;
/** Section 3.5.2: if the status still says measuring, poll again after this long. */
const REPOLL_US = 500;

/** State area: [marker, ctrl_hum, ctrl_meas (sleep), config]. */
export const BME280_STATE_BYTES = 4;
const STATE_MARKER = 0xb5;

// Phases (s[PHASE]).
const IDLE = 0;
const INIT = 1; // soft reset issued, waiting t_startup
const MEASURING = 2;

// Float64Array slots.
const PHASE = 0;
const SUSPEND_TOKEN = 1; // -1: no S2 waiting
const TRIMMED = 2; // 1 once calibration was read
const REINITS = 3; // R1 found the chip reset and re-initialised it
const SAMPLES = 4;
const IO_ERRORS = 5;
const MEASURE_US = 6;

/**
 * Cold boot: `start` checks the chip id, soft-resets, waits t_startup on a timer (queue gated meanwhile),
 * reads the trimming NVM and writes the configuration. A sample is one queued request: write ctrl_meas
 * with mode 01 (forced), wait the section 9.1 maximum measurement time on a timer, confirm status bit 3
 * is clear, burst-read 0xF7..0xFE (5.2: one burst so the data belong to one measurement), compensate.
 */
export class Bme280 implements BoardDriver {
  readonly name: string;
  readonly address: number;
  readonly stateBytes = BME280_STATE_BYTES;
  id = -1;
  readonly ctrlHum: number;
  readonly ctrlMeas: number;
  readonly config: number;
  readonly queue: RequestQueue;
  /** Last compensated sample: T 0.01 degC, P Pa, H 1/1024 %RH. */
  readonly last = new Int32Array(3);
  readonly trim = new Int32Array(TRIM_COUNT);
  readonly s = new Float64Array(8);
  private readonly bus: I2cBus;
  private readonly io: I2cIo;
  private readonly pm: PowerManager;
  private readonly platform: Platform;
  private readonly timer: number;
  private readonly reg: Uint8Array;
  private readonly pair: Uint8Array;
  private readonly one: Uint8Array;
  private readonly data: Uint8Array;
  private readonly calA: Uint8Array;
  private readonly calB: Uint8Array;
  private out: Int32Array | null = null;
  private outFloat: Float64Array | null = null;
  private onSample: ((token: number, status: number) => void) | null = null;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
    this.platform = ctx.platform;
    this.bus = parentOf<I2cBus>(ctx, "I2C bus", isI2cBus);
    this.address = numberOption(ctx, "address", 0x76);
    const osrsT = numberOption(ctx, "osrsT", 1);
    const osrsP = numberOption(ctx, "osrsP", 1);
    const osrsH = numberOption(ctx, "osrsH", 1);
    const filter = numberOption(ctx, "filter", 0);
    // Section 5.4.3/5.4.5: ctrl_hum osrs_h[2:0]; ctrl_meas osrs_t[7:5] osrs_p[4:2] mode[1:0]; config filter[4:2].
    this.ctrlHum = osrsH & 7;
    this.ctrlMeas = ((osrsT & 7) << 5) | ((osrsP & 7) << 2);
    this.config = (filter & 7) << 2;
    this.s[MEASURE_US] = measureMaxUs(osrsT & 7, osrsP & 7, osrsH & 7);
    this.s[SUSPEND_TOKEN] = -1;
    const buffer = new ArrayBuffer(48);
    this.reg = new Uint8Array(buffer, 0, 1);
    this.pair = new Uint8Array(buffer, 1, 2);
    this.one = new Uint8Array(buffer, 3, 1);
    this.data = new Uint8Array(buffer, 4, 8);
    this.calA = new Uint8Array(buffer, 12, 26);
    this.calB = new Uint8Array(buffer, 38, 7);
    this.io = this.bus.open(this.address);
    const self = this;
    this.timer = ctx.platform.createTimer(function bme280Timer(): void {
      self.onTimer();
    });
    this.queue = new RequestQueue(numberOption(ctx, "queueCapacity", 8),
      function bme280Serve(token: number): number {
        return self.serve(token);
      },
      function bme280Done(token: number, status: number): void {
        if (self.onSample !== null) self.onSample(token, status);
      });
    this.queue.setDrainListener(function bme280Drained(): void {
      self.finishSuspend();
    });
    // Parked samples count in pm.stats, the flight recorder and the console's stats.
    ctx.pm.registerQueue(this.queue);
  }

  attach(id: number): void {
    this.id = id;
  }

  /** Boot: where samples go (filled in place, never a fresh object) and who hears each completion. */
  setClient(out: Int32Array | null, outFloat: Float64Array | null, onSample: (token: number, status: number) => void): void {
    this.out = out;
    this.outFloat = outFloat;
    this.onSample = onSample;
  }

  /** Requests one forced measurement. OK: `onSample(token, status)` will run once; FULL: refused. */
  sample(token: number): number {
    return this.queue.submit(token);
  }

  get reinits(): number {
    return this.s[REINITS];
  }

  get samples(): number {
    return this.s[SAMPLES];
  }

  /** Section 9.1 measurement time (maximum) for the configured oversampling, us. */
  get measureUs(): number {
    return this.s[MEASURE_US];
  }

  /** Cold boot (no hibernate image): identify, soft reset, then finish init after t_startup. @boot */
  start(): void {
    this.queue.gate();
    if (this.readReg(REG_ID) !== CHIP_ID) {
      throw new Error(this.name + ": no BME280 at I2C 0x" + this.address.toString(16) + " (chip id 0xD0 is not 0x60): check SDA/SCL wiring and the SDO address pin");
    }
    this.writeReg(REG_RESET, RESET_WORD);
    this.s[PHASE] = INIT;
    this.platform.schedule(this.timer, BME280_STARTUP_US);
  }

  private onTimer(): void {
    const phase = this.s[PHASE];
    if (phase === INIT) {
      this.s[PHASE] = IDLE;
      const ok = this.readTrim() && this.writeConfig();
      if (!ok) this.s[IO_ERRORS]++;
      if (!this.finishSuspend()) this.queue.open();
      return;
    }
    if (phase === MEASURING) this.readSample();
  }

  private serve(_token: number): number {
    if (this.s[TRIMMED] === 0) return IO;
    // Section 3.3.3: writing mode 01 starts one measurement; the chip returns to sleep by itself.
    if (!this.writeReg(REG_CTRL_MEAS, this.ctrlMeas | 1)) {
      this.s[IO_ERRORS]++;
      return IO;
    }
    this.s[PHASE] = MEASURING;
    this.platform.schedule(this.timer, this.s[MEASURE_US]);
    return PENDING;
  }

  private readSample(): void {
    const status = this.readReg(REG_STATUS);
    if (status >= 0 && (status & STATUS_MEASURING) !== 0) {
      this.platform.schedule(this.timer, REPOLL_US);
      return;
    }
    this.s[PHASE] = IDLE;
    if (status < 0 || !this.readBurst(REG_DATA, this.data)) {
      this.s[IO_ERRORS]++;
      this.queue.done(IO);
      return;
    }
    const d = this.data;
    const adcP = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
    const adcT = (d[3] << 12) | (d[4] << 4) | (d[5] >> 4);
    const adcH = (d[6] << 8) | d[7];
    compensate(this.trim, adcT, adcP, adcH, this.last);
    const out = this.out;
    if (out !== null) {
      out[0] = this.last[0];
      out[1] = this.last[1];
      out[2] = this.last[2];
    }
    const f = this.outFloat;
    if (f !== null) {
      f[0] = this.last[0] / 100;
      f[1] = this.last[1];
      f[2] = this.last[2] / 1024;
    }
    this.s[SAMPLES]++;
    this.queue.done(OK);
  }

  prepare(_token: number): number {
    return OK;
  }

  /** S2: gate; save the configuration; a measurement (or init) in flight finishes first (PENDING). */
  suspend(token: number): number {
    this.queue.gate();
    const area = this.pm.arena.offset[this.id];
    const b = this.pm.arena.bytes;
    b[area] = STATE_MARKER;
    b[area + 1] = this.ctrlHum;
    b[area + 2] = this.ctrlMeas;
    b[area + 3] = this.config;
    if (this.queue.idle && this.s[PHASE] === IDLE) return OK;
    this.s[SUSPEND_TOKEN] = token;
    return PENDING;
  }

  /** Called when the in-flight measurement or init ends while S2 waits. True if it completed S2. */
  private finishSuspend(): boolean {
    const token = this.s[SUSPEND_TOKEN];
    if (token < 0 || this.s[PHASE] !== IDLE) return false;
    this.s[SUSPEND_TOKEN] = -1;
    this.pm.complete(token, OK);
    // The runtime gave up on this S2 (budget expired) and already rolled back: reopen ourselves.
    if (this.pm.phase === P_IDLE) this.queue.open();
    return true;
  }

  /** S3: sleep mode (ctrl_meas mode 00, section 3.3.1: lowest current, registers kept). */
  powerOffNoIrq(_token: number): number {
    return this.writeReg(REG_CTRL_MEAS, this.ctrlMeas) ? OK : IO;
  }

  /**
   * R1: the chip may have been power-cycled while we slept (registers back to defaults) or, after a
   * hibernate reboot, this driver is new: check the id, read the trimming if we have none, compare the
   * configuration with the saved copy and rewrite it if the chip lost it.
   */
  powerOnNoIrq(_token: number): number {
    if (this.readReg(REG_ID) !== CHIP_ID) return IO;
    if (this.s[TRIMMED] === 0 && !this.readTrim()) return IO;
    const area = this.pm.arena.offset[this.id];
    const b = this.pm.arena.bytes;
    if (b[area] !== STATE_MARKER) return this.writeConfig() ? OK : IO;
    const hum = this.readReg(REG_CTRL_HUM);
    const meas = this.readReg(REG_CTRL_MEAS);
    const config = this.readReg(REG_CONFIG);
    if (hum < 0 || meas < 0 || config < 0) return IO;
    if (hum === b[area + 1] && (meas & 0xfc) === b[area + 2] && config === b[area + 3]) return OK;
    this.s[REINITS]++;
    // Section 5.4.3: ctrl_hum takes effect only with the following ctrl_meas write; config in sleep mode (5.4.6).
    if (!this.writeReg(REG_CTRL_HUM, b[area + 1])) return IO;
    if (!this.writeReg(REG_CONFIG, b[area + 3])) return IO;
    return this.writeReg(REG_CTRL_MEAS, b[area + 2]) ? OK : IO;
  }

  /** R2: reopen; parked samples replay in order. */
  resume(_token: number): number {
    this.s[SUSPEND_TOKEN] = -1;
    if (this.s[PHASE] === IDLE) this.queue.open();
    return OK;
  }

  private writeConfig(): boolean {
    return this.writeReg(REG_CTRL_HUM, this.ctrlHum) && this.writeReg(REG_CONFIG, this.config) &&
      this.writeReg(REG_CTRL_MEAS, this.ctrlMeas);
  }

  private readTrim(): boolean {
    if (!this.readBurst(REG_CALIB_A, this.calA) || !this.readBurst(REG_CALIB_B, this.calB)) return false;
    parseTrim(this.calA, this.calB, this.trim);
    this.s[TRIMMED] = 1;
    return true;
  }

  /** One register, or -1 on a NAK / bus off. */
  private readReg(reg: number): number {
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

  private writeReg(reg: number, value: number): boolean {
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
