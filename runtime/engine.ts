// Stage engine: runs one protocol stage over a set of devices in dependency order, with PENDING, budgets and tokens.
import type { DeviceGraph } from "./graph";
import type { Platform } from "./platform";
import { TOKEN_STRIDE, TOKEN_SHIFT, START_WRAP, NO_HOOK } from "./in-flight";
import { E_HOOK_DONE, E_HOOK_PENDING, EVENT_SHIFT, STATUS_SHIFT, traceTag } from "./trace";
import type { Recorder } from "./recorder";
import type { EngineOwner } from "./engine-owner";
export type { EngineOwner } from "./engine-owner";
import type { StateArena, BlockPool } from "./pools";
import { QueuedWalk } from "./queued-walk";
import { RESERVE } from "./ready";
import { STAGES, DIR_SUSPEND, POOLS_RESERVE, POOLS_RELEASE } from "./protocol";
import { OK, PENDING, FULL, PROTOCOL as PROTOCOL_ERROR, STAGE_COUNT, D_ACTIVE, isStatus } from "./status";
/** A pending record's code less its done record's (trace.ts `traceTag`): both are the run's tag plus the device. */
const PENDING_OVER_DONE = ((E_HOOK_PENDING - E_HOOK_DONE) << EVENT_SHIFT) | (PENDING << STATUS_SHIFT);
/** Per stage, its done records' code less the device: looked up, not computed, per run. */
const DONE_TAGS = buildDoneTags();
function buildDoneTags(): Int32Array {
  const tags = new Int32Array(STAGE_COUNT);
  for (let stage = 0; stage < STAGE_COUNT; stage++) tags[stage] = traceTag(stage, E_HOOK_DONE, OK);
  return tags;
}

/**
 * Order within a stage: ready.ts. The walk calls each member's hook and takes the common answer (a
 * synchronous OK) itself; every other answer goes to StageRun (stage-run.ts), which alone records
 * failures and decides when the run has settled.
 */
export class StageEngine extends QueuedWalk {

  constructor(g: DeviceGraph, platform: Platform, rec: Recorder, arena: StateArena, blocks: BlockPool, owner: EngineOwner) {
    super(g, platform, rec, arena, blocks, owner);
    this.pooled = new Uint8Array(g.maxDevices);
  }

  /** Boot (seal): looks each device's hooks up once. @boot */
  bindHooks(): void {
    const g = this.g;
    this.hooks.bind(g);
    const list = new Int16Array(g.count);
    let k = 0;
    for (let d = 0; d < g.count; d++) {
      this.pooled[d] = g.stateBytes[d] > 0 || g.requestBlocks[d] > 0 ? 1 : 0;
      if (this.pooled[d] !== 0) list[k++] = d;
    }
    this.members.setPooled(list, k);
    this.ready.bind(list, k);
  }

  /** Runs `stage` over the selected members from `now` (the owner's clock read); the owner's `stageEnded` reports the end (maybe before this returns). `stop`: a wake came before any hook, start nobody (stages that may pend). */
  run(stage: number, now: number, stop: boolean): void {
    const row = STAGES[stage];
    // Read before `row` is replaced; the run before a release made every device active (a normal cycle's R2): it need only look at the pooled ones.
    const allActive = row.pools === POOLS_RELEASE && this.row.reaches === D_ACTIVE && this.members.advancedCount === this.g.count;
    this.stageId = stage;
    this.row = row;
    this.failedFlag = this.stopping = stop && row.mayPend;
    this.failDev = -1;
    this.failSt = OK;
    this.members.advancedCount = this.members.anywayCount = 0; // nothing advanced in this run yet
    if (row.pools === POOLS_RELEASE) {
      // The mirror of S1: frees the members' reservations; no hook, so it ends at once.
      this.members.release(this.arena, this.blocks, this.g.requestBlocks, this.rec, now, stage, row.reaches, allActive);
      return this.owner.stageEnded(stage, -1, OK);
    }
    this.settled = false;
    this.doneTag = DONE_TAGS[stage];
    this.last = this.rec.stats.lastByStage[stage];
    this.max = this.rec.stats.maxByStage[stage];
    this.flight.begin(now, stage);
    this.remaining = this.members.size;
    this.ready.begin(this.members.out, this.members.selection, row.dir === DIR_SUSPEND, row.pools === POOLS_RESERVE);
    this.pump(now);
  }

