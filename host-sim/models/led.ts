// An LED on a GPIO through a series resistor: the pin level in, (Vdd - Vf) / R out while lit.
import { FAULT_NONE, type FaultKind, type NotifyingPowerModel, faultCode } from "./common";

export interface LedOptions {
  name?: string;
  /**
   * Assumption (the DevKitC V4 has only its power LED, so this is the usual user LED added on a GPIO):
   * a red LED, Vf ~2.0 V at 2 mA, through 680 Ohm from a 3.3 V pin: (3.3 - 2.0) / 680 = 1.91 mA.
   */
  supplyV?: number;
  forwardV?: number;
  resistorOhms?: number;
  /** Lit when the pin is low (LED to Vdd, pin sinks). Default false: lit when high. */
  activeLow?: boolean;
}

export class Led implements NotifyingPowerModel {
  readonly name: string;
  /** While lit, in microamps. */
  readonly onUa: number;
  private readonly activeLow: boolean;
  /** [pin level, fault] */
  private readonly s: Uint8Array;
  private powerListener: (() => void) | null = null;

  constructor(options: LedOptions = {}) {
    this.name = options.name ?? "led";
    const v = options.supplyV ?? 3.3;
    const vf = options.forwardV ?? 2.0;
    const r = options.resistorOhms ?? 680;
    if (!(r > 0)) throw new RangeError(this.name + ": resistorOhms must be > 0 (the series resistor), got " + String(r));
    this.onUa = v > vf ? ((v - vf) / r) * 1e6 : 0;
    this.activeLow = options.activeLow === true;
    this.s = new Uint8Array(2);
    this.s[0] = this.activeLow ? 1 : 0;
  }

  setPowerListener(listener: (() => void) | null): void {
    this.powerListener = listener;
  }

  /** The GPIO drives the LED's pin (wired by the simulated Digital output). */
  setLevel(level: number): void {
    const l = level ? 1 : 0;
    if (this.s[0] === l) return;
    this.s[0] = l;
    if (this.powerListener !== null) this.powerListener();
  }

  lit(): boolean {
    if (this.s[1] !== FAULT_NONE) return false;
    return this.activeLow ? this.s[0] === 0 : this.s[0] === 1;
  }

  /** Any fault models an open LED (broken bond wire / cold joint): never lights, draws nothing. */
  setFault(kind: FaultKind): void {
    this.s[1] = faultCode(this.name, kind);
    if (this.powerListener !== null) this.powerListener();
  }

  /** Power-on: pin released (unlit), no fault. */
  reset(): void {
    this.s[0] = this.activeLow ? 1 : 0;
    this.s[1] = FAULT_NONE;
    if (this.powerListener !== null) this.powerListener();
  }

  currentUa(): number {
    return this.lit() ? this.onUa : 0;
  }
}
