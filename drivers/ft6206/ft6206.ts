// FT6206 capacitive touch (I2C 0x38): INT-driven samples, S3 hibernate or monitor, wake by RSTN/WAKE pulse, config restore.
import { type DevicePort, PendingStage } from "../../runtime/port";
import type { Platform } from "../../runtime/platform";
import { OK, PENDING, BUSY, IO } from "../../runtime/status";
import { type BoardDriver, type DigitalIo, type DriverContext, type I2cIo, numberOption, parentOf } from "../common/io";
import { type I2cBus, isI2cBus } from "../i2c-bus/i2c-bus";

import {
  FT_TD_STATUS, FT_PMODE, PMODE_ACTIVE, PMODE_MONITOR, PMODE_HIBERNATE, FT_CHIP_ID, FT6206_CHIP_ID, FT_SAVED, FT6206_STATE_BYTES,
  ST_VALID, WAKE_PULSE_US, STARTUP_US, WAKE_NONE_AVAILABLE, WAKE_BY_RESET, WAKE_BY_PIN, FT_TH_GROUP,
} from "./ft6206-spec";

export * from "./ft6206-spec";

// R2's steps after a hibernate (`step`).
const STEP_PULSE = 0; // wake line low: release it after WAKE_PULSE_US
const STEP_STARTUP = 1; // released: wait the firmware start-up (reset line only), then restore

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const FT6206_OPTIONS: readonly string[] = Object.freeze(["address", "reset", "wake", "interrupt", "threshold"]);

/**
 * Wake method (board option): the FT6206 leaves hibernate (G_PMODE 0xA5 = 3) only by a > 5 ms low
 * pulse on RSTN or on WAKE/INT; in hibernate it does not answer I2C.
 * - `reset` pin: R1 drives RSTN low (no wait in NoIrq); R2 releases it 5 ms later on a timer, waits the
 *   150 ms firmware start-up, then rewrites the saved registers (a reset returned them to defaults).
 * - `wake` pin: an output-capable GPIO on the WAKE/INT net, same split; the chip comes back in monitor.
 * - neither (the stock Moddable Two: no touch reset line, INT on an input-only pad, and re-opening
 *   INT as an output would allocate a Digital on the resume path): S3 writes monitor mode
 *   (G_PMODE 1), which still answers I2C, and R1 writes active and the saved registers directly.
 *   Hibernating a chip the board cannot wake would leave touch dead until a power cycle.
 * INT (falling edge) is an ordinary IRQ, not a wake source: a touch while suspended is counted and
 * dropped (reading it would need the bus, which is off), and the chip reports the next touch anew.
 * A board can make it a wake source with the `roles`/`wakeLine` of its device entry.
 */
