// Display backlight on PWM (or a plain GPIO): saves its duty, goes dark in S2 before the panel sleeps, relights in R2 after DISPON.
import type { DevicePort } from "../../runtime/port";
import { OK } from "../../runtime/status";
import { type BoardDriver, type DriverContext, numberOption } from "../common/io";

/** An ECMA-419 PWM (`write(duty)`, `resolution` bits) or Digital (`write(0|1)`) instance. */
interface LevelIo {
  write(value: number): void;
  close(): void;
}

interface PwmClass {
  new (options: { pin: number; hz?: number; resolution?: number }): LevelIo & { resolution?: number };
}

/** Saved brightness, 0..1000 (per mille), little-endian in the state area. */
export const BACKLIGHT_STATE_BYTES = 2;

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const BACKLIGHT_OPTIONS: readonly string[] = Object.freeze(["pin", "activeLow", "pwm", "resolution", "hz", "brightness"]);

/**
 * Ordering comes from the board: the backlight `needs` the display, so the runtime suspends it
 * before the display (dark before DISPOFF/SLPIN, nobody sees a sleeping panel's garbage) and resumes
 * it after the display's R2 (lit only after DISPON). Both on/off writes are in S2/R2 with IRQs on.
 *
 * Moddable Two (rev. r9): the backlight is GPIO 18 and inverted: Moddable's setup-target.js and
 * moddable_two_io host/provider.js write `1 - brightness` to the PWM ("PWM is inverted"), and with
 * brightness "none" drive the pin 0 for a lit panel. (The moddable-two.md text shows 1 = on; the code
 * is what ships, so active-low it is.) With `pwm: 0` (a board without a PWM) the driver uses a
 * Digital: any brightness > 0 is on.
 */
export class Backlight implements BoardDriver {
  readonly name: string;
  readonly pin: number;
  readonly stateBytes = BACKLIGHT_STATE_BYTES;
  readonly activeLow: number;
  /** Largest duty value of the output (1 for a Digital, 2^resolution - 1 for a PWM). */
  readonly maxDuty: number;
  private port: DevicePort | null = null;
  private readonly io: LevelIo;
  /** Per mille, as the application set it (kept while suspended, applied in R2). */
  private level = 1000;
  private suspended = false;
  /** As last written to the pin. */
  lit = false;
  /** Writes in order (tests read it to prove ordering against the display): +1 lit, -1 dark. */
  transitions = 0;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pin = numberOption(ctx, "pin");
    this.activeLow = numberOption(ctx, "activeLow", 0) ? 1 : 0;
    const usePwm = numberOption(ctx, "pwm", 1) !== 0;
    const io = ctx.device.io as unknown as { PWM?: PwmClass; Digital: { new (o: { pin: number; mode: number; initialValue?: number }): LevelIo; readonly Output: number } };
    if (usePwm) {
      const Pwm = io.PWM;
      if (Pwm === undefined) {
        throw new Error(ctx.board + ": device \"" + ctx.name + "\" wants PWM but the provider has no io.PWM: set option pwm: 0 to drive the backlight as a GPIO");
      }
      const bits = numberOption(ctx, "resolution", 10);
      const pwm = new Pwm({ pin: this.pin, hz: numberOption(ctx, "hz", 1000), resolution: bits });
      this.io = pwm;
      this.maxDuty = (1 << (typeof pwm.resolution === "number" ? pwm.resolution : bits)) - 1;
    } else {
      const Digital = io.Digital;
      this.io = new Digital({ pin: this.pin, mode: Digital.Output, initialValue: this.activeLow });
      this.maxDuty = 1;
    }
    this.level = numberOption(ctx, "brightness", 1000);
    this.apply(this.level);
  }

  attach(port: DevicePort): void {
    this.port = port;
  }

  /**
   * Runtime PM: dark after the board's `autosuspendMs` without a brightness write (a screen timeout),
   * with S2's code; a write relights it with R2's, after its display woke (it `needs` the display).
   */
  runtimeSuspend(token: number): number {
    return this.suspend(token);
  }

  runtimeResume(token: number): number {
    return this.resume(token);
  }

  get brightness(): number {
    return this.level;
  }

  /** 0..1000. While suspended the value is kept and applied in R2 (the panel is asleep). */
  set brightness(value: number) {
    const v = value < 0 ? 0 : value > 1000 ? 1000 : value | 0;
    this.level = v;
    // Saved first: the runtime resume the get below starts (at once, or once the display woke) reloads it.
    if (this.suspended) this.save();
    // Activity: a runtime-suspended backlight comes back (display first); the idle delay starts again.
    const port = this.port;
    if (port !== null && port.get() !== OK) {
      this.save();
      port.putAutosuspend();
      return;
    }
    if (port !== null) port.putAutosuspend();
    if (this.suspended) {
      this.save();
      return;
    }
    this.apply(v);
  }

  suspend(_token: number): number {
    this.save();
    this.suspended = true;
    this.apply(0);
    return OK;
  }

  // No R1: it stays dark, the display is not on yet (its DISPON comes in its R2, which runs before ours).

  resume(_token: number): number {
    const st = (this.port as DevicePort).state;
    this.level = st[0] | (st[1] << 8);
    this.suspended = false;
    this.apply(this.level);
    return OK;
  }

  /** After a failed resume: lit again at the application's brightness (R2 did not run). */
  reprobe(_token: number): number {
    this.suspended = false;
    this.apply(this.level);
    return OK;
  }

  private save(): void {
    if (this.port === null) return;
    const st = this.port.state;
    st[0] = this.level & 0xff;
    st[1] = this.level >> 8;
  }

  /** Per mille to duty, inverted for an active-low input (Moddable Two: 0 duty is full brightness). */
  private apply(permille: number): void {
    const max = this.maxDuty;
    let duty = max === 1 ? (permille > 0 ? 1 : 0) : Math.round((permille * max) / 1000);
    if (this.activeLow === 1) duty = max - duty;
    this.io.write(duty);
    const lit = permille > 0;
    if (lit !== this.lit) this.transitions++;
    this.lit = lit;
  }
}
