// I2C bus device: owns the bus configuration, opens one I2C instance per chip, and is the PM parent of its chips.
import { type BoardDriver, type DriverContext, type I2cClass, type I2cIo, numberOption } from "../common/io";
import { BusPower } from "../common/bus-power";

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const I2C_BUS_OPTIONS: readonly string[] = Object.freeze(["data", "clock", "hz", "port"]);

/** See BusPower for the ordering and power rules; this adds the I2C pins and the per-chip instances. */
export class I2cBus extends BusPower {
  readonly data: number;
  readonly clock: number;
  readonly hz: number;
  readonly port: number;
  private readonly I2C: I2cClass;

  constructor(ctx: DriverContext) {
    super(ctx.name);
    this.data = numberOption(ctx, "data");
    this.clock = numberOption(ctx, "clock");
    this.hz = numberOption(ctx, "hz", 400_000);
    this.port = numberOption(ctx, "port", 0);
    this.I2C = ctx.device.io.I2C;
  }

  /** Boot: an I2C instance for the chip at `address` (ECMA-419 addresses the target per instance). */
  open(address: number): I2cIo {
    this.chips++;
    return new this.I2C({ data: this.data, clock: this.clock, hz: this.hz, address, port: this.port });
  }
}

export function isI2cBus(d: BoardDriver): boolean {
  return d instanceof I2cBus;
}
