// Trace ring: fixed-size records (time, device, stage, event, status) of the last N events, read without allocating.
import { LIMITS, checkSize, checkListener } from "./limits";
import { isIndex } from "./status";

// Events. Device -1 means the system (stage boundaries, masking, platform).
/** Trace event: an attempt begins. */
export const E_SUSPEND_BEGIN = 0;
/** Trace event: a stage begins. */
export const E_STAGE_BEGIN = 1;
/** Trace event: a hook is called. */
export const E_HOOK_CALL = 2;
/** Trace event: a hook answered OK (or completed OK); the record carries its duration. */
export const E_HOOK_DONE = 3;
/** Trace event: a hook answered PENDING. */
export const E_HOOK_PENDING = 4;
/** Trace event: a hook answered (or completed with) an error. */
export const E_HOOK_FAIL = 5;
/** Trace event: a PENDING stage outlived its budget. */
export const E_TIMEOUT = 6;
/** Trace event: a completion arrived for a token the runtime had given up on (ignored). */
export const E_LATE = 7;
/** Trace event: a rollback starts. */
export const E_ROLLBACK = 8;
/** Trace event: the IRQ latch closed. */
export const E_MASK = 9;
/** Trace event: the IRQ latch opened. */
export const E_UNMASK = 10;
/** Trace event: an interrupt was latched while masked. */
export const E_IRQ_LATCH = 11;
/** Trace event: a latched interrupt was delivered. */
export const E_IRQ_DELIVER = 12;
/** Trace event: a wake event (aborting, or ending a sleep). */
export const E_WAKE = 13;
/** Trace event: the platform sleeps. */
export const E_SLEEP_ENTER = 14;
/** Trace event: the platform woke; the record carries the cause. */
export const E_SLEEP_EXIT = 15;
/** Trace event: the attempt ended; the record carries its outcome. */
export const E_SUSPEND_END = 16;
/** Trace event: a stage ended over every device. */
export const E_STAGE_END = 17;
/** Trace event: a resume stage failed; the device is failed. */
export const E_RESUME_FAIL = 18;
/** Trace event: a suspend was refused with BUSY. */
export const E_BUSY = 19;
/** Trace event: the release step freed S1's reservations (one system record per step, device -1). */
export const E_RELEASE = 20;
/** The idle governor decided: status = reason * 8 + target (runtime/policy.ts R_*), duration = idle µs (-1 none, capped at 2^31 - 1). */
export const E_GOVERNOR = 21;
/** Runtime PM (runtime/runtime-pm.ts): device's runtime state changed to status (RPM_*); duration = the hook's µs when a transition ends. */
export const E_RPM_STATE = 22;
/** Runtime PM: a runtime hook failed with status (error, THREW, PROTOCOL, TIMEOUT); duration = its µs. */
export const E_RPM_FAIL = 23;
/** Runtime PM: a put with the usage count already 0 (PROTOCOL; the count stays 0). */
export const E_RPM_BAD_PUT = 24;
/** How many trace events there are (the length of EVENT_NAMES). */
export const EVENT_COUNT = 25;

/** Trace event -> its name, for reports. */
export const EVENT_NAMES: readonly string[] = Object.freeze([
  "suspend-begin", "stage-begin", "call", "done", "pending", "fail", "timeout", "late", "rollback",
  "mask", "unmask", "irq-latch", "irq-deliver", "wake", "sleep-enter", "sleep-exit", "suspend-end",
  "stage-end", "resume-fail", "busy", "release", "governor", "rpm-state", "rpm-fail", "rpm-bad-put",
]);

// A record's device, stage, event and status share one Int32 (`code`), so writing a record is three
// stores (time, code, duration) instead of six: device + 1 in bits 0..12 (-1..4095: maxDevices is at
// most 4096), stage + 1 in bits 13..16 (-1..14), the event in bits 17..21, the status in bits 22..31,
// signed (-512..511: statuses, wake causes, IRQ lines below MAX_IRQ_LINES, governor decisions; a late
// completion's unchecked value keeps its low 10 bits).
/** Where a record's stage + 1 starts in its `code` (bits 0..12 hold device + 1). */
export const STAGE_SHIFT = 13;
/** Where a record's event starts in its `code`. */
export const EVENT_SHIFT = 17;
/** Where a record's status starts in its `code` (the top 10 bits, signed). */
export const STATUS_SHIFT = 22;

/** A record's `code` for these fields (the engine's walk precomputes the part after the device: see `tag`). */
export function traceCode(device: number, stage: number, event: number, status: number): number {
  return (device + 1) | ((stage + 1) << STAGE_SHIFT) | (event << EVENT_SHIFT) | (status << STATUS_SHIFT);
}

/** `traceCode(device, stage, event, status)` is `traceTag(stage, event, status) + device`: one add per record. */
export function traceTag(stage: number, event: number, status: number): number {
  return traceCode(0, stage, event, status);
}

