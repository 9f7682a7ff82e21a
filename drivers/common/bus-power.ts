// Power state shared by the bus devices (I2C, SPI): the parent every chip on the bus is ordered under.
import { OK } from "../../runtime/status";
import type { DevicePort } from "../../runtime/port";
import type { BoardDriver } from "./io";

/**
 * The runtime orders a parent after its children in S1..S3 and before them in R1..R2, so by the time
 * a bus powers off every chip on it is quiet, and it is back before any chip restores registers.
 * ESP32: S3 is where the controller's clock would be gated (periph_module_disable); Moddable exposes
 * no API for it, so the bus keeps its state and counts transfers attempted while it is off: the
 * conformance suite asserts that count stays 0 (a chip that talks after its bus went down is a bug).
 */
export class BusPower implements BoardDriver {
  readonly name: string;
  id = -1;
  /** The controller is powered (active, S1, S2, after R1). */
  powered = true;
  /** Transfers chips attempted while the bus was off. */
  misuse = 0;
  /** Chips opened on this bus (boot). */
  chips = 0;

  constructor(name: string) {
    this.name = name;
  }

  attach(port: DevicePort): void {
    this.id = port.id;
  }

  /** A chip calls this before each transfer: false (and counted) if the bus is powered off. */
  ready(): boolean {
    if (this.powered) return true;
    this.misuse++;
    return false;
  }

  powerOffNoIrq(_token: number): number {
    this.powered = false;
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    this.powered = true;
    return OK;
  }
}
