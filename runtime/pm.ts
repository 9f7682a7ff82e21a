// The power manager: sequences the protocol table's stages and the platform sleep, rolls back failures, re-probes failed devices.
import type { DeviceSpec, PmConfig } from "./driver";
import type { Platform } from "./platform";
import type { DevicePort } from "./port";
import { RequestQueue } from "./queue";
import { DeviceGraph } from "./graph";
import { checkPmConfig, markWakeLines, noPort } from "./config-check";
import { StageEngine, type EngineOwner } from "./engine";
import { IrqController } from "./irq";
import { StateArena, BlockPool, checkPools } from "./pools";
import { PmStats } from "./stats";
import { FlightRecorder } from "./flight";
import { TraceRing } from "./trace";
import { Recorder, TRACE_HOOKS } from "./recorder";
import { MaskWindow } from "./mask";
import { HibernateImage } from "./image";
import { SleepStage } from "./sleep";
import { RollbackWalk } from "./rollback";
import { Recovery } from "./recovery";
import { PmLocks } from "./locks";
import { IdleGovernor } from "./governor";
import { Attempt } from "./attempt";
import { RuntimePort, type PortHost, type PortParts } from "./device-port";
import { RuntimePm, SETTLE_STANDBY, SETTLE_HIBERNATE } from "./runtime-pm";
import { STAGES, DIR_SUSPEND, RUN_HOOK, RUN_PLATFORM, FIRST_STAGE, IMAGE_RESUME_STAGE, SLEEP_STAGE, REPROBE_STAGE, NO_STAGE, isStage } from "./protocol";
import { OK, BUSY, WAKEUP, INVALID, FAILED, S_RELEASE, ROLE_WAKE, TEST_DEVICES, TEST_NONE, TEST_PLATFORM, T_STANDBY, T_HIBERNATE, D_FAILED, WAKE_NONE, WAKE_RESET, isIndex } from "./status";
import { P_IDLE, P_SUSPENDING, P_SLEEPING, P_RESUMING, P_ROLLBACK, P_REPROBING } from "./phase";

/**
 * The sequencer (Linux's dpm_suspend/dpm_resume loop, Zephyr's pm core): it asks the protocol table
 * for the next stage and the mirrors of the stages reached; the engine runs each stage and owns device
 * state; the recorder writes what happened; the mask window owns IRQ masking. Everything is allocated
 * in the constructor and `seal`: from `suspend` until the system is active again nothing allocates.
 */
export class PowerManager implements EngineOwner, PortHost {
  /** First: every completion reaches the engine through here, and XS finds a property by walking the slots in order. */ private readonly engine: StageEngine;
  /** The board's configuration, checked in the constructor. */ readonly config: PmConfig;
  /** The device registry: names, hooks, roles, dependency order. */ readonly graph: DeviceGraph;
  /** Interrupt lines: masking, latching, wake lines. */ readonly irq: IrqController;
  /** State-save areas (and the flight record), one ArrayBuffer: the hibernate image. */ readonly arena: StateArena;
  /** Per-request blocks for drivers that need a buffer. */ readonly blocks: BlockPool;
  /** The event ring (timeline, `trace` console command). */ readonly trace: TraceRing;
  /** Counters, failure history, durations (`stats` console command). */ readonly stats: PmStats;
  /** The board's clock, timers and sleep. */ readonly platform: Platform;
  /** The last attempts' records, kept in the arena across hibernate. */ readonly flight: FlightRecorder;
  /** Writes every event to `trace`, `stats` and `flight`. */ readonly recorder: Recorder;
  /** The attempt in progress (or the last one): phase, target, test level, outcome. */ readonly attempt = new Attempt();
  /** Re-probe scheduling for failed devices. */ readonly recovery: Recovery;
  /** PM locks (`locks.create(name)` at boot, acquire/release) and the idle governor they hold off (docs/idle-policy.md). */ readonly locks: PmLocks;
  /** Picks the idle state and starts suspends when nothing holds it off. */ readonly governor: IdleGovernor;
  /** Device runtime PM: usage counts, autosuspend, runtime hooks (docs/design.md "Device runtime PM"). */ readonly rpm: RuntimePm;
  /** Which devices the hibernate image in the arena holds (written when a hibernate starts, read by `resumeFromImage`). */ readonly image: HibernateImage;
  private readonly window: MaskWindow;
  private readonly rollback: RollbackWalk;
  private readonly sleeper: SleepStage;
  private readonly ports: RuntimePort[] = [];
  private stageStart = 0;

