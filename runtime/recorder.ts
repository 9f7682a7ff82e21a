// The one recorder of a suspend attempt: every event goes to the trace ring, the stats and the flight record from here.
import type { PmStats } from "./stats";
import { type FlightRecorder, F_STAGES } from "./flight";
import type { RequestQueue } from "./queue";
import {
  TraceRing, E_SUSPEND_BEGIN, E_STAGE_BEGIN, E_STAGE_END, E_ROLLBACK, E_MASK, E_UNMASK, E_WAKE, E_SLEEP_ENTER,
  E_SLEEP_EXIT, E_SUSPEND_END, E_BUSY, E_RELEASE, E_IRQ_LATCH, E_IRQ_DELIVER, E_HOOK_DONE,
  E_HOOK_PENDING, E_HOOK_FAIL, E_TIMEOUT, E_LATE, E_RESUME_FAIL, E_GOVERNOR, STAGE_SHIFT, EVENT_SHIFT, STATUS_SHIFT,
} from "./trace";
import { OK, BUSY, PENDING, TIMEOUT, STAGE_COUNT } from "./status";
import { isStage } from "./protocol";

// What a bad answer was: the codes live with the stats that keep them.
export { BAD_UNDEFINED, BAD_BOOLEAN, BAD_FRACTION, BAD_RANGE, BAD_OTHER, BAD_PENDING, BAD_COMPLETED } from "./stats";

/** Trace levels, chosen per build (PmConfig.traceLevel): the firmware ships TRACE_HOOKS (a timeline lane per device). */
export const TRACE_OFF = 0;
export const TRACE_STAGES = 1;
export const TRACE_HOOKS = 2;

/**
 * The sequencer and the engine say what happened (an attempt began, a hook ended, a device failed);
 * this class decides where it is written. So the trace format, the stats and the flight layout can
 * change without touching the protocol code, and nothing else writes the three. Every method is
 * stores into boot-made tables: nothing allocates.
 */
export class Recorder {
  /** The trace ring events are written to (subject to `level`). */ readonly trace: TraceRing;
  /** The stats every event updates. */ readonly stats: PmStats;
  /** The flight record (in the arena, survives hibernate) of each attempt. */ readonly flight: FlightRecorder;
  /** Request queues registered at boot, for parked-request counts (stats, flight record, trace counters). */
  readonly queues: RequestQueue[] = [];
  private flightBase = 0;
  private parkedAtStart = 0;
  private attemptStart = 0;

  /** Trace level (TRACE_OFF, TRACE_STAGES, TRACE_HOOKS): what reaches the ring. Stats and the flight record are always kept. */
  readonly level: number;
  /** A record per hook that answered OK or PENDING, per release and per IRQ (TRACE_HOOKS: the timeline's lanes). */
  private readonly hookRecords: boolean;
  /** The ring when hook records are kept, else null: the engine's walk writes a hook's OK record there itself (as `hookDone`). */
  readonly hookTrace: TraceRing | null;
  /** Attempts, stages, sleep, wakes, masking, failures (TRACE_STAGES and up). */
  private readonly systemRecords: boolean;

  constructor(trace: TraceRing, stats: PmStats, flight: FlightRecorder, level: number) {
    this.trace = trace;
    this.stats = stats;
    this.flight = flight;
    this.level = level;
    this.hookRecords = level >= TRACE_HOOKS;
    this.hookTrace = this.hookRecords ? trace : null;
    this.systemRecords = level >= TRACE_STAGES;
  }

  /** Requests parked in every registered queue since boot. */
  parkedTotal(): number {
    let n = 0;
    for (let i = 0; i < this.queues.length; i++) n += this.queues[i].parked;
    return n;
  }

  /** Requests parked right now. */
  parkedNow(): number {
    let n = 0;
    for (let i = 0; i < this.queues.length; i++) n += this.queues[i].parkedNow;
    return n;
  }

  /** A suspend attempt started towards `target` (T_STANDBY or T_HIBERNATE): opens its flight record. */
  attemptBegin(now: number, target: number): void {
    this.stats.attempts++;
    this.stats.stageDuration.fill(0);
    this.attemptStart = now;
    this.flightBase = this.flight.begin(now, target);
    this.parkedAtStart = this.parkedTotal();
    if (this.systemRecords) this.trace.record(now, -1, -1, E_SUSPEND_BEGIN, target);
  }

  /** After a reboot from an image: the attempt that hibernated continues its own flight record. */
  attemptContinue(now: number): void {
    this.stats.attempts++;
    this.attemptStart = now;
    this.flight.restore();
    this.flightBase = this.flight.current();
    this.parkedAtStart = this.parkedTotal();
  }

