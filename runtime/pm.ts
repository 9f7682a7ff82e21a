// The power manager: sequences S1..R2 and platform sleep, rolls back failures and wakeups, answers BUSY.
import type { DeviceSpec, PmConfig } from "./driver";
import type { Platform } from "./platform";
import { DeviceGraph } from "./graph";
import { StageEngine } from "./engine";
import { IrqController } from "./irq";
import { StateArena, BlockPool } from "./pools";
import { PmStats } from "./stats";
import { FlightRecorder, F_OUTCOME, F_FAIL_DEVICE, F_FAIL_STAGE, F_WAKE, F_PARKED, F_TOTAL_US, F_STAGES } from "./flight";
import type { RequestQueue } from "./queue";
import {
  TraceRing, E_SUSPEND_BEGIN, E_STAGE_BEGIN, E_STAGE_END, E_ROLLBACK, E_MASK, E_UNMASK, E_WAKE,
  E_SLEEP_ENTER, E_SLEEP_EXIT, E_SUSPEND_END, E_BUSY, E_RELEASE, E_IRQ_LATCH, E_IRQ_DELIVER,
} from "./trace";
import {
  OK, BUSY, WAKEUP, INVALID, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME, S_RELEASE,
  D_ACTIVE, D_FAILED, D_OFF, ROLE_WAKE, TEST_DEVICES, TEST_NONE, T_STANDBY, T_HIBERNATE, WAKE_NONE, WAKE_TEST_HOLD, WAKE_RESET,
} from "./status";

export const P_IDLE = 0;
export const P_SUSPENDING = 1;
export const P_SLEEPING = 2;
export const P_RESUMING = 3;
export const P_ROLLBACK = 4;

/**
 * Owns the state machine (Zephyr subsys/pm); drivers only act and answer. Everything is allocated in
 * the constructor and `seal`; from `suspend` until the system is active again nothing allocates.
 * Masking: S3, platform sleep and R1 run inside one mask window (IRQs masked, one CPU).
 */
export class PowerManager {
  readonly config: PmConfig;
  readonly graph: DeviceGraph;
  readonly irq: IrqController;
  readonly arena: StateArena;
  readonly blocks: BlockPool;
  readonly trace: TraceRing;
  readonly stats: PmStats;
  readonly platform: Platform;
  readonly flight: FlightRecorder;
  /** Request queues registered at boot, for parked-request counts (stats, flight recorder, trace counters). */
  readonly queues: RequestQueue[] = [];
  private readonly engine: StageEngine;
  private flightBase = 0;
  private parkedAtStart = 0;
  phase = P_IDLE;
  target = T_STANDBY;
  test = TEST_NONE;
  /** True while resuming after a reboot from a hibernate image (drivers restore from the arena). */
  fromImage = false;
  /** Outcome of the attempt in progress (first failure), reported at the end. */
  private outcome = OK;
  /** Deepest suspend stage every member completed; the stage that failed and its partial set. */
  private fullLevel = -1;
  private failedStage = -1;
  private stageStart = 0;
  private attemptStart = 0;
  private rollbackStep = -1;
  /** The PM's own mask window (S3 .. R1) is open: exactly one level of the IRQ controller's nesting. */
  private maskedByPm = false;
  private readonly holdTimer: number;
  private onDone: ((status: number) => void) | null = null;

  constructor(config: PmConfig, platform: Platform) {
    this.config = config;
    this.platform = platform;
    this.graph = new DeviceGraph(config.board, config.maxDevices);
    this.irq = new IrqController(config.irqLines);
    this.irq.setPlatform(platform);
    const records = config.flightRecords ?? 8;
    this.arena = new StateArena(config.stateArenaBytes, config.maxDevices, FlightRecorder.bytesFor(records));
    this.flight = new FlightRecorder(this.arena.buffer, 0, records);
    this.blocks = new BlockPool(config.blockCount, config.blockSize, config.maxDevices);
    this.trace = new TraceRing(config.traceRecords);
    this.stats = new PmStats(config.maxDevices, config.failureHistory);
    this.engine = new StageEngine(this.graph, platform, this.trace, this.stats, this.arena, this.blocks,
      () => this.stageDone());
    this.holdTimer = platform.createTimer(() => this.holdOver(WAKE_TEST_HOLD));
    platform.setWakeCallback((cause: number) => this.woke(cause));
    this.irq.setWakeListener((line: number) => this.wakeRaised(line));
    this.irq.setObserver((line: number, event: number) =>
      this.trace.record(this.platform.now(), -1, -1, event === 0 ? E_IRQ_LATCH : E_IRQ_DELIVER, line));
  }