  constructor(config: PmConfig, platform: Platform) {
    checkPmConfig(config);
    this.config = config;
    this.platform = platform;
    this.graph = new DeviceGraph(config.board, config.maxDevices, config.irqLines);
    this.irq = new IrqController(config.irqLines);
    this.irq.setPlatform(platform);
    const records = config.flightRecords ?? 8;
    // The arena's header: the flight record, then which devices a hibernate image holds (both survive with it).
    this.arena = new StateArena(config.stateArenaBytes, config.maxDevices, FlightRecorder.bytesFor(records) + HibernateImage.bytesFor(config.maxDevices));
    this.flight = new FlightRecorder(this.arena.buffer, 0, records);
    this.image = new HibernateImage(this.arena.buffer, FlightRecorder.bytesFor(records), config.maxDevices);
    this.blocks = new BlockPool(config.blockCount, config.blockSize, config.maxDevices);
    this.trace = new TraceRing(config.traceRecords);
    this.stats = new PmStats(config.maxDevices, config.failureHistory);
    this.recorder = new Recorder(this.trace, this.stats, this.flight, config.traceLevel ?? TRACE_HOOKS);
    this.window = new MaskWindow(this.irq, platform, this.recorder);
    this.engine = new StageEngine(this.graph, platform, this.recorder, this.arena, this.blocks, this);
    this.complete = this.engine.complete.bind(this.engine);
    this.rollback = new RollbackWalk(this.engine);
    this.sleeper = new SleepStage(platform, this.irq, this.window, this.recorder, config.testHoldUs, () => this.woke());
    this.recovery = new Recovery(platform, config.maxDevices, () => this.graph.count, config.reprobeFirstUs, config.reprobeCapUs, () => this.reprobeDue());
    this.locks = new PmLocks((config.maxLocks ?? 8) + config.maxDevices, () => this.platform.now());
    this.governor = new IdleGovernor(config.governor, config.states ?? [], config.maxDevices, () => this.graph.count, platform, this.locks, this, this.recorder, config.board);
    this.rpm = new RuntimePm(config.maxDevices, platform, this.trace, (config.traceLevel ?? TRACE_HOOKS) > 0, () => this.start(), this.stats);
    // A wake line fired while a suspend is armed: a stage that may pend starts no further device; a test hold ends.
    this.irq.setWakeListener((line: number) => { if (this.attempt.phase === P_SUSPENDING) this.engine.stopStarting(); this.sleeper.wakeRaised(line); });
    this.irq.countFaultsIn(this.stats);
    this.irq.setObserver((line: number, event: number) => this.recorder.irq(this.platform.now(), line, event !== 0));
  }

  /** P_IDLE, P_SUSPENDING, P_SLEEPING, P_RESUMING, P_ROLLBACK or P_REPROBING. */ get phase(): number { return this.attempt.phase; }
  /** Target of the attempt in progress (or the last one): T_STANDBY or T_HIBERNATE. */ get target(): number { return this.attempt.target; }
  /** Test level of the attempt: TEST_NONE, TEST_DEVICES or TEST_PLATFORM. */ get test(): number { return this.attempt.test; }
  /** True while resuming after a hibernate reboot (until the done listener returned). */ get fromImage(): boolean { return this.attempt.fromImage; }
  /** After a hibernate reboot: that sleep as the RTC measured it (µs), -1 unknown. */ get imageSleptUs(): number { return this.sleeper.sleptUs; }

  /** Boot: adds a device; returns its id. */
  register(spec: DeviceSpec): number { return this.rpm.declare(this.governor.declare(this.graph.register(spec, this.config.defaultBudgetUs), spec), spec); }
  /** Boot: a request queue, counted in stats and the flight recorder (a driver's goes through its port); anything else is refused (it would throw inside the next suspend). @boot */ registerQueue(queue: RequestQueue): void {
    if (!(queue instanceof RequestQueue)) throw new Error(this.config.board + ": registerQueue: " + String(queue) + " is no RequestQueue: pass the queue the driver made with new RequestQueue(capacity, serve, done)");
    if (this.recorder.queues.indexOf(queue) >= 0) throw new Error(this.config.board + ": registerQueue: this queue is registered already (its requests would be counted twice): register each queue once, through its own device's port");
    this.recorder.queues.push(queue);
  }