  /** A `suspend` was refused with BUSY. */
  busy(now: number): void {
    this.stats.busyRefusals++;
    if (this.systemRecords) this.trace.record(now, -1, -1, E_BUSY, BUSY);
  }

  /** A hook stage started (trace only). */
  stageBegin(now: number, stage: number): void {
    // trace.record inline (two records per stage, every attempt): one call instead of two.
    if (!this.systemRecords) return;
    const tr = this.trace;
    const slot = tr.total % tr.capacity;
    tr.time[slot] = now;
    tr.code[slot] = ((stage + 1) << STAGE_SHIFT) | (E_STAGE_BEGIN << EVENT_SHIFT);
    tr.duration[slot] = 0;
    tr.total++;
    if (tr.listener !== null) tr.tell(slot);
  }

  /** A hook stage ended after `us` microseconds with `status` (its first failure, or OK). */
  stageEnd(now: number, stage: number, us: number, status: number): void {
    this.stats.stageDuration[stage] = us;
    this.flight.table[this.flightBase + F_STAGES + stage] = us; // flight.setStage, inline: every stage
    if (!this.systemRecords) return;
    const tr = this.trace;
    const slot = tr.total % tr.capacity;
    tr.time[slot] = now;
    tr.code[slot] = ((stage + 1) << STAGE_SHIFT) | (E_STAGE_END << EVENT_SHIFT) | (status << STATUS_SHIFT);
    tr.duration[slot] = 0;
    tr.total++;
    if (tr.listener !== null) tr.tell(slot);
  }

  /** A stage whose duration the hibernate image cannot know (it is written before the stage ends). */
  stageUnknown(stage: number): void {
    this.flight.setStage(this.flightBase, stage, -1);
  }

  /** A hook answered PENDING (trace at TRACE_HOOKS). */
  hookPending(now: number, device: number, stage: number): void {
    if (this.hookRecords) this.trace.recordHook(now, device, stage, E_HOOK_PENDING, PENDING, 0);
  }

  /** The common case, kept to one call: a hook answered OK after `us` microseconds. */
  hookDone(now: number, device: number, stage: number, us: number): void {
    const last = this.stats.lastByStage[stage], max = this.stats.maxByStage[stage];
    last[device] = us;
    if (us > max[device]) max[device] = us;
    if (!this.hookRecords) return;
    // trace.recordHook inline: one call per hook instead of two.
    const tr = this.trace;
    const slot = tr.total % tr.capacity;
    tr.time[slot] = now;
    tr.code[slot] = (device + 1) | ((stage + 1) << STAGE_SHIFT) | (E_HOOK_DONE << EVENT_SHIFT);
    tr.duration[slot] = us;
    tr.total++;
    if (tr.listener !== null) tr.tell(slot);
  }

  /** A hook's answer (or completion). `rollsBack`: a failure here stops the stage (suspend direction). */
  hookEnd(now: number, device: number, stage: number, us: number, status: number, rollsBack: boolean): void {
    const last = this.stats.lastByStage[stage], max = this.stats.maxByStage[stage];
    last[device] = us;
    if (us > max[device]) max[device] = us;
    if (status === OK) {
      if (this.hookRecords) this.trace.recordHook(now, device, stage, E_HOOK_DONE, OK, us);
    } else if (rollsBack) {
      if (this.systemRecords) this.trace.recordHook(now, device, stage, E_HOOK_FAIL, status, us);
    } else {
      // Resume failures cannot be undone: the device is marked failed, the rest resume.
      if (this.systemRecords) this.trace.recordHook(now, device, stage, E_RESUME_FAIL, status, us);
      this.stats.resumeFailures++;
      this.stats.recordFailure(now, device, stage, status);
    }
  }

  /** A hook (or its completion) answered something that is not a status of the table: kept for `stats`. */
  badAnswer(now: number, device: number, stage: number, value: unknown, kind: number): void {
    this.stats.recordBadAnswer(now, device, stage, value, kind);
  }

  /** A hook outlived its budget: counted as a timeout. */
  timeout(now: number, device: number, stage: number): void {
    this.stats.timeouts++;
    if (this.systemRecords) this.trace.record(now, device, stage, E_TIMEOUT, TIMEOUT);
  }

  /** A completion came after its timeout, twice or with a stale token (`device` -1 if unknown): counted, ignored. */
  late(now: number, device: number, stage: number, status: number): void {
    this.stats.lateCompletions++;
    if (this.systemRecords) this.trace.record(now, device, stage, E_LATE, status);
  }

