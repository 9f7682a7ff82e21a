// Simulated ECMA-419 Digital (embedded:io/digital) on a SimBoardIo, following Moddable's ESP32 digitalbank.c.
import { DRIVE_NONE, DRIVE_OPEN_DRAIN, DRIVE_PUSH_PULL, OWNER_DIGITAL, type SimBoardIo } from "./board-io";
import { closedError, copyTarget, getCallback, getFormat, getSigned, optionsObject, toInteger } from "./io-common";

export const DIGITAL_INPUT = 0;
export const DIGITAL_INPUT_PULL_UP = 1;
export const DIGITAL_INPUT_PULL_DOWN = 2;
export const DIGITAL_INPUT_PULL_UP_DOWN = 3;
export const DIGITAL_OUTPUT = 8;
export const DIGITAL_OUTPUT_OPEN_DRAIN = 9;
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

export type SimDigitalClass = {
  new (options: DigitalOptions): SimDigital;
  readonly Input: number;
  readonly InputPullUp: number;
  readonly InputPullDown: number;
  readonly InputPullUpDown: number;
  readonly Output: number;
  readonly OutputOpenDrain: number;
  readonly ActiveLow: number;
  readonly Rising: number;
  readonly Falling: number;
};

/**
 * Builds the Digital class bound to `board` (one class per simulated board, made at boot).
 *
 * ISR model (digitalbank.c digitalISR/digitalDeliver): an edge the instance watches sets its
 * `triggered` pin mask; only the edge that finds it clear posts a message. Delivery (event loop,
 * through the IRQ sink) clears the mask and calls onReadable(triggered). A post that fails on a full
 * queue leaves the mask set, so that pin never posts again until closed: the documented hazard.
 */
