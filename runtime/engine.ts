// Stage engine: runs one stage over a set of devices in dependency order, with PENDING, budgets and tokens.
import type { DeviceGraph } from "./graph";
import type { Platform } from "./platform";
import type { PmStats } from "./stats";
import type { TraceRing } from "./trace";
import type { StateArena, BlockPool } from "./pools";
import {
  OK, PENDING, FULL, TIMEOUT, THREW, PROTOCOL, STAGE_COUNT,
  S_PREPARE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, S_RESUME,
  D_ACTIVE, D_PREPARED, D_SUSPENDED, D_OFF, D_FAILED,
} from "./status";
import { E_HOOK_CALL, E_HOOK_DONE, E_HOOK_PENDING, E_HOOK_FAIL, E_TIMEOUT, E_LATE, E_RESUME_FAIL } from "./trace";

/**
 * Tokens are generation * TOKEN_STRIDE + device: a completion for an old generation is recognised as late.
 * Generations wrap at 2^18 so every token is a small integer (an XS integer slot; a V8 Smi), never a boxed double.
 */
export const TOKEN_SHIFT = 12;
export const TOKEN_STRIDE = 1 << TOKEN_SHIFT;
const GEN_MASK = (1 << 18) - 1;

/**
 * Suspend-direction stages run a device once every member that depends on it finished the stage;
 * resume-direction stages once every member it depends on did. Hooks answering PENDING let
 * independent branches overlap. A failure in a suspend stage stops dispatch and waits for hooks in
 * flight (their budgets bound the wait); in a resume stage it is recorded and the rest go on.
 * `advanced` lists, in order, the members that completed the stage: rollback walks exactly that.
 */
export class StageEngine {
  readonly state: Uint8Array;
  readonly advanced: Int16Array;
  advancedCount = 0;
  stage = -1;
  failed = false;
  failDevice = -1;
  failStatus = OK;
  /** First failure status in a resume-direction stage (OK if none). */
  resumeStatus = OK;
  private readonly g: DeviceGraph;
  private readonly platform: Platform;
  private readonly trace: TraceRing;
  private readonly stats: PmStats;
  private readonly arena: StateArena;
  private readonly blocks: BlockPool;
  private readonly member: Uint8Array;
  private readonly waiting: Int32Array;
  private readonly running: Uint8Array;
  private readonly gen: Int32Array;
  /** Times relative to `epoch` (set per stage run), so they stay small integers whatever the uptime. */
  private readonly deadline: Int32Array;
  private readonly started: Int32Array;
  private epoch = 0;
  private readonly ready: Int16Array;
  private readyHead = 0;
  private readyLen = 0;
  private remaining = 0;
  private runningCount = 0;
  private suspendDir = true;
  private pumping = false;
  private settled = true;
  private inHook = -1;
  private earlyStatus = -1;
  private readonly timer: number;
  private timerAt = -1;
  private readonly onStageDone: () => void;

  constructor(g: DeviceGraph, platform: Platform, trace: TraceRing, stats: PmStats,
    arena: StateArena, blocks: BlockPool, onStageDone: () => void) {
    const n = g.maxDevices;
    this.g = g;
    this.platform = platform;
    this.trace = trace;
    this.stats = stats;
    this.arena = arena;
    this.blocks = blocks;
    this.onStageDone = onStageDone;
    this.state = new Uint8Array(n);
    this.advanced = new Int16Array(n);
    this.member = new Uint8Array(n);
    this.waiting = new Int32Array(n);
    this.running = new Uint8Array(n);
    this.gen = new Int32Array(n);
    this.deadline = new Int32Array(n);
    this.started = new Int32Array(n);
    this.ready = new Int16Array(n);
    this.timer = platform.createTimer(() => this.onTimer());
  }

  /** Members for the next `run`: 1 = takes part. Callers fill it through these helpers. */
  selectAll(exceptState: number): void {
    for (let d = 0; d < this.g.count; d++) this.member[d] = this.state[d] === exceptState ? 0 : 1;
  }

