// Simulator chip model of a Panasonic EKMB PIR sensor: output pin high while motion is seen, undefined during the stability time, 1 uA.
import type { Clock, NotifyingPowerModel, SimBoardIo, FaultKind } from "quiesce/sim";
import { PIR_STABILITY_US } from "./pir";

/*
 * Panasonic "PIR motion sensor EKMB (WL) series" datasheet, as the driver (pir.ts) cites it:
 * digital push-pull output, high while detecting; standby current 1 uA for the 1 uA types
 * (EKMB1101111); after power is applied the output is undefined for the circuit stability time. The
 * model makes that concrete: a power-up (or `reset`) drives one spurious 100 ms pulse 1 s in, which a
 * driver must ignore. A "nak" fault is a dead sensor: the output stays low.
 */
export const PIR_STANDBY_UA = 1;
const SPURIOUS_AT_US = 1_000_000;
const SPURIOUS_US = 100_000;

export interface PirModelOptions {
  readonly clock: Clock & { createTimer(callback: () => void): number; schedule(timer: number, delayUs: number): void; cancel(timer: number): void };
  readonly io: SimBoardIo;
  /** The GPIO the sensor's output drives. */
  readonly pin: number;
  /** The GPIO that switches its supply (-1: always powered, from boot). */
  readonly enablePin?: number;
  readonly name?: string;
  readonly stabilityUs?: number;
}

export class PirModel implements NotifyingPowerModel {
  readonly name: string;
  /** Onsets a person made (`motion` calls that reached a powered, stable, working sensor). */
  motions = 0;
  private readonly o: PirModelOptions;
  private readonly stabilityUs: number;
  private powered = false;
  private poweredAt = 0;
  private dead = false;
  private level = 0;
  private readonly endTimer: number;
  private readonly spuriousTimer: number;
  private listener: (() => void) | null = null;

  constructor(options: PirModelOptions) {
    this.o = options;
    this.name = options.name ?? "pir";
    this.stabilityUs = options.stabilityUs ?? PIR_STABILITY_US;
    const self = this;
    this.endTimer = options.clock.createTimer(function pirMotionEnds(): void {
      self.drive(0);
    });
    this.spuriousTimer = options.clock.createTimer(function pirSpurious(): void {
      if (self.level === 0) {
        self.drive(1);
        options.clock.schedule(self.endTimer, SPURIOUS_US);
      }
    });
    const enable = options.enablePin ?? -1;
    if (enable < 0) this.power(1);
    else options.io.setLevelListener(enable, function pirSupply(level: number): void {
      self.power(level);
    });
    options.io.driveInput(options.pin, 0);
  }

  setPowerListener(listener: (() => void) | null): void {
    this.listener = listener;
  }

  currentUa(): number {
    return this.powered ? PIR_STANDBY_UA : 0;
  }

  /** True once the stability time after the last power-up has passed. */
  stable(): boolean {
    return this.powered && this.o.clock.now() - this.poweredAt >= this.stabilityUs;
  }

  /** Someone moves in the field of view for `durationUs`: the output is high that long (a powered, working sensor only). */
  motion(durationUs: number): void {
    if (!this.powered || this.dead) return;
    this.motions++;
    this.drive(1);
    this.o.clock.schedule(this.endTimer, durationUs);
  }

  /** Power-cycles the sensor (its supply dropped): the stability time starts again. */
  reset(): void {
    this.power(0);
    this.power(1);
  }

  setFault(kind: FaultKind): void {
    this.dead = kind !== "none";
    if (this.dead) this.drive(0);
  }

  private power(level: number): void {
    const on = level !== 0;
    if (on === this.powered) return;
    this.powered = on;
    if (this.listener !== null) this.listener();
    this.o.clock.cancel(this.endTimer);
    this.drive(0);
    if (!on) {
      this.o.clock.cancel(this.spuriousTimer);
      return;
    }
    this.poweredAt = this.o.clock.now();
    if (this.stabilityUs > SPURIOUS_AT_US) this.o.clock.schedule(this.spuriousTimer, SPURIOUS_AT_US);
  }

  private drive(level: number): void {
    this.level = level;
    this.o.io.driveInput(this.o.pin, level);
  }
}
