// FocalTech FT6206 capacitive touch controller (I2C 0x38): touch registers, power modes, hibernate wake rules, INT.
import type { Clock, I2cTarget, ViolationSink } from "../core/contracts";
import { FAULT_NONE, type FaultKind, type NotifyingPowerModel, type Stallable, faultCode, i2cFaultGate } from "./common";

const CHIP = "ft6206";

// Register map (FocalTech FT6x06 application note / datasheet D-FT6x06-1304 register table).
export const FT_DEV_MODE = 0x00;
export const FT_TD_STATUS = 0x02;
export const FT_P1_XH = 0x03;
export const FT_CTRL = 0x86;
export const FT_TIME_ENTER_MONITOR = 0x87;
export const FT_CHIP_ID = 0xa3;
export const FT_G_MODE = 0xa4;
export const FT_PMODE = 0xa5;
export const FT_VENDOR_ID = 0xa8;

export const FT_ACTIVE = 0;
export const FT_MONITOR = 1;
export const FT_HIBERNATE = 3;

/**
 * Supply current per mode. UNVERIFIED: no primary source confirms these for the FT6206 (the FT6x06
 * datasheet's DC table could not be read). They are FocalTech's power-mode note for its FT5206
 * ("measured": active 4 mA, monitor 3 mA, hibernate under 100 uA), a secondary source, used as an
 * upper bound. The wake pulse, start-up delay and INT pulse below are unverified likewise.
 */
export const FT6206_ACTIVE_UA = 4000;
export const FT6206_MONITOR_UA = 3000;
export const FT6206_HIBERNATE_UA = 100;
/** FocalTech FT5206 power-mode note (secondary, unverified for FT6206): hibernate is left only by holding WAKE (INT) or RSTN low for more than 5 ms. */
export const FT6206_WAKE_PULSE_US = 5000;
/**
 * Unverified: a vendor fork of Linux ft5x06_ts uses FT_STARTUP_DLY 150 ms after reset before the
 * first I2C access; most copies of that driver say 250 ms, and Moddable's modFt6206.c waits none.
 */
export const FT6206_STARTUP_US = 150_000;
/** Assumed INT low pulse per report in trigger mode (G_MODE=1). */
export const FT6206_INT_PULSE_US = 1000;

// State (Float64Array indices).
const READY_AT = 0;
const FAULT = 1;
const STALL_US = 2;
const POINTER = 3;
const TOUCHED = 4;
const RST_LOW_AT = 5; // -1 while high
const WAKE_LOW_AT = 6; // -1 while high
const INT_LEVEL = 7;

export interface Ft6206Options {
  clock: Clock;
  violations: ViolationSink;
  name?: string;
  /** true: powered at construction (startup delay applies). Default false: settled long ago. */
  coldStart?: boolean;
}

export class Ft6206 implements I2cTarget, NotifyingPowerModel, Stallable {
  readonly address = 0x38;
  readonly name: string;
  private readonly clock: Clock;
  private readonly sink: ViolationSink;
  private readonly regs = new Uint8Array(256);
  private readonly s = new Float64Array(8);
  private readonly intTimer: number;
  private readonly monitorTimer: number;
  private intListener: ((level: number) => void) | null = null;
  private powerListener: (() => void) | null = null;

  constructor(options: Ft6206Options) {
    this.name = options.name ?? CHIP;
    this.clock = options.clock;
    this.sink = options.violations;
    const self = this;
    this.intTimer = this.clock.createTimer(function ftIntEnd(): void {
      if (self.s[TOUCHED] === 0 || self.regs[FT_G_MODE] !== 0) self.setInt(1);
    });
    this.monitorTimer = this.clock.createTimer(function ftEnterMonitor(): void {
      if (self.regs[FT_PMODE] === FT_ACTIVE && self.s[TOUCHED] === 0) self.setMode(FT_MONITOR);
    });
    this.s[RST_LOW_AT] = -1;
    this.s[WAKE_LOW_AT] = -1;
    this.s[INT_LEVEL] = 1;
    this.powerOn(options.coldStart === true ? FT6206_STARTUP_US : 0);
  }

  setPowerListener(listener: (() => void) | null): void {
    this.powerListener = listener;
  }

