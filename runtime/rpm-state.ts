// Runtime PM's per-device tables, made at boot: what runtime-pm.ts reads and changes (one concept: the state it keeps).
import type { Platform } from "./platform";
import type { TraceRing } from "./trace";
import { RPM_ACTIVE, RPM_SUSPENDED, RPM_SUSPENDING, RPM_RESUMING } from "./runtime-pm-table";
import { OK, BUSY, THREW, PROTOCOL, D_FAILED, isStatus } from "./status";
import { BAD_COMPLETED, type PmStats } from "./stats";

/** A standby attempt waits for the runtime transitions in flight to end (runtime-suspended devices stay down, skipped). */
export const SETTLE_STANDBY = 1;
/** A hibernate (RAM lost) also brings every runtime-suspended device back first: all take part, the image holds all. */
export const SETTLE_HIBERNATE = 2;

/** What the runtime PM needs from the power manager. */
export interface RpmHost {
  /** No system attempt or re-probe runs: runtime transitions may start. */
  systemIdle(): boolean;
  /** The device's system state (D_*): a failed device is the failed-device path's, not ours. */
  deviceState(d: number): number;
  /** A runtime resume failed: the failed-device path (queues fail, requests complete FAILED, re-probe). */
  failDevice(d: number): void;
  /** The runtime gave up on a runtime hook (TIMEOUT): the driver's give-up listener hears stage -1. */
  gaveUp(d: number, status: number): void;
  /**
   * `on`: device d waits to resume behind a failed supplier, so nothing it queued can be served until that
   * one is back: its queues refuse FAILED and what waits completes FAILED (not failed itself, it is not re-probed).
   * Off: d resumed, its queues reopen.
   */
  cutOff(d: number, on: boolean): void;
}

export type Hook = (this: unknown, token: number) => number;
/** A device's hooks object as runtime PM calls it: both runtime hooks, by name. */
export type RuntimeHooks = { runtimeSuspend(token: number): number; runtimeResume(token: number): number };

/** Every table sized at construction (maxDevices); `bind` fills the hooks and links. */
export abstract class RpmState {
  /** RPM_* per device. */ readonly state: Uint8Array;
  /** get minus put per device. */ readonly usage: Int32Array;
  /** Consumers not runtime-suspended, per supplier. */ readonly active: Int16Array;
  /** Autosuspend delay per device, µs; -1: putAutosuspend never suspends (a put still does). */ readonly delayUs: Int32Array;
  /** 1 while RPM_SUSPENDED: a system attempt skips the device. */ readonly skip: Uint8Array;
  /** `down[0]`: devices RPM_SUSPENDED now (Members skips its second pass at 0). */ readonly down = new Int32Array(1);
  /** Runtime suspends that ended OK, per device. */ readonly suspends: Uint32Array;
  /** Runtime resumes that ended OK, per device. */ readonly resumes: Uint32Array;
  /** Runtime hooks that failed (error, throw, bad answer, timeout), per device. */ readonly failures: Uint32Array;
  /** Last failure status per device (OK none). */ readonly lastError: Uint8Array;
  /** Puts at usage 0 (PROTOCOL). */ badPuts = 0;
  /** Completions with a stale token (after a timeout, twice, another device's). */ late = 0;
  /** Whether each device has runtime hooks (both looked up once at bind). */ readonly capable: Uint8Array;
  /** Per device: when its delay or its hook's budget ends (-1 none), a get waiting for suppliers, token generation, hook pending, hook start. */
  protected readonly due: Float64Array; protected readonly want: Uint8Array; protected readonly gen: Int32Array;
  /** Suspend at the first chance (a put to 0, or a delay that ran out while a transition or a system attempt was in the way): the delay is not restarted. */
  protected readonly soon: Uint8Array;
  /** 1 from a refused runtime suspend until a put, a consumer's suspend or its next transition: a release by a cut-off consumer does not ask again. */
  protected readonly refused: Uint8Array;
  /** Inside `need`'s walk over a device's suppliers (a supplier that just came up waits for its timer to idle). */
  protected needDepth = 0;
  protected readonly running: Uint8Array; protected readonly startedAt: Float64Array;
  /** Budgets (device * 2: suspend, + 1: resume) and each device's hooks object (its runtime hooks are called by name). */
  protected readonly budget: Int32Array; protected readonly self: RuntimeHooks[];
  protected supStart: Int32Array = new Int32Array(1); protected sup: Int16Array = new Int16Array(0);
  protected conStart: Int32Array = new Int32Array(1); protected con: Int16Array = new Int16Array(0);
  /** Devices, and those with runtime hooks (none: a system attempt pays nothing for runtime PM). */ protected count = 0; protected capableCount = 0;
  /** Inside `settle`: a transition that ends there is its answer, not a later `onSettled`. */
  protected settleSync = false;
  /** Steps under way: one started inside another (a listener on its record, a hook) leaves `onSettled` to the outermost. */
  protected stepDepth = 0;
  /** The device whose hook runs now, a completion made inside it, the armed timer's time, what a system attempt waits for (SETTLE_*). */
  protected inHook = -1; protected early = -1; protected timerAt = -1; protected settling = 0;
  protected readonly timer: number; protected readonly platform: Platform; protected readonly trace: TraceRing; protected readonly records: boolean;
  /** Where bad answers are counted (`bad`), as the stage hooks' are. */ protected readonly stats: PmStats;
  protected host!: RpmHost; protected readonly onSettled: () => void;
  /** What the last runtime hook that threw threw, kept as thrown (a reference, as stats.ts `thrownValue`): `rpm` prints it beside its THREW. */
  thrownValue: unknown = undefined;
  /** Device of the last runtime hook that threw, -1 none. */ thrownDevice = -1;