  /** The release step freed the members' pool reservations (after R2, or in a rollback): one system record (TRACE_STAGES). */
  release(now: number, stage: number): void {
    if (this.systemRecords) this.trace.record(now, -1, stage, E_RELEASE, OK);
  }

  /** The attempt failed at `stage` on `device` (a hook's error, or WAKEUP): rollback starts. */
  failure(now: number, device: number, stage: number, status: number): void {
    this.stats.failures++;
    this.stats.recordFailure(now, device, stage, status);
    this.flight.setFailure(this.flightBase, device, stage);
    if (this.systemRecords) this.trace.record(now, device, stage, E_ROLLBACK, status);
  }

  /** A wake source fired while a suspend was armed (trace only: what it does depends on when). */
  wakeRaised(now: number, line: number): void {
    if (this.systemRecords) this.trace.record(now, -1, -1, E_WAKE, line);
  }

  /** The wake that aborted a suspend before the platform slept. */
  wakeAbort(now: number, cause: number): void {
    this.stats.wakeAborts++;
    this.wakeCause(now, cause);
  }

  /** The platform is about to sleep at `target` (T_STANDBY or T_HIBERNATE). */
  sleepEnter(now: number, stage: number, target: number): void {
    if (this.systemRecords) this.trace.record(now, -1, stage, E_SLEEP_ENTER, target);
  }

  /** The platform woke after `us` microseconds asleep (after a hibernate: the RTC's count, 0 if unknown) for `cause` (IRQ line or WAKE_*). */
  sleepExit(now: number, stage: number, us: number, cause: number): void {
    this.stats.stageDuration[stage] = us;
    this.flight.setStage(this.flightBase, stage, us);
    // The record carries the sleep's length: after a hibernate it ends at the wake, before the reboot's boot (the record's time).
    if (this.systemRecords) this.trace.recordHook(now, -1, stage, E_SLEEP_EXIT, cause, us < 0 ? 0 : us > 2147483647 ? 2147483647 : us);
    this.wakeCause(now, cause);
  }

  /** IRQs were masked (trace only). */
  mask(now: number): void {
    if (this.systemRecords) this.trace.record(now, -1, -1, E_MASK, OK);
  }

  /** IRQs were unmasked (trace only). */
  unmask(now: number): void {
    if (this.systemRecords) this.trace.record(now, -1, -1, E_UNMASK, OK);
  }

  /** An interrupt line was latched while masked (`delivered` false) or delivered. */
  irq(now: number, line: number, delivered: boolean): void {
    if (this.hookRecords) this.trace.record(now, -1, -1, delivered ? E_IRQ_DELIVER : E_IRQ_LATCH, line);
  }

  /**
   * The attempt is over and the system active. `totalStage` is where stats keep the whole attempt's
   * length; `sleepStage` (NO_STAGE when the RTC told it) is marked unknown after a reboot from an image.
   */
  attemptEnd(now: number, outcome: number, fromImage: boolean, failedInSuspend: boolean, totalStage: number, sleepStage: number): void {
    const st = this.stats;
    const base = this.flightBase;
    if (outcome === OK) st.successes++;
    st.lastOutcome = outcome;
    st.stageDuration[totalStage] = now - this.attemptStart;
    if (fromImage && isStage(sleepStage)) this.flight.setStage(base, sleepStage, -1);
    // A resume-stage failure is the attempt's failure too when nothing failed on the way down.
    if (outcome !== OK && !failedInSuspend) {
      const slot = st.failureSlot(0);
      if (slot >= 0) this.flight.setFailure(base, st.failDevice[slot], st.failStage[slot]);
    }
    this.flight.finish(base, outcome, this.parkedTotal() - this.parkedAtStart, fromImage ? -1 : now - this.attemptStart);
    if (this.systemRecords) this.trace.record(now, -1, -1, E_SUSPEND_END, outcome);
  }

  /** An idle-governor decision (TRACE_STAGES and up): reason and target in the status, the idle time as the duration. */
  governor(now: number, reason: number, target: number, idleUs: number): void {
    if (this.systemRecords) this.trace.recordHook(now, -1, -1, E_GOVERNOR, reason * 8 + target, idleUs < 0 ? -1 : idleUs > 2147483647 ? 2147483647 : idleUs);
  }

  private wakeCause(now: number, cause: number): void {
    this.stats.lastWakeCause = cause;
    this.stats.lastWakeTime = now;
    this.flight.setWake(this.flightBase, cause);
  }
}
