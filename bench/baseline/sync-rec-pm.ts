// Baseline (sync-or-Promise with records): the sync-or-Promise manager writing what the runtime's trace and stats hold, per hook.
import { OK, PENDING, BUSY, WAKEUP } from "../../runtime/status";
import { S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME } from "../../runtime/status";
import { TraceRing, PmStats } from "../../runtime";
import {
  E_SUSPEND_BEGIN, E_SUSPEND_END, E_STAGE_BEGIN, E_STAGE_END, E_HOOK_DONE, E_HOOK_PENDING, E_HOOK_FAIL,
  E_MASK, E_UNMASK, E_SLEEP_ENTER, E_SLEEP_EXIT,
  STAGE_SHIFT, EVENT_SHIFT, STATUS_SHIFT,
} from "../../runtime/trace";
import type { EagerClock } from "./eager-clock";
import { H_PREPARE, H_SUSPEND, H_RESUME, type SyncSleepPlatform } from "./tuned-pm";
import { SyncOrPromisePowerManager, type SyncDevice } from "./sync-pm";

/** Trace records, as the synthetic runtime board keeps (bench/synthetic/synth-board.ts traceRecords). */
export const REC_TRACE_RECORDS = 256;

/**
 * The firmware ships with a record per hook (a timeline lane per device) and each hook's last and
 * longest duration: a sync-or-Promise design that must show the same writes them too. This one
 * writes, into the runtime's own TraceRing and PmStats, what the runtime writes at TRACE_HOOKS for
 * the same cycle: attempt, stage, mask and sleep records, a PENDING record for each hook that
 * answers with a Promise, a done (or fail) record with the hook's duration for every hook, and the
 * per device, per stage last and longest durations. As in the runtime's walk, a hook answered at
 * once (S1, S2, R2 in `runStage`; S3 and R1 in `noIrq`) has its stats and record written inline
 * with hoisted locals; the rarer records go through a method. The clock is a call (`clock.now()`, as the
 * runtime's `platform.now()`: on a board time comes from a native call), read once per hook answered at
 * once, its end being the next hook's start, as the runtime's walk does. The base class is left as it
 * was, so the bare baseline pays nothing for any of this.
 */
export class RecordingSyncPowerManager extends SyncOrPromisePowerManager {
  readonly trace = new TraceRing(REC_TRACE_RECORDS);
  readonly stats: PmStats;
  /** When each device's hook in the current stage was called (virtual µs). */
  private readonly calledAt: Float64Array;
  private stageAt = 0;

  constructor(devices: SyncDevice[], clock: EagerClock, platform: SyncSleepPlatform, topo: ArrayLike<number>) {
    super(devices, clock, platform, topo);
    this.stats = new PmStats(devices.length, 4);
    this.calledAt = new Float64Array(devices.length);
  }

  override async suspend(): Promise<number> {
    if (this.busy) return BUSY;
    this.busy = true;
    this.wakeLine = -1;
    const tr = this.trace;
    tr.record(this.clock.now(), -1, -1, E_SUSPEND_BEGIN, 0);
    let outcome = OK;
    try {
      let r = this.runStage(H_PREPARE, null);
      const prepared = typeof r === "number" ? r : this.endStage(S_PREPARE, await r);
      if (prepared !== OK || this.wakeLine >= 0) return (outcome = prepared !== OK ? prepared : WAKEUP);
      this.suspended.fill(0);
      r = this.runStage(H_SUSPEND, null);
      const suspended = typeof r === "number" ? r : this.endStage(S_SUSPEND, await r);
      if (suspended !== OK || this.wakeLine >= 0) {
        r = this.runStage(H_RESUME, this.suspended);
        if (typeof r !== "number") this.endStage(S_RESUME, await r);
        return (outcome = suspended !== OK ? suspended : WAKEUP);
      }
      this.platform.mask();
      tr.record(this.clock.now(), -1, -1, E_MASK, OK);
      const failure = this.noIrq();
      this.platform.unmask();
      tr.record(this.clock.now(), -1, -1, E_UNMASK, OK);
      r = this.runStage(H_RESUME, null);
      const resumed = typeof r === "number" ? r : this.endStage(S_RESUME, await r);
      return (outcome = failure !== OK ? failure : resumed);
    } finally {
      tr.record(this.clock.now(), -1, -1, E_SUSPEND_END, outcome);
      this.busy = false;
    }
  }

