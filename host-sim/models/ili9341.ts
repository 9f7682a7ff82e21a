// ILITEK ILI9341 SPI TFT controller model: D/C-framed commands, sleep/reset timing rules, frame memory, currents.
import type { Clock, SpiTarget, ViolationSink } from "../core/contracts";
import { FAULT_NONE, type FaultKind, type NotifyingPowerModel, faultCode } from "./common";

const CHIP = "ili9341";
export const ILI9341_WIDTH = 240;
export const ILI9341_HEIGHT = 320;

/** Datasheet V1.11 8.2.2 / 8.2.11 / 8.2.12 and 15.x reset timing: 5 ms before the next command. */
export const ILI9341_SETTLE_US = 5000;
/** 8.2.11 / 8.2.12: 120 ms between SLPOUT and SLPIN (either order); also before SLPOUT after RESX (15.4 note 7) or SWRESET in sleep-out (8.2.2). */
export const ILI9341_SLEEP_GAP_US = 120_000;
/** 15.x reset timing: RESX low pulse tRW >= 10 us. */
export const ILI9341_RESET_PULSE_US = 10;
/**
 * UNVERIFIED: the datasheet gives no typical supply currents (18.2.1 lists only I_ST, standby, max
 * 100 uA at VCI 2.8 V). Measured on a 2.4" SPI module at 3.3 V (VDDI+VCI, no backlight;
 * electronics.stackexchange.com q/403908, secondary): normal mode ~8 mA, sleep-in with the clock
 * stopped 28 uA (within the I_ST max). Display-off keeps the oscillator and booster running (8.2.18
 * DISPOFF), so it is charged like normal.
 */
export const ILI9341_NORMAL_UA = 8000;
export const ILI9341_SLEEP_UA = 28;

// State (Float64Array indices).
const SLEEP_OUT = 0;
const DISPLAY_ON = 1;
const READY_AT = 2;
const READY_CAUSE = 3;
const SLPIN_OK_AT = 4;
const SLPOUT_OK_AT = 5;
const FAULT = 6;
const DC = 7;
const IN_RESET = 8;
const RESET_LOW_AT = 9;
const CMD = 10;
const PARAM = 11;
const COLMOD = 12;
const SC = 13;
const EC = 14;
const SP = 15;
const EP = 16;
const X = 17;
const Y = 18;
const PIX = 19; // partial pixel accumulator
const PIX_BYTES = 20;
const LAST_REJECTED = 21;

const CAUSE_TEXT = [
  "command within 5 ms after SWRESET 0x01 (8.2.2); ignored",
  "command within 5 ms after SLPIN 0x10 (8.2.11); ignored",
  "command within 5 ms after SLPOUT 0x11 (8.2.12); ignored",
  "command within 5 ms after hardware reset (15.x reset timing); ignored",
];

export interface Ili9341Options {
  clock: Clock;
  violations: ViolationSink;
  /** Reads the D/C pin (0 command, 1 data) when a transfer starts. Without it, drive setDc(). */
  dcLevel?: () => number;
  name?: string;
  /** true: powered at construction (5 ms before the first command). Default false: settled long ago. */
  coldStart?: boolean;
}

export class Ili9341 implements SpiTarget, NotifyingPowerModel {
  readonly name: string;
  /** Frame memory as RGB565, row-major 240x320 (18-bit writes are reduced to 565). */
  readonly frame = new Uint16Array(ILI9341_WIDTH * ILI9341_HEIGHT);
  private readonly clock: Clock;
  private readonly sink: ViolationSink;
  private readonly dcLevel: (() => number) | null;
  private readonly s = new Float64Array(22);
  private readonly params = new Uint8Array(4);
  private powerListener: (() => void) | null = null;

  constructor(options: Ili9341Options) {
    this.name = options.name ?? CHIP;
    this.clock = options.clock;
    this.sink = options.violations;
    this.dcLevel = options.dcLevel ?? null;
    this.hardwareReset(options.coldStart === true);
  }

  setPowerListener(listener: (() => void) | null): void {
    this.powerListener = listener;
  }

  /** D/C pin when no dcLevel function was given. */
  setDc(level: number): void {
    this.s[DC] = level ? 1 : 0;
  }