  /** Boot: freezes the registry, checks pools against the devices' declared needs, makes every port. */
  seal(): void {
    const g = this.graph;
    if (g.sealed) throw new Error(this.config.board + ": seal called twice: the registry, arena layout and ports are made once, at boot");
    g.seal();
    checkPools(this.config, g);
    for (let d = 0; d < g.count; d++) this.arena.layout(d, g.stateBytes[d]);
    markWakeLines(this.config, g, this.irq);
    this.engine.bindHooks();
    const parts: PortParts = { host: this, attempt: this.attempt, stats: this.stats, irq: this.irq, arena: this.arena, blocks: this.blocks,
      locks: this.locks, governor: this.governor, rpm: this.rpm, devices: g.count, storage: g.storage, noImage: new Uint8Array(this.arena.buffer, 0, 0) };
    for (let d = 0; d < g.count; d++) this.ports.push(new RuntimePort(parts, d, g.names[d], (g.roles[d] & ROLE_WAKE) !== 0 ? g.wakeLine[d] : -1));
    // A runtime-suspended device is no member of a system attempt (Linux direct_complete): it stays down through it.
    this.engine.members.exclude(this.rpm.skip, this.rpm.down);
    this.rpm.bind(g, { systemIdle: () => this.attempt.phase === P_IDLE, deviceState: (d: number) => this.engine.state(d),
      failDevice: (d: number) => this.failAtBoot(d), gaveUp: (d: number, status: number) => this.ports[d].gaveUp(-1, status), cutOff: (d: number, on: boolean) => this.ports[d].cutOff(on) });
    this.governor.kick();
  }

  /** The application's next deadline (absolute platform µs, -1 none); OK, or INVALID if not a number, negative, non-finite or past MAX_TIME_US. */ nextDeadline(atUs: number): number { return this.governor.setDeadline(-1, atUs); }
  /** The longest wake latency the application tolerates (µs, -1 none); OK, or INVALID as for nextDeadline. */ constrainLatency(us: number): number { return this.governor.constrain(-1, us); }

  /** The port of device `d`, made at seal: boot hands it to the driver's `attach`; throws naming the fix for a `d` that is no device. */ port(d: number): DevicePort { return isIndex(d, this.ports.length) ? this.ports[d] : noPort(this.config.board, d, this.ports.length); }
  /** Registered once: called with the outcome when an attempt ends and the system is active again (null: none); throws for no function. */ setDoneCallback(callback: (status: number) => void): void { this.attempt.setDone(callback); }

  /** Device `d`'s state (D_*), -1 for a `d` that is no device's id. */ deviceState(d: number): number { return isIndex(d, this.graph.count) ? this.engine.state(d) : -1; }
  /** A driver's PENDING stage hook finished (PortHost; a runtime hook's token goes through its port to the runtime PM). The engine's own, bound at construction: one call less per completion, and it may be passed on as a callback. */ readonly complete: (token: number, status: number) => void;
  /** Whether `token` is a stage hook still in flight (PortHost). */ holds(token: number): boolean { return this.engine.holds(token); }

  /** Boot, or a runtime resume that failed: a device whose chip did not start is failed (queues refuse with FAILED) and re-probed when idle. */
  failAtBoot(d: number): void {
    this.engine.failAtBoot(d);
    this.ports[d].failQueues(FAILED);
    this.recovery.settle(this.platform.now(), this.engine, this.ports);
  }

  /** Re-probes failed device `d` as soon as the runtime is idle: OK (scheduled), INVALID (not failed, or no device's id: "0", 1.5). */
  recover(d: number): number { return !isIndex(d, this.graph.count) || this.engine.state(d) !== D_FAILED ? INVALID : this.recovery.requestNow(d); }

  /** Starts a suspend. OK: started (it may already have finished); INVALID: bad target or test level (checked first: never BUSY); BUSY: one is in progress; FAILED: a hibernate while the storage device is failed. */
  suspend(target: number, test: number): number {
    if (!this.graph.sealed) this.unsealed("suspend");
    if (target !== T_STANDBY && target !== T_HIBERNATE) return INVALID;
    if (test !== TEST_NONE && test !== TEST_DEVICES && test !== TEST_PLATFORM) return INVALID;
    const now = this.platform.now();
    if (this.attempt.phase !== P_IDLE) return this.recorder.busy(now), BUSY;
    if (this.storageLost(target, test)) return FAILED;
    this.attempt.begin(target, test);
    this.irq.armWake(); // before the begin record: a wake its listener raises ends this attempt (WAKEUP)
    this.recorder.attemptBegin(now, target);
    // Runtime transitions in flight end first; a hibernate (RAM lost) also brings runtime-suspended devices back.
    if (this.rpm.settle(target === T_HIBERNATE ? SETTLE_HIBERNATE : SETTLE_STANDBY) === OK) this.start();
    return OK;
  }

