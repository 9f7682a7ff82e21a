// Stage engine: runs one protocol stage over a set of devices in dependency order, with PENDING, budgets and tokens.
import type { DeviceGraph } from "./graph";
import type { Platform } from "./platform";
import { InFlight, TOKEN_STRIDE, TOKEN_SHIFT, GEN_MASK } from "./in-flight";
import { ReadyQueue } from "./ready";
import { HookTable } from "./hook-table";
import { Members } from "./members";
import { type Recorder, BAD_PENDING } from "./recorder";
import type { EngineOwner } from "./engine-owner";
export type { EngineOwner } from "./engine-owner";
import type { StateArena, BlockPool } from "./pools";
import { STAGES, DIR_SUSPEND, POOLS_RESERVE, POOLS_RELEASE, type StageRow } from "./protocol";
import { OK, PENDING, FULL, TIMEOUT, THREW, PROTOCOL as PROTOCOL_ERROR, STAGE_COUNT, isStatus } from "./status";

/**
 * The engine alone owns device state, and changes it only after the device's hook answered OK, to the
 * row's state (Zephyr: the callback acts, the core records). Order within a stage: ready.ts. A
 * suspend-direction failure stops dispatch and waits for hooks in flight (budgets bound the wait); a
 * resume-direction failure marks the device failed and the rest go on.
 */
export class StageEngine {
  /** Device states and the run's members; only the engine changes states. */
  readonly members: Members;
  private stageId = -1;
  private row: StageRow = STAGES[0];
  /** A suspend-direction failure stopped dispatch. */
  private failedFlag = false;
  /** A wake stopped dispatch: the hooks in flight finish (or time out), nothing else starts. */
  private stopping = false;
  /** The run's first failure (device, status); in the resume direction the rest go on after it. */
  private failDev = -1;
  private failSt = OK;
  private readonly g: DeviceGraph;
  private readonly platform: Platform;
  private readonly rec: Recorder;
  private readonly arena: StateArena;
  private readonly blocks: BlockPool;
  private readonly owner: EngineOwner;
  private readonly hooks: HookTable;
  private readonly ready: ReadyQueue;
  private readonly flight: InFlight;
  private remaining = 0;
  private pumping = false;
  private settled = true;
  private earlyStatus = -1;
  /** When the hook being called started (a throw's duration). */
  private callStart = 0;

  constructor(g: DeviceGraph, platform: Platform, rec: Recorder, arena: StateArena, blocks: BlockPool, owner: EngineOwner) {
    const n = g.maxDevices;
    this.g = g;
    this.platform = platform;
    this.rec = rec;
    this.arena = arena;
    this.blocks = blocks;
    this.owner = owner;
    this.members = new Members(n, () => g.count);
    this.hooks = new HookTable(n);
    this.ready = new ReadyQueue(g);
    this.flight = new InFlight(platform, n, () => g.count, () => this.onTimer());
  }

  /** Boot (seal): looks each device's hooks up once. @boot */
  bindHooks(): void {
    this.hooks.bind(this.g);
    this.ready.bind();
  }

  /** The stage last run (or running), and its result: failed, which device, what status. */
  get stage(): number { return this.stageId; }
  /** The last run failed (a suspend-direction failure or a wake stopped it). */ get failed(): boolean { return this.failedFlag; }
  /** The run's first failing device, -1 none. */ get failDevice(): number { return this.failDev; }
  /** The run's first failure status, OK none. */ get failStatus(): number { return this.failSt; }
  /** The last run was stopped part-way by `stopStarting`. */
  get stopped(): boolean { return this.stopping; }

  /** A wake during a stage whose hooks may pend: start nobody else; the stage ends when those in flight do. */
  stopStarting(): void {
    if (this.settled || !this.row.mayPend) return;
    this.stopping = true;
    this.failedFlag = true;
  }

  /** Device `d`'s state (D_*). */ state(d: number): number { return this.members.state(d); }
  /** Whether `token` is a hook still in flight. */ holds(token: number): boolean { return this.flight.holds(token); } // device d's stage in flight, also inside its own hook
  /** After a reboot from a hibernate image every device is off, its area already filled. */
  adoptImage(): void { this.members.adoptImage(this.arena); }
  /** Boot: marks `d` failed. */ failAtBoot(d: number): void { this.members.fail(d); } // a chip that did not start