  /** RESX pin (active low). A rising edge after >= tRW low performs the hardware reset. */
  setResetLevel(level: number): void {
    const now = this.clock.now();
    if (level === 0) {
      if (this.s[IN_RESET] === 0) this.s[RESET_LOW_AT] = now;
      this.s[IN_RESET] = 1;
      return;
    }
    if (this.s[IN_RESET] === 0) return;
    this.s[IN_RESET] = 0;
    if (now - this.s[RESET_LOW_AT] < ILI9341_RESET_PULSE_US) {
      this.sink.violation(CHIP, "RESX low pulse shorter than tRW (10 us, 15.x reset timing); reset may not happen, ignored");
      return;
    }
    this.hardwareReset(true);
  }

  /** Power cycle / hardware reset: sleep-in, display off, defaults; 5 ms before the next command. */
  reset(): void {
    this.s[FAULT] = FAULT_NONE;
    this.hardwareReset(true);
  }

  /** "nak"/"stall": the controller ignores the bus (a dead module); reads return 0xFF. */
  setFault(kind: FaultKind): void {
    this.s[FAULT] = faultCode(CHIP, kind);
  }

  sleeping(): boolean {
    return this.s[SLEEP_OUT] === 0;
  }

  displayOn(): boolean {
    return this.s[DISPLAY_ON] === 1;
  }

  /** Opcode of the last command refused for a timing rule (diagnostics; -1 if none). */
  lastRejected(): number {
    return this.s[LAST_REJECTED];
  }

  currentUa(): number {
    return this.s[SLEEP_OUT] === 1 ? ILI9341_NORMAL_UA : ILI9341_SLEEP_UA;
  }

  pixel(x: number, y: number): number {
    return this.frame[y * ILI9341_WIDTH + x];
  }

  spiSelect(): void {}

  spiDeselect(): void {}

  spiTransfer(tx: Uint8Array | null, rx: Uint8Array | null, length: number): void {
    const dc = this.dcLevel !== null ? this.dcLevel() : this.s[DC];
    for (let i = 0; i < length; i++) {
      let out = 0xff;
      if (this.s[FAULT] === FAULT_NONE && this.s[IN_RESET] === 0) {
        const b = tx === null ? 0 : tx[i];
        if (dc === 0) this.command(b);
        else out = this.data(b);
      }
      if (rx !== null) rx[i] = out;
    }
  }

  private command(op: number): void {
    const now = this.clock.now();
    this.s[CMD] = -1;
    this.s[PARAM] = 0;
    if (now < this.s[READY_AT]) return this.reject(op, CAUSE_TEXT[this.s[READY_CAUSE]]);
    this.s[CMD] = op;
    if (op === 0x01) {
      const wasOut = this.s[SLEEP_OUT] === 1;
      this.defaults();
      this.settle(0);
      if (wasOut) this.s[SLPOUT_OK_AT] = now + ILI9341_SLEEP_GAP_US;
    } else if (op === 0x10) {
      if (now < this.s[SLPIN_OK_AT]) return this.reject(op, "SLPIN 0x10 within 120 ms after SLPOUT 0x11 (8.2.11); ignored");
      if (this.s[SLEEP_OUT] === 1) {
        this.s[SLEEP_OUT] = 0;
        this.s[SLPOUT_OK_AT] = now + ILI9341_SLEEP_GAP_US;
        this.notify();
      }
      this.settle(1);
    } else if (op === 0x11) {
      if (now < this.s[SLPOUT_OK_AT]) return this.reject(op, "SLPOUT 0x11 within 120 ms after SLPIN 0x10, a hardware reset, or SWRESET in sleep-out (8.2.12, 15.4 note 7, 8.2.2); ignored");
      if (this.s[SLEEP_OUT] === 0) {
        this.s[SLEEP_OUT] = 1;
        this.s[SLPIN_OK_AT] = now + ILI9341_SLEEP_GAP_US;
        this.notify();
      }
      this.settle(2);
    } else if (op === 0x28) {
      this.s[DISPLAY_ON] = 0;
    } else if (op === 0x29) {
      this.s[DISPLAY_ON] = 1;
    } else if (op === 0x2c) {
      // 8.2.22 RAMWR: the write position restarts at (SC, SP).
      this.s[X] = this.s[SC];
      this.s[Y] = this.s[SP];
      this.s[PIX_BYTES] = 0;
    }
  }