/**
 * Parallel typed arrays rather than record objects: writing a record is three stores. A listener
 * registered once (console progress, simulator streams) sees each record's slot as it is written.
 * Readers take the fields with `deviceAt`, `stageAt`, `eventAt` and `statusAt`, of a slot from `slot(i)`:
 * `slot` answers -1 for an `i` that names no record held, and the readers answer -1 for a slot that is no
 * integer 0 .. capacity - 1 (-1 is also a real device, stage or status: check the slot, not the field).
 */
export class TraceRing {
  // Read on every record: first, since XS finds a property by walking the slots in order.
  /** Records ever written; the newest is at slot (total - 1) % capacity. */
  total = 0;
  /** Set once with `setListener` (the recorder's hot path reads it directly). */
  listener: ((slot: number) => void) | null = null;
  /** Times the listener threw (each was caught where the record was written; see `tell`). */
  listenerFaults = 0;
  /** Records the ring holds; older ones are overwritten. */
  readonly capacity: number;
  /** Per slot: platform time, µs. */
  readonly time: Float64Array;
  /** Per slot: device, stage, event and status packed (`traceCode`; read them with the `*At` methods). */
  readonly code: Int32Array;
  /**
   * Microseconds the hook took, on a hook's end record (done, fail, resume-fail, and timeout): its
   * start is `time - duration`. No call record is written: one record per synchronous hook.
   */
  readonly duration: Int32Array;

  constructor(capacity: number) {
    checkSize("new TraceRing: capacity", capacity, LIMITS["pm.traceRecords"], "pass the records the ring holds (pm.traceRecords)");
    this.capacity = capacity;
    this.time = new Float64Array(capacity);
    this.code = new Int32Array(capacity);
    this.duration = new Int32Array(capacity);
  }

  /** Device id of the record in `slot`, -1 for a system event. */
  deviceAt(slot: number): number {
    // A slot past the table reads undefined; a string ("1") would read one by coercion.
    const c = this.code[slot];
    return c === undefined || typeof slot !== "number" ? -1 : (c & 0x1fff) - 1;
  }

  /** Stage of the record in `slot`, -1 outside a stage. */
  stageAt(slot: number): number {
    const c = this.code[slot];
    return c === undefined || typeof slot !== "number" ? -1 : ((c >> STAGE_SHIFT) & 0xf) - 1;
  }

  /** Event code (E_*; names in EVENT_NAMES) of the record in `slot`. */
  eventAt(slot: number): number {
    const c = this.code[slot];
    return c === undefined || typeof slot !== "number" ? -1 : (c >> EVENT_SHIFT) & 0x1f;
  }

  /** Status, or the event's value (target, wake cause, IRQ line), of the record in `slot`. */
  statusAt(slot: number): number {
    const c = this.code[slot];
    return c === undefined || typeof slot !== "number" ? -1 : c >> STATUS_SHIFT;
  }

  /** The listener now set (a host-side collector chains after it). */
  getListener(): ((slot: number) => void) | null {
    return this.listener;
  }

  /**
   * Tells the listener about the record in `slot` (writers call it when `listener` is set). A listener
   * that throws is counted and the writer goes on: a consumer's bug (a console, a timeline) must not
   * stop a stage half-way with devices suspended.
   */
  tell(slot: number): void {
    try {
      (this.listener as (slot: number) => void)(slot);
    } catch {
      this.listenerFaults++;
    }
  }

  /** Registers the one listener, told each record's slot as it is written (null: none); throws for what is no function. @boot */
  setListener(listener: (slot: number) => void): void {
    checkListener("trace.setListener: the listener", listener, "(slot) => void", true);
    this.listener = listener;
  }

  /** Writes one record (duration 0) and tells the listener. */
  record(time: number, device: number, stage: number, event: number, status: number): void {
    const slot = this.total % this.capacity;
    this.time[slot] = time;
    this.code[slot] = (device + 1) | ((stage + 1) << STAGE_SHIFT) | (event << EVENT_SHIFT) | (status << STATUS_SHIFT);
    this.duration[slot] = 0;
    this.total++;
    if (this.listener !== null) this.tell(slot);
  }

  /** A hook's end: as `record`, plus how long it took (its start is `time - durationUs`). */
  recordHook(time: number, device: number, stage: number, event: number, status: number, durationUs: number): void {
    const slot = this.total % this.capacity;
    this.time[slot] = time;
    this.code[slot] = (device + 1) | ((stage + 1) << STAGE_SHIFT) | (event << EVENT_SHIFT) | (status << STATUS_SHIFT);
    this.duration[slot] = durationUs;
    this.total++;
    if (this.listener !== null) this.tell(slot);
  }

  /** Number of records still held. */
  get length(): number {
    return this.total < this.capacity ? this.total : this.capacity;
  }

  /** Slot of the i-th oldest record still held (0 = oldest); -1 for an `i` that is no integer 0 .. length - 1. */
  slot(i: number): number {
    if (!isIndex(i, this.length)) return -1;
    const first = this.total < this.capacity ? 0 : this.total % this.capacity;
    return (first + i) % this.capacity;
  }

  /** Forgets every record (the tables are kept). */
  clear(): void {
    this.total = 0;
  }
}
