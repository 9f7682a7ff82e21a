// Synthetic N-device board for benchmarks and XS allocation suites: buses, storage, a wake source, a queued device.
import {
  PowerManager, RequestQueue, OK, PENDING, ROLE_STORAGE, ROLE_WAKE, T_STANDBY, TEST_NONE,
  type DeviceSpec, type PmHooks,
} from "../../runtime";
import { ListPlatform } from "./list-platform";

/** Hook behaviours, per device per hook (hook index 0 prepare, 1 suspend, 2 powerOff, 3 powerOn, 4 resume). */
export const M_OK = 0;
export const M_FAIL = 1;
export const M_PENDING = 2;
/** Answers PENDING and never completes: the stage budget expires. */
export const M_HANG = 3;
/** Answers PENDING and completes after `delay`, which the scenario sets beyond the budget. */
export const M_LATE = 4;
export const HOOKS = 5;

export const I2C0 = 0;
export const SPI0 = 1;
export const FLASH = 2;
export const BUTTON = 3;
export const UART = 4;
export const FIRST_LEAF = 5;
export const WAKE_LINE = 0;
export const BUDGET_US = 10_000;
/** Time a queued UART request takes to be served (us). */
export const UART_IO_US = 100;

export interface SynthOptions {
  /** Every k-th leaf answers PENDING in suspend and resume (0: none). */
  pendingEvery: number;
  /**
   * "uniform": every PENDING hook takes the same time (O(1) timer inserts: the XS compute runs);
   * "varied": a per-device duration (the latency runs, whose critical path depends on it).
   */
  durations: "uniform" | "varied";
  /** PmConfig.traceLevel (default: hooks, as the firmware ships). */
  traceLevel?: number;
  /**
   * prepare, powerOffNoIrq and powerOnNoIrq answer OK at once and no fault can be scripted in them
   * (`setMode` throws): what the baselines' drivers do there (bench/baseline/drivers.ts), so the bench
   * compares the managers over the same driver work. Default false: every hook reads its mode.
   */
  plainStages?: boolean;
}

/** The hook of a stage with nothing to do: answers OK at once (the baselines' `prepare(): number { return OK; }`). */
function answerOk(): number { return OK; }
/** Hooks a `plainStages` board answers with `answerOk`. */
const PLAIN_HOOKS = [0, 2, 3];

/** Duration (us) of device d's PENDING hook h, deterministic. */
export function hookDuration(d: number, h: number, durations: "uniform" | "varied"): number {
  if (durations === "uniform") return h === 4 ? 30 : 50;
  return h === 4 ? 20 + ((d * 53) % 151) : 40 + ((d * 37) % 211);
}

/**
 * Tree (for n >= 8):  i2c0 ─ leaves with even index;  spi0 ─ flash (storage), leaves with odd index;
 * button (wake line 0); uart (request queue); every 5th leaf also needs the leaf before it; every 3rd
 * leaf saves 8 bytes of state (so it suspends before, and resumes after, the flash).
 * The same shape at every n, so per-device cost can be compared across sizes.
 */
export function synthSpecs(n: number, hooks: PmHooks[]): DeviceSpec[] {
  if (n < FIRST_LEAF + 1) throw new RangeError("synthetic board needs n >= " + (FIRST_LEAF + 1) + ", got " + n);
  const specs: DeviceSpec[] = [
    { name: "i2c0", hooks: hooks[I2C0] },
    { name: "spi0", hooks: hooks[SPI0] },
    { name: "flash", hooks: hooks[FLASH], parent: "spi0", roles: ROLE_STORAGE },
    { name: "button", hooks: hooks[BUTTON], roles: ROLE_WAKE, wakeLine: WAKE_LINE, stateBytes: 1 },
    { name: "uart", hooks: hooks[UART], requestBlocks: 2 },
  ];
  for (let d = FIRST_LEAF; d < n; d++) {
    const spec: DeviceSpec = { name: "dev" + d, hooks: hooks[d], parent: d % 2 === 0 ? "i2c0" : "spi0" };
    if (d % 5 === 0 && d > FIRST_LEAF) spec.needs = ["dev" + (d - 1)];
    if (d % 3 === 0) spec.stateBytes = 8;
    specs.push(spec);
  }
  return specs;
}

