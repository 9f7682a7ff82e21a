// The weather station's application, as a device of its board: sample the BME280, send a telemetry frame, go back to sleep; every wake takes a reading.
import { type DevicePort, PendingStage } from "quiesce/runtime/port";
import type { Platform } from "quiesce/runtime/platform";
import { OK, T_HIBERNATE, T_STANDBY, TEST_NONE, WAKE_NONE } from "quiesce/runtime/status";
import { type BoardDriver, type DriverContext, numberOption } from "quiesce/boards";
import type { Bme280 } from "quiesce/drivers/bme280/bme280";
import type { Telemetry } from "quiesce/drivers/telemetry/telemetry";

/** State area: the frame sequence number (u32, little endian). Saved in S2: a hibernate image carries it. */
export const WEATHER_STATE_BYTES = 4;

/** Telemetry payload: "W", sequence u32, temperature i32 (0.01 degC), pressure u32 (Pa), humidity u32 (1/1024 %RH), little endian. */
export const FRAME_BYTES = 17;
export const FRAME_MAGIC = 0x57;

/** After a console wake, how long the station stays awake for the commands typed before it sleeps again. */
const CONSOLE_AWAKE_US = 30_000_000;
/** After a sleep that did not happen, the next try. */
const RETRY_US = 1_000_000;

// What the station is doing (`step`).
const IDLE = 0;
const SAMPLING = 1;
const SENDING = 2;

/** Who puts the board to sleep (`sleep` option): the station after each frame, nobody, or the idle governor. */
export const SLEEP_EXPLICIT = 0;
export const SLEEP_NEVER = 1;
export const SLEEP_GOVERNOR = 2;

/** Every key of its board entry's `options` the station reads: boot refuses any other (a misspelling). */
export const WEATHER_OPTIONS: readonly string[] = Object.freeze(["periodUs", "hibernate", "sleep", "buttonLine"]);

/**
 * Why a device and not a loop in main: the runtime orders it. It `needs` the BME280 and the telemetry
 * UART, so it suspends before them (its S2 waits for a reading in flight, PENDING) and resumes after
 * them (its R2 finds both serving). Its state area keeps the sequence number across a hibernate, and
 * R2 sees what woke the board (`port.wakeCause`): the RTC timer every `periodUs`, or the BOOT button,
 * which therefore forces a reading. After each frame it asks for the next sleep itself
 * (`port.requestSuspend`), standby or hibernate by its `hibernate` option. Built at boot; nothing
 * here allocates afterwards.
 */
