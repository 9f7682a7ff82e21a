// A stage run's bookkeeping: who answered what, the first failure, when the run settles; the engine's slow paths.
import type { DeviceGraph } from "./graph";
import type { Platform } from "./platform";
import { InFlight, TOKEN_STRIDE, NO_HOOK } from "./in-flight";
import { HookTable } from "./hook-table";
import { ReadyQueue } from "./ready";
import { Inbox } from "./inbox";
import { Members } from "./members";
import { type Recorder, BAD_PENDING, BAD_COMPLETED } from "./recorder";
import type { EngineOwner } from "./engine-owner";
import type { StateArena, BlockPool } from "./pools";
import type { HibernateImage } from "./image";
import { STAGES, DIR_SUSPEND, POOLS_RESERVE, isStage, type StageRow } from "./protocol";
import { OK, PENDING, TIMEOUT, THREW, PROTOCOL as PROTOCOL_ERROR, STAGE_COUNT, isStatus } from "./status";

/**
 * The engine alone owns device state, and changes it only after the device's hook answered OK, to the
 * row's state (Zephyr: the callback acts, the core records). A suspend-direction failure stops
 * dispatch and waits for hooks in flight (budgets bound the wait); a resume-direction failure marks
 * the device failed and the rest go on. This class holds a run's state and every answer but the
 * common one; the walk that makes the calls, and takes a synchronous OK itself, is engine.ts.
 * Invariant: `remaining` is the members that have not finished; the run settles when it is 0, or
 * when a failure stopped it and nothing is in flight.
 */
export abstract class StageRun {
  // What the walk and `complete` read on every call come first: XS finds a property by walking the slots in order.
  protected readonly flight: InFlight;
  protected readonly platform: Platform;
  protected pumping = false;
  protected remaining = 0;
  protected readonly ready: ReadyQueue;
  /** Device states and the run's members; only the engine changes states. */
  readonly members: Members;
  protected stageId = -1;
  protected row: StageRow = STAGES[0];
  /** A suspend-direction failure stopped dispatch. */
  protected failedFlag = false;
  /** A wake stopped dispatch: the hooks in flight finish (or time out), nothing else starts. */
  protected stopping = false;
  /** The run's first failure (device, status); in the resume direction the rest go on after it. */
  protected failDev = -1;
  protected failSt = OK;
  protected readonly g: DeviceGraph;
  protected readonly rec: Recorder;
  protected readonly arena: StateArena;
  protected readonly blocks: BlockPool;
  protected readonly owner: EngineOwner;
  protected settled = true;
  /** Completions that arrived while the walk runs (from inside a hook): taken as soon as that hook returns. */
  protected readonly inbox: Inbox;
  /** Per stage, per device: what the walk calls the stage's hook on (bound at seal). */
  protected readonly hooks: HookTable;
  /** Set per run: a done record's code less the device (trace.ts `traceTag`), and the stage's duration rows. */
  protected doneTag = 0;
  protected last: Int32Array;
  protected max: Int32Array;

  constructor(g: DeviceGraph, platform: Platform, rec: Recorder, arena: StateArena, blocks: BlockPool, owner: EngineOwner) {
    const n = g.maxDevices;
    this.g = g;
    this.platform = platform;
    this.rec = rec;
    this.arena = arena;
    this.blocks = blocks;
    this.owner = owner;
    this.members = new Members(n, () => g.count);
    this.ready = new ReadyQueue(g);
    this.flight = new InFlight(platform, n, () => g.count, () => this.onTimer());
    this.inbox = new Inbox(n);
    this.hooks = new HookTable(n);
    this.last = rec.stats.lastByStage[0];
    this.max = rec.stats.maxByStage[0];
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
    // Inside the walk (a hook raised the wake): the walk looks at its inbox after every call, not at this flag.
    if (this.pumping) this.inbox.stop();
  }

  /** Device `d`'s state (D_*). */ state(d: number): number { return this.members.state(d); }
  /** Whether `token` is a hook still in flight. */ holds(token: number): boolean { return this.flight.holds(token); } // device d's stage in flight, also inside its own hook
  /** After a reboot from a hibernate image every device is off, its area already filled. */
  adoptImage(image: HibernateImage): void { this.members.adoptImage(this.arena, image); }
  /** Boot: marks `d` failed. */ failAtBoot(d: number): void { this.members.fail(d); } // a chip that did not start

