// Bosch BME280 (I2C 0x76/0x77) model: registers, forced/normal measurement cycles, current by phase, rule checks (numbers in bme280-spec.ts).
import type { Clock, I2cTarget, ViolationSink } from "../core/contracts";
import { DEFAULT_CALIBRATION, type Bme280Calibration, rawFromEnvironment, writeCalibration } from "./bme280-calibration";
import {
  BME280_CONFIG, BME280_CTRL_HUM, BME280_CTRL_MEAS, BME280_DATA, BME280_DATA_END, BME280_ID, BME280_RESET, BME280_SLEEP_UA,
  BME280_STANDBY_UA, BME280_STARTUP_US, BME280_STATUS, PH_H, PH_IDLE, PH_P, PH_STANDBY, PH_T, planCharge, planCycle,
  writeResult,
} from "./bme280-spec";
import { FAULT_NONE, type FaultKind, type NotifyingPowerModel, type Stallable, faultCode, i2cFaultGate } from "./common";

const CHIP = "bme280";

// Indices into the state vector.
const READY_AT = 0;
const PHASE = 1;
const NORMAL = 2; // 1 while normal mode cycles
const OSRS_H = 3; // humidity oversampling latched at the last ctrl_meas write (5.4.3)
const FAULT = 4;
const POINTER = 5;
const STALL_US = 6;
const MEASUREMENTS = 7;

export interface Bme280Options {
  clock: Clock;
  violations: ViolationSink;
  /** 0x76 (SDO to GND, default) or 0x77 (SDO to VDDIO). */
  address?: number;
  name?: string;
  calibration?: Bme280Calibration;
  /**
   * "max" (default): section 9.1 t_measure,max = 1.25 + 2.3*T + (2.3*P + 0.575) + (2.3*H + 0.575) ms, so
   * a driver that waits less than the guaranteed time is caught. "typ": 1 + 2*T + (2*P + 0.5) + (2*H + 0.5) ms.
   */
  timing?: "max" | "typ";
  /**
   * true: powered at construction, so t_startup applies from now. Default false: the board powered it
   * long before (ESP32 boot is far longer than 2 ms), so the first command may come at once.
   */
  coldStart?: boolean;
}

export class Bme280 implements I2cTarget, NotifyingPowerModel, Stallable {
  readonly address: number;
  readonly name: string;
  private readonly clock: Clock;
  private readonly sink: ViolationSink;
  private readonly calibration: Bme280Calibration;
  private readonly typical: boolean;
  private readonly timer: number;
  private readonly regs = new Uint8Array(256);
  private readonly s = new Float64Array(8);
  /** Phase durations (us) of the cycle in progress, indexed by phase. */
  private readonly phaseUs = new Float64Array(5);
  /**
   * Current (uA) per phase of that cycle: the phase's section 9.5 charge spread over its duration, so
   * a reading costs the datasheet's charge whichever timing (typ or max) sets the durations.
   */
  private readonly phaseUa = new Float64Array(5);
  private readonly scratch = new Float64Array(5);
  /** Raw ADC words of the simulated environment: adc_T, adc_P, adc_H. */
  private readonly raw = new Int32Array(3);
  private powerListener: (() => void) | null = null;

  constructor(options: Bme280Options) {
    this.address = options.address ?? 0x76;
    if (this.address !== 0x76 && this.address !== 0x77) {
      throw new RangeError(CHIP + ": address 0x" + this.address.toString(16) + " is not a BME280 address; use 0x76 (SDO low) or 0x77 (SDO high)");
    }
    this.name = options.name ?? CHIP;
    this.clock = options.clock;
    this.sink = options.violations;
    this.calibration = options.calibration ?? DEFAULT_CALIBRATION;
    this.typical = options.timing === "typ";
    const self = this;
    this.timer = this.clock.createTimer(function bme280Phase(): void {
      self.nextPhase();
    });
    this.setEnvironment(22, 101325, 45);
    this.powerOnReset(options.coldStart === true ? BME280_STARTUP_US : 0);
  }