export class Ft6206 implements BoardDriver {
  readonly name: string;
  readonly stateBytes = FT6206_STATE_BYTES;
  readonly wakeMethod: number;
  readonly lowPowerMode: number;
  /** Touches not read: INT came while suspended, while a suspend or resume owned the bus, or before attach. */
  dropped = 0;
  /** Last sample: touches (0..2), x, y. */
  readonly point = new Int16Array(3);
  private readonly platform: Platform;
  private readonly bus: I2cBus;
  private readonly i2c: I2cIo;
  /** The INT input, or null: never read, held so the instance and its onReadable belong to this driver for its lifetime. */
  private readonly int: DigitalIo | null;
  private readonly wakeLine: DigitalIo | null;
  private readonly timer: number;
  /** S2 saved the configuration; R2 (or a failed resume) ends it: no I2C meanwhile. */
  private isSuspended = false;
  /** S3 put the chip in hibernate (only a wake pulse brings it back). */
  private hibernated = false;
  /** The wake line is held low since R1 (or R2 in a rollback that skipped R1). */
  private pulsing = false;
  private step = STEP_PULSE;
  /** R2 is in progress (its timer steps it). */
  private r2Waiting = false;
  /** A re-probe is stepping the same wake sequence (its stage is `probe`, not `r2`). */
  private probing = false;
  private pulseAt = 0;
  private port: DevicePort | null = null;
  private state!: Uint8Array;
  private r2!: PendingStage;
  private probe!: PendingStage;
  private readonly reg1 = new Uint8Array(1);
  private readonly reg2 = new Uint8Array(2);
  private readonly sampleBuf = new Uint8Array(5);
  private readonly saved: Uint8Array;
  private onSample: ((touches: number, x: number, y: number) => void) | null = null;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.platform = ctx.platform;
    this.bus = parentOf<I2cBus>(ctx, "I2C bus", isI2cBus);
    this.i2c = this.bus.open(numberOption(ctx, "address", 0x38));
    this.saved = new Uint8Array(FT_SAVED.length);
    for (let i = 0; i < FT_SAVED.length; i++) this.saved[i] = FT_SAVED[i];
    const Digital = ctx.device.io.Digital;
    const resetPin = numberOption(ctx, "reset", -1);
    const wakePin = numberOption(ctx, "wake", -1);
    if (resetPin >= 0 && wakePin >= 0) {
      throw new Error(ctx.board + ": device \"" + ctx.name + "\" sets both \"reset\" and \"wake\": keep the one the board wires");
    }
    const line = resetPin >= 0 ? resetPin : wakePin;
    this.wakeLine = line >= 0 ? new Digital({ pin: line, mode: Digital.Output, initialValue: 1 }) : null;
    this.wakeMethod = resetPin >= 0 ? WAKE_BY_RESET : wakePin >= 0 ? WAKE_BY_PIN : WAKE_NONE_AVAILABLE;
    this.lowPowerMode = this.wakeMethod === WAKE_NONE_AVAILABLE ? PMODE_MONITOR : PMODE_HIBERNATE;
    const self = this;
    const intPin = numberOption(ctx, "interrupt", -1);
    this.int = intPin < 0 ? null : new Digital({
      pin: intPin,
      mode: Digital.Input,
      edge: Digital.Falling,
      onReadable: function ft6206Interrupt(): void { self.interrupt(); },
    });
    this.timer = ctx.platform.createTimer(function ft6206Timer(): void { self.r2Timer(); });
    const threshold = numberOption(ctx, "threshold", -1);
    if (threshold >= 0) this.writeReg(FT_TH_GROUP, threshold);
  }

  /** Boot, after seal: keeps the port and its state view, registers the one give-up listener. @boot */
  attach(port: DevicePort): void {
    this.port = port;
    this.state = port.state;
    this.r2 = new PendingStage(port);
    this.probe = new PendingStage(port);
    const self = this;
    port.onGiveUp(function ft6206GaveUp(): void { self.runtimeGaveUp(); });
  }

  /** Registered once: called with each sample read on INT. */
  setSampleListener(listener: (touches: number, x: number, y: number) => void): void {
    this.onSample = listener;
  }

  get suspended(): boolean {
    return this.isSuspended;
  }

  /** Reads TD_STATUS and point 1. BUSY while suspended (no I2C on a gated bus), IO on a NAK. */
  sample(): number {
    if (this.isSuspended || !this.bus.ready()) return BUSY;
    this.reg1[0] = FT_TD_STATUS;
    try {
      this.i2c.write(this.reg1, false);
      this.i2c.read(this.sampleBuf);
    } catch {
      return IO;
    }
    const b = this.sampleBuf;
    this.point[0] = b[0] & 0x0f;
    this.point[1] = ((b[1] & 0x0f) << 8) | b[2];
    this.point[2] = ((b[3] & 0x0f) << 8) | b[4];
    if (this.onSample !== null) this.onSample(this.point[0], this.point[1], this.point[2]);
    return OK;
  }

  /** Reads a register (diagnostics, tests); -1 on failure. */
  readReg(reg: number): number {
    this.reg1[0] = reg;
    try {
      this.i2c.write(this.reg1, false);
      this.i2c.read(this.reg1);
    } catch {
      return -1;
    }
    return this.reg1[0];
  }

  writeReg(reg: number, value: number): number {
    this.reg2[0] = reg;
    this.reg2[1] = value;
    try {
      this.i2c.write(this.reg2);
    } catch {
      return IO;
    }
    return OK;
  }

  /** Saves the configuration registers (S2, so a hibernate image holds them). */
  suspend(_token: number): number {
    const st = this.state;
    for (let i = 0; i < this.saved.length; i++) {
      const v = this.readReg(this.saved[i]);
      if (v < 0) return IO;
      st[i] = v;
    }
    st[ST_VALID] = 1;
    this.isSuspended = true;
    return OK;
  }

  powerOffNoIrq(_token: number): number {
    if (!this.bus.ready()) return IO;
    if (this.writeReg(FT_PMODE, this.lowPowerMode) !== OK) return IO;
    this.hibernated = this.lowPowerMode === PMODE_HIBERNATE;
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    if (!this.hibernated) {
      // Monitor mode answers I2C: back to active and the saved configuration right here.
      if (!this.bus.ready()) return IO;
      if (this.writeReg(FT_PMODE, PMODE_ACTIVE) !== OK) return IO;
      return this.restore();
    }
    // Start the > 5 ms wake pulse; R2 ends it (a masked 5 ms busy-wait would stall every interrupt).
    this.startPulse(this.platform.now());
    return OK;
  }

  resume(token: number): number {
    this.r2Waiting = true;
    const status = this.r2Step();
    return status === PENDING ? this.r2.hold(token) : status;
  }

  private r2Timer(): void {
    if (!this.r2Waiting) return;
    const status = this.r2Step();
    if (status === PENDING) return;
    if (this.probing) this.probeDone(status);
    else this.r2.finish(status);
  }

  /**
   * Between attempts, while failed: with a reset or wake line, the same > 5 ms pulse (and 150 ms
   * start-up after RSTN) as a wake from hibernate, on R2's timer; then ID_G_CIPHER must read 0x06,
   * G_PMODE goes active and the saved configuration is rewritten. A NAK or another id answers IO.
   */
  reprobe(token: number): number {
    this.forget();
    this.isSuspended = true; // no sample touches the chip while it is reset
    this.probing = true;
    this.r2Waiting = true;
    this.hibernated = this.wakeMethod !== WAKE_NONE_AVAILABLE;
    this.pulsing = false;
    if (!this.bus.ready()) return this.probeDone(IO);
    const status = this.r2Step();
    return status === PENDING ? this.probe.hold(token) : this.probeDone(status);
  }

  private probeDone(status: number): number {
    this.probing = false;
    this.r2Waiting = false;
    if (status === OK) status = this.readReg(FT_CHIP_ID) === FT6206_CHIP_ID ? this.writeReg(FT_PMODE, PMODE_ACTIVE) : IO;
    if (status === OK) status = this.restore();
    this.isSuspended = false;
    this.probe.finish(status);
    return status;
  }

  private startPulse(now: number): void {
    (this.wakeLine as DigitalIo).write(0);
    this.pulseAt = now;
    this.pulsing = true;
    this.step = STEP_PULSE;
  }

  /** Advances R2; PENDING while a datasheet wait runs on the timer, else R2's outcome. */
  private r2Step(): number {
    const now = this.platform.now();
    if (this.hibernated) {
      // Rollback before R1 (S3 ran, R1 did not): start the pulse here.
      if (!this.pulsing) this.startPulse(now);
      if (this.step === STEP_PULSE) {
        const at = this.pulseAt + WAKE_PULSE_US + 1;
        if (now < at) return this.r2Wait(at - now);
        (this.wakeLine as DigitalIo).write(1);
        this.pulseAt = now;
        this.step = STEP_STARTUP;
      }
      if (this.step === STEP_STARTUP && this.wakeMethod === WAKE_BY_RESET) {
        const at = this.pulseAt + STARTUP_US;
        if (now < at) return this.r2Wait(at - now);
      }
      this.pulsing = false;
      this.hibernated = false;
      let status = this.writeReg(FT_PMODE, PMODE_ACTIVE);
      if (status === OK) status = this.restore();
      return this.r2Done(status);
    }
    return this.r2Done(OK);
  }

  private r2Done(status: number): number {
    this.r2Waiting = false;
    this.isSuspended = false;
    return status;
  }

  /**
   * The device failed (only R1, R2 or a re-probe can: S2 never pends): drop R2 or a re-probe in
   * progress, and let samples and INT try the chip again (IO if it is gone). No I/O here: R1 is masked.
   */
  private runtimeGaveUp(): void {
    this.forget();
    this.isSuspended = false;
  }

  private forget(): void {
    this.platform.cancel(this.timer);
    this.r2Waiting = false;
    this.probing = false;
    this.r2.drop();
    this.probe.drop();
  }

  private r2Wait(us: number): number {
    this.platform.schedule(this.timer, us);
    return PENDING;
  }

  private restore(): number {
    const st = this.state;
    if (st[ST_VALID] !== 1) return OK;
    for (let i = 0; i < this.saved.length; i++) {
      if (this.writeReg(this.saved[i], st[i]) !== OK) return IO;
    }
    return OK;
  }

  private interrupt(): void {
    // A suspend or resume in progress owns the bus; an edge before attach has no runtime to ask.
    const port = this.port;
    if (this.isSuspended || port === null || !port.systemIdle) {
      this.dropped++;
      return;
    }
    this.sample();
  }
}
