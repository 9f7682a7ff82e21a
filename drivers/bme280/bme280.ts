// Bosch BME280 on I2C: datasheet init, forced-mode sampling through a RequestQueue, staged suspend/resume.
import { type DevicePort, PendingStage } from "../../runtime/port";
import type { Platform } from "../../runtime/platform";
import { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, IO } from "../../runtime/status";
import { type BoardDriver, type DriverContext, numberOption, parentOf } from "../common/io";
import { I2cBus, isI2cBus } from "../i2c-bus/i2c-bus";
import {
  Bme280Chip, measureMaxUs, BME280_STARTUP_US, CHIP_ID, REG_CONFIG, REG_CTRL_HUM, REG_CTRL_MEAS, REG_ID, REG_RESET,
  REG_STATUS, REPOLL_US, RESET_WORD, STATUS_MEASURING,
} from "./bme280-chip";
import { compensate } from "./compensate";

export { BME280_STARTUP_US, measureMaxUs };

/** State area: [marker, ctrl_hum, ctrl_meas (sleep), config]. */
export const BME280_STATE_BYTES = 4;
const STATE_MARKER = 0xb5;

// What the one timer is running (`phase`).
const IDLE = 0;
const INIT = 1; // soft reset issued, waiting t_startup
const MEASURING = 2;
const PROBE = 3; // reprobe: soft reset issued, waiting t_startup before identify and configure

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const BME280_OPTIONS: readonly string[] = Object.freeze(["address", "osrsT", "osrsP", "osrsH", "filter", "queueCapacity"]);

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
  readonly ctrlHum: number;
  readonly ctrlMeas: number;
  readonly config: number;
  readonly queue: RequestQueue;
  /** Section 9.1 measurement time (maximum) for the configured oversampling, us. */
  readonly measureUs: number;
  /** Last compensated sample: T 0.01 degC, P Pa, H 1/1024 %RH. */
  readonly last = new Int32Array(3);
  /** R1 found the chip reset and re-initialised it. */
  reinits = 0;
  private phase = IDLE;
  /** S2 gated the queue and R2 has not reopened it yet. */
  private suspended = false;
  private readonly chip: Bme280Chip;
  private readonly platform: Platform;
  private readonly timer: number;
  private port!: DevicePort;
  private s2!: PendingStage;
  private probe!: PendingStage;
  private out: Int32Array | null = null;
  private outFloat: Float64Array | null = null;
  private onSample: ((token: number, status: number) => void) | null = null;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.platform = ctx.platform;
    const bus = parentOf<I2cBus>(ctx, "I2C bus", isI2cBus);
    this.address = numberOption(ctx, "address", 0x76);
    const osrsT = numberOption(ctx, "osrsT", 1);
    const osrsP = numberOption(ctx, "osrsP", 1);
    const osrsH = numberOption(ctx, "osrsH", 1);
    const filter = numberOption(ctx, "filter", 0);
    // Section 5.4.3/5.4.5: ctrl_hum osrs_h[2:0]; ctrl_meas osrs_t[7:5] osrs_p[4:2] mode[1:0]; config filter[4:2].
    this.ctrlHum = osrsH & 7;
    this.ctrlMeas = ((osrsT & 7) << 5) | ((osrsP & 7) << 2);
    this.config = (filter & 7) << 2;
    this.measureUs = measureMaxUs(osrsT & 7, osrsP & 7, osrsH & 7);
    this.chip = new Bme280Chip(bus, this.address);
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
      self.workEnded();
    });
  }

  /** Boot, after seal: keeps the port, registers the queue and the one give-up listener. @boot */
  attach(port: DevicePort): void {
    this.port = port;
    this.s2 = new PendingStage(port);
    this.probe = new PendingStage(port);
    // Parked samples count in the runtime's stats, the flight recorder and the console's stats.
    port.registerQueue(this.queue);
    const self = this;
    port.onGiveUp(function bme280GaveUp(): void {
      self.runtimeGaveUp();
    });
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

  /** The parsed trimming parameters (compensate.ts slots). */
  get trim(): Int32Array {
    return this.chip.trim;
  }

  /** Cold boot (no hibernate image): identify, soft reset, then finish init after t_startup. @boot */
  start(): void {
    this.queue.gate();
    if (this.chip.readReg(REG_ID) !== CHIP_ID) {
      throw new Error(this.name + ": no BME280 at I2C 0x" + this.address.toString(16) + " (chip id 0xD0 is not 0x60): check SDA/SCL wiring and the SDO address pin");
    }
    this.chip.writeReg(REG_RESET, RESET_WORD);
    this.phase = INIT;
    this.platform.schedule(this.timer, BME280_STARTUP_US);
  }

  private onTimer(): void {
    const phase = this.phase;
    if (phase === INIT) {
      this.phase = IDLE;
      if (this.chip.readTrim()) this.writeConfig();
      this.workEnded();
      return;
    }
    if (phase === MEASURING) {
      this.readSample();
      return;
    }
    if (phase === PROBE) {
      this.phase = IDLE;
      this.probe.finish(this.configure());
    }
  }

  private serve(_token: number): number {
    if (!this.chip.trimmed) return IO;
    // Section 3.3.3: writing mode 01 starts one measurement; the chip returns to sleep by itself.
    if (!this.chip.writeReg(REG_CTRL_MEAS, this.ctrlMeas | 1)) return IO;
    // The conversion (t_measure,max, section 9.1) holds the device's PM lock: a suspend started now would
    // only wait for it in S2, so the idle governor waits for the burst read instead.
    this.phase = MEASURING;
    this.port.lock();
    this.platform.schedule(this.timer, this.measureUs);
    return PENDING;
  }

  private readSample(): void {
    const status = this.chip.readReg(REG_STATUS);
    if (status >= 0 && (status & STATUS_MEASURING) !== 0) {
      this.platform.schedule(this.timer, REPOLL_US);
      return;
    }
    this.measured();
    if (status < 0 || !this.chip.readData()) {
      this.queue.done(IO);
      return;
    }
    const d = this.chip.data;
    const adcP = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
    const adcT = (d[3] << 12) | (d[4] << 4) | (d[5] >> 4);
    const adcH = (d[6] << 8) | d[7];
    compensate(this.chip.trim, adcT, adcP, adcH, this.last);
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
    this.queue.done(OK);
  }

  /** S2: gate; save the configuration; a measurement (or init) in flight finishes first (PENDING). */
  suspend(token: number): number {
    this.queue.gate();
    this.suspended = true;
    const st = this.port.state;
    st[0] = STATE_MARKER;
    st[1] = this.ctrlHum;
    st[2] = this.ctrlMeas;
    st[3] = this.config;
    if (this.queue.idle && this.phase === IDLE) return OK;
    return this.s2.hold(token);
  }

  /**
   * The measurement or init in flight ended with the queue gated (or boot init ended). A waiting S2
   * completes; otherwise the queue reopens unless a suspend still holds it (a timed-out S2 whose R2
   * mirror has not come yet: that R2 reopens it). R2 may have come while the work was in flight and
   * left the queue gated for it: this is where that reopen happens.
   */
  private workEnded(): void {
    if (this.phase !== IDLE) return;
    if (this.s2.finish(OK)) return;
    if (!this.suspended) this.queue.open();
  }

  /** S3: sleep mode (ctrl_meas mode 00, section 3.3.1: lowest current, registers kept). */
  powerOffNoIrq(_token: number): number {
    return this.chip.writeReg(REG_CTRL_MEAS, this.ctrlMeas) ? OK : IO;
  }

  /**
   * R1: the chip may have been power-cycled while we slept (registers back to defaults) or, after a
   * hibernate reboot, this driver is new: check the id, read the trimming if we have none, compare the
   * configuration with the saved copy and rewrite it if the chip lost it.
   */
  powerOnNoIrq(_token: number): number {
    const chip = this.chip;
    if (chip.readReg(REG_ID) !== CHIP_ID) return IO;
    if (!chip.trimmed && !chip.readTrim()) return IO;
    const st = this.port.state;
    if (st[0] !== STATE_MARKER) return this.writeConfig() ? OK : IO;
    const hum = chip.readReg(REG_CTRL_HUM);
    const meas = chip.readReg(REG_CTRL_MEAS);
    const config = chip.readReg(REG_CONFIG);
    if (hum < 0 || meas < 0 || config < 0) return IO;
    if (hum === st[1] && (meas & 0xfc) === st[2] && config === st[3]) return OK;
    this.reinits++;
    return chip.writeConfig(st[1], st[2], st[3]) ? OK : IO;
  }

  /** R2: reopen; parked samples replay in order (after the work in flight, if any: `workEnded`). */
  resume(_token: number): number {
    this.clearSuspend();
    if (this.phase === IDLE) this.queue.open();
    return OK;
  }

  /**
   * Between attempts, while the device is failed: re-initialise the chip from scratch as `start` does
   * (Table 1 and 5.4.2: soft reset 0xB6 to 0xE0, t_startup 2 ms on the timer, PENDING meanwhile), then
   * identify, re-read the trimming and write the configuration. A NAK answers IO and the runtime tries
   * again later. The queue is the runtime's while failed (it revives it on OK); a measurement still in
   * flight ends with IO here, since the reset aborts it.
   */
  reprobe(token: number): number {
    if (this.phase === MEASURING) {
      this.measured();
      this.queue.done(IO);
    }
    this.clearSuspend();
    if (!this.chip.writeReg(REG_RESET, RESET_WORD)) return IO;
    this.phase = PROBE;
    this.platform.schedule(this.timer, BME280_STARTUP_US);
    return this.probe.hold(token);
  }

  /** After t_startup: chip id (5.4.1), trimming NVM (4.2.2: read again, it may be another chip), configuration. */
  private configure(): number {
    const chip = this.chip;
    return chip.readReg(REG_ID) === CHIP_ID && chip.readTrim() && this.writeConfig() ? OK : IO;
  }

  /**
   * The runtime stopped waiting for this device. A suspend-stage timeout (the queue is not failed)
   * gets its R2 mirror, which reopens the queue: nothing to do. Otherwise the device is failed and the
   * runtime owns the failed queue: only forget our suspend bookkeeping and any reprobe in flight, so
   * the next reprobe starts from scratch. A measurement in flight still ends its own request.
   */
  private runtimeGaveUp(): void {
    if (!this.queue.failed) return;
    this.clearSuspend();
    if (this.phase === PROBE) {
      this.platform.cancel(this.timer);
      this.phase = IDLE;
    }
    this.probe.drop();
  }

  /** The forced conversion is over (read, or aborted by a reset): its PM lock goes. */
  private measured(): void {
    this.phase = IDLE;
    this.port.unlock();
  }

  private clearSuspend(): void {
    this.suspended = false;
    this.s2.drop();
  }

  private writeConfig(): boolean {
    return this.chip.writeConfig(this.ctrlHum, this.ctrlMeas, this.config);
  }
}
