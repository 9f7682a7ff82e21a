// Passive-infrared motion sensor (Panasonic PaPIRs EKMB) on a GPIO: a wake source, "wait for motion" requests, staged suspend/resume.
import { type DevicePort, PendingStage } from "quiesce/runtime/port";
import type { Platform } from "quiesce/runtime/platform";
import { RequestQueue } from "quiesce/runtime/queue";
import { BUSY, FAILED, OK, PENDING, ROLE_WAKE } from "quiesce/runtime/status";
import { type BoardDriver, type DigitalIo, type DriverContext, numberOption } from "quiesce/boards";

/*
 * Panasonic "PIR motion sensor EKMB (WL) series" datasheet:
 * - Digital output: high while the sensor detects motion, low otherwise; the ON time follows the
 *   motion (no fixed hold time). Push-pull: no pull resistor on the input.
 * - Current consumption in standby: 1 / 2 / 6 uA by model (EKMB1101111 is the 1 uA type).
 * - Circuit stability time: after power is applied the output is undefined for a while and must be
 *   ignored. PIR_STABILITY_US is the 30 s Panasonic gives for its digital PaPIRs; check the
 *   "Characteristics" table of your part and set the `warmupUs` option if it differs.
 */
export const PIR_STABILITY_US = 30_000_000;

// #region state
/** State area: [marker, motion events low byte, high byte, unused]. Saved in S2, so it survives hibernate. */
export const PIR_STATE_BYTES = 4;
const STATE_MARKER = 0x9e;
// #endregion state

// #region options
/** Every option the constructor reads: the board's driver table carries it, and boot refuses any other key (a misspelling). */
export const PIR_OPTIONS: readonly string[] = Object.freeze(["pin", "enable", "warmupUs", "queueCapacity"]);
// #endregion options

/**
 * Counts motion onsets, serves "wait for the next motion" requests (each completes OK at the next
 * onset), and is a wake source: an onset while a suspend runs aborts it (`port.wakeEvent()`), and
 * the board's wake line (the sensor's output pin, level high) wakes the SoC from standby and
 * hibernate. With an `enable` GPIO switching the sensor's supply, the driver powers it and waits out
 * the circuit stability time at boot and at a re-probe; without one the sensor is always powered.
 */
export class Pir implements BoardDriver {
  readonly name: string;
  readonly roles = ROLE_WAKE;
  readonly stateBytes = PIR_STATE_BYTES;
  readonly queue: RequestQueue;
  readonly pin: number;
  /** GPIO that switches the sensor's supply, or -1 (always powered). */
  readonly enablePin: number;
  readonly warmupUs: number;
  /** Motion onsets since the first boot (kept across hibernate in the state area). */
  events = 0;
  /** The output level last seen (1: motion). */
  high = 0;
  /** Within the circuit stability time: the output is not trusted. */
  warming = false;
  /** A "wait for motion" request is in flight (served, waiting for the next onset). */
  armed = false;
  private suspended = false;
  private port!: DevicePort;
  private s1!: PendingStage;
  private probe!: PendingStage;
  private readonly platform: Platform;
  private readonly io: DigitalIo;
  private readonly enable: DigitalIo | null;
  private readonly timer: number;
  private readonly irqLine: number;
  private onMotion: ((token: number, status: number) => void) | null = null;