  /** A PENDING hook finished. Late or duplicate completions are counted and ignored. */
  complete(token: number, status: number): void {
    // No number (a BigInt would throw at `&`) is no token.
    if (typeof token !== "number") return this.late(token, status);
    // Each declared where it is first set: an initial value would cost XS a store per completion.
    const flight = this.flight, d = token & (TOKEN_STRIDE - 1);
    // flight.holds(token), inline (once per PENDING hook): this run's token for d is exactly `base | d`, so a
    // fraction, a number past 2^31 or an older run's serial compares unequal.
    if (token !== (flight.base | d)) return this.late(token, status);
    if (flight.running[d] !== 1) return flight.inHook === d ? this.early(token, d, status) : this.late(token, status);
    const now = this.platform.now();
    // Counted in stats only (no trace record, so no listener runs here).
    if (status !== OK && (!isStatus(status) || status === PENDING)) {
      this.rec.badAnswer(now, d, this.stageId, status, 0);
      status = PROTOCOL_ERROR;
    }
    // No longer awaited (in-flight.ts keeps `count` = devices running); `us` is how long its hook took.
    flight.running[d] = 0;
    flight.count--;
    let us = now - flight.epoch - flight.started[d];
    if (us >= START_WRAP) us = us % START_WRAP; // flight.elapsed, inline: a call made past 2^31 µs into the stage
    // From inside another device's hook (or a listener) during the walk: taken when that hook returns (its locals stay exact).
    if (this.pumping) return this.inbox.put(d, status, now, us);
    if (status === OK) {
      // finish(OK) and recorder.hookDone, inline: the common completion (once per PENDING hook).
      const tr = this.rec.hookTrace;
      this.remaining--;
      this.members.stateOf[d] = this.row.reaches;
      this.members.advancedCount++;
      this.last[d] = us;
      if (us > this.max[d]) this.max[d] = us;
      if (tr) {
        const slot = tr.total % tr.capacity;
        tr.time[slot] = now;
        tr.code[slot] = this.doneTag + d;
        tr.duration[slot] = us;
        tr.total++;
        if (tr.listener) {
          // What its listener completes waits in the inbox until this bookkeeping is whole (as finishOutside's); tell catches throws.
          this.pumping = true;
          tr.tell(slot);
          this.pumping = false;
        }
      }
      // Its waiters counted it only if it was held (ready.ts `finished` returns at once otherwise).
      this.ready.finished(d);
    } else this.finishOutside(d, status, now, us);
    // Only a completion a listener made, or a device set aside behind this one, needs a walk.
    if (this.inbox.notes) this.takeThenPump();
    else if (this.ready.queued) this.pump(now);
    else if (this.remaining === 0 || this.failedFlag) this.settle();
  }