  selectAdvanced(): void {
    this.member.fill(0);
    for (let i = 0; i < this.advancedCount; i++) this.member[this.advanced[i]] = 1;
  }

  selectNone(): void {
    this.member.fill(0);
  }

  isMember(d: number): boolean {
    return this.member[d] === 1;
  }

  run(stage: number): void {
    const g = this.g;
    this.stage = stage;
    this.suspendDir = stage <= S_POWER_OFF;
    this.failed = false;
    this.failDevice = -1;
    this.failStatus = OK;
    this.resumeStatus = OK;
    this.advancedCount = 0;
    this.readyHead = 0;
    this.readyLen = 0;
    this.remaining = 0;
    this.runningCount = 0;
    this.settled = false;
    this.epoch = this.platform.now();
    for (let d = 0; d < g.count; d++) {
      if (this.member[d] === 0) continue;
      this.remaining++;
      let wait = 0;
      if (this.suspendDir) {
        for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) wait += this.member[g.dep[i]];
      } else {
        for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) wait += this.member[g.pre[i]];
      }
      this.waiting[d] = wait;
    }
    // Seed in topological order so runs are deterministic and children/users go first.
    for (let k = 0; k < g.count; k++) {
      const d = this.suspendDir ? g.order[g.count - 1 - k] : g.order[k];
      if (this.member[d] === 1 && this.waiting[d] === 0) this.ready[this.readyLen++] = d;
    }
    this.pump();
  }

  /** A PENDING hook finished. Late or duplicate completions are counted and ignored. */
  complete(token: number, status: number): void {
    const d = token & (TOKEN_STRIDE - 1);
    const gen = token >> TOKEN_SHIFT;
    if (d >= this.g.count || gen !== this.gen[d] || (this.running[d] === 0 && this.inHook !== d)) {
      this.stats.lateCompletions++;
      this.trace.record(this.platform.now(), d < this.g.count ? d : -1, this.stage, E_LATE, status);
      return;
    }
    if (this.inHook === d) {
      // Completed inside its own hook call: take it when the hook returns.
      this.earlyStatus = status;
      return;
    }
    this.running[d] = 0;
    this.runningCount--;
    this.finish(d, status);
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    while (this.readyLen > 0 && !this.failed) {
      const d = this.ready[this.readyHead];
      this.readyHead = (this.readyHead + 1) % this.ready.length;
      this.readyLen--;
      this.start(d);
    }
    this.pumping = false;
    this.settle();
  }

  private start(d: number): void {
    const stage = this.stage;
    const now = this.platform.now();
    this.started[d] = now - this.epoch;
    const gen = (this.gen[d] + 1) & GEN_MASK;
    this.gen[d] = gen;
    const token = (gen << TOKEN_SHIFT) | d;
    this.trace.record(now, d, stage, E_HOOK_CALL, OK);
    let status = OK;
    if (stage === S_PREPARE) {
      this.arena.reserve(d);
      if (!this.blocks.reserve(d, this.g.requestBlocks[d])) status = FULL;
    }
    if (status === OK) {
      this.inHook = d;
      this.earlyStatus = -1;
      status = this.call(d, stage, token);
      this.inHook = -1;
      if (status === PENDING && this.earlyStatus >= 0) status = this.earlyStatus;
    }
    if (status === PENDING) {
      if (stage === S_POWER_OFF || stage === S_POWER_ON) {
        status = PROTOCOL;
      } else {
        this.running[d] = 1;
        this.runningCount++;
        this.trace.record(now, d, stage, E_HOOK_PENDING, PENDING);
        this.arm(d, now - this.epoch + this.g.budgetUs[d * STAGE_COUNT + stage]);
        return;
      }
    }
    this.finish(d, status);
  }

  private call(d: number, stage: number, token: number): number {
    const hooks = this.g.hooks[d];
    try {
      if (stage === S_PREPARE) return hooks.prepare(token);
      if (stage === S_SUSPEND) return hooks.suspend(token);
      if (stage === S_POWER_OFF) return hooks.powerOffNoIrq(token);
      if (stage === S_POWER_ON) return hooks.powerOnNoIrq(token);
      if (stage === S_RESUME) return hooks.resume(token);
    } catch (e) {
      // A driver's exception is that stage failing for that device; it never reaches the event loop.
      return THREW;
    }
    return PROTOCOL;
  }

  private finish(d: number, status: number): void {
    const g = this.g;
    const stage = this.stage;
    const now = this.platform.now();
    this.stats.recordDuration(d, stage, now - this.epoch - this.started[d]);
    this.remaining--;
    if (status === OK) {
      this.trace.record(now, d, stage, E_HOOK_DONE, OK);
      this.state[d] = stage === S_PREPARE ? D_PREPARED : stage === S_SUSPEND ? D_SUSPENDED
        : stage === S_POWER_OFF ? D_OFF : stage === S_POWER_ON ? D_SUSPENDED : D_ACTIVE;
      this.advanced[this.advancedCount++] = d;
    } else if (this.suspendDir) {
      this.trace.record(now, d, stage, E_HOOK_FAIL, status);
      if (stage === S_PREPARE) {
        this.arena.release(d);
        this.blocks.unreserve(d);
      } else if (status === TIMEOUT && stage === S_SUSPEND) {
        // A hook that timed out may have half-acted (gated its queue): rollback gives it its mirror too.
        this.advanced[this.advancedCount++] = d;
      }
      if (!this.failed) {
        this.failed = true;
        this.failDevice = d;
        this.failStatus = status;
      }
      return;
    } else {
      // Resume failures cannot be undone: record, mark failed, let everything else resume.
      this.trace.record(now, d, stage, E_RESUME_FAIL, status);
      this.stats.resumeFailures++;
      this.stats.recordFailure(now, d, stage, status);
      this.state[d] = D_FAILED;
      if (this.resumeStatus === OK) this.resumeStatus = status;
    }
    if (this.suspendDir) {
      for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) this.release(g.pre[i]);
    } else {
      for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) this.release(g.dep[i]);
    }
  }

  private release(d: number): void {
    if (this.member[d] === 1 && --this.waiting[d] === 0) {
      this.ready[(this.readyHead + this.readyLen) % this.ready.length] = d;
      this.readyLen++;
    }
  }

  private settle(): void {
    if (this.settled || this.pumping) return;
    if (this.remaining > 0 && !(this.failed && this.runningCount === 0)) return;
    this.settled = true;
    if (this.timerAt >= 0) {
      this.platform.cancel(this.timer);
      this.timerAt = -1;
    }
    this.onStageDone();
  }

  /** `at` is relative to the stage's epoch. */
  private arm(d: number, at: number): void {
    this.deadline[d] = at;
    if (this.timerAt < 0 || at < this.timerAt) {
      this.timerAt = at;
      this.platform.schedule(this.timer, at - (this.platform.now() - this.epoch));
    }
  }

  private onTimer(): void {
    this.timerAt = -1;
    const now = this.platform.now();
    const rel = now - this.epoch;
    let next = -1;
    for (let d = 0; d < this.g.count; d++) {
      if (this.running[d] === 0) continue;
      if (this.deadline[d] <= rel) {
        // The generation moves on, so the hook's eventual completion is recognised as late.
        this.gen[d]++;
        this.running[d] = 0;
        this.runningCount--;
        this.stats.timeouts++;
        this.trace.record(now, d, this.stage, E_TIMEOUT, TIMEOUT);
        this.finish(d, TIMEOUT);
      } else if (next < 0 || this.deadline[d] < next) {
        next = this.deadline[d];
      }
    }
    if (next >= 0) {
      this.timerAt = next;
      this.platform.schedule(this.timer, next - rel);
    }
    this.pump();
  }
}
