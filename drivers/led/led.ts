// LED on a GPIO output: saves its level in its state area in S2, goes dark in S3, comes back in R1.
import type { DevicePort } from "../../runtime/port";
import { OK } from "../../runtime/status";
import { type BoardDriver, type DigitalIo, type DriverContext, numberOption } from "../common/io";

/** Bytes of state this driver saves (its level). */
export const LED_STATE_BYTES = 1;

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const LED_OPTIONS: readonly string[] = Object.freeze(["pin"]);

/**
 * The level is saved in S2 (not S3) so that a hibernate image, written by the storage device in its
 * own S2 after every state saver, includes it. While suspended `set` writes the saved level instead of
 * the pin: the request is kept and applied in R1/R2, never lost and never lighting a sleeping board.
 */
export class Led implements BoardDriver {
  readonly name: string;
  readonly pin: number;
  readonly stateBytes = LED_STATE_BYTES;
  /** The level the application asked for (1 lit). */
  level = 0;
  /** S2 done: `set` writes the saved level, not the pin. */
  private suspended = false;
  private port: DevicePort | null = null;
  private readonly io: DigitalIo;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pin = numberOption(ctx, "pin");
    const Digital = ctx.device.io.Digital;
    this.io = new Digital({ pin: this.pin, mode: Digital.Output });
    this.io.write(0);
  }

  attach(port: DevicePort): void {
    this.port = port;
  }

  set(level: number): void {
    const l = level ? 1 : 0;
    this.level = l;
    // Between its S2 and its R2 the LED is not driven: the level waits in the area R2 applies.
    if (this.suspended && this.port !== null) {
      this.port.state[0] = l;
      return;
    }
    this.io.write(l);
  }

  suspend(_token: number): number {
    (this.port as DevicePort).state[0] = this.level;
    this.suspended = true;
    return OK;
  }

  powerOffNoIrq(_token: number): number {
    this.io.write(0);
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    // After a hibernate reboot this driver is new and the area holds the image: take the level from it.
    // Until R2, a `set` (the application runs while other devices still resume) parks in the area too.
    const port = this.port as DevicePort;
    if (port.fromImage) this.suspended = true;
    if (this.suspended) this.level = port.state[0];
    this.io.write(this.level);
    return OK;
  }

  resume(_token: number): number {
    // What S2 saved, or `set` parked since: applied now. A resume without an S2 that saved (the
    // rollback mirror of an S2 that timed out before acting) keeps the level the application set.
    if (this.suspended) this.level = (this.port as DevicePort).state[0];
    this.suspended = false;
    this.io.write(this.level);
    return OK;
  }

  /** After a failed resume: nothing to re-initialise but the pin, driven again with the application's level. */
  reprobe(_token: number): number {
    this.suspended = false;
    this.io.write(this.level);
    return OK;
  }
}
