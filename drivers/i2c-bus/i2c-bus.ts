// I2C bus device: owns the bus configuration, opens one I2C instance per chip, and is the PM parent of its chips.
import { OK } from "../../runtime/status";
import { type BoardDriver, type DriverContext, type I2cClass, type I2cIo, numberOption } from "../common/io";

/**
 * The runtime orders a parent after its children in S1..S3 and before them in R1..R2, so by the time
 * this bus powers off every chip on it is quiet, and it is back before any chip restores registers.
 * ESP32: S3 is where the controller's clock would be gated (periph_module_disable); Moddable exposes
 * no API for it, so the driver keeps the bus state and counts transfers attempted while it is off:
 * the conformance suite asserts that count stays 0 (a chip that talks after its bus went down is a bug).
 */
export class I2cBus implements BoardDriver {
  readonly name: string;
  readonly data: number;
  readonly clock: number;
  readonly hz: number;
  readonly port: number;
  id = -1;
  /** 1 while the controller is powered (active, S1, S2, after R1). */
  powered = 1;
  /** Transfers chips attempted while the bus was off. */
  misuse = 0;
  /** Chips opened on this bus (boot). */
  chips = 0;
  private readonly I2C: I2cClass;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.data = numberOption(ctx, "data");
    this.clock = numberOption(ctx, "clock");
    this.hz = numberOption(ctx, "hz", 400_000);
    this.port = numberOption(ctx, "port", 0);
    this.I2C = ctx.device.io.I2C;
  }

  attach(id: number): void {
    this.id = id;
  }

  /** Boot: an I2C instance for the chip at `address` (ECMA-419 addresses the target per instance). */
  open(address: number): I2cIo {
    this.chips++;
    return new this.I2C({ data: this.data, clock: this.clock, hz: this.hz, address, port: this.port });
  }

  /** A chip calls this before each transfer: false (and counted) if the bus is powered off. */
  ready(): boolean {
    if (this.powered === 1) return true;
    this.misuse++;
    return false;
  }

  prepare(_token: number): number {
    return OK;
  }

  suspend(_token: number): number {
    return OK;
  }

  powerOffNoIrq(_token: number): number {
    this.powered = 0;
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    this.powered = 1;
    return OK;
  }

  resume(_token: number): number {
    return OK;
  }
}

export function isI2cBus(d: BoardDriver): boolean {
  return d instanceof I2cBus;
}
