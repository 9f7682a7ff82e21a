// SPI bus device: owns SCK/MISO/MOSI and the host, opens one SPI instance per chip select, parents its chips.
import { OK } from "../../runtime/status";
import { type BoardDriver, type DriverContext, type SpiClass, type SpiIo, numberOption } from "../common/io";

/**
 * Same role as the I2C bus: the runtime suspends it after every chip on it (a flash writing the state
 * image in S2 still has its bus) and resumes it before them. S3 would gate the SPI host's clock; the
 * driver records the state and counts transfers attempted while off (must stay 0).
 */
export class SpiBus implements BoardDriver {
  readonly name: string;
  readonly clock: number;
  readonly miso: number;
  readonly mosi: number;
  readonly port: number;
  id = -1;
  powered = 1;
  misuse = 0;
  chips = 0;
  private readonly SPI: SpiClass;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.clock = numberOption(ctx, "clock");
    this.miso = numberOption(ctx, "miso");
    this.mosi = numberOption(ctx, "mosi");
    // ESP32 VSPI is SPI3_HOST = 2 (spi_host_device_t).
    this.port = numberOption(ctx, "port", 2);
    this.SPI = ctx.device.io.SPI;
  }

  attach(id: number): void {
    this.id = id;
  }

  /** Boot: an SPI instance selecting the chip on `select` (active low). */
  open(select: number, hz: number, mode: number): SpiIo {
    this.chips++;
    return new this.SPI({ clock: this.clock, in: this.miso, out: this.mosi, select, hz, mode, port: this.port, active: 0 });
  }

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

export function isSpiBus(d: BoardDriver): boolean {
  return d instanceof SpiBus;
}
