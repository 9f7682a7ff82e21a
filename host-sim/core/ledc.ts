// The ESP32 LED PWM controller (LEDC) behind the simulated PWM class: timers, channels, and each pin's duty for models to read.

/** LEDC_TIMER_MAX: four timers; instances with the same hz and resolution share one. */
export const LEDC_TIMERS = 4;
/** LEDC_CHANNEL_MAX: eight channels per speed mode. */
export const LEDC_CHANNELS = 8;
/** Moddable's MODDEF_PWM_LEDC_CHANNEL_MAP default: channels 4..7 are PWM's, 0..3 left to other users. */
export const LEDC_DEFAULT_CHANNEL_MAP = 0xf0;
/** LEDC_TIMER_BIT_MAX on the ESP32 (SOC_LEDC_TIMER_BIT_WIDTH 20): resolution must stay below it. */
export const LEDC_TIMER_BIT_MAX = 21;
/**
 * The fastest LEDC clock, APB_CLK 80 MHz (ESP32 TRM, LED PWM chapter): ledc_timer_config fails when
 * hz * 2^resolution exceeds it (the divider would drop below 1).
 */
export const LEDC_SOURCE_HZ = 80_000_000;
/**
 * Moddable's measured MIN_HZ for ESP32 at resolutions 8..14 (modules/io/pwm/esp32/_pwm.c): below it
 * the divider overflows. Moddable indexes the table only in that range.
 */
const MIN_HZ = [65, 33, 17, 9, 5, 3, 2];

export function ledcMinHz(resolution: number): number {
  return resolution >= 8 && resolution <= 14 ? MIN_HZ[resolution - 8] : 1;
}

/**
 * Allocated once per board. A pin's duty is the fraction of each period it is high (0..1); listeners
 * (a backlight model, a scope in a test) hear every change. The pad level the board shows is 1 for
 * any duty above 0: the simulator does not toggle pins at the PWM frequency.
 */
export class SimLedc {
  channelMap = LEDC_DEFAULT_CHANNEL_MAP;
  readonly timerUse = new Uint16Array(LEDC_TIMERS);
  readonly timerHz = new Int32Array(LEDC_TIMERS);
  readonly timerBits = new Uint8Array(LEDC_TIMERS);
  private readonly duty: Float64Array;
  private readonly listeners: (((duty: number) => void) | null)[];

  constructor(gpioCount: number) {
    this.duty = new Float64Array(gpioCount);
    this.listeners = new Array(gpioCount).fill(null);
  }

  /** Duty of `pin` as a fraction 0..1 (0 when no PWM drives it). */
  dutyOf(pin: number): number {
    return this.duty[pin];
  }

  /** Called with the new duty at every change of `pin`'s PWM output. One listener per pin. */
  setDutyListener(pin: number, listener: ((duty: number) => void) | null): void {
    this.listeners[pin] = listener;
  }

  setDuty(pin: number, duty: number): void {
    if (this.duty[pin] === duty) return;
    this.duty[pin] = duty;
    const l = this.listeners[pin];
    if (l !== null) l(duty);
  }

  /** A timer already running at hz/resolution, else a free one, else -1. */
  pickTimer(hz: number, bits: number): number {
    let free = -1;
    for (let i = 0; i < LEDC_TIMERS; i++) {
      if (this.timerUse[i] === 0) free = i;
      else if (this.timerHz[i] === hz && this.timerBits[i] === bits) return i;
    }
    return free;
  }

  useTimer(i: number, hz: number, bits: number): void {
    this.timerUse[i]++;
    this.timerHz[i] = hz;
    this.timerBits[i] = bits;
  }

  releaseTimer(i: number): void {
    if (--this.timerUse[i] > 0) return;
    this.timerHz[i] = 0;
    this.timerBits[i] = 0;
  }
}