/**
 * A hook with nothing to do answers OK at once from a field of its own, as a real driver (and the
 * baselines' SyncSynthDriver, `this.suspendUs > 0`) checks its own field: only a scripted or PENDING
 * hook goes to `act`. The fields mirror the board's `mode` table (`setMode`, `resetModes` keep them).
 */
class SynthHooks implements PmHooks {
  m0 = M_OK;
  m1 = M_OK;
  m2 = M_OK;
  m3 = M_OK;
  m4 = M_OK;
  constructor(private readonly board: SynthBoard, private readonly id: number) {}
  prepare(token: number): number { return this.m0 === M_OK ? OK : this.board.act(this.id, 0, token); }
  suspend(token: number): number { return this.m1 === M_OK ? OK : this.board.act(this.id, 1, token); }
  powerOffNoIrq(token: number): number { return this.m2 === M_OK ? OK : this.board.act(this.id, 2, token); }
  powerOnNoIrq(token: number): number { return this.m3 === M_OK ? OK : this.board.act(this.id, 3, token); }
  resume(token: number): number { return this.m4 === M_OK ? OK : this.board.act(this.id, 4, token); }
  /** Copies this device's five entries of the board's mode table. */
  load(mode: Uint8Array, base: number): void {
    this.m0 = mode[base];
    this.m1 = mode[base + 1];
    this.m2 = mode[base + 2];
    this.m3 = mode[base + 3];
    this.m4 = mode[base + 4];
  }
}

/** The uart: a RequestQueue gated in S2 (PENDING until its in-flight request drains) and reopened in R2. */
class UartHooks extends SynthHooks {
  constructor(private readonly b: SynthBoard) { super(b, UART); }
  override suspend(token: number): number {
    const s = this.b.act(UART, 1, token);
    if (s !== OK) return s;
    this.b.queue.gate();
    if (this.b.queue.idle) return OK;
    this.b.drainToken = token;
    return PENDING;
  }
  override resume(token: number): number {
    const s = this.b.act(UART, 4, token);
    if (s !== OK) return s;
    this.b.queue.open();
    return OK;
  }
}

/**
 * A PowerManager over n synthetic drivers. Every callback (device completion timers, queue serve and
 * complete, the wake source, done) is bound once here; a cycle then runs without allocating.
 */
export class SynthBoard {
  readonly n: number;
  readonly platform: ListPlatform;
  readonly pm: PowerManager;
  readonly queue: RequestQueue;
  readonly mode: Uint8Array;
  readonly status: Int16Array;
  readonly delay: Int32Array;
  private readonly defaultMode: Uint8Array;
  private readonly defaultDelay: Int32Array;
  private readonly token: Int32Array;
  private readonly pendStatus: Int16Array;
  private readonly timer: Int32Array;
  private readonly ioTimer: number;
  private readonly hooks: SynthHooks[];
  readonly wakeTimer: number;
  drainToken = -1;
  /** prepare, powerOffNoIrq and powerOnNoIrq answer OK at once (SynthOptions.plainStages). */
  readonly plainStages: boolean;
  outcome = -1;
  done = 0;
  /** Virtual time (us) the last attempt ended at. */
  doneAt = 0;
  /** Requests the queue completed, and the sum of their tokens (FIFO order is checked by the caller). */
  served = 0;
  servedTokens = 0;
  lastServed = -1;
  wakeIrqs = 0;
  /** Where PENDING hooks report completion: the PowerManager, or a bare StageEngine in stage-isolated runs. */
  sink: { complete(token: number, status: number): void };