  private data(b: number): number {
    const op = this.s[CMD];
    const n = this.s[PARAM];
    this.s[PARAM] = n + 1;
    if (op === 0x2a || op === 0x2b) {
      // 8.2.20 CASET / 8.2.21 PASET: start and end, 16 bits each, MSB first.
      this.params[n & 3] = b;
      if (n === 3) {
        const start = (this.params[0] << 8) | this.params[1];
        const end = (this.params[2] << 8) | this.params[3];
        this.s[op === 0x2a ? SC : SP] = start;
        this.s[op === 0x2a ? EC : EP] = end;
      }
    } else if (op === 0x3a) {
      if (n === 0) this.s[COLMOD] = b;
    } else if (op === 0x2c) {
      this.pixelByte(b);
    } else if (op === 0x0a) {
      // 8.2.5 RDDPM (first byte is a dummy): D7 booster, D4 sleep out, D3 normal mode, D2 display on.
      return n === 0 ? 0 : (this.s[SLEEP_OUT] === 1 ? 0x90 : 0) | 0x08 | (this.s[DISPLAY_ON] === 1 ? 0x04 : 0);
    } else if (op === 0xd3) {
      // 8.3.x Read ID4: dummy, 0x00, 0x93, 0x41.
      return n === 0 ? 0 : n === 1 ? 0x00 : n === 2 ? 0x93 : n === 3 ? 0x41 : 0;
    }
    return 0;
  }

  private pixelByte(b: number): void {
    const bpp = (this.s[COLMOD] & 0x07) === 0x05 ? 2 : 3;
    this.s[PIX] = this.s[PIX] * 256 + b;
    this.s[PIX_BYTES] += 1;
    if (this.s[PIX_BYTES] < bpp) return;
    const v = this.s[PIX];
    // 18-bit mode sends R, G, B in the top 6 bits of each byte; keep 5-6-5 of them.
    const color = bpp === 2 ? v : (((v >> 19) & 0x1f) << 11) | (((v >> 10) & 0x3f) << 5) | ((v >> 3) & 0x1f);
    const x = this.s[X];
    const y = this.s[Y];
    if (x < ILI9341_WIDTH && y < ILI9341_HEIGHT) this.frame[y * ILI9341_WIDTH + x] = color;
    this.s[PIX] = 0;
    this.s[PIX_BYTES] = 0;
    if (x >= this.s[EC]) {
      this.s[X] = this.s[SC];
      this.s[Y] = y >= this.s[EP] ? this.s[SP] : y + 1;
    } else {
      this.s[X] = x + 1;
    }
  }

  private reject(op: number, rule: string): void {
    this.s[CMD] = -1;
    this.s[LAST_REJECTED] = op;
    this.sink.violation(CHIP, rule);
  }

  private settle(cause: number): void {
    this.s[READY_AT] = this.clock.now() + ILI9341_SETTLE_US;
    this.s[READY_CAUSE] = cause;
  }

  private defaults(): void {
    // Power-on / reset defaults (section 8.2 "Default" rows): sleep in, display off, 18-bit, full window.
    const wasOut = this.s[SLEEP_OUT];
    this.s[SLEEP_OUT] = 0;
    this.s[DISPLAY_ON] = 0;
    this.s[COLMOD] = 0x66;
    this.s[SC] = 0;
    this.s[EC] = ILI9341_WIDTH - 1;
    this.s[SP] = 0;
    this.s[EP] = ILI9341_HEIGHT - 1;
    this.s[CMD] = -1;
    this.s[PIX] = 0;
    this.s[PIX_BYTES] = 0;
    this.s[SLPIN_OK_AT] = 0;
    if (wasOut === 1) this.notify();
  }

  /**
   * 15.4 note 7: after RESX, "Sleep Out command cannot be sent for 120msec", whatever the sleep state
   * (notes 5/6 only change tRT, the 5 ms/120 ms before any command). SWRESET keeps 8.2.2's condition.
   */
  private hardwareReset(timed: boolean): void {
    this.defaults();
    this.s[LAST_REJECTED] = -1;
    // Untimed: a model built already powered and settled (no reset in its past).
    this.s[SLPOUT_OK_AT] = timed ? this.clock.now() + ILI9341_SLEEP_GAP_US : 0;
    if (timed) this.settle(3);
  }

  private notify(): void {
    if (this.powerListener !== null) this.powerListener();
  }
}
