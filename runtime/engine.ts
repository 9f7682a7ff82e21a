// Stage engine: runs one protocol stage over a set of devices in dependency order, with PENDING, budgets and tokens.
import type { DeviceGraph } from "./graph";
import type { Platform } from "./platform";
import { InFlight, TOKEN_STRIDE } from "./in-flight";
import { ReadyQueue } from "./ready";
import { HookTable } from "./hook-table";
import { Members } from "./members";
import type { Recorder } from "./recorder";
import type { StateArena, BlockPool } from "./pools";
import { STAGES, DIR_SUSPEND, POOLS_RESERVE, POOLS_RELEASE, RUN_HOOK, type StageRow } from "./protocol";
import { OK, PENDING, FULL, TIMEOUT, THREW, PROTOCOL as PROTOCOL_ERROR, STAGE_COUNT, D_ACTIVE, D_FAILED } from "./status";

/** What the engine tells its owner (the sequencer): one call per stage end, one per device given up on. */
export interface EngineOwner {
  /**
   * `stage` ended. Suspend direction: `device` and `status` name the first failure (-1, OK if none).
   * Resume direction: the first device that failed and its status (the rest resumed).
   */
  stageEnded(stage: number, device: number, status: number): void;
  /** The engine stopped waiting for `device` in `stage` (TIMEOUT) or marked it failed (its resume error). */
  gaveUp(device: number, stage: number, status: number): void;
}

/**
 * The engine alone owns device state: it changes a device's state only after that device's hook
 * answered OK, to the state the stage's row says (Zephyr's rule: the callback acts, the core records).
 * Suspend-direction stages run a device once every member that depends on it finished the stage;
 * resume-direction stages once every member it depends on did. Hooks answering PENDING let
 * independent branches overlap. A suspend-direction failure stops dispatch and waits for hooks in
 * flight (their budgets bound the wait); a resume-direction failure marks the device failed and the
 * rest go on.
 */
export class StageEngine {
  /** Device states and the run's members; only the engine changes states. */
  readonly members: Members;
  private stageId = -1;
  private row: StageRow = STAGES[0];
  private failedFlag = false;
  private failDev = -1;
  private failSt = OK;
  private resumeDev = -1;
  private resumeSt = OK;
  private readonly g: DeviceGraph;
  private readonly platform: Platform;
  private readonly rec: Recorder;
  private readonly arena: StateArena;
  private readonly blocks: BlockPool;
  private readonly owner: EngineOwner;
  private readonly hooks: HookTable;
  private readonly ready: ReadyQueue;
  private readonly flight: InFlight;
  /** When each member's hook started, relative to the stage's epoch. */
  private readonly started: Int32Array;
  private remaining = 0;
  private pumping = false;
  private settled = true;
  private earlyStatus = -1;

  constructor(g: DeviceGraph, platform: Platform, rec: Recorder, arena: StateArena, blocks: BlockPool, owner: EngineOwner) {
    const n = g.maxDevices;
    this.g = g;
    this.platform = platform;
    this.rec = rec;
    this.arena = arena;
    this.blocks = blocks;
    this.owner = owner;
    this.members = new Members(n, () => g.count);
    this.started = new Int32Array(n);
    this.hooks = new HookTable(n);
    this.ready = new ReadyQueue(g);
    this.flight = new InFlight(platform, n, () => g.count, () => this.onTimer());
  }

  /** Boot (seal): looks each device's hooks up once. @boot */
  bindHooks(): void {
    this.hooks.bind(this.g);
    this.ready.bind();
  }

  // ---- read-only results ----

  /** The stage last run (or running). */
  get stage(): number {
    return this.stageId;
  }

  get failed(): boolean {
    return this.failedFlag;
  }

  get failDevice(): number {
    return this.failDev;
  }

  get failStatus(): number {
    return this.failSt;
  }

  state(d: number): number {
    return this.members.state(d);
  }

  /** True while `token` is device d's stage in flight, also inside its own hook call. */
  holds(token: number): boolean {
    return this.flight.holds(token);
  }

  /** After a reboot from a hibernate image every device is off, its area already filled. */
  adoptImage(): void {
    this.members.adoptImage(this.arena);
  }

  // ---- running a stage ----

  run(stage: number): void {
    const g = this.g;
    const row = STAGES[stage];
    this.stageId = stage;
    this.row = row;
    this.failedFlag = false;
    this.failDev = -1;
    this.failSt = OK;
    this.resumeDev = -1;
    this.resumeSt = OK;
    this.members.beginRun();
    if (row.pools === POOLS_RELEASE) {
      this.releaseMembers();
      return;
    }
    this.settled = false;
    this.flight.begin(this.platform.now());
    this.remaining = this.members.size;
    this.ready.begin(this.members.member, row.dir === DIR_SUSPEND);
    this.pump();
  }

  /** A PENDING hook finished. Late or duplicate completions are counted and ignored. */
  complete(token: number, status: number): void {
    const d = token & (TOKEN_STRIDE - 1);
    if (!this.flight.holds(token)) {
      const known = d < this.g.count;
      this.rec.late(this.platform.now(), known ? d : -1, known ? this.flight.hookStage[d] : this.stageId, status);
      return;
    }
    if (this.flight.inHook === d) {
      // Completed inside its own hook call: take it when the hook returns.
      this.earlyStatus = status;
      return;
    }
    this.flight.done(d);
    const now = this.platform.now();
    this.finish(d, status, now, this.flight.since(now) - this.started[d]);
    this.pump();
  }

