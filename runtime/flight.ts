// Flight recorder: the last K suspend attempts in a fixed table that lives inside the state arena.
import { STAGE_COUNT, isIndex } from "./status";

// Field layout of one record (Float64 slots).
/** Flight record field: the attempt's sequence number. */
export const F_SEQ = 0;
/** Flight record field: start time, us. */
export const F_START = 1;
/** Flight record field: the target (T_*). */
export const F_TARGET = 2;
/** Flight record field: the outcome status. */
export const F_OUTCOME = 3;
/** Flight record field: the failing device, or -1. */
export const F_FAIL_DEVICE = 4;
/** Flight record field: the failing stage, or -1. */
export const F_FAIL_STAGE = 5;
/** Flight record field: the wake cause. */
export const F_WAKE = 6;
/** Flight record field: requests parked during the attempt. */
export const F_PARKED = 7;
/** Flight record field: the attempt's duration, us. */
export const F_TOTAL_US = 8;
/** Per-stage durations follow: F_STAGES + stage. */
export const F_STAGES = 9;
/** Flight record: fields per record (Float64 slots). */
export const F_FIELDS = F_STAGES + STAGE_COUNT;

/**
 * The table is a Float64Array view over the front of the state arena, so a hibernate image (which is
 * the arena) carries it across deep sleep and the reboot that follows. Recording is stores only.
 * Its header is two slots: 0 the count of finished attempts (`total`), 1 the arena's layout stamp
 * (`stampLayout`); the records follow.
 */
export class FlightRecorder {
  /** Attempts the table keeps; older ones are overwritten. */
  readonly capacity: number;
  /** Slot 0: `total`; slot 1: the layout stamp; then `capacity` records of F_FIELDS slots each (a view over the arena). */
  readonly table: Float64Array;
  /** Attempts ever recorded (also persisted in slot 0 of the header, see `finish`). */
  total = 0;

  constructor(buffer: ArrayBuffer, byteOffset: number, capacity: number) {
    this.capacity = capacity;
    // Two leading slots hold `total` and the layout stamp, so both survive with the image.
    this.table = new Float64Array(buffer, byteOffset, 2 + capacity * F_FIELDS);
  }

  /** Bytes the table needs at the front of the state arena for `capacity` records (its two header slots included). */
  static bytesFor(capacity: number): number {
    return (2 + capacity * F_FIELDS) * 8;
  }

  /** Starts the record of a new attempt; returns its base index into `table`. */
  begin(start: number, target: number): number {
    const base = this.base(this.total);
    this.table.fill(0, base, base + F_FIELDS);
    this.table[base + F_SEQ] = this.total + 1;
    this.table[base + F_START] = start;
    this.table[base + F_TARGET] = target;
    this.table[base + F_FAIL_DEVICE] = -1;
    this.table[base + F_FAIL_STAGE] = -1;
    this.table[base + F_WAKE] = -1;
    return base;
  }

  /** Base of the record in progress (begun, not ended: the attempt that hibernated), begun afresh if none. */
  current(): number {
    const base = this.base(this.total);
    if (this.table[base + F_SEQ] === this.total + 1) return base;
    return this.begin(0, 2);
  }

  /** Duration of `stage` in the record at `base`, µs (-1 unknown). */
  setStage(base: number, stage: number, us: number): void {
    this.table[base + F_STAGES + stage] = us;
  }

  /** The failing device and stage of the record at `base`. */
  setFailure(base: number, device: number, stage: number): void {
    this.table[base + F_FAIL_DEVICE] = device;
    this.table[base + F_FAIL_STAGE] = stage;
  }

  /** The wake cause of the record at `base` (IRQ line or WAKE_*). */
  setWake(base: number, cause: number): void {
    this.table[base + F_WAKE] = cause;
  }

  /** Closes the record begun at `base`; `totalUs` -1 when unknown (resumed from an image). */
  finish(base: number, outcome: number, parked: number, totalUs: number): void {
    this.table[base + F_OUTCOME] = outcome;
    this.table[base + F_PARKED] = parked;
    this.table[base + F_TOTAL_US] = totalUs;
    this.total++;
    this.table[0] = this.total;
  }

  /** Base index of the i-th most recent record (0 = newest), or -1 (also for an `i` that is no integer 0 .. held - 1). */
  recent(i: number): number {
    if (!isIndex(i, this.total < this.capacity ? this.total : this.capacity)) return -1;
    return this.base(this.total - 1 - i);
  }

  /** After a reboot from an image: take the persisted count back. */
  restore(): void {
    this.total = this.table[0];
  }

  private base(n: number): number {
    return 2 + (n % this.capacity) * F_FIELDS;
  }

  // Last in the class: boot-only, so no slot ahead of the hot methods (XS walks a prototype's slots in order).

  /**
   * Boot, where the arena itself is the hibernate image (no storage device: ESP32 RTC memory): the
   * arena's layout fingerprint (StateArena.fingerprint) into header slot 1, so every image carries the
   * layout it was written under and boot rejects one of another layout (boards/boot.ts). @boot
   */
  stampLayout(layout: number): void {
    this.table[1] = layout >>> 0;
  }

  /** The layout stamp in header slot 1: `stampLayout`'s, or that of the firmware whose image was loaded (0: none). @boot */
  stampedLayout(): number {
    return this.table[1];
  }
}
