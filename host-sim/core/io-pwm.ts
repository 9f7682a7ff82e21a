// Simulated ECMA-419 PWM (embedded:io/pwm) on the board's LEDC, following Moddable's modules/io/pwm/esp32/_pwm.c.
import { DRIVE_PUSH_PULL, OWNER_PWM } from "./pin-pads";
import type { SimBoardIo } from "./board-io";
import { copyTarget, getFormat, getPin, getSigned, hostCheck, HOST_CLOSED, HOST_NOT_INSTANCE, HOST_OK, isObjectLike, optionsObject, required, toInteger } from "./io-common";
import { LEDC_CHANNELS, LEDC_SOURCE_HZ, LEDC_TIMER_BIT_MAX, ledcMinHz } from "./ledc";

export interface PwmOptions {
  pin: number;
  hz?: number;
  resolution?: number;
  /** LEDC channel; default the first free one of Moddable's channel map. */
  port?: number;
  format?: string;
  target?: unknown;
}

export interface SimPwm {
  write(value: number): void;
  close(): void;
  readonly hz: number;
  readonly resolution: number;
  format: string;
  target?: unknown;
}

export type SimPwmClass = new (options: PwmOptions) => SimPwm;

/**
 * Defaults hz 1024, resolution 10 bits. write(value) takes 0..2^resolution - 1; the top value is
 * written as 2^resolution so the output stays high the whole period (as _pwm.c does). Instances with
 * the same hz and resolution share a timer (four timers); channels come from Moddable's map (4..7).
 * close stops the channel with the pad low, then frees the pin. The `from` option (re-timing an
 * open instance) is not simulated.
 */
export function makePwmClass(board: SimBoardIo): SimPwmClass {
  const ledc = board.ledc;

  class PWM implements SimPwm {
    target?: unknown;
    #pin = -1;
    #channel = -1;
    #timer = -1;

    constructor(options: PwmOptions) {
      const o = optionsObject("PWM", arguments.length, options);
      const pin = getPin("PWM", o, "pin");
      if (!board.isPinFree(pin)) throw new Error("in use: PWM " + board.describePin(pin));
      let channel = -1;
      if ("port" in o) {
        channel = getSigned("PWM", o, "port");
        if (channel < 0 || channel >= LEDC_CHANNELS) throw new RangeError("invalid port: PWM port " + String(o.port) + "; use an LEDC channel 0.." + String(LEDC_CHANNELS - 1));
        if (!(ledc.channelMap & (1 << channel))) throw new Error("port unavailable: LEDC channel " + String(channel) + " is taken or not in the PWM channel map; omit port to take a free one");
      }
      let hz = 1024;
      if ("hz" in o) {
        hz = toInteger(o.hz, "PWM option 'hz'");
        if (hz <= 0) throw new RangeError("invalid hz: PWM hz " + String(o.hz) + "; use a frequency above 0");
      }
      let bits = 10;
      if ("resolution" in o) {
        bits = toInteger(o.resolution, "PWM option 'resolution'");
        if (bits <= 0 || bits >= LEDC_TIMER_BIT_MAX) throw new RangeError("invalid resolution: PWM resolution " + String(o.resolution) + "; use 1.." + String(LEDC_TIMER_BIT_MAX - 1) + " bits");
      }
      if (getFormat(o, "number") !== "number") throw new RangeError('invalid format: PWM supports only format "number"');
      if (hz < ledcMinHz(bits)) throw new RangeError("invalid combination of hz and resolution: PWM at " + String(bits) + " bits needs hz >= " + String(ledcMinHz(bits)) + "; raise hz or lower resolution");
      if (channel === -1) {
        for (channel = 0; channel < LEDC_CHANNELS && !(ledc.channelMap & (1 << channel)); channel++);
        if (channel === LEDC_CHANNELS) throw new Error("no ledc channel: all PWM channels are in use; close a PWM first");
      }
      const timer = ledc.pickTimer(hz, bits);
      if (timer === -1) throw new RangeError("no timer: the four LEDC timers run other hz/resolution pairs; reuse one of those or close a PWM");
      if (ledc.timerUse[timer] === 0 && hz * 2 ** bits > LEDC_SOURCE_HZ) {
        throw new Error("configure ledc timer failed: hz " + String(hz) + " at " + String(bits) + " bits needs a " + String(hz * 2 ** bits) + " Hz clock, above the 80 MHz APB clock; lower hz or resolution");
      }
      copyTarget(this, o);
      if (board.isInputOnly(pin)) throw new Error("can't configure: GPIO " + String(pin) + " has no output driver on " + board.soc.name + "; pick another pin for PWM");

      ledc.useTimer(timer, hz, bits);
      ledc.channelMap &= ~(1 << channel);
      board.claimPin(pin, OWNER_PWM);
      board.configurePin(pin, DRIVE_PUSH_PULL, 0, 0);
      ledc.setDuty(pin, 0);
      this.#pin = pin;
      this.#channel = channel;
      this.#timer = timer;
    }

    write(value: number): void {
      hostCheck("PWM", "write", PWM.#state(this));
      const bits = ledc.timerBits[this.#timer];
      const max = (1 << bits) - 1;
      const v = toInteger(required(value, "PWM.write", 0, "a duty value"), "PWM.write value");
      if (v < 0 || v > max) throw new RangeError("invalid value: PWM.write(" + String(value) + ") at " + String(bits) + " bits; use 0.." + String(max));
      const duty = v === max ? 1 : v / (max + 1);
      ledc.setDuty(this.#pin, duty);
      board.writePin(this.#pin, duty > 0 ? 1 : 0);
    }

    get hz(): number {
      hostCheck("PWM", "hz", PWM.#state(this));
      return ledc.timerHz[this.#timer];
    }

    get resolution(): number {
      hostCheck("PWM", "resolution", PWM.#state(this));
      return ledc.timerBits[this.#timer];
    }

    /** ledc_stop with idle level 0, timer released when its last user goes, pin freed. Idempotent. */
    close(): void {
      const state = PWM.#state(this);
      if (state === HOST_CLOSED) return;
      hostCheck("PWM", "close", state);
      const pin = this.#pin;
      this.#pin = -1;
      ledc.setDuty(pin, 0);
      board.writePin(pin, 0);
      ledc.channelMap |= 1 << this.#channel;
      ledc.releaseTimer(this.#timer);
      board.releasePin(pin);
    }

    get format(): string {
      return "number";
    }

    set format(value: string) {
      if (value !== "number") throw new RangeError('PWM: format "' + String(value) + '" unsupported; only "number"');
    }

    static #state(self: unknown): number {
      if (!isObjectLike(self) || !(#pin in self)) return HOST_NOT_INSTANCE;
      return (self as PWM).#pin < 0 ? HOST_CLOSED : HOST_OK;
    }
  }
  return PWM;
}
