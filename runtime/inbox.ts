// Completions that arrive while the stage walk runs: kept until the hook being called returns.
import { OK } from "./status";

/**
 * The walk keeps its counts in locals, so a completion that arrives in the middle of it (a driver
 * completing another device's stage from inside its own hook, or a trace listener doing so) must
 * not change them behind its back: it waits here, and the walk takes it right after the call. The
 * called device's own completion (`own`) is kept apart: its hook must then answer PENDING. Each
 * device is put at most once per run (the engine stops awaiting it first), so `maxDevices` entries
 * suffice. Invariant: `notes` is 0 exactly when `count` is 0, `own` is -1 and `stopped` is false; `ok`
 * is OK exactly when `notes` is 0, and NaN (which no answer equals) otherwise. So the walk's one test
 * after a call, `status === inbox.ok`, is true exactly for the common step: a synchronous OK and nothing
 * that arrived during the call (each test costs XS about 4 instructions per device per stage).
 */
export class Inbox {
  /** OK while nothing waits, NaN once something does (first: XS finds a property by walking the slots in order). */
  ok = OK;
  /** Entries, the own completion and a stop. */
  notes = 0;
  readonly device: Int16Array;
  readonly status: Int16Array;
  /** When each completion arrived, and its hook's elapsed time then (µs). */
  readonly at: Float64Array;
  readonly us: Int32Array;
  count = 0;
  /** The called device's own completion status, -1 none. */
  own = -1;
  /** A wake stopped the run during the call (the engine's flag says so; this only makes the walk look). */
  stopped = false;

  constructor(maxDevices: number) {
    this.device = new Int16Array(maxDevices);
    this.status = new Int16Array(maxDevices);
    this.at = new Float64Array(maxDevices);
    this.us = new Int32Array(maxDevices);
  }

  /** The called device completed its own stage with `status`. */
  early(status: number): void {
    if (this.own < 0) this.notes++;
    this.own = status;
    this.ok = NaN;
  }

  /** Another device completed with `status` at `at`, `us` after its hook was called. */
  put(d: number, status: number, at: number, us: number): void {
    const k = this.count++;
    this.device[k] = d;
    this.status[k] = status;
    this.at[k] = at;
    this.us[k] = us;
    this.notes++;
    this.ok = NaN;
  }

  /** A wake stopped the run from inside a call. */
  stop(): void {
    if (!this.stopped) this.notes++;
    this.stopped = true;
    this.ok = NaN;
  }

  /** Forgets the stop note (the engine's own flag holds the stop). */
  takeStop(): void {
    if (this.stopped) this.notes--;
    this.stopped = false;
    if (this.notes === 0) this.ok = OK;
  }

  /** Takes the own completion: its status, or -1. */
  takeOwn(): number {
    const own = this.own;
    if (own >= 0) this.notes--;
    this.own = -1;
    if (this.notes === 0) this.ok = OK;
    return own;
  }

  /** All entries were taken. */
  clear(): void {
    this.notes -= this.count;
    this.count = 0;
    if (this.notes === 0) this.ok = OK;
  }
}
