// Simulated ECMA-419 DigitalBank (embedded:io/digitalbank): up to 32 GPIOs of one bank as a pin mask, following Moddable's ESP32 digitalbank.c.
import { DRIVE_NONE, DRIVE_OPEN_DRAIN, DRIVE_PUSH_PULL, OWNER_DIGITAL } from "./pin-pads";
import type { SimBoardIo } from "./board-io";
import {
  copyTarget, getCallback, getFormat, getSigned, hostCheck, HOST_CLOSED, HOST_NOT_INSTANCE, HOST_OK, isObjectLike, optionsObject, required, toInteger, toUnsigned,
} from "./io-common";

export const DIGITAL_INPUT = 0;
export const DIGITAL_INPUT_PULL_UP = 1;
export const DIGITAL_INPUT_PULL_DOWN = 2;
export const DIGITAL_INPUT_PULL_UP_DOWN = 3;
export const DIGITAL_OUTPUT = 8;
export const DIGITAL_OUTPUT_OPEN_DRAIN = 9;
export const DIGITAL_ACTIVE_LOW = 16;
const RISING = 1;

/** Digital (digital.js) builds bank options from its own; these keys let the bank word its errors as Digital's. */
export const IO_NAME: unique symbol = Symbol("ioName");
export const IO_PIN: unique symbol = Symbol("ioPin");

export interface DigitalBankOptions {
  pins: number;
  bank?: number;
  mode: number;
  rises?: number;
  falls?: number;
  onReadable?: ((this: SimDigitalBank, triggered: number) => void) | null;
  activeLow?: boolean;
  initialValue?: number;
  format?: string;
  target?: unknown;
}

export interface SimDigitalBank {
  read(): number;
  write(value: number): void;
  close(): void;
  format: string;
  target?: unknown;
}

/** The mode constants DigitalBank and Digital share. */
export interface DigitalModes {
  readonly Input: number;
  readonly InputPullUp: number;
  readonly InputPullDown: number;
  readonly InputPullUpDown: number;
  readonly Output: number;
  readonly OutputOpenDrain: number;
  readonly ActiveLow: number;
}

export type SimDigitalBankClass = DigitalModes & (new (options: DigitalBankOptions) => SimDigitalBank);

/**
 * Builds the DigitalBank class bound to `board`. Pins are a mask of bank `bank` (GPIO = 32 * bank +
 * bit). ISR model (digitalISR/digitalDeliver): an edge a pin watches sets its bit in `triggered`;
 * only the edge that finds the mask clear posts (on that pin's IRQ line); delivery clears the mask
 * and calls onReadable(triggered). A post lost to a full queue leaves the mask set, so the bank goes
 * quiet until closed: the documented hazard. The per-pin ISR closures are made at construction.
 */
