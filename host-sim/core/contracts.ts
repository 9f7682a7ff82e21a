// Interfaces between the simulator's clock, its ECMA-419 IO classes and the chip models on the far side of each bus.

/** The virtual clock (microseconds). Fixed timer slots created at boot; schedule/cancel never allocate. */
export interface Clock {
  /** Present time, µs. */
  now(): number;
  /** Allocates a timer slot bound to `callback` (boot time only). Returns its handle. */
  createTimer(callback: () => void): number;
  /** Arms slot `handle` to fire `delayUs` from now (re-arming replaces the previous deadline). */
  schedule(handle: number, delayUs: number): void;
  /** Disarms slot `handle` (no-op if not armed). */
  cancel(handle: number): void;
  /**
   * Optional: the CPU is busy for `us` (a synchronous bus transfer, a busy-wait): time passes without
   * the event loop running. host-sim/board/sim-time.ts implements it; a bare VirtualClock does not,
   * and then transfers take no virtual time.
   */
  spend?(us: number): number;
}

/** A chip on a simulated I2C bus. Returning false NAKs the transfer (ECMA-419 I2C then throws). */
export interface I2cTarget {
  /** 7-bit I2C address the target answers to. */
  readonly address: number;
  /** Controller writes `length` bytes of `data` to the target. `stop` is false for a repeated start. */
  i2cWrite(data: Uint8Array, length: number, stop: boolean): boolean;
  /** Controller reads `length` bytes from the target into `into`. */
  i2cRead(into: Uint8Array, length: number, stop: boolean): boolean;
}

/** A chip on a simulated SPI bus, selected by its chip-select pin. */
export interface SpiTarget {
  /** CS asserted (low). */
  spiSelect(): void;
  /** Full-duplex transfer while selected. `tx` or `rx` may be null (write-only / read-only). */
  spiTransfer(tx: Uint8Array | null, rx: Uint8Array | null, length: number): void;
  /** CS released (high): commands such as page program or deep power-down take effect here. */
  spiDeselect(): void;
}

/** The far end of a simulated UART (a terminal, a telemetry sink). */
export interface UartPeer {
  /** A byte the device transmitted arrived at the peer. */
  uartReceive(byte: number): void;
}

/** Anything that draws current: the energy meter integrates `currentUa()` over virtual time. */
export interface PowerModel {
  /** The model's name, used in messages about it (models on a board take the device's name). */
  readonly name: string;
  /** Present draw in microamps, from the datasheet for the model's present state. */
  currentUa(): number;
}

/**
 * Where models report a driver breaking a datasheet timing rule (a command during tRES1,
 * a read before the measurement ended). Tests assert the list stays empty.
 */
export interface ViolationSink {
  /** `chip` (the model's name) broke timing rule `rule` (a sentence naming it). */
  violation(chip: string, rule: string): void;
}