  /** S3 over every device, the sleep, R1 over those S3 reached, in reverse: the first S3 failure, or OK. */
  private noIrq(): number {
    // The records are written inline with hoisted locals, as the runtime's walk writes its own (XS pays
    // for a block-scoped declaration on every pass through a loop body).
    const down = this.down, hooks = this.hooks, clock = this.clock, tr = this.trace, n = this.n;
    let last = this.stats.lastByStage[S_POWER_OFF], max = this.stats.maxByStage[S_POWER_OFF];
    const cap = tr.capacity, times = tr.time, codes = tr.code, durations = tr.duration;
    let off = 0, failure = OK, d = 0, at = 0, s = 0, now = 0, us = 0, slot = 0, j = 0;
    this.beginStage(S_POWER_OFF);
    at = clock.now();
    for (; off < n; off++) {
      d = down[off];
      s = hooks[d].powerOffNoIrq();
      now = clock.now();
      us = now - at;
      at = now;
      last[d] = us;
      if (us > max[d]) max[d] = us;
      slot = tr.total % cap;
      times[slot] = now;
      codes[slot] = (d + 1) | ((S_POWER_OFF + 1) << STAGE_SHIFT) | ((s === OK ? E_HOOK_DONE : E_HOOK_FAIL) << EVENT_SHIFT) | (s << STATUS_SHIFT);
      durations[slot] = us;
      tr.total = tr.total + 1;
      if (s !== OK) {
        failure = s;
        break;
      }
    }
    this.endStage(S_POWER_OFF, failure);
    if (failure === OK) {
      at = clock.now();
      tr.record(at, -1, S_PLATFORM, E_SLEEP_ENTER, 1);
      s = this.platform.sleep();
      tr.recordHook(clock.now(), -1, S_PLATFORM, E_SLEEP_EXIT, s, clock.now() - at);
    }
    this.beginStage(S_POWER_ON);
    last = this.stats.lastByStage[S_POWER_ON];
    max = this.stats.maxByStage[S_POWER_ON];
    at = clock.now();
    for (j = off - 1; j >= 0; j--) {
      d = down[j];
      s = hooks[d].powerOnNoIrq();
      now = clock.now();
      us = now - at;
      at = now;
      last[d] = us;
      if (us > max[d]) max[d] = us;
      slot = tr.total % cap;
      times[slot] = now;
      codes[slot] = (d + 1) | ((S_POWER_ON + 1) << STAGE_SHIFT) | ((s === OK ? E_HOOK_DONE : E_HOOK_FAIL) << EVENT_SHIFT) | (s << STATUS_SHIFT);
      durations[slot] = us;
      tr.total = tr.total + 1;
    }
    this.endStage(S_POWER_ON, OK);
    return failure;
  }

