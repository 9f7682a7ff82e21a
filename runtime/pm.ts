// The power manager: sequences the protocol table's stages and the platform sleep, rolls back failures and wakeups.
import type { DeviceSpec, PmConfig } from "./driver";
import type { Platform } from "./platform";
import type { DevicePort } from "./port";
import { DeviceGraph } from "./graph";
import { StageEngine, type EngineOwner } from "./engine";
import { IrqController } from "./irq";
import { StateArena, BlockPool, checkPools } from "./pools";
import { PmStats } from "./stats";
import { FlightRecorder } from "./flight";
import { TraceRing } from "./trace";
import { Recorder } from "./recorder";
import { MaskWindow } from "./mask";
import { SleepStage } from "./sleep";
import { RollbackWalk } from "./rollback";
import { RuntimePort, type PortHost } from "./device-port";
import type { RequestQueue } from "./queue";
import { STAGES, DIR_SUSPEND, RUN_HOOK, RUN_PLATFORM, FIRST_STAGE, IMAGE_RESUME_STAGE, SLEEP_STAGE, isStage, isSuspendStage } from "./protocol";
import {
  OK, BUSY, WAKEUP, INVALID, S_RELEASE, ROLE_WAKE, TEST_DEVICES, TEST_NONE, TEST_PLATFORM, T_STANDBY, T_HIBERNATE,
  WAKE_NONE, WAKE_RESET,
} from "./status";
import { P_IDLE, P_SUSPENDING, P_SLEEPING, P_RESUMING, P_ROLLBACK } from "./phase";
export { P_IDLE, P_SUSPENDING, P_SLEEPING, P_RESUMING, P_ROLLBACK };

/**
 * The sequencer (Linux's dpm_suspend/dpm_resume loop; Zephyr's pm core): it asks the protocol table
 * which stage comes next and which mirrors undo the stages reached; the engine runs each stage and
 * owns device state; the recorder writes what happened; the mask window owns IRQ masking. Everything
 * is allocated in the constructor and `seal`; from `suspend` until the system is active again nothing
 * allocates.
 */