  constructor(max: number, platform: Platform, trace: TraceRing, records: boolean, onSettled: () => void, stats: PmStats) {
    this.platform = platform; this.trace = trace; this.records = records; this.onSettled = onSettled; this.stats = stats;
    this.state = new Uint8Array(max); this.usage = new Int32Array(max); this.active = new Int16Array(max);
    this.delayUs = new Int32Array(max).fill(-1); this.skip = new Uint8Array(max); this.capable = new Uint8Array(max);
    this.suspends = new Uint32Array(max); this.resumes = new Uint32Array(max); this.failures = new Uint32Array(max); this.lastError = new Uint8Array(max);
    this.due = new Float64Array(max).fill(-1); this.want = new Uint8Array(max); this.gen = new Int32Array(max); this.soon = new Uint8Array(max); this.refused = new Uint8Array(max);
    this.running = new Uint8Array(max); this.startedAt = new Float64Array(max); this.budget = new Int32Array(max * 2);
    this.self = new Array(max); // set at bind for devices with runtime hooks only
    this.timer = platform.createTimer(() => this.fired());
  }

  /** A runtime hook of `d` (or its completion) answered `value`, no status, or `kind` says why: counted in stats as any bad answer (stage -1); PROTOCOL. */
  protected bad(d: number, value: unknown, kind: number): number {
    this.stats.recordBadAnswer(this.platform.now(), d, -1, value, kind);
    return PROTOCOL;
  }

  /** `d` completed its own token (`early`) inside its runtime hook, then answered `value`, not PENDING: PROTOCOL, counted once, as what it answered if no status. */
  protected completedInCall(d: number, value: unknown, early: number): number {
    return early === PROTOCOL ? PROTOCOL : this.bad(d, value, isStatus(value) ? BAD_COMPLETED : 0);
  }

  /** A runtime hook of `d` threw `e`: kept for the console (`thrownValue`); its answer is THREW. */
  protected threw(d: number, e: unknown): number {
    this.thrownValue = e;
    this.thrownDevice = d;
    return THREW;
  }

  /** Re-arms the one timer for the earliest delay or budget. */
  protected arm(): void {
    let next = -1;
    for (let d = 0; d < this.count; d++) if (this.due[d] >= 0 && (next < 0 || this.due[d] < next)) next = this.due[d];
    if (next < 0) {
      if (this.timerAt >= 0) this.platform.cancel(this.timer);
      this.timerAt = -1;
      return;
    }
    const now = this.platform.now();
    this.timerAt = next;
    this.platform.schedule(this.timer, next > now ? next - now : 0);
  }

  /** The one timer fired: due delays and budgets (runtime-pm.ts). */
  protected abstract fired(): void;

  /** d, or a supplier of d (transitively), is failed: d cannot come back now, so no attempt waits for it. */
  protected cutOff(d: number): boolean {
    if (this.host.deviceState(d) === D_FAILED) return true;
    for (let i = this.supStart[d]; i < this.supStart[d + 1]; i++) if (this.cutOff(this.sup[i])) return true;
    return false;
  }

  /** A consumer of d waits to resume and can (no failed supplier): d stays up for it, as a resuming child holds its parent in Linux. */
  protected awaited(d: number): boolean {
    for (let i = this.conStart[d]; i < this.conStart[d + 1]; i++) if (this.want[this.con[i]] !== 0 && !this.cutOff(this.con[i])) return true;
    return false;
  }

  /** A runtime transition may start: the system is idle, or a hibernate waits for every device to come up. */
  protected mayStart(): boolean {
    return this.settling === SETTLE_HIBERNATE || (this.settling === 0 && this.host.systemIdle());
  }

  /** Any device mid-transition, or (hibernate) one not active yet. */
  protected unsettled(): boolean {
    for (let d = 0; d < this.count; d++) {
      const st = this.state[d];
      if (st === RPM_SUSPENDING || st === RPM_RESUMING) return true;
      if (this.settling === SETTLE_HIBERNATE && st === RPM_SUSPENDED && !this.cutOff(d)) return true;
    }
    return false;
  }

  /** d's runtime resume failed: the consumers waiting on it (and theirs) are cut off until it is back. */
  protected cutConsumers(d: number): void {
    for (let i = this.conStart[d]; i < this.conStart[d + 1]; i++) if (this.want[this.con[i]] !== 0) this.host.cutOff(this.con[i], true), this.cutConsumers(this.con[i]);
  }

  /**
   * A hibernate image is adopted: every device was in the attempt that wrote it and resumes from it
   * (R1, R2), so one this boot already runtime-suspended counts as active again, without a runtime
   * hook (the image's resume brings it up); its suppliers count it, its delay restarts when the
   * system is idle. BUSY (nothing changed) while a runtime hook is in flight: adopt after it ends.
   */
  adoptImage(): number {
    for (let d = 0; d < this.count; d++) if (this.running[d] !== 0) return BUSY;
    for (let d = 0; d < this.count; d++) {
      if (this.state[d] !== RPM_SUSPENDED) continue;
      this.state[d] = RPM_ACTIVE;
      this.skip[d] = 0;
      this.down[0]--;
      this.due[d] = -1;
      for (let i = this.supStart[d]; i < this.supStart[d + 1]; i++) this.active[this.sup[i]]++;
    }
    return OK;
  }
}
