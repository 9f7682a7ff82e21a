// Energy meter: integrates the ESP32's current (by power mode) plus every registered chip model over virtual time.
import type { Clock, PowerModel } from "../core/contracts";
import { checkRange } from "./common";

// ESP32 SoC power modes.
/** SoC power mode: active. */
export const SOC_ACTIVE = 0;
/** SoC power mode: light sleep. */
export const SOC_LIGHT_SLEEP = 1;
/** SoC power mode: deep sleep (RTC timer and memory on). */
export const SOC_DEEP_SLEEP = 2;
/** SoC power mode: hibernation (RTC timer only). */
export const SOC_HIBERNATION = 3;
/** SoC power mode: off (CHIP_PU low). */
export const SOC_OFF = 4;

/**
 * ESP32 Series Datasheet v4.2 §3.7 Table 8 (v4.5 §3.3.1 Table 3-2) "Power consumption by power modes":
 * - active with RF off (modem-sleep), CPU at 240 MHz: 30 ~ 68 mA. Default: 68 mA, the top of the range
 *   (both cores busy), so battery estimates err on the short side. Override with `activeUa`.
 * - light sleep: 0.8 mA.
 * - deep sleep, RTC timer + RTC memory: 10 uA.
 * - hibernation, RTC timer only: 5 uA.
 * - power off (CHIP_PU low): 1 uA (both revisions; earlier notes here said 0.1, ten times too low).
 */
export const ESP32_ACTIVE_240MHZ_UA = 68_000;
/** ESP32 light sleep, uA. */
export const ESP32_LIGHT_SLEEP_UA = 800;
/** ESP32 deep sleep with RTC timer and memory, uA. */
export const ESP32_DEEP_SLEEP_UA = 10;
/** ESP32 hibernation, RTC timer only, uA. */
export const ESP32_HIBERNATION_UA = 5;
/** ESP32 powered off, uA. */
export const ESP32_OFF_UA = 1;

export interface EnergyMeterOptions {
  clock: Clock;
  /** Most chip models that will be added (arrays are sized once). Default 16. */
  capacity?: number;
  /** SoC current while active, uA (default ESP32_ACTIVE_240MHZ_UA). */
  activeUa?: number;
}

/** What `add` wires: a model that reports its own state changes calls the meter's sampler. */
interface MaybeNotifying extends PowerModel {
  setPowerListener?: (listener: (() => void) | null) => void;
}

/** Integrates the SoC's current (by power mode) and every chip model's over virtual time: charge, average current, battery life. */
export class EnergyMeter {
  /** Bound once: hand it to anything whose current changes (models call it themselves when added). */
  readonly sampler: () => void;
  private readonly clock: Clock;
  private readonly models: PowerModel[];
  private readonly socUa = new Float64Array(5);
  /** Index 0 is the SoC, 1..count the models: current during the open interval, and charge in uA*us (pC). */
  private readonly lastUa: Float64Array;
  private readonly charge: Float64Array;
  /** [count, socMode, lastSampleAt, startedAt] */
  private readonly s = new Float64Array(4);

  constructor(options: EnergyMeterOptions) {
    this.clock = options.clock;
    const capacity = checkRange("energy", "capacity", options.capacity ?? 16, 1, 1024);
    this.models = new Array<PowerModel>(capacity);
    this.lastUa = new Float64Array(capacity + 1);
    this.charge = new Float64Array(capacity + 1);
    this.socUa[SOC_ACTIVE] = options.activeUa ?? ESP32_ACTIVE_240MHZ_UA;
    this.socUa[SOC_LIGHT_SLEEP] = ESP32_LIGHT_SLEEP_UA;
    this.socUa[SOC_DEEP_SLEEP] = ESP32_DEEP_SLEEP_UA;
    this.socUa[SOC_HIBERNATION] = ESP32_HIBERNATION_UA;
    this.socUa[SOC_OFF] = ESP32_OFF_UA;
    const self = this;
    this.sampler = function energySample(): void {
      self.sample();
    };
    this.s[2] = this.clock.now();
    this.s[3] = this.s[2];
    this.lastUa[0] = this.socUa[SOC_ACTIVE];
  }