  /** The INT output (active low), bound once at wiring. */
  setIntListener(listener: (level: number) => void): void {
    this.intListener = listener;
  }

  mode(): number {
    return this.regs[FT_PMODE];
  }

  get stallUs(): number {
    return this.s[STALL_US];
  }

  setFault(kind: FaultKind): void {
    this.s[FAULT] = faultCode(CHIP, kind);
  }

  /** Power cycle: registers to defaults, active mode after the startup delay. */
  reset(): void {
    this.s[FAULT] = FAULT_NONE;
    this.powerOn(FT6206_STARTUP_US);
  }

  /** RSTN pin (active low): a low pulse of at least 5 ms resets the chip (and so leaves hibernate). */
  setResetLevel(level: number): void {
    if (level === 0) {
      if (this.s[RST_LOW_AT] < 0) this.s[RST_LOW_AT] = this.clock.now();
      return;
    }
    const lowAt = this.s[RST_LOW_AT];
    if (lowAt < 0) return;
    this.s[RST_LOW_AT] = -1;
    if (this.clock.now() - lowAt < FT6206_WAKE_PULSE_US) {
      this.sink.violation(CHIP, "RSTN low pulse shorter than 5 ms; reset ignored");
      return;
    }
    this.powerOn(FT6206_STARTUP_US);
  }

  /** Host driving INT as WAKE: a >= 5 ms low pulse leaves hibernate into monitor mode (FocalTech note). */
  setWakeLevel(level: number): void {
    if (level === 0) {
      if (this.s[WAKE_LOW_AT] < 0) this.s[WAKE_LOW_AT] = this.clock.now();
      return;
    }
    const lowAt = this.s[WAKE_LOW_AT];
    if (lowAt < 0) return;
    this.s[WAKE_LOW_AT] = -1;
    if (this.regs[FT_PMODE] !== FT_HIBERNATE) return;
    if (this.clock.now() - lowAt < FT6206_WAKE_PULSE_US) {
      this.sink.violation(CHIP, "WAKE (INT) low pulse shorter than 5 ms; still in hibernate");
      return;
    }
    this.setMode(FT_MONITOR);
  }

  /** A finger lands (event flag 00 press down). Ignored in hibernate; monitor mode switches to active. */
  touch(x: number, y: number): void {
    this.report(x, y, 0x00, 1);
  }

  /** The finger moves while down (event flag 10 contact). */
  moveTo(x: number, y: number): void {
    this.report(x, y, 0x80, 1);
  }

  /** The finger lifts (event flag 01 lift up; TD_STATUS 0). */
  lift(): void {
    const x = ((this.regs[FT_P1_XH] & 0x0f) << 8) | this.regs[FT_P1_XH + 1];
    const y = ((this.regs[FT_P1_XH + 2] & 0x0f) << 8) | this.regs[FT_P1_XH + 3];
    this.report(x, y, 0x40, 0);
  }

  currentUa(): number {
    const mode = this.regs[FT_PMODE];
    if (mode === FT_HIBERNATE) return FT6206_HIBERNATE_UA;
    return mode === FT_MONITOR ? FT6206_MONITOR_UA : FT6206_ACTIVE_UA;
  }

  i2cWrite(data: Uint8Array, length: number, _stop: boolean): boolean {
    if (!this.accessible()) return false;
    if (length === 0) return true;
    let reg = data[0];
    for (let i = 1; i < length; i++) {
      this.writeRegister(reg, data[i]);
      reg = (reg + 1) & 0xff;
    }
    this.s[POINTER] = reg;
    return true;
  }

  i2cRead(into: Uint8Array, length: number, _stop: boolean): boolean {
    if (!this.accessible()) return false;
    let p = this.s[POINTER];
    for (let i = 0; i < length; i++) {
      into[i] = this.regs[p];
      p = (p + 1) & 0xff;
    }
    this.s[POINTER] = p;
    return true;
  }