  /** d completed its own stage inside its hook: taken when the hook returns (it must answer PENDING); a second is late. */
  protected early(token: number, d: number, status: number): void {
    const now = this.platform.now(); // as for any completion: a clock that costs time sees the same reads
    if (status !== OK && (!isStatus(status) || status === PENDING)) {
      this.rec.badAnswer(now, d, this.stageId, status, 0);
      status = PROTOCOL_ERROR;
    }
    return this.inbox.own < 0 ? this.inbox.early(status) : this.late(token, status);
  }

  protected late(token: unknown, status: number): void {
    // Only an integer names a device and a run; anything else is recorded as from no device, at no stage.
    const valid = typeof token === "number" && (token | 0) === token && token >= 0;
    const d = valid ? (token as number) & (TOKEN_STRIDE - 1) : -1;
    const stage = valid ? this.flight.stageOf(token as number) : -1;
    // A run older than the last 64 is not remembered: its stage is recorded as unknown (-1), not guessed.
    // A value that is no status is recorded as PROTOCOL: the record's 10 status bits could alias a real one.
    this.rec.late(this.platform.now(), d < this.g.count ? d : -1, isStage(stage) ? stage : -1, isStatus(status) ? status : PROTOCOL_ERROR);
  }


  /**
   * Completions that arrived during a hook call: other devices' finish now; the called device's own
   * (`status` is what its hook answered, -1 outside a call) must come with PENDING, else it is a
   * protocol error. Returns the called device's status.
   */
  protected takeInbox(status: number, d: number): number {
    const inbox = this.inbox;
    inbox.takeStop();
    const own = inbox.takeOwn();
    // Completed inside its own call, then answered something other than PENDING: counted once (a completion that was no
    // status was counted already), as what it answered when that is no status either.
    if (own >= 0 && own !== PROTOCOL_ERROR && status !== PENDING && d >= 0) this.rec.badAnswer(this.platform.now(), d, this.stageId, status, isStatus(status) ? BAD_COMPLETED : 0);
    if (own >= 0) status = status === PENDING ? own : PROTOCOL_ERROR;
    // A finish may make a driver complete again (its give-up listener): the count is read each step.
    for (let k = 0; k < inbox.count; k++) this.finish(inbox.device[k], inbox.status[k], inbox.at[k], inbox.us[k]);
    inbox.clear();
    return status;
  }

  /** The walk's locals written back: `ac` members have advanced in this run so far. */
  protected sync(ac: number): void {
    this.remaining -= ac - this.members.advancedCount;
    this.members.advancedCount = ac;
  }

  /** Device d's call, made at `at`, answered `status` after a stop came during it: it still counts. */
  protected lastAnswer(d: number, status: number, at: number): void {
    const now = this.platform.now();
    if (status === OK) this.finish(d, OK, now, now - at);
    else this.answered(d, status, at);
  }

  /**
   * Something threw inside the walk (its locals written back; `at` is when the current call was made).
   * A driver's exception is its stage failing (THREW); anything thrown outside a hook is the runtime's
   * own and goes on up. That includes a throw after the last device called had answered OK (the walks keep
   * `inHook` set until the next call): its state is this run's already, so it stays advanced.
   * Returns the clock read after it.
   */
  protected threw(e: unknown, at: number): number {
    const d = this.flight.inHook;
    this.flight.inHook = NO_HOOK;
    // A member's state is this run's only once its hook answered OK (no run starts a member already there).
    if (d < 0 || this.members.stateOf[d] === this.row.reaches) throw e;
    this.inbox.takeOwn();
    // Completions the throwing hook made came before its throw: they are taken first.
    if (this.inbox.notes !== 0) this.takeInbox(-1, -1);
    const now = this.platform.now();
    this.rec.stats.recordThrow(d, this.stageId, e);
    this.finish(d, THREW, now, now - at);
    return now;
  }

