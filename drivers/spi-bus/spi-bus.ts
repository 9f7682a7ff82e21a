// SPI bus device: owns SCK/MISO/MOSI and the host, opens one SPI instance per chip select, parents its chips.
import { type BoardDriver, type DriverContext, type SpiClass, type SpiIo, numberOption } from "../common/io";
import { BusPower } from "../common/bus-power";

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const SPI_BUS_OPTIONS: readonly string[] = Object.freeze(["clock", "miso", "mosi", "port"]);

/**
 * Same role as the I2C bus: the runtime suspends it after every chip on it (a flash writing the state
 * image in S2 still has its bus) and resumes it before them. S3 would gate the SPI host's clock; the
 * driver records the state and counts transfers attempted while off (must stay 0).
 */
export class SpiBus extends BusPower {
  readonly clock: number;
  readonly miso: number;
  readonly mosi: number;
  readonly port: number;
  private readonly SPI: SpiClass;

  constructor(ctx: DriverContext) {
    super(ctx.name);
    this.clock = numberOption(ctx, "clock");
    this.miso = numberOption(ctx, "miso");
    this.mosi = numberOption(ctx, "mosi");
    // ESP32 VSPI is SPI3_HOST = 2 (spi_host_device_t).
    this.port = numberOption(ctx, "port", 2);
    this.SPI = ctx.device.io.SPI;
  }

  /** Boot: an SPI instance selecting the chip on `select` (active low). */
  open(select: number, hz: number, mode: number): SpiIo {
    this.chips++;
    return new this.SPI({ clock: this.clock, in: this.miso, out: this.mosi, select, hz, mode, port: this.port, active: 0 });
  }
}

export function isSpiBus(d: BoardDriver): boolean {
  return d instanceof SpiBus;
}