  /** A call that needs the sealed registry (the engine's tables are made at seal): a boot-order error, so only before seal. @boot */
  private unsealed(call: string): never { throw new Error(this.config.board + ": " + call + " before seal: call pm.seal() once every device is registered"); }
  /** A hibernate with its storage device failed would lose the image (without one, the platform keeps it or refuses the deep sleep). */
  private storageLost(target: number, test: number): boolean { return target === T_HIBERNATE && test === TEST_NONE && this.graph.storage >= 0 && this.engine.state(this.graph.storage) === D_FAILED; }
  /** S1, once runtime PM settled: a storage device that failed its runtime resume meanwhile ends the attempt FAILED. */
  private start(): void {
    if (this.attempt.ending) return void (this.attempt.startLater = true); // from a done callback: `finish` starts it (attempt.ts)
    if (this.storageLost(this.attempt.target, this.attempt.test)) return this.engine.members.forgetAdvanced(), this.abort(FIRST_STAGE, this.graph.storage, FAILED);
    // A wake (or a lock) that came while runtime PM settled: no device starts S1 (as at every stage boundary).
    if (this.woken()) return this.engine.members.forgetAdvanced(), this.abortWake(FIRST_STAGE);
    this.engine.members.selectAll();
    if (this.attempt.target === T_HIBERNATE) this.image.mark(this.engine.members.member, this.graph.count), this.image.spent = true; // image.ts
    this.runStage(FIRST_STAGE);
  }

  /** After a hibernate reboot: each device the image holds resumes from its area, the others are failed (image.ts); `cause` an IRQ line or WAKE_*, `sleptUs` by the RTC (-1 unknown). BUSY while an attempt or a runtime hook is in flight; INVALID for bad arguments or an image restored already (once per hibernate). */
  resumeFromImage(cause: number, sleptUs = -1): number {
    if (!this.graph.sealed) this.unsealed("resumeFromImage");
    if (HibernateImage.badResume(cause, sleptUs, this.irq.lines) || this.image.spent) return INVALID;
    if (this.attempt.phase !== P_IDLE || this.rpm.adoptImage() !== OK) return BUSY;
    this.engine.adoptImage(this.image);
    // Not in the image (no member of the attempt that hibernated) or failed in this boot: cold, re-probed at the end.
    for (let d = 0; d < this.graph.count; d++) if (this.engine.state(d) === D_FAILED) this.ports[d].failQueues(FAILED);
    this.attempt.beginFromImage();
    // The attempt that hibernated was recorded up to S3 in the image: continue that record.
    this.recorder.attemptContinue(this.platform.now());
    this.sleeper.enterFromImage(SLEEP_STAGE, sleptUs);
    this.window.set(STAGES[IMAGE_RESUME_STAGE].masked);
    this.sleeper.end(cause === WAKE_NONE ? WAKE_RESET : cause);
    return OK;
  }

  private runStage(stage: number): void {
    const row = STAGES[stage];
    if (row.masked !== this.window.isOpen) row.masked ? this.window.mask() : this.window.unmask();
    if (row.run === RUN_PLATFORM) {
      this.attempt.phase = P_SLEEPING;
      if (!this.sleeper.enter(stage, this.attempt.target, this.attempt.test, this.woken)) this.abortWake(stage); // its record's listener woke it
      return;
    }
    const now = this.platform.now();
    if (row.run === RUN_HOOK) {
      this.stageStart = now;
      this.recorder.stageBegin(now, stage);
    }
    this.engine.run(stage, now, this.irq.wakeLine >= 0 && this.attempt.phase === P_SUSPENDING); // a wake from the stage-begin record's listener
  }