  setPowerListener(listener: (() => void) | null): void {
    this.powerListener = listener;
  }

  /** The air around the sensor; the next measurement reports it (test/setup time: inverting allocates). */
  setEnvironment(tempC: number, pressurePa: number, humidityPct: number): void {
    rawFromEnvironment(this.calibration, tempC, pressurePa, humidityPct, this.raw);
  }

  setFault(kind: FaultKind): void {
    this.s[FAULT] = faultCode(CHIP, kind);
  }

  /** Controller time lost on the last stalled transfer (see common.ts). */
  get stallUs(): number {
    return this.s[STALL_US];
  }

  /** Hardware reset (power cycle): power-on defaults, t_startup before the first command. */
  reset(): void {
    this.s[FAULT] = FAULT_NONE;
    this.powerOnReset(BME280_STARTUP_US);
  }

  /** Completed measurement cycles since power-on (for tests). */
  measurementCount(): number {
    return this.s[MEASUREMENTS];
  }

  currentUa(): number {
    const phase = this.s[PHASE];
    if (phase === PH_T || phase === PH_P || phase === PH_H) return this.phaseUa[phase];
    if (phase === PH_STANDBY) return BME280_STANDBY_UA;
    return BME280_SLEEP_UA;
  }

  /** Section 9.1 measurement time for the present settings, in us. */
  measureTimeUs(): number {
    planCycle(this.regs[BME280_CTRL_MEAS], this.s[OSRS_H], this.regs[BME280_CONFIG], this.typical, this.scratch);
    return this.scratch[PH_T] + this.scratch[PH_P] + this.scratch[PH_H];
  }

  i2cWrite(data: Uint8Array, length: number, _stop: boolean): boolean {
    if (!this.accessible()) return false;
    // Section 6.2.1: writes are (register, value) pairs, no auto-increment; a lone byte sets the read pointer.
    let i = 0;
    while (i + 1 < length) {
      this.writeRegister(data[i], data[i + 1]);
      i += 2;
    }
    if (i < length) this.s[POINTER] = data[i];
    return true;
  }

  i2cRead(into: Uint8Array, length: number, _stop: boolean): boolean {
    if (!this.accessible()) return false;
    let p = this.s[POINTER];
    if (p + length > BME280_DATA && p <= BME280_DATA_END && this.s[NORMAL] === 0 && this.measuring()) {
      // Section 3.5.2 / 3.3.3: in forced mode the data registers update only at the end of the
      // conversion; reading earlier returns the previous result.
      this.sink.violation(CHIP, "data registers 0xF7..0xFE read while a forced measurement runs (stale; poll status bit 3 or wait t_measure, 9.1)");
    }
    // Section 6.2.2: reads auto-increment the register address.
    for (let i = 0; i < length; i++) {
      into[i] = p === BME280_STATUS ? this.status() : this.regs[p];
      p = (p + 1) & 0xff;
    }
    this.s[POINTER] = p;
    return true;
  }

  private accessible(): boolean {
    if (!i2cFaultGate(this.s, FAULT, STALL_US)) return false;
    if (this.clock.now() < this.s[READY_AT]) {
      this.sink.violation(CHIP, "I2C access during t_startup (2 ms after power-on or soft reset 0xB6, Table 1); ignored");
      return false;
    }
    return true;
  }

  private measuring(): boolean {
    const phase = this.s[PHASE];
    return phase === PH_T || phase === PH_P || phase === PH_H;
  }

  private status(): number {
    // Section 5.4.4: bit 3 measuring; bit 0 im_update (the NVM copy finishes within t_startup here).
    return this.measuring() ? 0x08 : 0x00;
  }