  /** Registers a model (boot time). Models with setPowerListener get the sampler wired in. */
  add(model: PowerModel): void {
    const count = this.s[0];
    if (count >= this.models.length) {
      throw new RangeError("energy: more than " + String(this.models.length) + " models; raise EnergyMeterOptions.capacity");
    }
    this.sample();
    this.models[count] = model;
    this.s[0] = count + 1;
    this.lastUa[count + 1] = model.currentUa();
    const n = model as MaybeNotifying;
    if (typeof n.setPowerListener === "function") n.setPowerListener(this.sampler);
  }

  /** The SoC's power mode changed (SOC_*): closes the interval at the old current first. */
  setSocMode(mode: number): void {
    if (!(mode >= SOC_ACTIVE && mode <= SOC_OFF)) {
      throw new RangeError("energy: SoC mode " + String(mode) + " unknown; use SOC_ACTIVE..SOC_OFF");
    }
    this.sample();
    this.s[1] = mode;
    this.lastUa[0] = this.socUa[mode];
  }

  /** The SoC's present power mode (SOC_*). */
  socMode(): number {
    return this.s[1];
  }

  /** Closes the open interval at the currents sampled last, then reads every present current. */
  sample(): void {
    const now = this.clock.now();
    const dt = now - this.s[2];
    const n = this.s[0];
    if (dt > 0) for (let i = 0; i <= n; i++) this.charge[i] += this.lastUa[i] * dt;
    this.s[2] = now;
    this.lastUa[0] = this.socUa[this.s[1]];
    for (let i = 0; i < n; i++) this.lastUa[i + 1] = this.models[i].currentUa();
  }

  /** Present total draw in uA (as of the last sample). */
  presentUa(): number {
    let sum = 0;
    for (let i = 0; i <= this.s[0]; i++) sum += this.lastUa[i];
    return sum;
  }

  /** Total charge since start/reset in microcoulombs, including the open interval. */
  chargeUc(): number {
    const open = this.clock.now() - this.s[2];
    let pc = 0;
    for (let i = 0; i <= this.s[0]; i++) pc += this.charge[i] + this.lastUa[i] * open;
    return pc / 1e6;
  }

  /** Charge of one model (or of the SoC when `model` is null), in microcoulombs. */
  chargeUcOf(model: PowerModel | null): number {
    let index = 0;
    if (model !== null) {
      for (let i = 0; i < this.s[0]; i++) if (this.models[i] === model) index = i + 1;
      if (index === 0) throw new RangeError("energy: model " + model.name + " was never added; call add(model) at boot");
    }
    return (this.charge[index] + this.lastUa[index] * (this.clock.now() - this.s[2])) / 1e6;
  }

  /** Average current since start/reset, uA; the present draw if no time has passed. */
  averageUa(): number {
    const elapsed = this.clock.now() - this.s[3];
    if (elapsed <= 0) return this.presentUa();
    return (this.chargeUc() * 1e6) / elapsed;
  }

  /** Hours a battery of `capacityMah` lasts at the average current so far (1 mAh = 1000 uAh). */
  batteryLifeHours(capacityMah: number): number {
    const avg = this.averageUa();
    return avg > 0 ? (capacityMah * 1000) / avg : Infinity;
  }

  /** Virtual time integrated so far (since construction or the last `reset`), µs. */
  elapsedUs(): number {
    return this.clock.now() - this.s[3];
  }

  /** Restarts the integration now (charges to zero), keeping models and SoC mode. */
  reset(): void {
    this.sample();
    this.charge.fill(0);
    this.s[3] = this.s[2];
  }
}