  /** Runs `stage` over the selected members; the owner's `stageEnded` reports the end (maybe before this returns). */ run(stage: number): void {
    const row = STAGES[stage];
    this.stageId = stage;
    this.row = row;
    this.failedFlag = false;
    this.stopping = false;
    this.failDev = -1;
    this.failSt = OK;
    this.members.beginRun();
    if (row.pools === POOLS_RELEASE) {
      // The mirror of S1: frees the members' reservations; no hook, so it ends at once.
      this.members.release(this.arena, this.blocks, this.rec, this.platform.now(), stage, row.reaches);
      return this.owner.stageEnded(stage, -1, OK);
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
    if (typeof token !== "number" || !this.flight.holds(token)) {
      const known = d < this.g.count;
      this.rec.late(this.platform.now(), known ? d : -1, known ? this.flight.hookStage[d] : this.stageId, status);
      return;
    }
    const now = this.platform.now();
    if (!isStatus(status) || status === PENDING) {
      this.rec.badAnswer(now, d, this.stageId, status, 0);
      status = PROTOCOL_ERROR;
    }
    // Completed inside its own hook call: taken when the hook returns (if it then answers PENDING).
    if (this.flight.inHook === d) return void (this.earlyStatus = status);
    this.flight.done(d);
    this.finish(d, status, now, this.flight.elapsed(d, now));
    this.pump();
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
        this.flight.inHook = -1;
        this.pumping = d >= 0;
        if (d < 0) throw e;
        const now = this.platform.now();
        this.finish(d, THREW, now, now - this.callStart);
      }
    }
    this.pumping = false;
    this.settle();
  }

  /**
   * The hot loop. A synchronous OK answer (the common case) is handled here with locals and the
   * member arrays; anything else (S1's reservations, PENDING, an error) goes through `start`/`finish`.
   */
  private pass(): void {
    const ready = this.ready;
    const stage = this.stageId;
    const row = this.row;
    const reserve = row.pools === POOLS_RESERVE;
    const m = this.members, member = m.member, states = m.stateOf, advanced = m.advanced, reaches = row.reaches;
    const fns = this.hooks.fn, selves = this.hooks.self;
    const flight = this.flight, gens = flight.gen, hookStage = flight.hookStage;
    const rec = this.rec, platform = this.platform;
    const order = ready.order, n = order.length;
    let prev = platform.now();
    while (!this.failedFlag) {
      let d: number;
      if (ready.cursor < n) {
        // ready.next(), inline for the ordered pass: this loop runs once per device per stage.
        d = order[ready.cursor++];
        if (member[d] === 0) continue;
        if (ready.counting && !ready.depsDone(d)) {
          ready.skip(d);
          continue;
        }
      } else {
        d = ready.next();
        if (d < 0) return;
      }
      if (reserve && !this.reserve(d)) {
        this.answered(d, FULL, prev);
        prev = platform.now();
        continue;
      }
      // flight.issue(d, stage), inline.
      const gen = (gens[d] + 1) & GEN_MASK;
      gens[d] = gen;
      hookStage[d] = stage;
      const token = (gen << TOKEN_SHIFT) | d;
      this.callStart = prev;
      flight.inHook = d;
      this.earlyStatus = -1;
      const f = fns[d * STAGE_COUNT + stage];
      let status = f === null ? OK : f.call(selves[d], token);
      flight.inHook = -1;
      // Completed during its own call: it must then answer PENDING; answering too is a protocol error.
      if (this.earlyStatus >= 0) status = status === PENDING ? this.earlyStatus : PROTOCOL_ERROR;
      if (status === OK) {
        const now = platform.now();
        this.remaining--;
        states[d] = reaches;
        advanced[m.advancedCount++] = d;
        rec.hookDone(now, d, stage, now - prev);
        if (ready.counting) ready.finished(d);
        else ready.finishedIn[d] = ready.serial;
        prev = now;
      } else {
        this.answered(d, status, prev);
        prev = platform.now();
      }
    }
  }

  /** S1's reservations before the hook: the device's state area and its request blocks. */
  private reserve(d: number): boolean {
    this.arena.reserve(d);
    return this.blocks.reserve(d, this.g.requestBlocks[d]);
  }

  /** Device d's hook, called at `at`, answered `status` (anything: PENDING waits, the rest finishes). */
  private answered(d: number, status: number, at: number): void {
    if (!isStatus(status)) {
      // undefined from a forgotten return, 1.5, true, 70000: a protocol error, named (stats keep what it was).
      this.rec.badAnswer(at, d, this.stageId, status, 0);
      status = PROTOCOL_ERROR;
    }
    if (status === PENDING) {
      if (this.row.mayPend) {
        this.rec.hookPending(at, d, this.stageId);
        this.flight.await(d, at, this.g.budgetUs[d * STAGE_COUNT + this.stageId]);
        this.ready.counting = true;
        return;
      }
      this.rec.badAnswer(at, d, this.stageId, status, BAD_PENDING); // PENDING from a masked, synchronous stage
      status = PROTOCOL_ERROR;
    }
    const end = this.platform.now();
    this.finish(d, status, end, end - at);
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
      this.failedFlag = true; // the first failure is the stage's, even after a wake stopped dispatch
      if (this.failDev < 0) {
        this.failDev = d;
        this.failSt = status;
      }
      return;
    } else {
      this.members.fail(d);
      if (this.failSt === OK) {
        this.failSt = status;
        this.failDev = d;
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
    this.owner.stageEnded(this.stageId, this.failDev, this.failSt);
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
      this.finish(d, TIMEOUT, now, this.flight.elapsed(d, now));
    }
    this.pump();
  }
}