  protected pump(now: number): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      if (this.row.masked) this.walkMasked(now);
      else if (this.ready.cursor < this.ready.order.length) this.runQueued(this.pass(now));
      else this.runQueued(now); // a completion freed set-aside devices after the walk passed the order
      // Completions taken while the walk ran but after its last call (a give-up listener, a trace listener).
      while (this.inbox.notes) {
        this.takeInbox(-1, -1);
        if (this.row.masked) this.walkMasked(this.platform.now());
        else this.runQueued(this.pass(this.platform.now()));
      }
    } finally {
      this.pumping = false;
    }
    // settle(), inline: once per stage, and per completion that frees a set-aside device.
    if (this.settled || (this.remaining > 0 && !(this.failedFlag && this.flight.count === 0))) return;
    this.settled = true;
    this.ready.balanced = !this.failedFlag;
    if (this.flight.timerAt >= 0) this.flight.stop(); // most stages armed no budget timer: no call
    this.owner.stageEnded(this.stageId, this.failDev, this.failSt);
  }

  /**
   * The hot loop: one step per device per stage. A synchronous OK answer (the common case) passes one
   * test after the call and is handled here with locals, its stats and trace record written inline, and
   * so are S1's reservations; every other case (PENDING, an error, a completion that arrived during the
   * call) writes the locals back and goes through `answered`, `takeInbox` and `finish`. It walks the
   * order only: set-aside devices, once freed, go to `runQueued` (queued-walk.ts), so its hoisted locals
   * are paid once per stage. Declarations sit at the top: XS pays for a block-scoped declaration on every
   * pass through its block. `flight.inHook` is cleared before anything that can run a driver's or
   * listener's code (a slow path, `tell`) and when the walk ends, not after every call.
   */
  private pass(from: number): number {
    // Only what the common step reads is hoisted: paid once per stage (freed set-aside devices go to `runQueued`).
    const ready = this.ready, order = ready.order, n = order.length, blocked = ready.blocked;
    const stage = this.stageId, row = this.row, reaches = row.reaches;
    // Who advanced is counted; a member's state says which (members.ts `selectAdvanced`).
    const m = this.members, states = m.stateOf;
    const recv = this.hooks.byStage[stage], name = row.hook;
    const flight = this.flight, base = flight.base, inbox = this.inbox, platform = this.platform;
    const last = this.last, max = this.max, tr = this.rec.hookTrace;
    const ring = tr ?? this.rec.trace, cap = ring.capacity, times = ring.time, codes = ring.code, durations = ring.duration;
    const doneTag = this.doneTag, traced = tr !== null;
    let i = ready.cursor, ac = m.advancedCount, prev = from;
    let d = 0, status = OK, us = 0, k = 0, slot = 0;
    // A stop (a suspend failure, a wake) is looked at where it can arise (a slow path, the inbox, a listener), not every step.
    while (!this.failedFlag) {
      try {
        while (i < n) {
          d = order[i];
          i = i + 1;
          if (blocked[d]) {
            if (blocked[d] !== RESERVE) {
              // A non-member, or a member waiting on a held device: set aside until that one finishes (queued-walk.ts).
              if (m.member[d] !== 0) ready.skip(d);
              continue;
            }
            // S1, a member to reserve for (ready.ts RESERVE): queued-walk.ts `reserveFor`, inline (a call per device
            // costs more). The runtime's work: what throws here is not the last device's.
            blocked[d] = 0;
            flight.inHook = NO_HOOK;
            this.arena.reserve(d);
            k = this.g.requestBlocks[d];
            if (k !== 0 && !this.blocks.reserve(d, k)) {
              this.sync(ac);
              this.answered(d, FULL, prev);
              ac = m.advancedCount;
              break;
            }
          }
          flight.inHook = d;
          status = recv[d][name](base | d);
          // The common step, a synchronous OK with nothing arrived during the call, passes this one test (inbox.ts `ok`).
          if (status !== inbox.ok) {
            if (inbox.notes) {
              flight.inHook = NO_HOOK;
              this.sync(ac);
              status = this.takeInbox(status, d);
              if (this.failedFlag) {
                // Stopped during the call: this device's answer still counts, nobody else starts.
                this.lastAnswer(d, status, prev);
                ac = m.advancedCount;
                break;
              }
              ac = m.advancedCount;
            }
            if (status === PENDING && row.mayPend) {
              flight.inHook = NO_HOOK;
              // answered(PENDING) and flight.await, inline: touches none of the counts kept in locals.
              k = prev - flight.epoch;
              flight.started[d] = k;
              flight.running[d] = 1;
              flight.count++;
              k = k + this.g.budgetUs[d * STAGE_COUNT + stage];
              flight.deadline[d] = k;
              if (flight.timerAt < 0 || k < flight.timerAt) flight.arm(k, prev);
              // Only a device something waits on in this direction needs holding (its waiters count it).
              if (ready.waitStart[d + 1] !== ready.waitStart[d]) ready.hold(d);
              if (traced) {
                // recorder.hookPending, inline: the record a timeline draws the wait from.
                slot = tr.total % cap;
                times[slot] = prev;
                codes[slot] = doneTag + PENDING_OVER_DONE + d;
                durations[slot] = 0;
                tr.total++;
                if (tr.listener) tr.tell(slot);
              }
              // What the pending record's listener did (a completion, a wake) is taken before anyone else starts.
              if (inbox.notes) {
                this.sync(ac);
                this.takeInbox(-1, -1);
                ac = m.advancedCount;
                if (this.failedFlag) break;
              }
              prev = platform.now();
              continue;
            }
            if (status !== OK) {
              flight.inHook = NO_HOOK;
              this.sync(ac);
              this.answered(d, status, prev);
              ac = m.advancedCount;
              if (this.failedFlag) break;
              prev = platform.now();
              continue;
            }
          }
          // OK. Its answer is recorded before the clock is read: what throws from here on is not its hook's (stage-run.ts `threw`).
          states[d] = reaches;
          ac = ac + 1;
          us = -(prev - (prev = platform.now())); // the clock read once, into `prev`; `-`, not `+`: a clock answering strings still subtracts
          // recorder.hookDone, inline: the stats always, a trace record at TRACE_HOOKS.
          last[d] = us;
          if (us > max[d]) max[d] = us;
          if (traced) {
            slot = tr.total % cap;
            times[slot] = prev;
            codes[slot] = doneTag + d;
            durations[slot] = us;
            tr.total++;
            if (tr.listener) {
              // A listener may complete a device or raise a wake: taken now, before anyone else starts.
              flight.inHook = NO_HOOK;
              tr.tell(slot);
              if (inbox.notes) {
                this.sync(ac);
                this.takeInbox(-1, -1);
                ac = m.advancedCount;
                if (this.failedFlag) break;
              }
            }
          }
        }
        break;
      } catch (e) {
        // One try around the walk, not one per hook (stage-run.ts `threw`).
        this.sync(ac);
        ready.cursor = i;
        prev = this.threw(e, prev);
        ac = m.advancedCount;
      }
    }
    flight.inHook = NO_HOOK;
    // sync(ac), inline: once per walk.
    this.remaining -= ac - m.advancedCount;
    m.advancedCount = ac;
    ready.cursor = i;
    return prev;
  }
}