  /** Boot: adds a device. Returns its id (drivers keep it for `complete`, state areas and blocks). */
  register(spec: DeviceSpec): number {
    return this.graph.register(spec, this.config.defaultBudgetUs);
  }

  /** Boot: a driver's request queue, counted in stats and the flight recorder. */
  registerQueue(queue: RequestQueue): void {
    this.queues.push(queue);
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

  /** Boot: freezes the registry and checks pools against the devices' declared needs. */
  seal(): void {
    const g = this.graph;
    g.seal();
    let blocks = 0;
    let bytes = 0;
    for (let d = 0; d < g.count; d++) {
      blocks += g.requestBlocks[d];
      bytes += g.stateBytes[d];
    }
    if (bytes > this.config.stateArenaBytes) {
      throw new Error("state arena too small: devices declare " + bytes + " bytes of state, the arena has " +
        this.config.stateArenaBytes + ": raise stateArenaBytes in " + this.config.board);
    }
    for (let d = 0; d < g.count; d++) this.arena.layout(d, g.stateBytes[d]);
    for (let d = 0; d < g.count; d++) if (g.wakeLine[d] >= 0 && (g.roles[d] & ROLE_WAKE) !== 0) this.irq.markWake(g.wakeLine[d]);
    if (blocks > this.config.blockCount) {
      throw new Error("request block pool too small: devices reserve " + blocks + " blocks, the pool has " +
        this.config.blockCount + ": raise blockCount in " + this.config.board);
    }
  }

  /** Registered once: called with the outcome when an attempt ends and the system is active again. */
  setDoneCallback(callback: (status: number) => void): void {
    this.onDone = callback;
  }

  deviceState(d: number): number {
    return this.engine.state[d];
  }

  /** A driver's PENDING hook finished. */
  complete(token: number, status: number): void {
    this.engine.complete(token, status);
  }

  /** Marks a failed device usable again (after its driver re-initialised it). */
  recover(d: number): void {
    if (this.phase === P_IDLE && this.engine.state[d] === D_FAILED) this.engine.state[d] = D_ACTIVE;
  }

  /** Starts a suspend. OK: started (it may already have finished); BUSY: one is in progress. */
  suspend(target: number, test: number): number {
    const now = this.platform.now();
    if (this.phase !== P_IDLE) {
      this.stats.busyRefusals++;
      this.trace.record(now, -1, -1, E_BUSY, BUSY);
      return BUSY;
    }
    if (target !== T_STANDBY && target !== T_HIBERNATE) return INVALID;
    this.stats.attempts++;
    this.target = target;
    this.test = test;
    this.fromImage = false;
    this.outcome = OK;
    this.fullLevel = -1;
    this.failedStage = -1;
    this.attemptStart = now;
    this.beginFlight(now);
    this.phase = P_SUSPENDING;
    this.irq.armWake();
    this.trace.record(now, -1, -1, E_SUSPEND_BEGIN, target);
    this.engine.selectAll(D_FAILED);
    this.runStage(S_PREPARE);
    return OK;
  }

  /**
   * After a reboot from `hibernate`: the arena already holds the image. Every device is treated as
   * off and goes through R1 and R2, which restore it from its area.
   */
  resumeFromImage(cause: number): number {
    if (this.phase !== P_IDLE) return BUSY;
    const g = this.graph;
    for (let d = 0; d < g.count; d++) {
      this.engine.state[d] = D_OFF;
      this.arena.adopt(d);
    }
    this.stats.attempts++;
    this.target = T_HIBERNATE;
    this.test = TEST_NONE;
    this.fromImage = true;
    this.outcome = OK;
    this.fullLevel = S_POWER_OFF;
    this.failedStage = -1;
    this.attemptStart = this.platform.now();
    this.stageStart = this.attemptStart;
    // The attempt that hibernated was recorded up to S3 in the image: continue that record. Times from
    // before the reboot used the old boot's clock, so sleep and total durations are unknown (-1).
    this.flight.restore();
    this.flightBase = this.flight.current();
    this.parkedAtStart = this.parkedTotal();
    this.phase = P_SLEEPING;
    this.mask();
    this.woke(cause === WAKE_NONE ? WAKE_RESET : cause);
    return OK;
  }

  private beginFlight(now: number): void {
    this.stats.stageDuration.fill(0);
    this.flightBase = this.flight.begin(now, this.target);
    this.parkedAtStart = this.parkedTotal();
  }

  /** Written to stats and the flight record at once: reading a Float64Array back would box a double on V8's interpreter. */
  private stageTook(stage: number, us: number): void {
    this.stats.stageDuration[stage] = us;
    this.flight.table[this.flightBase + F_STAGES + stage] = us;
  }

  private endFlight(now: number): void {
    const t = this.flight.table;
    const base = this.flightBase;
    t[base + F_OUTCOME] = this.outcome;
    t[base + F_PARKED] = this.parkedTotal() - this.parkedAtStart;
    t[base + F_TOTAL_US] = this.fromImage ? -1 : now - this.attemptStart;
    if (this.fromImage) t[base + F_STAGES + S_PLATFORM] = -1;
    // A resume-stage failure is the attempt's failure too when nothing failed on the way down.
    if (this.outcome !== OK && this.failedStage < 0) {
      const slot = this.stats.failureSlot(0);
      if (slot >= 0) {
        t[base + F_FAIL_DEVICE] = this.stats.failDevice[slot];
        t[base + F_FAIL_STAGE] = this.stats.failStage[slot];
      }
    }
    this.flight.end(base);
  }

  private runStage(stage: number): void {
    this.stageStart = this.platform.now();
    this.trace.record(this.stageStart, -1, stage, E_STAGE_BEGIN, OK);
    this.engine.run(stage);
  }

  private stageDone(): void {
    const e = this.engine;
    const stage = e.stage;
    const now = this.platform.now();
    this.stageTook(stage, now - this.stageStart);
    this.trace.record(now, -1, stage, E_STAGE_END, e.failed ? e.failStatus : e.resumeStatus);
    if (this.phase === P_ROLLBACK) {
      if (e.resumeStatus !== OK && this.outcome === OK) this.outcome = e.resumeStatus;
      this.rollbackNext();
      return;
    }
    if (stage <= S_POWER_OFF) {
      if (e.failed) {
        this.abort(stage, e.failDevice, e.failStatus);
        return;
      }
      this.fullLevel = stage;
      // Wakeup check at every boundary: a wake after S1 started aborts until the platform sleeps.
      if (this.irq.wakeLine >= 0) {
        this.abortWake(stage + 1);
        return;
      }
      if (stage === S_PREPARE) {
        if (this.target === T_HIBERNATE) {
          // The image is written during S2, before S2's and S3's durations exist: the copy that survives
          // the reboot says "unknown" (-1); in RAM the real values overwrite these (rollback, test holds).
          this.flight.table[this.flightBase + F_STAGES + S_SUSPEND] = -1;
          this.flight.table[this.flightBase + F_STAGES + S_POWER_OFF] = -1;
        }
        this.runStage(S_SUSPEND);
      } else if (stage === S_SUSPEND) {
        this.mask();
        this.runStage(S_POWER_OFF);
      } else {
        this.sleep();
      }
      return;
    }
    if (e.resumeStatus !== OK && this.outcome === OK) this.outcome = e.resumeStatus;
    if (stage === S_POWER_ON) {
      this.unmask();
      e.selectAll(D_FAILED);
      this.runStage(S_RESUME);
      return;
    }
    this.releaseAll(false);
    this.finish();
  }

  private sleep(): void {
    const now = this.platform.now();
    this.phase = P_SLEEPING;
    this.stageStart = now;
    this.trace.record(now, -1, S_PLATFORM, E_SLEEP_ENTER, this.target);
    if (this.test === TEST_DEVICES) {
      // No platform call: hold in the event loop, which needs IRQs on (a JS timer cannot fire inside the critical section).
      this.unmask();
      this.platform.schedule(this.holdTimer, this.config.testHoldUs);
      return;
    }
    const cause = this.platform.sleep(this.target, this.test, this.config.testHoldUs);
    if (cause !== WAKE_NONE) this.woke(cause);
  }

  private holdOver(cause: number): void {
    if (this.phase !== P_SLEEPING || this.test !== TEST_DEVICES) return;
    this.platform.cancel(this.holdTimer);
    this.mask();
    this.woke(cause);
  }

  private wakeRaised(line: number): void {
    this.trace.record(this.platform.now(), -1, -1, E_WAKE, line);
    // During a devices-level test hold, a wake source ends the hold like it would end a sleep.
    if (this.phase === P_SLEEPING && this.test === TEST_DEVICES && !this.irq.masked) this.holdOver(line);
  }

  private woke(cause: number): void {
    if (this.phase !== P_SLEEPING) return;
    const now = this.platform.now();
    this.stageTook(S_PLATFORM, now - this.stageStart);
    this.trace.record(now, -1, S_PLATFORM, E_SLEEP_EXIT, cause);
    this.stats.lastWakeCause = cause;
    this.stats.lastWakeTime = now;
    this.flight.table[this.flightBase + F_WAKE] = cause;
    this.phase = P_RESUMING;
    this.engine.selectAll(D_FAILED);
    this.runStage(S_POWER_ON);
  }

  private abortWake(stage: number): void {
    this.stats.wakeAborts++;
    this.stats.lastWakeCause = this.irq.wakeLine;
    this.stats.lastWakeTime = this.platform.now();
    this.flight.table[this.flightBase + F_WAKE] = this.irq.wakeLine;
    this.engine.selectNone();
    this.engine.advancedCount = 0;
    this.abort(stage, this.wakeDevice(this.irq.wakeLine), WAKEUP);
  }

  private wakeDevice(line: number): number {
    const g = this.graph;
    for (let d = 0; d < g.count; d++) if (g.wakeLine[d] === line) return d;
    return -1;
  }

  /** A suspend stage failed (or a wake arrived): undo exactly what advanced, in reverse, via the mirrors. */
  private abort(stage: number, device: number, status: number): void {
    const now = this.platform.now();
    this.stats.failures++;
    this.stats.recordFailure(now, device, stage, status);
    this.outcome = status;
    this.failedStage = stage;
    this.flight.table[this.flightBase + F_FAIL_DEVICE] = device;
    this.flight.table[this.flightBase + F_FAIL_STAGE] = stage;
    this.phase = P_ROLLBACK;
    this.trace.record(now, device, stage, E_ROLLBACK, status);
    this.rollbackStep = 0;
    this.rollbackNext();
  }

  /**
   * Steps: 0 mirror S3 with R1, 1 unmask, 2 mirror S2 with R2, 3 release S1's reservations. Each mirror
   * runs over every device if the whole stage completed, or over the `advanced` list of the failed stage.
   */
  private rollbackNext(): void {
    const e = this.engine;
    while (this.rollbackStep <= 3) {
      const step = this.rollbackStep++;
      if (step === 1) {
        if (this.maskedByPm) this.unmask();
        continue;
      }
      const undo = step === 0 ? S_POWER_OFF : step === 2 ? S_SUSPEND : S_PREPARE;
      if (this.fullLevel >= undo) {
        e.selectAll(D_FAILED);
      } else if (this.failedStage === undo) {
        e.selectAdvanced();
      } else {
        continue;
      }
      if (step === 3) {
        this.releaseAll(true);
        continue;
      }
      this.runStage(step === 0 ? S_POWER_ON : S_RESUME);
      return;
    }
    this.finish();
  }

  /** Mirror of S1 (after R2, or in rollback over the selected members). */
  private releaseAll(membersOnly: boolean): void {
    const g = this.graph;
    const e = this.engine;
    const now = this.platform.now();
    for (let d = 0; d < g.count; d++) {
      if (membersOnly && !e.isMember(d)) continue;
      if (!this.arena.isReserved(d) && e.state[d] === D_ACTIVE) continue;
      this.arena.release(d);
      this.blocks.unreserve(d);
      if (e.state[d] !== D_FAILED) e.state[d] = D_ACTIVE;
      this.trace.record(now, d, S_RELEASE, E_RELEASE, OK);
    }
  }

  private finish(): void {
    const now = this.platform.now();
    this.irq.disarmWake();
    if (this.maskedByPm) this.unmask();
    this.phase = P_IDLE;
    if (this.outcome === OK) this.stats.successes++;
    this.stats.lastOutcome = this.outcome;
    this.stats.stageDuration[S_RELEASE] = now - this.attemptStart;
    this.endFlight(now);
    this.fromImage = false;
    this.trace.record(now, -1, -1, E_SUSPEND_END, this.outcome);
    if (this.onDone !== null) this.onDone(this.outcome);
  }

  private mask(): void {
    if (this.maskedByPm) return;
    this.maskedByPm = true;
    this.irq.mask();
    this.platform.enterSingleCpu();
    this.trace.record(this.platform.now(), -1, -1, E_MASK, OK);
  }

  private unmask(): void {
    if (!this.maskedByPm) return;
    this.maskedByPm = false;
    this.platform.leaveSingleCpu();
    this.trace.record(this.platform.now(), -1, -1, E_UNMASK, OK);
    this.irq.unmask();
  }
}