  /** EngineOwner: the engine finished `stage`. */
  stageEnded(stage: number, device: number, status: number): void {
    const row = STAGES[stage];
    const a = this.attempt;
    if (row.run === RUN_HOOK) {
      const now = this.platform.now();
      this.recorder.stageEnd(now, stage, now - this.stageStart, status);
    }
    if (a.phase === P_REPROBING) return this.reprobed();
    if (a.phase === P_ROLLBACK) return a.note(status), this.rollbackNext();
    if (row.dir === DIR_SUSPEND) {
      if (device >= 0) return this.abort(stage, device, status);
      // Wakeup check at every boundary: a wake after S1 started aborts until the platform sleeps. A stage the wake stopped
      // part-way is where the attempt failed. A hibernate aborts parked requests only when not woken (their callbacks may wake it).
      if (a.target === T_HIBERNATE && !this.woken()) this.image.stageEnded(row, a.test === TEST_NONE, this.recorder, this.ports);
      if (this.irq.wakeLine >= 0 || this.governor.lockTaken()) return this.abortWake(this.engine.stopped ? stage : row.next);
      return this.runStage(row.next);
    }
    a.note(status);
    if (row.next === NO_STAGE) return this.finish();
    // The members stay: a device that failed in this run has already left them (Members.fail).
    this.runStage(row.next);
  }
  /** EngineOwner: the engine gave up on a device's stage or marked it failed: its queues and its driver are told. */
  gaveUp(device: number, stage: number, status: number): void {
    const port = this.ports[device];
    if (this.engine.state(device) === D_FAILED) port.failQueues(FAILED);
    port.gaveUp(stage, status);
  }

  /** A wake line fired or a PM lock is held: a suspend that has not slept yet aborts. */ private readonly woken = (): boolean => this.irq.wakeLine >= 0 || this.governor.lockTaken();
  /** The sleep stage ended: the resume stages follow. */
  private woke(): void {
    this.attempt.phase = P_RESUMING;
    if (this.attempt.fromImage) this.engine.members.selectAll(); // else the suspend stages' members stand (a failure there rolls back)
    this.runStage(STAGES[SLEEP_STAGE].next);
  }

  /** A wake arrived: `stage` (stopped part-way, or the next one, not started) is where the attempt failed. */
  private abortWake(stage: number): void {
    const line = this.irq.wakeLine;
    this.recorder.wakeAbort(this.platform.now(), line);
    if (!this.engine.stopped) this.engine.members.forgetAdvanced();
    this.abort(stage, line >= 0 ? this.graph.deviceOnLine(line) : -1, WAKEUP);
  }
  /** A suspend stage failed (or a wake arrived): undo exactly what advanced, in reverse, via the mirrors. */
  private abort(stage: number, device: number, status: number): void {
    this.recorder.failure(this.platform.now(), device, stage, status);
    this.attempt.abort(status);
    this.rollback.begin(stage);
    this.rollbackNext();
  }

  private rollbackNext(): void {
    const mirror = this.rollback.next();
    return isStage(mirror) ? this.runStage(mirror) : this.finish();
  }

  private finish(): void {
    const now = this.platform.now();
    const a = this.attempt;
    this.irq.disarmWake();
    this.window.unmask();
    // Until the done callback is told the attempt is still ending (a suspend from its end record's listener or a FAILED request's
    // callback: BUSY); runtime PM resumes what waited only after it. The release slot keeps the attempt's length (unknown across a reboot).
    this.recorder.attemptEnd(now, a.outcome, a.fromImage, a.failedOnTheWayDown, S_RELEASE, this.sleeper.sleptUs < 0 ? SLEEP_STAGE : NO_STAGE);
    this.recovery.settle(now, this.engine, this.ports);
    const outcome = a.outcome; // a suspend started from here on (a runtime hook, the callback) begins a new attempt
    a.phase = P_IDLE;
    this.governor.attemptEnded();
    const outer = a.ending; // an attempt ended inside another's done callback (a runtime hook completed there)
    a.ending = true;
    if (!a.tell(outcome)) this.stats.listenerFaults++;
    if (a.phase === P_IDLE) a.fromImage = false, this.rpm.systemIdle(); // fromImage holds until the done callback returned
    a.ending = outer;
    // Attempts suspended from there start here, one after another at this depth (a finish inside one leaves its own to this loop).
    if (!a.draining) try { a.draining = true; while (a.startLater) a.startLater = false, this.start(); } finally { a.draining = false; }
  }
  /** The recovery timer: re-probe every failed device that is due, if nothing else runs. */
  private reprobeDue(): void {
    const now = this.platform.now();
    this.recovery.fired();
    if (this.attempt.phase !== P_IDLE || !this.recovery.start(now, this.engine)) return;
    this.attempt.phase = P_REPROBING;
    this.runStage(REPROBE_STAGE);
  }

  private reprobed(): void {
    this.attempt.phase = P_IDLE;
    this.recovery.finish(this.platform.now(), this.engine, this.ports);
    if (this.attempt.phase === P_IDLE) this.rpm.systemIdle(); // a revived queue's serve may have started a suspend
    this.governor.kick();
  }
}