  constructor(n: number, options: SynthOptions) {
    this.n = n;
    this.platform = new ListPlatform(n + 8);
    const pm = new PowerManager({
      board: "bench/synthetic/synth-board", maxDevices: n, stateArenaBytes: 8 * n + 64, blockCount: 8,
      blockSize: 32, irqLines: 4, traceRecords: 256, defaultBudgetUs: BUDGET_US, testHoldUs: 1000, failureHistory: 4,
      traceLevel: options.traceLevel,
    }, this.platform);
    this.pm = pm;
    this.sink = pm;
    this.mode = new Uint8Array(n * HOOKS);
    this.status = new Int16Array(n * HOOKS);
    this.delay = new Int32Array(n * HOOKS);
    this.token = new Int32Array(n);
    this.pendStatus = new Int16Array(n);
    this.timer = new Int32Array(n);
    const hooks: SynthHooks[] = [];
    this.hooks = hooks;
    this.plainStages = options.plainStages === true;
    for (let d = 0; d < n; d++) {
      const h = d === UART ? new UartHooks(this) : new SynthHooks(this, d);
      if (this.plainStages) h.prepare = h.powerOffNoIrq = h.powerOnNoIrq = answerOk;
      hooks.push(h);
      this.timer[d] = this.platform.createTimer(this.completer(d));
    }
    for (let d = FIRST_LEAF; d < n; d++) {
      if (options.pendingEvery > 0 && d % options.pendingEvery === 0) {
        this.setMode(d, 1, M_PENDING, OK, hookDuration(d, 1, options.durations));
        this.setMode(d, 4, M_PENDING, OK, hookDuration(d, 4, options.durations));
      }
    }
    // The flash writes back its cache before sleeping: a PENDING suspend on the storage device.
    if (options.pendingEvery > 0) this.setMode(FLASH, 1, M_PENDING, OK, hookDuration(FLASH, 1, options.durations));
    this.defaultMode = this.mode.slice();
    this.defaultDelay = this.delay.slice();
    this.queue = new RequestQueue(8, (t: number) => this.serve(t), (t: number, s: number) => this.completed(t, s));
    this.queue.setDrainListener(() => this.sink.complete(this.drainToken, OK));
    this.ioTimer = this.platform.createTimer(() => this.queue.done(OK));
    this.wakeTimer = this.platform.createTimer(() => this.pm.irq.raise(WAKE_LINE));
    this.pm.irq.register(WAKE_LINE, () => { this.wakeIrqs++; }, true);
    this.pm.setDoneCallback((s: number) => { this.outcome = s; this.done++; this.doneAt = this.platform.t; });
    const specs = synthSpecs(n, hooks);
    for (let i = 0; i < specs.length; i++) this.pm.register(specs[i]);
    this.pm.seal();
  }

  private completer(d: number): () => void {
    return () => this.sink.complete(this.token[d], this.pendStatus[d]);
  }

  setMode(d: number, hook: number, mode: number, status: number, delayUs: number): void {
    if (this.plainStages && mode !== M_OK && PLAIN_HOOKS.includes(hook)) {
      throw new Error("SynthBoard.setMode: hook " + hook + " of a plainStages board answers OK at once: build it without plainStages to script a fault there");
    }
    this.mode[d * HOOKS + hook] = mode;
    this.status[d * HOOKS + hook] = status;
    this.delay[d * HOOKS + hook] = delayUs;
    this.hooks[d].load(this.mode, d * HOOKS);
  }

  /** Back to the boot behaviours (status codes of failures are left; modes decide). */
  resetModes(): void {
    this.mode.set(this.defaultMode);
    this.delay.set(this.defaultDelay);
    for (let d = 0; d < this.n; d++) this.hooks[d].load(this.mode, d * HOOKS);
  }

  act(d: number, hook: number, token: number): number {
    const i = d * HOOKS + hook;
    const m = this.mode[i];
    if (m === M_OK) return OK;
    if (m === M_FAIL) return this.status[i];
    if (m === M_HANG) return PENDING;
    this.token[d] = token;
    this.pendStatus[d] = m === M_PENDING ? this.status[i] : OK;
    this.platform.schedule(this.timer[d], this.delay[i]);
    return PENDING;
  }

  private serve(token: number): number {
    this.platform.schedule(this.ioTimer, UART_IO_US);
    return PENDING;
  }

  private completed(token: number, status: number): void {
    this.served++;
    this.servedTokens = (this.servedTokens + token) | 0;
    this.lastServed = token;
  }

  /** One whole attempt: suspend (standby), platform sleep, resume, then every timer left (replays). */
  cycle(): number {
    this.outcome = -1;
    const s = this.pm.suspend(T_STANDBY, TEST_NONE);
    if (s !== OK) return -100 - s;
    this.platform.runUntilIdle(1 << 24);
    return this.outcome;
  }
}
