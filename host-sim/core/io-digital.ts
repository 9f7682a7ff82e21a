// Simulated ECMA-419 Digital (embedded:io/digital): one pin as a DigitalBank, as Moddable's digital.js builds it.
import type { SimBoardIo } from "./board-io";
import {
  DIGITAL_INPUT, DIGITAL_INPUT_PULL_DOWN, DIGITAL_INPUT_PULL_UP, DIGITAL_INPUT_PULL_UP_DOWN, DIGITAL_OUTPUT, DIGITAL_OUTPUT_OPEN_DRAIN,
  type DigitalModes, IO_NAME, IO_PIN, type SimDigitalBankClass,
} from "./io-digitalbank";
import { toInteger } from "./io-common";

export { DIGITAL_INPUT, DIGITAL_INPUT_PULL_DOWN, DIGITAL_INPUT_PULL_UP, DIGITAL_INPUT_PULL_UP_DOWN, DIGITAL_OUTPUT, DIGITAL_OUTPUT_OPEN_DRAIN };
export const DIGITAL_RISING = 1;
export const DIGITAL_FALLING = 2;

export interface DigitalOptions {
  pin: number;
  mode: number;
  edge?: number;
  onReadable?: ((this: SimDigital, triggered: number) => void) | null;
  activeLow?: boolean;
  initialValue?: number;
  format?: string;
  target?: unknown;
}

export interface SimDigital {
  read(): number;
  write(value: number): void;
  close(): void;
  format: string;
  target?: unknown;
}

export type SimDigitalClass = DigitalModes & { readonly Rising: number; readonly Falling: number } & (new (options: DigitalOptions) => SimDigital);

/**
 * digital.js in JavaScript: reading `options.pin` of undefined is a plain TypeError (no xsArg check),
 * a missing pin is Error "invalid"; the pin becomes mask 1 << (pin & 31) of bank pin >> 5, `edge`
 * becomes rises/falls masks, and everything else (modes, activeLow, ownership, the ISR) is the
 * bank's. write() takes any value (Number(value) ? all ones : 0), so write() with none writes 0.
 * `mode: Output | ActiveLow` is refused as on the ESP32 (digitalbank.c checks mode strictly).
 */
export function makeDigitalClass(Bank: SimDigitalBankClass): SimDigitalClass {
  class Digital extends Bank implements SimDigital {
    static readonly Rising = DIGITAL_RISING;
    static readonly Falling = DIGITAL_FALLING;

    constructor(options: DigitalOptions) {
      if (options === undefined || options === null) {
        throw new TypeError("cannot read property 'pin' of " + String(options) + ": new Digital needs an options object, e.g. new Digital({pin: device.pin.led, mode: Digital.Output})");
      }
      const pin: unknown = (options as { pin?: unknown }).pin;
      if (pin === undefined) throw new Error("invalid: Digital option 'pin' is required (a GPIO number)");
      const n = toInteger(pin, "Digital option 'pin'");
      const pins = (1 << (n & 31)) >>> 0;
      const edge = options.edge ?? 0;
      const o: { [key: string]: unknown; [IO_NAME]: string; [IO_PIN]: unknown } = {
        pins,
        bank: (n >> 5) & 0xff,
        mode: options.mode,
        rises: toInteger(edge, "Digital option 'edge'") & DIGITAL_RISING ? pins : 0,
        falls: toInteger(edge, "Digital option 'edge'") & DIGITAL_FALLING ? pins : 0,
        onReadable: options.onReadable,
        format: options.format,
        [IO_NAME]: "Digital",
        [IO_PIN]: pin,
      };
      if ("activeLow" in options) o.activeLow = options.activeLow;
      if ("initialValue" in options) o.initialValue = Number(options.initialValue) ? pins : 0;
      if ("target" in options) o.target = options.target;
      super(o as never);
    }

    override read(): number {
      return super.read() ? 1 : 0;
    }

    override write(value: number): void {
      super.write(Number(value) ? ~0 : 0);
    }
  }
  return Digital;
}
