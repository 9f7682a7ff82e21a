// Baseline board: the synthetic device graph with async drivers whose PENDING hooks await the Promise clock.
import { DeviceGraph, OK, type PmHooks } from "../../runtime";
import { synthSpecs, hookDuration, FIRST_LEAF, FLASH, BUDGET_US, type SynthOptions } from "../synthetic/synth-board";
import { AsyncPowerManager, type AsyncDevice, type AsyncHooks } from "./async-pm";
import { PromiseClock } from "./promise-clock";

/** A driver as an async codebase writes it: awaits a timer where the runtime's driver answers PENDING. */
class AsyncSynthDriver implements AsyncHooks {
  suspendUs = 0;
  resumeUs = 0;
  constructor(private readonly clock: PromiseClock) {}
  async prepare(): Promise<number> {
    return OK;
  }
  async suspend(): Promise<number> {
    if (this.suspendUs > 0) await this.clock.sleep(this.suspendUs);
    return OK;
  }
  powerOffNoIrq(): number {
    return OK;
  }
  powerOnNoIrq(): number {
    return OK;
  }
  async resume(): Promise<number> {
    if (this.resumeUs > 0) await this.clock.sleep(this.resumeUs);
    return OK;
  }
}

const NO_HOOKS: PmHooks = {
  prepare: () => OK, suspend: () => OK, powerOffNoIrq: () => OK, powerOnNoIrq: () => OK, resume: () => OK,
};

/** Same n, same edges (parent, needs, storage ordering computed by the runtime's own graph), same durations. */
export class AsyncSynthBoard {
  readonly clock = new PromiseClock();
  readonly pm: AsyncPowerManager;
  readonly drivers: AsyncSynthDriver[] = [];
  masks = 0;
  outcome = -1;
  done = 0;
  /** Virtual times (us) of the last cycle: start, sleep entered, woke, suspend() resolved. */
  startAt = 0;
  sleepAt = 0;
  wakeAt = 0;
  doneAt = 0;

  constructor(readonly n: number, options: SynthOptions) {
    const g = new DeviceGraph("bench/baseline/async-board", n);
    const blank: PmHooks[] = [];
    for (let d = 0; d < n; d++) blank.push(NO_HOOKS);
    for (const spec of synthSpecs(n, blank)) g.register(spec, BUDGET_US);
    g.seal();
    const devices: AsyncDevice[] = [];
    for (let d = 0; d < n; d++) {
      const driver = new AsyncSynthDriver(this.clock);
      const pending = (options.pendingEvery > 0 && d >= FIRST_LEAF && d % options.pendingEvery === 0);
      if (pending) {
        driver.suspendUs = hookDuration(d, 1, options.durations);
        driver.resumeUs = hookDuration(d, 4, options.durations);
      }
      if (d === FLASH && options.pendingEvery > 0) driver.suspendUs = hookDuration(FLASH, 1, options.durations);
      this.drivers.push(driver);
      devices.push({
        name: g.names[d],
        hooks: driver,
        prereqs: Array.from(g.pre.subarray(g.preStart[d], g.preStart[d + 1])),
        dependents: Array.from(g.dep.subarray(g.depStart[d], g.depStart[d + 1])),
        budgetUs: BUDGET_US,
      });
    }
    const platform = {
      mask: () => { this.masks++; },
      unmask: () => {},
      sleep: async () => {
        this.sleepAt = this.clock.t;
        await this.clock.sleep(1000);
        this.wakeAt = this.clock.t;
        return -2;
      },
    };
    this.pm = new AsyncPowerManager(devices, this.clock, platform, Array.from(g.order));
  }

  /** Starts one cycle; `onDone(outcome)` runs once the clock has no timer left. */
  cycle(onDone?: (outcome: number) => void): void {
    this.outcome = -1;
    let outcome = -1;
    this.startAt = this.clock.t;
    void this.pm.suspend().then((s) => {
      outcome = s;
      this.doneAt = this.clock.t;
    });
    this.clock.drive(() => {
      this.outcome = outcome;
      this.done++;
      if (onDone) onDone(outcome);
    });
  }
}
