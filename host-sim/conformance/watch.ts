// What the conformance kit watches on a case's board besides its outcomes: the device's bus I/O after its S2 answered OK, and its PM lock.
import { S_SUSPEND, S_POWER_OFF, S_POWER_ON } from "../../runtime/status";
import { E_HOOK_DONE, E_HOOK_PENDING, E_SUSPEND_END } from "../../runtime/trace";
import { LOCK_DEVICE } from "../../runtime/locks";
import type { SimBoard } from "../board/sim-board";

/** The bus-facing methods of a chip model (I2cTarget, SpiTarget in host-sim/core/contracts.ts): a call is a transfer to the chip. */
const BUS_METHODS = ["i2cWrite", "i2cRead", "spiSelect", "spiTransfer", "spiDeselect"] as const;

/** A device's bus I/O the kit saw while the device should have been quiet. */
export interface BusWatch {
  /** The device watched. */
  readonly device: string;
  /** Whether its chip model sits on an I2C or SPI bus (false: nothing to watch, the check passes). */
  readonly onBus: boolean;
  /** One line per transfer made after the device's S2 answered OK and before its R1/R2 (outside its own S3 hook). */
  readonly late: string[];
  /** Whether the watch still sees the trace (a test that replaced pm.trace's listener instead of chaining it blinds it). */
  attached(): boolean;
}

/**
 * The object on the bus behind `device`: its BME280 or W25Q model, or its custom model (a custom model's
 * `attach` returns the object it attached with io.attachI2c/attachSpi, as host-sim/boards/moddable-two.ts does).
 */
function busChip(sim: SimBoard, device: string): Record<string, unknown> | null {
  const m = (sim.bme280s[device] ?? sim.flashes[device] ?? sim.models[device]) as unknown as Record<string, unknown> | undefined;
  if (m === undefined || m === null || typeof m !== "object") return null;
  return BUS_METHODS.some((k) => typeof m[k] === "function") ? m : null;
}

/**
 * Watches `device` on a freshly made board for bus I/O between its S2 answering OK (its hook DONE
 * record in stage S2) and the start of its R1 or R2 (a rollback's mirror). Inside that window only the
 * device's own S3 hook may talk to the chip (a sleep command), while it runs or while it is PENDING.
 *
 * How: the chip model's bus methods are wrapped (each call is a transfer to this device's chip), and a
 * listener chained on pm.trace follows the device's records. Hooks leave one record when they end, so a
 * transfer made while the device is quiet is held until the next record: the device's own S3, R1 or R2
 * record means it was made inside that hook (a synchronous hook runs between two records with nothing
 * else in between); any other record means it came from elsewhere (a timer, a completion) and is late.
 * The end of the attempt (its suspend-end record) makes the device free again.
 */
export function watchBusAfterSuspend(sim: SimBoard, device: string): BusWatch {
  const late: string[] = [];
  const chip = busChip(sim, device);
  const pm = sim.pm;
  const trace = pm.trace;
  const d = pm.graph.names.indexOf(device);
  if (chip === null || d < 0) return { device, onBus: false, late, attached: () => true };
  /** After its S2 answered OK (or its S3 ended), until its R1/R2 or the attempt's end. */
  let quiet = false;
  /** Transfers made while quiet, not yet placed: what they were and when. */
  let held: string[] = [];
  let s2At = 0;
  for (const name of BUS_METHODS) {
    const original = chip[name];
    if (typeof original !== "function") continue;
    chip[name] = function watched(this: unknown, ...args: unknown[]): unknown {
      if (quiet) held.push(name + " at " + Math.round(sim.now()) + " µs");
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  const previous = trace.getListener();
  const listener = (slot: number): void => {
    if (previous !== null) previous(slot);
    const own = trace.deviceAt(slot) === d;
    const stage = trace.stageAt(slot);
    const event = trace.eventAt(slot);
    if (held.length > 0) {
      // Made inside the device's own S3/R1/R2 hook (this record is that hook's end): allowed.
      if (!(own && (stage === S_POWER_OFF || stage >= S_POWER_ON))) {
        late.push(device + " " + held.join(", ") + " (its S2 answered OK at " + Math.round(s2At) + " µs)");
      }
      held = [];
    }
    if (event === E_SUSPEND_END) quiet = false;
    else if (!own) return;
    else if (stage === S_SUSPEND && event === E_HOOK_DONE) {
      quiet = true;
      s2At = trace.time[slot];
    } else if (stage === S_POWER_OFF) quiet = event !== E_HOOK_PENDING;
    else if (stage >= S_POWER_ON) quiet = false;
  };
  trace.setListener(listener);
  return { device, onBus: true, late, attached: () => sim.pm.trace.getListener() === listener };
}

/** How many counts of `device`'s own PM lock (port.lock()) are held now; 0 for a device without one. */
export function heldLockCount(sim: SimBoard, device: string): number {
  const locks = sim.pm.locks;
  for (let h = 0; h < locks.created; h++) if (locks.names[h] === device && locks.kind[h] === LOCK_DEVICE) return locks.count[h];
  return 0;
}