  private writeRegister(reg: number, value: number): void {
    if (reg === BME280_RESET) {
      // Section 5.4.2: only 0xB6 triggers the power-on-reset procedure; other values are ignored.
      if (value === 0xb6) this.powerOnReset(BME280_STARTUP_US);
    } else if (reg === BME280_CTRL_HUM) {
      this.regs[BME280_CTRL_HUM] = value & 0x07;
    } else if (reg === BME280_CONFIG) {
      if (this.s[NORMAL] === 1) {
        this.sink.violation(CHIP, "config 0xF5 written in normal mode (may be ignored, 5.4.6); write it in sleep mode");
        return;
      }
      this.regs[BME280_CONFIG] = value & 0xfd;
    } else if (reg === BME280_CTRL_MEAS) {
      this.writeCtrlMeas(value);
    }
    // Everything else is read-only (id, calibration, status, data): writes have no effect.
  }

  private writeCtrlMeas(value: number): void {
    // Section 5.4.3: ctrl_hum changes take effect only after a write to ctrl_meas.
    this.s[OSRS_H] = this.regs[BME280_CTRL_HUM] & 0x07;
    const mode = value & 0x03;
    if (mode === 0) {
      this.clock.cancel(this.timer);
      this.s[NORMAL] = 0;
      this.regs[BME280_CTRL_MEAS] = value;
      this.setPhase(PH_IDLE);
      return;
    }
    if (mode !== 3 && this.measuring()) {
      this.sink.violation(CHIP, "forced measurement requested while a measurement runs (poll status bit 3 first); ignored");
      return;
    }
    this.regs[BME280_CTRL_MEAS] = value;
    this.s[NORMAL] = mode === 3 ? 1 : 0;
    if (!this.measuring()) this.startCycle();
  }

  private startCycle(): void {
    planCycle(this.regs[BME280_CTRL_MEAS], this.s[OSRS_H], this.regs[BME280_CONFIG], this.typical, this.phaseUs);
    planCharge(this.regs[BME280_CTRL_MEAS], this.s[OSRS_H], this.phaseUs, this.phaseUa);
    this.enter(PH_T);
  }

  /** Enters `phase`, skipping phases of zero length, and arms the timer for its end. */
  private enter(phase: number): void {
    let ph = phase;
    while (ph <= PH_H && this.phaseUs[ph] === 0) ph++;
    if (ph > PH_H) {
      this.finishMeasurement();
      if (this.s[NORMAL] === 0) {
        // Section 3.3.3: forced mode returns to sleep after one measurement; mode bits read 00.
        this.regs[BME280_CTRL_MEAS] = this.regs[BME280_CTRL_MEAS] & 0xfc;
        this.setPhase(PH_IDLE);
        return;
      }
      ph = PH_STANDBY;
    }
    this.clock.schedule(this.timer, this.phaseUs[ph]);
    this.setPhase(ph);
  }

  private nextPhase(): void {
    const phase = this.s[PHASE];
    if (phase === PH_STANDBY) {
      // Section 3.3.4: normal mode cycles measurement + t_standby; settings are re-read each cycle.
      this.startCycle();
    } else if (phase !== PH_IDLE) {
      this.enter(phase + 1);
    }
  }

  private finishMeasurement(): void {
    writeResult(this.regs, this.raw, this.s[OSRS_H]);
    this.s[MEASUREMENTS] += 1;
  }

  private powerOnReset(startupUs: number): void {
    this.clock.cancel(this.timer);
    this.regs.fill(0);
    this.regs[BME280_ID] = 0x60;
    writeCalibration(this.regs, this.calibration);
    // Table 18 reset values of the data registers.
    this.regs[0xf7] = 0x80;
    this.regs[0xfa] = 0x80;
    this.regs[0xfd] = 0x80;
    this.s[READY_AT] = this.clock.now() + startupUs;
    this.s[NORMAL] = 0;
    this.s[OSRS_H] = 0;
    this.s[POINTER] = 0;
    this.s[MEASUREMENTS] = 0;
    this.setPhase(PH_IDLE);
  }

  private setPhase(phase: number): void {
    if (this.s[PHASE] === phase) return;
    this.s[PHASE] = phase;
    if (this.powerListener !== null) this.powerListener();
  }
}