  /** The mirror of S1: frees the members' reservations; no hook, so it ends at once. */
  private releaseMembers(): void {
    const now = this.platform.now();
    const m = this.members;
    const member = m.member;
    const states = m.stateOf;
    for (let d = 0; d < this.g.count; d++) {
      const st = states[d];
      // A device that failed keeps nothing reserved, member or not (it is left out of later stages).
      if (member[d] === 0 && st !== D_FAILED) continue;
      if (!this.arena.isReserved(d) && st === D_ACTIVE) continue;
      this.arena.release(d);
      this.blocks.unreserve(d);
      if (st !== D_FAILED) states[d] = this.row.reaches;
      this.rec.release(now, d, this.stageId);
    }
    this.owner.stageEnded(this.stageId, -1, OK);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    for (;;) {
      try {
        this.pass();
        break;
      } catch (e) {
        // One try around the pass, not one per hook: a driver's exception is its stage failing (THREW);
        // anything thrown outside a hook is the runtime's own and goes on up.
        const d = this.flight.inHook;
        if (d < 0) {
          this.pumping = false;
          throw e;
        }
        this.flight.inHook = -1;
        const now = this.platform.now();
        this.finish(d, THREW, now, this.flight.since(now) - this.started[d]);
      }
    }
    this.pumping = false;
    this.settle();
  }

  private pass(): void {
    while (!this.failedFlag) {
      const d = this.ready.next();
      if (d < 0) return;
      this.start(d);
    }
  }

  private start(d: number): void {
    const stage = this.stageId;
    const row = this.row;
    const now = this.platform.now();
    const token = this.flight.issue(d, stage);
    let status = OK;
    if (row.pools === POOLS_RESERVE) {
      this.arena.reserve(d);
      if (!this.blocks.reserve(d, this.g.requestBlocks[d])) status = FULL;
    }
    if (status === OK) {
      this.started[d] = this.flight.since(now);
      this.flight.inHook = d;
      this.earlyStatus = -1;
      const hooks = this.hooks;
      const f = hooks.fn[d * STAGE_COUNT + stage];
      if (f !== null) status = f.call(hooks.self[d], token);
      this.flight.inHook = -1;
      if (status === PENDING && this.earlyStatus >= 0) status = this.earlyStatus;
    }
    if (status === PENDING) {
      if (!row.mayPend) {
        status = PROTOCOL_ERROR;
      } else {
        this.started[d] = this.flight.since(now);
        this.rec.hookPending(now, d, stage);
        this.flight.await(d, now, this.g.budgetUs[d * STAGE_COUNT + stage]);
        this.ready.pending();
        return;
      }
    }
    const end = this.platform.now();
    this.finish(d, status, end, end - now);
  }

  /** Device d's hook answered `status` at `now` after `us` microseconds. */
  private finish(d: number, status: number, now: number, us: number): void {
    const stage = this.stageId;
    const row = this.row;
    const suspendDir = row.dir === DIR_SUSPEND;
    this.remaining--;
    this.rec.hookEnd(now, d, stage, us, status, suspendDir);
    if (status === OK) {
      const m = this.members;
      m.stateOf[d] = row.reaches;
      m.advanced[m.advancedCount++] = d;
    } else if (suspendDir) {
      if (row.pools === POOLS_RESERVE) {
        this.arena.release(d);
        this.blocks.unreserve(d);
      } else if (status === TIMEOUT && row.timeoutAdvances) {
        // A hook that timed out may have half-acted (gated its queue): rollback gives it its mirror too.
        this.members.advancedAnyway(d);
      }
      if (!this.failedFlag) {
        this.failedFlag = true;
        this.failDev = d;
        this.failSt = status;
      }
      return;
    } else {
      this.members.fail(d);
      if (this.resumeSt === OK) {
        this.resumeSt = status;
        this.resumeDev = d;
      }
      this.owner.gaveUp(d, stage, status);
    }
    this.ready.finished(d);
  }

  private settle(): void {
    if (this.settled || this.pumping) return;
    if (this.remaining > 0 && !(this.failedFlag && this.flight.count === 0)) return;
    this.settled = true;
    this.flight.stop();
    if (this.row.dir === DIR_SUSPEND) this.owner.stageEnded(this.stageId, this.failDev, this.failSt);
    else this.owner.stageEnded(this.stageId, this.resumeDev, this.resumeSt);
  }

  /** The budget timer fired: every awaited hook past its deadline fails with TIMEOUT. */
  private onTimer(): void {
    this.flight.fired();
    const now = this.platform.now();
    for (let d = this.flight.nextExpired(now); d >= 0; d = this.flight.nextExpired(now)) {
      this.flight.expire(d);
      this.rec.timeout(now, d, this.stageId);
      // A resume-direction timeout marks the device failed: `finish` tells the owner once, then.
      if (this.row.dir === DIR_SUSPEND) this.owner.gaveUp(d, this.stageId, TIMEOUT);
      this.finish(d, TIMEOUT, now, this.flight.since(now) - this.started[d]);
    }
    this.pump();
  }
}
