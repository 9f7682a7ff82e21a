// Baseline boards: the synthetic device graph driven by one of the three baseline power managers (naive, tuned async, sync-or-Promise).
import { DeviceGraph, OK, type PmHooks } from "../../runtime";
import { synthSpecs, hookDuration, FIRST_LEAF, FLASH, BUDGET_US, type SynthOptions } from "../synthetic/synth-board";
import { AsyncPowerManager, type AsyncHooks } from "./async-pm";
import { PromiseClock } from "./promise-clock";
import { EagerClock } from "./eager-clock";
import { TunedAsyncPowerManager } from "./tuned-pm";
import { SyncOrPromisePowerManager, type SyncHooks } from "./sync-pm";
import { RecordingSyncPowerManager } from "./sync-rec-pm";
import { AsyncSynthDriver, SyncSynthDriver, type SleepClock } from "./drivers";

/** "syncRec": sync-or-Promise writing the runtime's per-hook records and stats (sync-rec-pm.ts). */
export type BaselineKind = "naive" | "tuned" | "sync" | "syncRec";
export const BASELINE_KINDS: readonly BaselineKind[] = ["naive", "tuned", "sync", "syncRec"];

/** What the board needs of a manager: every baseline has it. */
export interface BaselineManager {
  busy: boolean;
  wakeLine: number;
  suspend(): Promise<number>;
}

/** Hooks of device d; `suspendUs`/`resumeUs` are its synthetic PENDING durations (0: answers at once). */
export type DriverFactory = (d: number, clock: SleepClock, suspendUs: number, resumeUs: number) => AsyncHooks | SyncHooks;

const NO_HOOKS: PmHooks = {
  prepare: () => OK, suspend: () => OK, powerOffNoIrq: () => OK, powerOnNoIrq: () => OK, resume: () => OK,
};

/** Virtual time of the platform sleep, as ListPlatform.sleepUs. */
export const SLEEP_US = 1000;

/**
 * Same n, same edges (parent, needs, storage ordering computed by the runtime's own graph), same
 * PENDING hooks and durations as SynthBoard. The naive board keeps its first-draft platform (an
 * awaited timer for the sleep); the tuned ones sleep synchronously, as the runtime's platform does
 * (esp_light_sleep_start returns on wake), so they are not charged a timer the runtime does not pay.
 */
export class BaselineBoard {
  readonly clock: PromiseClock | EagerClock;
  readonly pm: BaselineManager;
  readonly graph: DeviceGraph;
  readonly drivers: (AsyncHooks | SyncHooks)[] = [];
  masks = 0;
  sleeps = 0;
  outcome = -1;
  done = 0;
  /** Virtual times (us) of the last cycle: start, sleep entered, woke, suspend() resolved. */
  startAt = 0;
  sleepAt = 0;
  wakeAt = 0;
  doneAt = 0;
  private finished: ((outcome: number) => void) | undefined = undefined;
  private last = -1;
  /** Bound once, so a cycle of the tuned boards does not pay the board's own closures. */
  private readonly settled = (s: number): void => {
    this.last = s;
    this.doneAt = this.clock.t;
  };
  private readonly idle = (): void => {
    this.outcome = this.last;
    this.done++;
    if (this.finished !== undefined) this.finished(this.last);
  };

  constructor(readonly kind: BaselineKind, readonly n: number, options: SynthOptions, driverFor?: DriverFactory) {
    const g = new DeviceGraph("bench/baseline/" + kind, n);
    const blank: PmHooks[] = [];
    for (let d = 0; d < n; d++) blank.push(NO_HOOKS);
    for (const spec of synthSpecs(n, blank)) g.register(spec, BUDGET_US);
    g.seal();
    this.graph = g;
    const clock = kind === "naive" ? new PromiseClock() : new EagerClock();
    this.clock = clock;
    const make: DriverFactory = driverFor ?? ((d, c, s, r) => {
      const driver = kind === "sync" || kind === "syncRec" ? new SyncSynthDriver(c) : new AsyncSynthDriver(c);
      driver.suspendUs = s;
      driver.resumeUs = r;
      return driver;
    });
    const devices = [];
    for (let d = 0; d < n; d++) {
      let suspendUs = 0;
      let resumeUs = 0;
      if (options.pendingEvery > 0 && d >= FIRST_LEAF && d % options.pendingEvery === 0) {
        suspendUs = hookDuration(d, 1, options.durations);
        resumeUs = hookDuration(d, 4, options.durations);
      }
      if (d === FLASH && options.pendingEvery > 0) suspendUs = hookDuration(FLASH, 1, options.durations);
      const hooks = make(d, clock, suspendUs, resumeUs);
      this.drivers.push(hooks);
      devices.push({
        name: g.names[d],
        hooks,
        prereqs: Array.from(g.pre.subarray(g.preStart[d], g.preStart[d + 1])),
        dependents: Array.from(g.dep.subarray(g.depStart[d], g.depStart[d + 1])),
        budgetUs: BUDGET_US,
      });
    }
    const order = Array.from(g.order);
    if (clock instanceof PromiseClock) {
      const platform = {
        mask: () => { this.masks++; },
        unmask: () => {},
        sleep: async () => {
          this.sleeps++;
          this.sleepAt = clock.t;
          await clock.sleep(SLEEP_US);
          this.wakeAt = clock.t;
          return -2;
        },
      };
      this.pm = new AsyncPowerManager(devices as { name: string; hooks: AsyncHooks; prereqs: number[]; dependents: number[]; budgetUs: number }[], clock, platform, order);
      return;
    }
    const platform = {
      mask: () => { this.masks++; },
      unmask: () => {},
      sleep: () => {
        this.sleeps++;
        this.sleepAt = clock.t;
        clock.t += SLEEP_US;
        this.wakeAt = clock.t;
        return -2;
      },
    };
    this.pm = kind === "tuned"
      ? new TunedAsyncPowerManager(devices as { name: string; hooks: AsyncHooks; prereqs: number[]; dependents: number[]; budgetUs: number }[], clock, platform, order)
      : kind === "sync" ? new SyncOrPromisePowerManager(devices, clock, platform, order)
        : new RecordingSyncPowerManager(devices, clock, platform, order);
  }

  /** Starts one cycle; `onDone(outcome)` runs once the clock has no timer left (outcome is then also in `outcome`). */
  cycle(onDone?: (outcome: number) => void): void {
    this.outcome = -1;
    this.last = -1;
    this.finished = onDone;
    this.startAt = this.clock.t;
    void this.pm.suspend().then(this.settled);
    this.clock.drive(this.idle);
  }
}

/** The naive first draft (kept under its old name: bench/latency.ts and older tests use it). */
export class AsyncSynthBoard extends BaselineBoard {
  constructor(n: number, options: SynthOptions) {
    super("naive", n, options);
  }
}