  private accessible(): boolean {
    if (!i2cFaultGate(this.s, FAULT, STALL_US)) return false;
    if (this.regs[FT_PMODE] === FT_HIBERNATE) {
      this.sink.violation(CHIP, "I2C access in hibernate (G_PMODE 0xA5 = 3); wake with a >= 5 ms low pulse on RSTN or INT first");
      return false;
    }
    if (this.clock.now() < this.s[READY_AT]) {
      this.sink.violation(CHIP, "I2C access within 150 ms of reset (firmware start-up); NAK");
      return false;
    }
    return true;
  }

  private writeRegister(reg: number, value: number): void {
    if (reg === FT_PMODE) {
      if (value === FT_ACTIVE || value === FT_MONITOR || value === FT_HIBERNATE) this.setMode(value);
    } else if (reg === FT_DEV_MODE || reg === 0x80 || reg === FT_CTRL || reg === FT_TIME_ENTER_MONITOR ||
      reg === 0x88 || reg === 0x89 || reg === FT_G_MODE) {
      this.regs[reg] = value;
      if (reg === FT_CTRL || reg === FT_TIME_ENTER_MONITOR) this.armMonitor();
    }
  }

  private report(x: number, y: number, event: number, touched: number): void {
    const mode = this.regs[FT_PMODE];
    if (mode === FT_HIBERNATE || this.s[FAULT] !== FAULT_NONE || this.clock.now() < this.s[READY_AT]) return;
    if (mode === FT_MONITOR) this.setMode(FT_ACTIVE);
    this.s[TOUCHED] = touched;
    this.regs[FT_TD_STATUS] = touched;
    this.regs[FT_P1_XH] = event | ((x >> 8) & 0x0f);
    this.regs[FT_P1_XH + 1] = x & 0xff;
    this.regs[FT_P1_XH + 2] = (y >> 8) & 0x0f;
    this.regs[FT_P1_XH + 3] = y & 0xff;
    // Trigger mode (G_MODE 1): a low pulse per report. Polling mode (0): low while a finger is down.
    this.setInt(0);
    if (this.regs[FT_G_MODE] !== 0 || touched === 0) this.clock.schedule(this.intTimer, FT6206_INT_PULSE_US);
    this.armMonitor();
  }

  /** ID_G_CTRL 1: active falls back to monitor after TIMEENTERMONITOR seconds without a touch. */
  private armMonitor(): void {
    this.clock.cancel(this.monitorTimer);
    if (this.regs[FT_CTRL] === 1 && this.regs[FT_PMODE] === FT_ACTIVE && this.s[TOUCHED] === 0) {
      this.clock.schedule(this.monitorTimer, this.regs[FT_TIME_ENTER_MONITOR] * 1_000_000);
    }
  }

  private setMode(mode: number): void {
    if (this.regs[FT_PMODE] === mode) return;
    this.regs[FT_PMODE] = mode;
    this.armMonitor();
    if (this.powerListener !== null) this.powerListener();
  }

  private setInt(level: number): void {
    if (this.s[INT_LEVEL] === level) return;
    this.s[INT_LEVEL] = level;
    if (this.intListener !== null) this.intListener(level);
  }

  private powerOn(startupUs: number): void {
    this.clock.cancel(this.intTimer);
    this.clock.cancel(this.monitorTimer);
    const wasMode = this.regs[FT_PMODE];
    this.regs.fill(0);
    this.regs[0x80] = 0x16; // touch threshold (assumed)
    this.regs[FT_CTRL] = 1;
    this.regs[FT_TIME_ENTER_MONITOR] = 10;
    this.regs[0x88] = 0x0e; // report rate, active
    this.regs[0x89] = 0x28; // report rate, monitor
    this.regs[FT_CHIP_ID] = 0x06;
    this.regs[FT_G_MODE] = 1;
    this.regs[0xa6] = 0x10; // firmware id (assumed)
    this.regs[FT_VENDOR_ID] = 0x11;
    this.regs[FT_P1_XH] = 0xc0; // event flag 11: no event
    this.s[READY_AT] = this.clock.now() + startupUs;
    this.s[POINTER] = 0;
    this.s[TOUCHED] = 0;
    this.setInt(1);
    this.regs[FT_PMODE] = FT_ACTIVE;
    this.armMonitor();
    if (wasMode !== FT_ACTIVE && this.powerListener !== null) this.powerListener();
  }
}
