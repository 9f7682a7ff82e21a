// The I2C side of a simulated board: which chip answers at which address on which SDA/SCL pair, and the instances open on them.
import type { I2cTarget } from "./contracts";
import type { SimPins } from "./pin-pads";

/**
 * Fixed tables sized once: attached chips (data pin, clock pin, target) and open instances (data,
 * clock, address per slot, -1 free), with a per-pin count of instances so the last one out frees it.
 */
export class SimI2cBus {
  private readonly pins: SimPins;
  private readonly targetData: Int16Array;
  private readonly targetClock: Int16Array;
  private readonly targets: (I2cTarget | null)[];
  private targetCount = 0;
  private readonly open: Int16Array;
  private readonly pinUsers: Uint8Array;

  constructor(pins: SimPins, maxTargets: number, maxInstances: number) {
    this.pins = pins;
    this.targetData = new Int16Array(maxTargets);
    this.targetClock = new Int16Array(maxTargets);
    this.targets = new Array(maxTargets).fill(null);
    this.open = new Int16Array(3 * maxInstances).fill(-1);
    this.pinUsers = new Uint8Array(pins.soc.gpioCount);
  }

  /** Puts a chip on the bus of these (already checked) pins; throws if its address is taken or the table is full. */
  attach(data: number, clock: number, target: I2cTarget): void {
    for (let i = 0; i < this.targetCount; i++) {
      if (this.targetData[i] === data && this.targetClock[i] === clock && (this.targets[i] as I2cTarget).address === target.address) {
        throw new Error("attachI2c: address 0x" + target.address.toString(16) + " is already taken on the bus SDA " + String(data) + "/SCL " + String(clock) + "; give the model another address");
      }
    }
    if (this.targetCount === this.targets.length) {
      throw new RangeError("attachI2c: all " + String(this.targets.length) + " target slots are used; raise maxI2cTargets");
    }
    const i = this.targetCount++;
    this.targetData[i] = data;
    this.targetClock[i] = clock;
    this.targets[i] = target;
  }

  /** Records an open I2C instance: its slot, -2 if one is already open on these pins and address, -1 if no slot is free. */
  openSlot(data: number, clock: number, address: number): number {
    const o = this.open;
    for (let i = 0; i < o.length; i += 3) {
      if (o[i] === data && o[i + 1] === clock && o[i + 2] === address) return -2;
    }
    for (let i = 0; i < o.length; i += 3) {
      if (o[i] < 0) {
        o[i] = data;
        o[i + 1] = clock;
        o[i + 2] = address;
        this.pinUsers[data]++;
        this.pinUsers[clock]++;
        return i / 3;
      }
    }
    return -1;
  }

  /** Frees `slot`; the last instance on a pin releases that pin. */
  closeSlot(slot: number): void {
    const o = this.open;
    const i = slot * 3;
    if (--this.pinUsers[o[i]] === 0) this.pins.releasePin(o[i]);
    if (--this.pinUsers[o[i + 1]] === 0) this.pins.releasePin(o[i + 1]);
    o[i] = -1;
    o[i + 1] = -1;
    o[i + 2] = -1;
  }

  /** Moddable's usingPins: another open I2C instance already holds exactly this SDA/SCL pair. */
  sharesPins(data: number, clock: number): boolean {
    const o = this.open;
    for (let i = 0; i < o.length; i += 3) {
      if (o[i] === data && o[i + 1] === clock) return true;
    }
    return false;
  }

  /** The chip at `address` on the bus of these pins, or null (the transfer NAKs). */
  target(data: number, clock: number, address: number): I2cTarget | null {
    for (let i = 0; i < this.targetCount; i++) {
      const t = this.targets[i] as I2cTarget;
      if (this.targetData[i] === data && this.targetClock[i] === clock && t.address === address) return t;
    }
    return null;
  }
}