  /**
   * The base's stage loop with the records: a hook answered at once has its stats and record written
   * inline with hoisted locals (the common case); a pending one a PENDING record, its end in `pending`.
   */
  protected override runStage(hook: number, members: Uint8Array | null): number | Promise<number> {
    const stage = STAGE_OF[hook];
    this.beginStage(stage);
    const clock = this.clock, tr = this.trace, cap = tr.capacity, times = tr.time, codes = tr.code, durations = tr.duration;
    const last = this.stats.lastByStage[stage], max = this.stats.maxByStage[stage];
    const suspendDir = hook !== H_RESUME;
    const order = suspendDir ? this.down : this.up;
    const wait = suspendDir ? this.waitDown : this.waitUp;
    const done = this.done, n = this.n, tag = ((stage + 1) << STAGE_SHIFT) | (E_HOOK_DONE << EVENT_SHIFT);
    this.stageStatus = OK;
    this.left = 0;
    let i = 0, j = 0, d = 0, at = clock.now(), now = 0, us = 0, slot = 0;
    let w: number[], p: Promise<void> | null, gate: Promise<unknown> | null, many: Promise<void>[] | null;
    let answer: number | Promise<number>;
    for (; i < n; i++) {
      d = order[i];
      done[d] = null;
      if (members !== null && members[d] === 0) continue;
      w = wait[d];
      gate = null;
      many = null;
      for (j = 0; j < w.length; j++) {
        p = done[w[j]];
        if (p === null) continue;
        if (gate === null) gate = p;
        else if (many === null) many = [gate as Promise<void>, p];
        else many.push(p);
      }
      if (many !== null) gate = Promise.all(many);
      if (gate !== null) {
        this.left++;
        done[d] = this.later(d, hook, suspendDir, gate);
        continue;
      }
      if (suspendDir && this.stageStatus !== OK) continue;
      answer = this.call(d, hook);
      if (typeof answer === "number") {
        now = clock.now();
        us = now - at;
        at = now;
        last[d] = us;
        if (us > max[d]) max[d] = us;
        slot = tr.total % cap;
        times[slot] = now;
        codes[slot] = answer === OK ? tag + d + 1 : (d + 1) | ((stage + 1) << STAGE_SHIFT) | (E_HOOK_FAIL << EVENT_SHIFT) | (answer << STATUS_SHIFT);
        durations[slot] = us;
        tr.total = tr.total + 1;
        this.finish(d, hook, answer);
        continue;
      }
      this.hookPending(d, stage, at);
      this.left++;
      done[d] = this.pending(d, hook, answer);
      at = clock.now();
    }
    // A stage with a pending hook: `suspend` writes its end record once it has awaited it.
    if (this.left === 0) return this.endStage(stage, this.stageStatus);
    return new Promise<number>((resolve) => {
      this.stageEnd = resolve;
    });
  }

  protected override async pending(d: number, hook: number, answer: Promise<number>): Promise<void> {
    const status = await this.budget(d, answer);
    this.hookEnd(d, STAGE_OF[hook], status, this.calledAt[d]);
    this.finish(d, hook, status);
    if (--this.left === 0) this.stageEnd(this.stageStatus);
  }

  protected override async later(d: number, hook: number, suspendDir: boolean, gate: Promise<unknown>): Promise<void> {
    await gate;
    if (!suspendDir || this.stageStatus === OK) {
      const at = this.clock.now();
      const answer = this.call(d, hook);
      if (typeof answer !== "number") this.hookPending(d, STAGE_OF[hook], at);
      const status = typeof answer === "number" ? answer : await this.budget(d, answer);
      this.hookEnd(d, STAGE_OF[hook], status, typeof answer === "number" ? at : this.calledAt[d]);
      this.finish(d, hook, status);
    }
    if (--this.left === 0) this.stageEnd(this.stageStatus);
  }

  /** A hook answered (or its Promise settled with) `status`; it was called at `at`: its stats and its record. */
  private hookEnd(d: number, stage: number, status: number, at: number): void {
    const now = this.clock.now();
    const us = now - at;
    const last = this.stats.lastByStage[stage], max = this.stats.maxByStage[stage];
    last[d] = us;
    if (us > max[d]) max[d] = us;
    const tr = this.trace;
    const slot = tr.total % tr.capacity;
    tr.time[slot] = now;
    tr.code[slot] = (d + 1) | ((stage + 1) << STAGE_SHIFT) | ((status === OK ? E_HOOK_DONE : E_HOOK_FAIL) << EVENT_SHIFT) | (status << STATUS_SHIFT);
    tr.duration[slot] = us;
    tr.total++;
  }

  private hookPending(d: number, stage: number, at: number): void {
    this.calledAt[d] = at;
    this.trace.recordHook(at, d, stage, E_HOOK_PENDING, PENDING, 0);
  }

  private beginStage(stage: number): void {
    this.stageAt = this.clock.now();
    this.trace.record(this.stageAt, -1, stage, E_STAGE_BEGIN, OK);
  }

  private endStage(stage: number, status: number): number {
    const now = this.clock.now();
    this.stats.stageDuration[stage] = now - this.stageAt;
    this.trace.record(now, -1, stage, E_STAGE_END, status);
    return status;
  }
}

/** The base's hook index (H_PREPARE, H_SUSPEND, H_RESUME) as the runtime's stage id. */
const STAGE_OF = Int8Array.of(S_PREPARE, S_SUSPEND, S_RESUME);