  // #region constructor
  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.platform = ctx.platform;
    this.irqLine = ctx.irqLine;
    this.pin = numberOption(ctx, "pin", undefined, { min: 0, max: 39 });
    this.enablePin = numberOption(ctx, "enable", -1, { min: -1, max: 33 });
    this.warmupUs = numberOption(ctx, "warmupUs", PIR_STABILITY_US, { min: 0, max: 120_000_000, unit: "us" });
    const self = this;
    this.timer = ctx.platform.createTimer(function pirWarm(): void {
      self.warmedUp();
    });
    this.queue = new RequestQueue(numberOption(ctx, "queueCapacity", 4, { min: 1, max: 64 }),
      function pirServe(): number {
        self.armed = true;
        return PENDING;
      },
      function pirDone(token: number, status: number): void {
        if (self.onMotion !== null) self.onMotion(token, status);
      });
    const Digital = ctx.device.io.Digital;
    this.enable = this.enablePin < 0 ? null : new Digital({ pin: this.enablePin, mode: Digital.Output, initialValue: 0 });
    this.io = new Digital({
      pin: this.pin, mode: Digital.Input, edge: Digital.Rising | Digital.Falling,
      onReadable: function pirEdge(): void {
        self.edge();
      },
    });
  }
  // #endregion constructor

  // #region attach
  /** Boot, after seal: the port, the request queue in the runtime's stats, the one give-up listener. @boot */
  attach(port: DevicePort): void {
    this.port = port;
    this.s1 = new PendingStage(port);
    this.probe = new PendingStage(port);
    port.registerQueue(this.queue);
    const self = this;
    port.onGiveUp(function pirGaveUp(): void {
      self.runtimeGaveUp();
    });
  }
  // #endregion attach

  /** Boot: who hears each "wait for motion" completion (token, OK or FAILED). @boot */
  setClient(onMotion: (token: number, status: number) => void): void {
    this.onMotion = onMotion;
  }

  /** Waits for the next motion onset: OK (onMotion runs once, later), FULL, or FAILED while the device is failed. */
  waitMotion(token: number): number {
    return this.queue.submit(token);
  }

  /** Cold boot (no hibernate image): power the sensor and wait out its stability time; requests park meanwhile. @boot */
  start(): void {
    if (this.enable !== null) this.enable.write(1);
    this.beginWarmup();
  }

  private beginWarmup(): void {
    this.warming = true;
    this.queue.gate();
    this.platform.schedule(this.timer, this.warmupUs);
  }

  // #region warmed
  /** The stability time is over: trust the output, finish a stage that waited for it, serve parked waits. */
  private warmedUp(): void {
    this.warming = false;
    this.high = this.io.read();
    if (this.s1.finish(OK)) return;
    if (this.probe.finish(OK)) return;
    if (!this.suspended) this.queue.open();
  }
  // #endregion warmed

  // #region edge
  private edge(): void {
    if (this.warming) return;
    const level = this.io.read();
    if (level === 1 && this.high === 0) {
      this.events++;
      // Linux's pm_wakeup_event: while a suspend can still be aborted it ends with WAKEUP.
      if (this.port !== undefined) this.port.wakeEvent();
      if (this.armed) {
        this.armed = false;
        this.queue.done(OK);
      }
    }
    this.high = level;
  }
  // #endregion edge

  // #region prepare
  /**
   * S1: a sleep must not start while the output is untrusted (a spurious edge would wake it) or high
   * (the level wake would end it at once). Stability time left: PENDING until it ends (the board gives
   * S1 a budget longer than `warmupUs`); motion in progress: BUSY, the caller tries later.
   */
  prepare(token: number): number {
    if (this.warming) return this.s1.hold(token);
    return this.io.read() === 1 ? BUSY : OK;
  }
  // #endregion prepare

  // #region suspend
  /** S2: gate the queue (new waits park; an armed wait stays armed: the motion that wakes the board completes it); save the count. */
  suspend(_token: number): number {
    this.queue.gate();
    this.suspended = true;
    const st = this.port.state;
    st[0] = STATE_MARKER;
    st[1] = this.events & 0xff;
    st[2] = (this.events >> 8) & 0xff;
    return OK;
  }
  // #endregion suspend

  // #region powerOn
  /**
   * R1: after a hibernate reboot this driver is new: take the count back from the image, and count
   * the onset that woke the chip (its edge reached no firmware). The sensor stayed powered, so it is
   * stable. After a standby nothing to do: the edge that woke the chip was latched and is delivered
   * at unmask, where `edge` counts it and completes the armed wait.
   */
  powerOnNoIrq(_token: number): number {
    const st = this.port.state;
    if (this.port.fromImage && st[0] === STATE_MARKER) {
      this.events = st[1] | (st[2] << 8);
      this.high = this.io.read();
      if (this.port.wakeCause === this.irqLine) this.events++;
    }
    return OK;
  }
  // #endregion powerOn

  /** R2: reopen; waits parked while suspended are served in order. */
  resume(_token: number): number {
    this.suspended = false;
    if (!this.warming) this.queue.open();
    return OK;
  }

  // #region reprobe
  /**
   * While failed: the sensor has no registers to restore. With an enable GPIO, power-cycle it and
   * answer PENDING until its stability time is over; without one, re-read the output and answer OK.
   * On OK the runtime revives the queue.
   */
  reprobe(token: number): number {
    this.suspended = false;
    if (this.enable === null) {
      this.high = this.io.read();
      return OK;
    }
    this.enable.write(0);
    this.enable.write(1);
    this.warming = true;
    this.platform.schedule(this.timer, this.warmupUs);
    return this.probe.hold(token);
  }
  // #endregion reprobe

  // #region gaveUp
  /**
   * The runtime stopped waiting for one of our stages, or marked the device failed. Failed: the
   * runtime completes parked waits with FAILED and refuses new ones; the armed wait is ours to end.
   */
  private runtimeGaveUp(): void {
    this.s1.drop();
    if (!this.queue.failed) return;
    this.probe.drop();
    if (this.armed) {
      this.armed = false;
      this.queue.done(FAILED);
    }
  }
  // #endregion gaveUp
}