export class PowerManager implements EngineOwner, PortHost {
  readonly config: PmConfig;
  readonly graph: DeviceGraph;
  readonly irq: IrqController;
  readonly arena: StateArena;
  readonly blocks: BlockPool;
  readonly trace: TraceRing;
  readonly stats: PmStats;
  readonly platform: Platform;
  readonly flight: FlightRecorder;
  readonly recorder: Recorder;
  private readonly engine: StageEngine;
  private readonly window: MaskWindow;
  private readonly ports: RuntimePort[] = [];
  private phaseNow = P_IDLE;
  private targetNow = T_STANDBY;
  private testNow = TEST_NONE;
  private resumingFromImage = false;
  /** Outcome of the attempt in progress (first failure), reported at the end. */
  private outcome = OK;
  /** A suspend stage failed (or a wake interrupted one) in this attempt. */
  private failedOnTheWayDown = false;
  private readonly rollback: RollbackWalk;
  private stageStart = 0;
  private readonly sleeper: SleepStage;
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
    this.recorder = new Recorder(this.trace, this.stats, this.flight);
    this.window = new MaskWindow(this.irq, platform, this.recorder);
    this.engine = new StageEngine(this.graph, platform, this.recorder, this.arena, this.blocks, this);
    this.rollback = new RollbackWalk(this.engine);
    this.sleeper = new SleepStage(platform, this.irq, this.window, this.recorder, config.testHoldUs, () => this.woke());
    this.irq.setWakeListener((line: number) => this.sleeper.wakeRaised(line));
    this.irq.setObserver((line: number, event: number) => this.recorder.irq(this.platform.now(), line, event !== 0));
  }

  /** What the attempt in progress is doing: P_IDLE, P_SUSPENDING, P_SLEEPING, P_RESUMING or P_ROLLBACK. */
  get phase(): number {
    return this.phaseNow;
  }

  /** Target of the attempt in progress (or the last one). */
  get target(): number {
    return this.targetNow;
  }

  /** Test level of the attempt in progress (or the last one). */
  get test(): number {
    return this.testNow;
  }

  /** True while resuming after a reboot from a hibernate image. */
  get fromImage(): boolean {
    return this.resumingFromImage;
  }

  /** The last wake cause (IRQ line or WAKE_*), as stats keep it. */
  get lastWakeCause(): number {
    return this.stats.lastWakeCause;
  }

  /** A device saw wake-worthy activity: a wake on its line while a suspend is armed (aborts it, or ends the sleep). */
  wakeEvent(device: number): void {
    const line = this.graph.wakeLine[device];
    if (line >= 0 && (this.phaseNow === P_SUSPENDING || this.phaseNow === P_SLEEPING)) this.irq.raise(line);
  }

  /** Boot: adds a device; returns its id. */
  register(spec: DeviceSpec): number {
    return this.graph.register(spec, this.config.defaultBudgetUs);
  }

  /** Boot: a request queue, counted in stats and the flight recorder (drivers do this through their port). */
  registerQueue(queue: RequestQueue): void {
    this.recorder.queues.push(queue);
  }

  /** Boot: freezes the registry, checks pools against the devices' declared needs, makes every port. */
  seal(): void {
    const g = this.graph;
    g.seal();
    checkPools(this.config, g);
    for (let d = 0; d < g.count; d++) this.arena.layout(d, g.stateBytes[d]);
    for (let d = 0; d < g.count; d++) if (g.wakeLine[d] >= 0 && (g.roles[d] & ROLE_WAKE) !== 0) this.irq.markWake(g.wakeLine[d]);
    this.engine.bindHooks();
    for (let d = 0; d < g.count; d++) this.ports.push(new RuntimePort(this, d, g.names[d], this.arena, this.blocks, g.storage === d, g.count));
  }

  /** The port of device `d`, made at seal: boot hands it to the driver's `attach`. */
  port(d: number): DevicePort {
    return this.ports[d];
  }

  /** Registered once: called with the outcome when an attempt ends and the system is active again. */
  setDoneCallback(callback: (status: number) => void): void {
    this.onDone = callback;
  }

  deviceState(d: number): number {
    return this.engine.state(d);
  }

  /** A driver's PENDING hook finished. */
  complete(token: number, status: number): void {
    this.engine.complete(token, status);
  }

  holds(token: number): boolean {
    return this.engine.holds(token);
  }

  /** Marks a failed device usable again (after its driver re-initialised it); only between attempts. */
  recover(d: number): void {
    if (this.phaseNow === P_IDLE) this.engine.recover(d);
  }

  /** Starts a suspend. OK: started (it may already have finished); BUSY: one is in progress; INVALID: bad target or test level. */
  suspend(target: number, test: number): number {
    const now = this.platform.now();
    if (this.phaseNow !== P_IDLE) {
      this.recorder.busy(now);
      return BUSY;
    }
    if (target !== T_STANDBY && target !== T_HIBERNATE) return INVALID;
    if (test !== TEST_NONE && test !== TEST_DEVICES && test !== TEST_PLATFORM) return INVALID;
    this.targetNow = target;
    this.testNow = test;
    this.resumingFromImage = false;
    this.outcome = OK;
    this.failedOnTheWayDown = false;
    this.recorder.attemptBegin(now, target);
    this.phaseNow = P_SUSPENDING;
    this.irq.armWake();
    this.engine.selectAll();
    this.runStage(FIRST_STAGE);
    return OK;
  }

  /**
   * After a reboot from `hibernate`: the arena already holds the image. Every device is treated as
   * off and goes through the resume stages, which restore it from its area.
   */
  resumeFromImage(cause: number): number {
    if (this.phaseNow !== P_IDLE) return BUSY;
    this.engine.adoptImage();
    this.targetNow = T_HIBERNATE;
    this.testNow = TEST_NONE;
    this.resumingFromImage = true;
    this.outcome = OK;
    this.failedOnTheWayDown = false;
    // The attempt that hibernated was recorded up to S3 in the image: continue that record.
    this.recorder.attemptContinue(this.platform.now());
    this.phaseNow = P_SLEEPING;
    this.sleeper.enterFromImage(SLEEP_STAGE);
    this.window.set(STAGES[IMAGE_RESUME_STAGE].masked);
    this.sleeper.end(cause === WAKE_NONE ? WAKE_RESET : cause);
    return OK;
  }

  private runStage(stage: number): void {
    const row = STAGES[stage];
    this.window.set(row.masked);
    if (row.run === RUN_PLATFORM) {
      this.phaseNow = P_SLEEPING;
      this.sleeper.enter(stage, this.targetNow, this.testNow);
      return;
    }
    if (row.run === RUN_HOOK) {
      this.stageStart = this.platform.now();
      this.recorder.stageBegin(this.stageStart, stage);
    }
    this.engine.run(stage);
  }

  /** EngineOwner: the engine finished `stage`. */
  stageEnded(stage: number, device: number, status: number): void {
    const row = STAGES[stage];
    if (row.run === RUN_HOOK) {
      const now = this.platform.now();
      this.recorder.stageEnd(now, stage, now - this.stageStart, status);
    }
    if (this.phaseNow === P_ROLLBACK) {
      if (status !== OK && this.outcome === OK) this.outcome = status;
      this.rollbackNext();
      return;
    }
    if (row.dir === DIR_SUSPEND) {
      if (device >= 0) {
        this.abort(stage, device, status);
        return;
      }
      // The image is written during S2: its copy of the later suspend stages' durations reads "unknown"
      // (in RAM the real values overwrite these as those stages end).
      if (this.targetNow === T_HIBERNATE) {
        for (let s = row.next; isSuspendStage(s); s = STAGES[s].next) this.recorder.stageUnknown(s);
      }
      // Wakeup check at every boundary: a wake after S1 started aborts until the platform sleeps.
      if (this.irq.wakeLine >= 0) {
        this.abortWake(row.next);
        return;
      }
      this.runStage(row.next);
      return;
    }
    if (status !== OK && this.outcome === OK) this.outcome = status;
    if (!isStage(row.next)) return this.finish();
    this.engine.selectAll();
    this.runStage(row.next);
  }

  /** EngineOwner: the engine gave up on a device's stage or marked it failed: its driver is told. */
  gaveUp(device: number, stage: number, status: number): void {
    this.ports[device].gaveUp(stage, status);
  }

  /** The sleep stage ended with `cause`: the resume stages follow. */
  private woke(): void {
    this.phaseNow = P_RESUMING;
    this.engine.selectAll();
    this.runStage(STAGES[SLEEP_STAGE].next);
  }

  /** A wake arrived between two suspend stages: `stage` (not started) is where the attempt failed. */
  private abortWake(stage: number): void {
    const line = this.irq.wakeLine;
    this.recorder.wakeAbort(this.platform.now(), line);
    this.engine.forgetAdvanced();
    this.abort(stage, this.graph.deviceOnLine(line), WAKEUP);
  }

  /** A suspend stage failed (or a wake arrived): undo exactly what advanced, in reverse, via the mirrors. */
  private abort(stage: number, device: number, status: number): void {
    this.recorder.failure(this.platform.now(), device, stage, status);
    this.outcome = status;
    this.failedOnTheWayDown = true;
    this.phaseNow = P_ROLLBACK;
    this.rollback.begin(stage);
    this.rollbackNext();
  }

  private rollbackNext(): void {
    const mirror = this.rollback.next();
    return isStage(mirror) ? this.runStage(mirror) : this.finish();
  }

  private finish(): void {
    const now = this.platform.now();
    this.irq.disarmWake();
    this.window.unmask();
    this.phaseNow = P_IDLE;
    // Stats keep the whole attempt's length in the release slot (the last stage has no hook to time).
    this.recorder.attemptEnd(now, this.outcome, this.resumingFromImage, this.failedOnTheWayDown, S_RELEASE, SLEEP_STAGE);
    // The done listener may still ask whether this attempt resumed from an image.
    if (this.onDone !== null) this.onDone(this.outcome);
    this.resumingFromImage = false;
  }
}
