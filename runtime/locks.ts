// PM locks: named, recursive counts that keep the idle governor awake (ESP-IDF esp_pm_lock_acquire/release); tables made at boot.
import { OK, INVALID, PROTOCOL, isIndex } from "./status";
import { LOCK_CAPACITY, checkSize, describeValue } from "./limits";

/** Kind of lock: one the application made with `create`. */
export const LOCK_APP = 0;
/** Kind of lock: one a device's port made at seal (`port.lock()`). */
export const LOCK_DEVICE = 1;

/**
 * ESP-IDF semantics: each lock counts its acquires (recursive), and while any count is above zero
 * the automatic sleep does not happen. An explicit `pm.suspend` ignores locks, as esp_light_sleep_start
 * does: locks gate the governor only. Releasing a lock that is not held is a protocol error: counted,
 * the count stays at zero. Every table is sized in the constructor; `create` runs at boot (it keeps
 * the name); acquire and release are field and typed-array writes.
 */
export class PmLocks {
  /** Most locks `create` can make (application and device locks together). */
  readonly capacity: number;
  /** Lock names by handle. */
  readonly names: string[] = [];
  /** LOCK_APP or LOCK_DEVICE, per lock. */
  readonly kind: Uint8Array;
  /** Current count (recursive acquires), per lock. */
  readonly count: Int32Array;
  /** Platform time the count went from 0 to 1 (the hold's start), per lock. */
  readonly since: Float64Array;
  /** Acquires since boot, per lock. */
  readonly acquires: Uint32Array;
  /** Locks whose count is above zero. */
  held = 0;
  /** Releases of a lock that was not held, and the last such lock (-1: none yet). */
  badReleases = 0;
  /** The lock of the last bad release, -1 none. */ lastBadRelease = -1;
  /** Acquires or releases with a handle `create` never returned. */
  badHandles = 0;
  private readonly now: () => number;
  /** Called when the last held lock is released (the governor's "idle again"); bound once. */
  private onFree: (() => void) | null = null;

  constructor(capacity: number, now: () => number) {
    checkSize("new PmLocks: capacity", capacity, LOCK_CAPACITY, "pass pm.maxLocks plus one lock per device");
    this.capacity = capacity;
    this.now = now;
    this.kind = new Uint8Array(capacity);
    this.count = new Int32Array(capacity);
    this.since = new Float64Array(capacity);
    this.acquires = new Uint32Array(capacity);
  }

  /** Boot: a named lock; returns its handle. Throws when the table is full (raise pm.maxLocks), and for a name that is no non-empty string or a kind that is no LOCK_*. @boot */
  create(name: string, kind = LOCK_APP): number {
    const h = this.names.length;
    if (typeof name !== "string" || name === "") throw new Error("pm.locks: create(" + describeValue(name) + "): a lock's name is a non-empty string (the console's `locks` prints it): pass one");
    if (kind !== LOCK_APP && kind !== LOCK_DEVICE) throw new Error("pm.locks: create(\"" + name + "\", " + describeValue(kind) + "): the kind is LOCK_APP (0) or LOCK_DEVICE (1): leave it out for an application lock");
    if (h === this.capacity) {
      throw new Error("pm.locks: cannot create lock \"" + name + "\": all " + this.capacity + " locks are made; raise pm.maxLocks in the board's pm sizes");
    }
    this.names.push(name);
    this.kind[h] = kind;
    return h;
  }

  /** Registered once at boot: called when no lock is held any more. */
  setFreeListener(listener: () => void): void {
    this.onFree = listener;
  }

  /** Locks made so far. */
  get created(): number {
    return this.names.length;
  }

  /** OK, or INVALID for a handle `create` never returned. */
  acquire(h: number): number {
    if (!(typeof h === "number" && h >= 0 && h < this.names.length && (h | 0) === h)) {
      this.badHandles++;
      return INVALID;
    }
    if (this.count[h] === 0) {
      this.since[h] = this.now();
      this.held++;
    }
    this.count[h]++;
    this.acquires[h]++;
    return OK;
  }

  /** OK; PROTOCOL when the lock is not held (counted, the count stays 0); INVALID for an unknown handle. */
  release(h: number): number {
    if (!(typeof h === "number" && h >= 0 && h < this.names.length && (h | 0) === h)) {
      this.badHandles++;
      return INVALID;
    }
    if (this.count[h] === 0) {
      this.badReleases++;
      this.lastBadRelease = h;
      return PROTOCOL;
    }
    this.count[h]--;
    if (this.count[h] === 0) {
      this.held--;
      if (this.held === 0 && this.onFree !== null) this.onFree();
    }
    return OK;
  }

  /** The first held lock (the one a decision names), or -1. */
  firstHeld(): number {
    if (this.held === 0) return -1;
    for (let h = 0; h < this.names.length; h++) if (this.count[h] > 0) return h;
    return -1;
  }

  /** Microseconds lock h has been held (0 when free, and for a handle `create` never returned). */
  heldFor(h: number, now: number): number {
    return isIndex(h, this.names.length) && this.count[h] > 0 ? now - this.since[h] : 0;
  }
}