export class WeatherApp implements BoardDriver {
  readonly name: string;
  readonly stateBytes = WEATHER_STATE_BYTES;
  readonly target: number;
  readonly periodUs: number;
  /** SLEEP_EXPLICIT (default), SLEEP_NEVER or SLEEP_GOVERNOR. */
  readonly sleepMode: number;
  /** Frames sent since the first boot (the next frame's sequence number). */
  sequence = 0;
  readings = 0;
  sampleErrors = 0;
  /** Suspends this app asked for that the runtime refused (BUSY: another one in progress). */
  refused = 0;
  /** Readings started by a wake from the BOOT button rather than the timer. */
  forced = 0;
  private step = IDLE;
  private port!: DevicePort;
  private s2!: PendingStage;
  private bme!: Bme280;
  private telemetry!: Telemetry;
  private readonly platform: Platform;
  private readonly kick: number;
  private readonly sleeper: number;
  private readonly sample = new Int32Array(3);
  private readonly frame = new Uint8Array(FRAME_BYTES);
  private readonly view: DataView;
  private readonly buttonLine: number;
  /** R1 found the image: this boot is a hibernate wake (the self-timed period timer is gone with RAM). */
  private rebooted = false;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.platform = ctx.platform;
    this.periodUs = numberOption(ctx, "periodUs", 60_000_000, { min: 1_000_000, max: 2_000_000_000, unit: "us" });
    this.target = numberOption(ctx, "hibernate", 0, { min: 0, max: 1 }) === 1 ? T_HIBERNATE : T_STANDBY;
    this.buttonLine = numberOption(ctx, "buttonLine", 0, { min: 0, max: 63 });
    this.sleepMode = numberOption(ctx, "sleep", SLEEP_EXPLICIT, { min: SLEEP_EXPLICIT, max: SLEEP_GOVERNOR });
    this.view = new DataView(this.frame.buffer);
    const self = this;
    // Readings start from a timer, never inside a hook: R2 runs before the attempt has ended.
    this.kick = ctx.platform.createTimer(function weatherKick(): void {
      self.read();
    });
    // And the next sleep starts from a timer too: not inside the telemetry driver's completion.
    this.sleeper = ctx.platform.createTimer(function weatherSleep(): void {
      if (self.step !== IDLE) return;
      if (self.port.requestSuspend(self.target, TEST_NONE) === OK) return;
      self.refused++;
      self.platform.schedule(self.sleeper, RETRY_US);
    });
  }

  /** Boot: the port, and the two drivers it reads and writes through (constructed before it: it `needs` them). @boot */
  attach(port: DevicePort): void {
    this.port = port;
    this.s2 = new PendingStage(port);
  }

  /**
   * Boot: wires the BME280, the telemetry UART and the runtime's outcomes (main.ts; in Node,
   * SimBoard.onBoot). A sleep that did not happen (aborted by a wake event, such as the BOOT button's
   * release, refused, or failed) is asked for again after `RETRY_US`: the station never stays awake. @boot
   */
  connect(bme: Bme280, telemetry: Telemetry, onDone: (listener: (status: number) => void) => void): void {
    this.bme = bme;
    this.telemetry = telemetry;
    const self = this;
    onDone(function weatherOutcome(status: number): void {
      if (self.sleepMode !== SLEEP_EXPLICIT) return;
      if (status !== OK && self.step === IDLE) self.platform.schedule(self.sleeper, RETRY_US);
    });
    bme.setClient(this.sample, null, function weatherSampled(_token: number, status: number): void {
      self.sampled(status);
    });
    telemetry.setClient(function weatherSent(): void {
      self.sent();
    });
  }

  /** Cold boot: the first reading (after a hibernate wake R2 starts it instead). @boot */
  start(): void {
    this.platform.schedule(this.kick, 0);
  }

  private read(): void {
    if (this.step !== IDLE) return;
    this.step = SAMPLING;
    if (this.sleepMode !== SLEEP_EXPLICIT) {
      // Self-timed: the next reading at the next whole period of the platform clock (on the chip the RTC
      // clock, which runs through deep sleep), an armed timer the governor sees as the next deadline.
      const now = this.platform.now();
      this.platform.schedule(this.kick, (Math.floor(now / this.periodUs) + 1) * this.periodUs - now);
      // The governor does not sleep while a lock is held (docs/idle-policy.md): held for the reading and its frame.
      if (this.sleepMode === SLEEP_GOVERNOR) this.port.lock();
    }
    if (this.bme.sample(this.sequence) !== OK) this.sampled(-1);
  }

  private sampled(status: number): void {
    if (status !== OK) {
      this.sampleErrors++;
      this.finished();
      return;
    }
    const v = this.view;
    v.setUint8(0, FRAME_MAGIC);
    v.setUint32(1, this.sequence, true);
    v.setInt32(5, this.sample[0], true);
    v.setUint32(9, this.sample[1], true);
    v.setUint32(13, this.sample[2], true);
    this.step = SENDING;
    if (this.telemetry.send(this.sequence, this.frame, FRAME_BYTES) !== OK) this.finished();
  }

  private sent(): void {
    this.sequence++;
    this.readings++;
    this.finished();
  }

  /** The reading ended: a suspend that waited for it goes on; otherwise this app starts the next sleep. */
  private finished(): void {
    this.step = IDLE;
    if (this.sleepMode === SLEEP_GOVERNOR) this.port.unlock();
    if (this.s2.finish(OK)) return;
    if (this.sleepMode === SLEEP_EXPLICIT) this.platform.schedule(this.sleeper, 0);
  }

  /** S2: save the sequence number; a reading in flight finishes first (PENDING), so no frame is cut. */
  suspend(token: number): number {
    const st = this.port.state;
    const n = this.sequence;
    st[0] = n & 0xff;
    st[1] = (n >>> 8) & 0xff;
    st[2] = (n >>> 16) & 0xff;
    st[3] = (n >>> 24) & 0xff;
    return this.step === IDLE ? OK : this.s2.hold(token);
  }

  /** R1 after a hibernate reboot: the sequence number from the image. */
  powerOnNoIrq(_token: number): number {
    if (this.port.fromImage) {
      const st = this.port.state;
      this.sequence = (st[0] | (st[1] << 8) | (st[2] << 16) | (st[3] << 24)) >>> 0;
      this.rebooted = true;
    }
    return OK;
  }

  /** R2: the timer or the button (not a rolled-back attempt) means a reading; another wake line (the console) does not. */
  resume(_token: number): number {
    const cause = this.port.wakeCause;
    if (cause === WAKE_NONE) return OK;
    if (cause >= 0 && cause !== this.buttonLine) {
      // Someone typed on the console (its UART RX woke the chip; that byte is lost, ESP32 light sleep):
      // no reading, and stay awake long enough for the commands that follow before the next sleep.
      if (this.sleepMode === SLEEP_EXPLICIT) this.platform.schedule(this.sleeper, CONSOLE_AWAKE_US);
      this.rebooted = false;
      return OK;
    }
    if (cause === this.buttonLine) this.forced++;
    if (this.sleepMode === SLEEP_GOVERNOR && cause !== this.buttonLine) {
      // The governor woke the board ahead of the period timer. After light sleep that timer is still armed;
      // after a hibernate reboot it is gone: re-arm it at the nearest whole period (the governor wakes early).
      if (this.rebooted) {
        const now = this.platform.now();
        const due = Math.round(now / this.periodUs) * this.periodUs;
        this.platform.schedule(this.kick, due > now ? due - now : 0);
      }
      this.rebooted = false;
      return OK;
    }
    this.rebooted = false;
    this.platform.schedule(this.kick, 0);
    return OK;
  }
}