export function makeDigitalClass(board: SimBoardIo): SimDigitalClass {
  class Digital implements SimDigital {
    static readonly Input = DIGITAL_INPUT;
    static readonly InputPullUp = DIGITAL_INPUT_PULL_UP;
    static readonly InputPullDown = DIGITAL_INPUT_PULL_DOWN;
    static readonly InputPullUpDown = DIGITAL_INPUT_PULL_UP_DOWN;
    static readonly Output = DIGITAL_OUTPUT;
    static readonly OutputOpenDrain = DIGITAL_OUTPUT_OPEN_DRAIN;
    static readonly ActiveLow = 16;
    static readonly Rising = DIGITAL_RISING;
    static readonly Falling = DIGITAL_FALLING;

    target?: unknown;
    #pin = -1;
    #isInput = true;
    #activeLow = 0;
    #rises = 0;
    #falls = 0;
    #triggered = 0;
    #onReadable: ((this: SimDigital, triggered: number) => void) | null = null;

    constructor(options: DigitalOptions) {
      const o = optionsObject("Digital", options);
      // digital.js: `pin` undefined is "invalid"; the mask is built from the low 5 bits and the bank.
      if (o.pin === undefined) throw new Error("invalid: Digital option 'pin' is required (a GPIO number)");
      const pin = toInteger(o.pin);
      if (!board.isValidPin(pin)) throw new Error("invalid pin: Digital pin " + String(o.pin) + " is not a GPIO of " + board.soc.name);
      if (!board.isPinFree(pin)) throw new Error("in use: Digital " + board.describePin(pin));
      let mode = getSigned("Digital", o, "mode");
      const activeLowFlag = mode >= 0 && (mode & 16) !== 0;
      if (activeLowFlag) mode &= ~16;
      const isInput = mode >= DIGITAL_INPUT && mode <= DIGITAL_INPUT_PULL_UP_DOWN;
      const isOutput = mode === DIGITAL_OUTPUT || mode === DIGITAL_OUTPUT_OPEN_DRAIN;
      if (!isInput && !isOutput) {
        throw new RangeError("invalid mode: Digital mode " + String(o.mode) + "; use Digital.Input, InputPullUp, InputPullDown, InputPullUpDown, Output or OutputOpenDrain");
      }
      const activeLow = activeLowFlag || ("activeLow" in o && !!o.activeLow) ? 1 : 0;
      let rises = 0;
      let falls = 0;
      let onReadable: ((this: SimDigital, triggered: number) => void) | null = null;
      let initial = 0;
      if (isInput) {
        onReadable = getCallback("Digital", o, "onReadable");
        if (onReadable !== null) {
          const edge = o.edge === undefined || o.edge === null ? 0 : toInteger(o.edge);
          rises = edge & DIGITAL_RISING ? 1 : 0;
          falls = edge & DIGITAL_FALLING ? 1 : 0;
          if (!rises && !falls) throw new RangeError("invalid edges: Digital with onReadable needs edge Digital.Rising, Digital.Falling or both (Rising | Falling)");
          if (activeLow) {
            const t = rises;
            rises = falls;
            falls = t;
          }
        }
      } else {
        if (board.isInputOnly(pin)) throw new RangeError("input only: GPIO " + String(pin) + " has no output driver on " + board.soc.name + "; pick another pin for Output");
        if ("initialValue" in o) initial = toInteger(o.initialValue) & 1;
      }
      copyTarget(this, o);
      if (getFormat(o, "number") !== "number") throw new RangeError('invalid format: Digital supports only format "number"');

      this.#pin = pin;
      this.#isInput = isInput;
      this.#activeLow = activeLow;
      this.#rises = rises;
      this.#falls = falls;
      this.#onReadable = onReadable;
      board.claimPin(pin, OWNER_DIGITAL);
      if (isInput) board.configurePin(pin, DRIVE_NONE, 0, mode);
      else board.configurePin(pin, mode === DIGITAL_OUTPUT ? DRIVE_PUSH_PULL : DRIVE_OPEN_DRAIN, initial ^ activeLow, 0);
      if (onReadable !== null) {
        const self = this;
        board.setEdgeWatcher(pin, function digitalIsr(edge: number): void {
          self.#isr(edge);
        });
        board.setLineHandler(board.gpioLine(pin), function digitalDeliver(): void {
          self.#deliver();
        });
      }
    }

    read(): number {
      const pin = this.#pin;
      if (pin < 0) throw closedError("Digital");
      if (!this.#isInput) throw new Error("can't read output: Digital on GPIO " + String(pin) + " is an output; track the value you wrote");
      return board.level(pin) ^ this.#activeLow;
    }

    write(value: number): void {
      const pin = this.#pin;
      if (pin < 0) throw closedError("Digital");
      if (this.#isInput) throw new Error("can't write input: Digital on GPIO " + String(pin) + " is an input; construct it with mode Digital.Output");
      board.writePin(pin, (Number(value) ? 1 : 0) ^ this.#activeLow);
    }

    /** Releases the pin (reset to input, no pull) and its ISR. Closing twice is harmless. */
    close(): void {
      const pin = this.#pin;
      if (pin < 0) return;
      this.#pin = -1;
      if (this.#onReadable !== null) board.setLineHandler(board.gpioLine(pin), null);
      this.#onReadable = null;
      this.#triggered = 0;
      board.releasePin(pin);
    }

    get format(): string {
      return "number";
    }

    set format(value: string) {
      if (value !== "number") throw new RangeError('Digital: format "' + String(value) + '" unsupported; only "number"');
    }

    #isr(edge: number): void {
      if (edge === DIGITAL_RISING ? this.#rises === 0 : this.#falls === 0) return;
      const mask = 1 << (this.#pin & 31);
      const before = this.#triggered;
      this.#triggered = before | mask;
      // A failed post (queue full) is counted by the queue; the mask stays set, so this pin goes quiet.
      if (before === 0) board.post(board.gpioLine(this.#pin));
    }

    #deliver(): void {
      const triggered = this.#triggered;
      this.#triggered = 0;
      const cb = this.#onReadable;
      if (cb !== null && triggered !== 0) cb.call(this, triggered);
    }
  }
  return Digital;
}
