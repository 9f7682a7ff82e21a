// The example's application: each motion lights the LED for a while; with nobody around the board goes to standby, and motion wakes it.
import { FAILED, OK, T_STANDBY, TEST_NONE } from "quiesce/runtime/status";
import type { BootedBoard } from "quiesce/boards";
import type { Led } from "quiesce/drivers/led/led";
import type { Pir } from "./pir/pir";

export interface MotionLightOptions {
  /** How long the LED stays lit after a motion onset, us. */
  readonly lightUs: number;
  /** No motion for this long: standby, us. */
  readonly idleUs: number;
}

/**
 * One "wait for motion" request is always armed on the PIR; it stays armed across a standby, so the
 * motion that wakes the board is the one that completes it and lights the LED. Everything is made at
 * boot (three timers, bound callbacks); nothing allocates afterwards.
 */
export class MotionLight {
  /** Motions that lit the LED. */
  lights = 0;
  /** Standbys this application started, and those the runtime refused (BUSY: a suspend or motion in progress). */
  standbys = 0;
  refused = 0;
  private token = 0;
  private readonly pir: Pir;
  private readonly led: Led;
  private readonly booted: BootedBoard;
  private readonly options: MotionLightOptions;
  private readonly offTimer: number;
  private readonly idleTimer: number;
  private readonly rearmTimer: number;

  constructor(booted: BootedBoard, options: MotionLightOptions) {
    this.booted = booted;
    this.options = options;
    this.pir = booted.drivers["pir"] as unknown as Pir;
    this.led = booted.drivers["led"] as unknown as Led;
    const self = this;
    const platform = booted.platform;
    this.offTimer = platform.createTimer(function lightOff(): void {
      self.led.set(0);
    });
    this.idleTimer = platform.createTimer(function nobodyAround(): void {
      self.sleep();
    });
    // A failed PIR refuses waits until the runtime's re-probe brings it back: ask again later.
    this.rearmTimer = platform.createTimer(function rearm(): void {
      self.arm();
    });
    this.pir.setClient(function motion(_token: number, status: number): void {
      self.motion(status);
    });
    booted.onDone(function awake(): void {
      platform.schedule(self.idleTimer, self.options.idleUs);
    });
    this.arm();
    platform.schedule(this.idleTimer, options.idleUs);
  }

  private arm(): void {
    const status = this.pir.waitMotion(++this.token);
    if (status !== OK) this.booted.platform.schedule(this.rearmTimer, 1_000_000);
  }

  private motion(status: number): void {
    const platform = this.booted.platform;
    if (status === OK) {
      this.lights++;
      this.led.set(1);
      platform.schedule(this.offTimer, this.options.lightUs);
      platform.schedule(this.idleTimer, this.options.idleUs);
    }
    if (status === FAILED) platform.schedule(this.rearmTimer, 1_000_000);
    else this.arm();
  }

  private sleep(): void {
    if (this.booted.pm.suspend(T_STANDBY, TEST_NONE) === OK) this.standbys++;
    else {
      this.refused++;
      this.booted.platform.schedule(this.idleTimer, this.options.idleUs);
    }
  }
}
