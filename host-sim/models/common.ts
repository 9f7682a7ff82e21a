// Plumbing shared by every chip model: fault kinds, the power-change listener, the I2C stall timeout.
import type { PowerModel } from "../core/contracts";

/**
 * Faults tests inject into a model:
 * - "nak":   the chip stops answering (I2C: every transfer returns false; SPI: MISO reads 0xFF, commands ignored).
 * - "stall": the chip hangs. SPI flash: BUSY never clears. I2C: the chip holds SCL low forever; the
 *            models cannot advance the virtual clock, so the transfer returns false (a NAK, as the
 *            controller reports when its clock-stretch timeout expires) and `stallUs` tells the bus how
 *            long the controller waited (I2C_STALL_TIMEOUT_US) so it can charge that time.
 */
export type FaultKind = "none" | "nak" | "stall";

export const FAULT_NONE = 0;
export const FAULT_NAK = 1;
export const FAULT_STALL = 2;

/** Maps a fault name to its code; names the bad value and the accepted ones (boot/test time only). */
export function faultCode(chip: string, kind: FaultKind): number {
  if (kind === "none") return FAULT_NONE;
  if (kind === "nak") return FAULT_NAK;
  if (kind === "stall") return FAULT_STALL;
  throw new RangeError(chip + ': unknown fault "' + String(kind) + '"; use "none", "nak" or "stall"');
}

/**
 * ESP32 TRM, I2C chapter, I2C_TIME_OUT_REG: a 20-bit count of APB cycles; at 80 MHz its maximum
 * (0xFFFFF) is ~13.1 ms. That is how long a controller waits on a stretched SCL before a timeout.
 */
export const I2C_STALL_TIMEOUT_US = 13107;

/**
 * The I2C fault gate every I2C chip model applies first: a NAK'd or stalled chip refuses the transfer
 * (false), and a stall records how long the controller waited in `state[stallIndex]` so the bus can
 * charge it. `state[faultIndex]` holds a faultCode.
 */
export function i2cFaultGate(state: Float64Array, faultIndex: number, stallIndex: number): boolean {
  const fault = state[faultIndex];
  if (fault !== FAULT_NONE) {
    state[stallIndex] = fault === FAULT_STALL ? I2C_STALL_TIMEOUT_US : 0;
    return false;
  }
  state[stallIndex] = 0;
  return true;
}

/**
 * A PowerModel whose current changes on its own (a measurement ends, BUSY clears). It calls the
 * listener at each change so the energy meter can close the interval at the right instant. The
 * listener is set once at wiring; calling it never allocates.
 */
export interface NotifyingPowerModel extends PowerModel {
  /** Sets (null clears) the one listener called at each change of `currentUa()`. */
  setPowerListener(listener: (() => void) | null): void;
}

/** Chip models' I2C stall contract: how long the controller waited on the last stalled transfer. */
export interface Stallable {
  readonly stallUs: number;
}

/** Keeps a name/range check out of every constructor. */
export function checkRange(chip: string, what: string, value: number, min: number, max: number): number {
  if (!(value >= min && value <= max) || value !== Math.floor(value)) {
    throw new RangeError(chip + ": " + what + " " + String(value) + " is out of range; use an integer " + String(min) + ".." + String(max));
  }
  return value;
}
