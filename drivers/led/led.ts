// LED on a GPIO output: saves its level in its state area in S2, goes dark in S3, comes back in R1.
import type { PowerManager } from "../../runtime/pm";
import { OK } from "../../runtime/status";
import { type BoardDriver, type DigitalIo, type DriverContext, numberOption } from "../common/io";

/** Bytes of state this driver saves (its level). */
export const LED_STATE_BYTES = 1;

/**
 * The level is saved in S2 (not S3) so that a hibernate image, written by the storage device in its
 * own S2 after every state saver, includes it. While suspended `set` writes the saved level instead of
 * the pin: the request is kept and applied in R1/R2, never lost and never lighting a sleeping board.
 */
export class Led implements BoardDriver {
  readonly name: string;
  readonly pin: number;
  readonly stateBytes = LED_STATE_BYTES;
  id = -1;
  private readonly pm: PowerManager;
  private readonly io: DigitalIo;
  /** [level, suspended] */
  private readonly s = new Uint8Array(2);

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
    this.pin = numberOption(ctx, "pin");
    const Digital = ctx.device.io.Digital;
    this.io = new Digital({ pin: this.pin, mode: Digital.Output });
    this.io.write(0);
  }

  attach(id: number): void {
    this.id = id;
  }

  /** The level the application asked for (1 lit). */
  get level(): number {
    return this.s[0];
  }

  set(level: number): void {
    const l = level ? 1 : 0;
    this.s[0] = l;
    if (this.s[1] === 1) {
      this.pm.arena.bytes[this.pm.arena.offset[this.id]] = l;
      return;
    }
    this.io.write(l);
  }

  prepare(_token: number): number {
    return OK;
  }

  suspend(_token: number): number {
    this.pm.arena.bytes[this.pm.arena.offset[this.id]] = this.s[0];
    this.s[1] = 1;
    return OK;
  }

  powerOffNoIrq(_token: number): number {
    this.io.write(0);
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    // After a hibernate reboot the arena holds the image: the same read restores the pre-sleep level.
    const l = this.pm.arena.bytes[this.pm.arena.offset[this.id]];
    this.s[0] = l;
    this.io.write(l);
    return OK;
  }

  resume(_token: number): number {
    // Rollback from S2 skips R1: apply whatever `set` parked meanwhile.
    this.s[1] = 0;
    const l = this.pm.arena.bytes[this.pm.arena.offset[this.id]];
    this.s[0] = l;
    this.io.write(l);
    return OK;
  }
}