  /** Device d's hook, called at `at`, answered `status` (anything: PENDING waits, the rest finishes). */
  protected answered(d: number, status: number, at: number): void {
    if (status !== PENDING && !isStatus(status)) {
      // undefined from a forgotten return, 1.5, true, 70000: a protocol error, named (stats keep what it was).
      this.rec.badAnswer(at, d, this.stageId, status, 0);
      status = PROTOCOL_ERROR;
    }
    if (status === PENDING) {
      if (this.row.mayPend) {
        // Awaited before its record is written: a trace listener may complete it from that record.
        this.flight.await(d, at, this.g.budgetUs[d * STAGE_COUNT + this.stageId]);
        this.ready.hold(d);
        this.rec.hookPending(at, d, this.stageId);
        return;
      }
      this.rec.badAnswer(at, d, this.stageId, status, BAD_PENDING); // PENDING from a masked, synchronous stage
      status = PROTOCOL_ERROR;
    }
    const end = this.platform.now();
    this.finish(d, status, end, end - at);
  }

  /** Device d's hook answered `status` at `now` after `us` microseconds. */
  protected finish(d: number, status: number, now: number, us: number): void {
    const stage = this.stageId;
    const row = this.row;
    this.remaining--;
    if (status === OK) {
      const m = this.members;
      m.stateOf[d] = row.reaches;
      m.advancedCount++;
      this.rec.hookDone(now, d, stage, us);
      return this.ready.finished(d);
    }
    const suspendDir = row.dir === DIR_SUSPEND;
    this.rec.hookEnd(now, d, stage, us, status, suspendDir);
    if (suspendDir) {
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
    }
    this.members.fail(d);
    if (this.failSt === OK) {
      this.failSt = status;
      this.failDev = d;
    }
    this.owner.gaveUp(d, stage, status);
    this.ready.finished(d);
  }

  protected settle(): void {
    if (this.settled || this.pumping) return;
    if (this.remaining > 0 && !(this.failedFlag && this.flight.count === 0)) return;
    this.settled = true;
    this.ready.balanced = !this.failedFlag;
    this.flight.stop();
    this.owner.stageEnded(this.stageId, this.failDev, this.failSt);
  }

  /** The budget timer fired: every awaited hook past its deadline fails with TIMEOUT. */
  protected onTimer(): void {
    this.flight.fired();
    const now = this.platform.now();
    // A give-up listener may complete another device: that waits in the inbox (as during the walk) so
    // the expiries finish against this run's row before anything else can end the stage.
    const was = this.pumping;
    this.pumping = true;
    try {
      for (let d = this.flight.nextExpired(now); d >= 0; d = this.flight.nextExpired(now)) {
        this.flight.expire(d);
        this.rec.timeout(now, d, this.stageId);
        // A resume-direction timeout marks the device failed: `finish` tells the owner once, then.
        if (this.row.dir === DIR_SUSPEND) this.owner.gaveUp(d, this.stageId, TIMEOUT);
        // Fired inside the walk (a platform whose timers can fire inside a hook's call; an event loop's cannot):
        // the expiry waits in the inbox as a completion would, so the counts the walk keeps in locals stay exact.
        if (was) this.inbox.put(d, TIMEOUT, now, this.flight.elapsed(d, now));
        else this.finish(d, TIMEOUT, now, this.flight.elapsed(d, now));
      }
    } finally {
      this.pumping = was;
    }
    // Inside a walk, that walk takes the expiries and what a listener completed meanwhile.
    if (!was) this.takeThenPump();
  }

  /** An error completion outside the walk: `finish`, with what its record's listener completes waiting in the inbox. */
  protected finishOutside(d: number, status: number, now: number, us: number): void {
    this.pumping = true;
    this.finish(d, status, now, us);
    this.pumping = false;
  }

  /** Completions a record's listener made outside a walk (`complete`, a budget expiry): taken before anyone else starts. */
  protected takeThenPump(): void {
    this.pumping = true;
    try {
      if (this.inbox.notes !== 0) this.takeInbox(-1, -1);
    } finally {
      this.pumping = false;
    }
    this.pump(this.platform.now());
  }


  /** Runs the walk until nothing more can start now (engine.ts); `now` a clock read just made, the first call's start. */
  protected abstract pump(now: number): void;
}