export function makeDigitalBankClass(board: SimBoardIo): SimDigitalBankClass {
  const banks = Math.ceil(board.soc.gpioCount / 32);

  class DigitalBank implements SimDigitalBank {
    static readonly Input = DIGITAL_INPUT;
    static readonly InputPullUp = DIGITAL_INPUT_PULL_UP;
    static readonly InputPullDown = DIGITAL_INPUT_PULL_DOWN;
    static readonly InputPullUpDown = DIGITAL_INPUT_PULL_UP_DOWN;
    static readonly Output = DIGITAL_OUTPUT;
    static readonly OutputOpenDrain = DIGITAL_OUTPUT_OPEN_DRAIN;
    static readonly ActiveLow = DIGITAL_ACTIVE_LOW;

    target?: unknown;
    #cls = "DigitalBank";
    #pins = 0;
    #base = 0;
    #isInput = true;
    #activeLow = 0;
    #rises = 0;
    #falls = 0;
    #triggered = 0;
    #onReadable: ((this: SimDigitalBank, triggered: number) => void) | null = null;

    constructor(options: DigitalBankOptions) {
      const o = optionsObject("DigitalBank", arguments.length, options);
      const named = (o as { [IO_NAME]?: string })[IO_NAME];
      const cls = named === undefined ? "DigitalBank" : named;
      const what = named === undefined ? "DigitalBank pins 0x" : "Digital pin ";
      let bank = 0;
      if ("bank" in o) {
        bank = toUnsigned(o.bank, cls + " option 'bank'");
        if (bank >= banks) throw new Error("invalid bank: " + cls + " bank " + String(o.bank) + "; " + board.soc.name + " has banks 0.." + String(banks - 1));
      }
      const pins = toUnsigned(o.pins, cls + " option 'pins'");
      const base = 32 * bank;
      const shown = named === undefined ? pins.toString(16) + " of bank " + String(bank) : String((o as { [IO_PIN]?: unknown })[IO_PIN]);
      if (pins === 0 || !eachPin(pins, base, (pin) => board.isValidPin(pin))) {
        throw new Error("invalid pin: " + what + shown + " is not a GPIO of " + board.soc.name + (named === undefined ? " (or the mask is 0)" : ""));
      }
      if (!eachPin(pins, base, (pin) => board.isPinFree(pin))) {
        throw new Error("in use: " + cls + " " + board.describePin(firstPin(pins, base, (pin) => !board.isPinFree(pin))));
      }
      const mode = getSigned(cls, o, "mode");
      const isInput = mode >= DIGITAL_INPUT && mode <= DIGITAL_INPUT_PULL_UP_DOWN;
      if (!isInput && mode !== DIGITAL_OUTPUT && mode !== DIGITAL_OUTPUT_OPEN_DRAIN) {
        throw new RangeError("invalid mode: " + cls + " mode " + String(o.mode) + "; use " + cls + ".Input, InputPullUp, InputPullDown, InputPullUpDown, Output or OutputOpenDrain (active low is the separate option activeLow: true)");
      }
      const activeLow = "activeLow" in o && o.activeLow ? pins : 0;
      let rises = 0;
      let falls = 0;
      let initial = 0;
      let onReadable: ((this: SimDigitalBank, triggered: number) => void) | null = null;
      if (isInput) {
        onReadable = getCallback(cls, o, "onReadable");
        if (onReadable !== null) {
          if ("rises" in o) rises = toUnsigned(o.rises, cls + " option 'rises'") & pins;
          if ("falls" in o) falls = toUnsigned(o.falls, cls + " option 'falls'") & pins;
          if (rises === 0 && falls === 0) {
            throw new RangeError("invalid edges: " + cls + " with onReadable needs " + (named === undefined ? "a rises and/or falls mask within pins" : "edge Digital.Rising, Digital.Falling or both (Rising | Falling)"));
          }
          if (activeLow !== 0) {
            const t = rises;
            rises = falls;
            falls = t;
          }
        }
      } else {
        if (!eachPin(pins, base, (pin) => !board.isInputOnly(pin))) {
          throw new RangeError("input only: GPIO " + String(firstPin(pins, base, (pin) => board.isInputOnly(pin))) + " has no output driver on " + board.soc.name + "; pick another pin for Output");
        }
        if ("initialValue" in o) initial = toUnsigned(o.initialValue, cls + " option 'initialValue'") & pins;
      }
      copyTarget(this, o);
      if (getFormat(o, "number") !== "number") throw new RangeError('invalid format: ' + cls + ' supports only format "number"');

      this.#cls = cls;
      this.#pins = pins;
      this.#base = base;
      this.#isInput = isInput;
      this.#activeLow = activeLow;
      this.#rises = rises;
      this.#falls = falls;
      this.#onReadable = onReadable;
      const self = this;
      const deliver = function digitalDeliver(): void {
        self.#deliver();
      };
      eachPin(pins, base, (pin) => {
        board.claimPin(pin, OWNER_DIGITAL);
        const bit = pin - base;
        if (isInput) board.configurePin(pin, DRIVE_NONE, 0, mode);
        else board.configurePin(pin, mode === DIGITAL_OUTPUT ? DRIVE_PUSH_PULL : DRIVE_OPEN_DRAIN, ((initial ^ activeLow) >>> bit) & 1, 0);
        if (onReadable !== null) {
          const mask = 1 << bit;
          board.setEdgeWatcher(pin, function digitalIsr(edge: number): void {
            self.#isr(pin, mask, edge);
          });
          board.setLineHandler(board.gpioLine(pin), deliver);
        }
        return true;
      });
    }

    /** The input levels of the bank's pins as a mask (activeLow pins inverted). */
    read(): number {
      hostCheck(DigitalBank.#name(this), "read", DigitalBank.#state(this));
      if (!this.#isInput) throw new Error("can't read output: " + this.#cls + " on " + this.#describe() + " is an output; track the value you wrote");
      const pins = this.#pins;
      const base = this.#base;
      let value = 0;
      for (let bit = 0; bit < 32; bit++) {
        if ((pins >>> bit) & 1 && board.level(base + bit) === 1) value |= 1 << bit;
      }
      return ((value ^ this.#activeLow) & pins) >>> 0;
    }

    /** Sets every pin of the bank from the matching bit of `value` (activeLow pins inverted). */
    write(value: number): void {
      hostCheck(DigitalBank.#name(this), "write", DigitalBank.#state(this));
      // int32, not toUnsigned: the same 32 bits without a heap number for masks with bit 31 set (all ones).
      const bits = toInteger(required(value, "DigitalBank.write", 0, "the value to write"), "DigitalBank.write value");
      if (this.#isInput) throw new Error("can't write input: " + this.#cls + " on " + this.#describe() + " is an input; construct it with mode " + this.#cls + ".Output");
      const out = (bits ^ this.#activeLow) & this.#pins;
      const pins = this.#pins;
      for (let bit = 0; bit < 32; bit++) {
        if ((pins >>> bit) & 1) board.writePin(this.#base + bit, (out >>> bit) & 1);
      }
    }

    /** Releases the pins (reset to input, no pull) and their ISRs. Closing twice is harmless. */
    close(): void {
      const state = DigitalBank.#state(this);
      if (state === HOST_CLOSED) return;
      hostCheck("DigitalBank", "close", state);
      const pins = this.#pins;
      const base = this.#base;
      const watched = this.#onReadable !== null;
      this.#pins = 0;
      this.#onReadable = null;
      this.#triggered = 0;
      for (let bit = 0; bit < 32; bit++) {
        if (!((pins >>> bit) & 1)) continue;
        if (watched) board.setLineHandler(board.gpioLine(base + bit), null);
        board.releasePin(base + bit);
      }
    }

    get format(): string {
      return "number";
    }

    set format(value: string) {
      if (value !== "number") throw new RangeError(this.#cls + ': format "' + String(value) + '" unsupported; only "number"');
    }

    static #state(self: unknown): number {
      if (!isObjectLike(self) || !(#pins in self)) return HOST_NOT_INSTANCE;
      return (self as DigitalBank).#pins === 0 ? HOST_CLOSED : HOST_OK;
    }

    /** "Digital" for a Digital (so a closed one says so), else "DigitalBank". */
    static #name(self: unknown): string {
      return isObjectLike(self) && #cls in self ? (self as DigitalBank).#cls : "DigitalBank";
    }

    #describe(): string {
      return this.#cls === "DigitalBank" ? "pins 0x" + (this.#pins >>> 0).toString(16) + " of bank " + String(this.#base / 32) : "GPIO " + String(firstPin(this.#pins, this.#base, () => true));
    }

    /** GPIO interrupt type per pin: POSEDGE, NEGEDGE, ANYEDGE or none, from the rises/falls masks. */
    #isr(pin: number, mask: number, edge: number): void {
      if (((edge === RISING ? this.#rises : this.#falls) & mask) === 0) return;
      const before = this.#triggered;
      this.#triggered = before | mask;
      // A failed post (queue full) is counted by the queue; the mask stays set, so this bank goes quiet.
      if (before === 0) board.post(board.gpioLine(pin));
    }

    #deliver(): void {
      const triggered = this.#triggered;
      this.#triggered = 0;
      const cb = this.#onReadable;
      if (cb !== null && triggered !== 0) cb.call(this, triggered >>> 0);
    }
  }
  return DigitalBank;
}

/** True when `test` holds for every GPIO of the mask (construction only: the callback allocates). */
function eachPin(pins: number, base: number, test: (pin: number) => boolean): boolean {
  for (let bit = 0; bit < 32; bit++) {
    if ((pins >>> bit) & 1 && !test(base + bit)) return false;
  }
  return true;
}

function firstPin(pins: number, base: number, test: (pin: number) => boolean): number {
  for (let bit = 0; bit < 32; bit++) {
    if ((pins >>> bit) & 1 && test(base + bit)) return base + bit;
  }
  return -1;
}

