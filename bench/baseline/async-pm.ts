// Baseline: a plain idiomatic async/await power manager over the same driver contract and device graph.
import { OK, BUSY, TIMEOUT, WAKEUP } from "../../runtime/status";
import type { PromiseClock } from "./promise-clock";

/** The same five hooks, the way an async codebase writes them: the PENDING stages return Promises. */
export interface AsyncHooks {
  prepare(): Promise<number>;
  suspend(): Promise<number>;
  powerOffNoIrq(): number;
  powerOnNoIrq(): number;
  resume(): Promise<number>;
}

export interface AsyncDevice {
  name: string;
  hooks: AsyncHooks;
  /** Devices this one depends on (parent, needs, storage): resumed before it, suspended after it. */
  prereqs: number[];
  dependents: number[];
  budgetUs: number;
}

export interface AsyncPlatform {
  mask(): void;
  unmask(): void;
  sleep(): Promise<number>;
}

type AsyncStage = "prepare" | "suspend" | "resume";

interface StageResult {
  status: number;
  done: number[];
}

/**
 * The obvious design: each stage is a memoised walk where a device's hook awaits Promise.all of the
 * devices that must go first, so independent branches overlap; a budget is a Promise.race with a
 * timer; rollback replays the mirror stages over what advanced. Correct, readable, and allocating
 * on every step: that allocation is what the benchmark compares against.
 */
export class AsyncPowerManager {
  busy = false;
  wakeLine = -1;
  /** Suspend order (dependents first) for the synchronous NoIrq stages. */
  private readonly order: number[];

  constructor(readonly devices: AsyncDevice[], readonly clock: PromiseClock, readonly platform: AsyncPlatform, topo: number[]) {
    this.order = topo.slice().reverse();
  }

  async suspend(): Promise<number> {
    if (this.busy) return BUSY;
    this.busy = true;
    this.wakeLine = -1;
    try {
      const prepared = await this.runStage("prepare", true, this.devices.map((_, d) => d));
      if (prepared.status !== OK || this.wakeLine >= 0) {
        return prepared.status !== OK ? prepared.status : WAKEUP;
      }
      const suspended = await this.runStage("suspend", true, prepared.done);
      if (suspended.status !== OK || this.wakeLine >= 0) {
        await this.runStage("resume", false, suspended.done);
        return suspended.status !== OK ? suspended.status : WAKEUP;
      }
      this.platform.mask();
      const off: number[] = [];
      let failure = OK;
      for (const d of this.order) {
        const s = this.devices[d].hooks.powerOffNoIrq();
        if (s !== OK) {
          failure = s;
          break;
        }
        off.push(d);
      }
      if (failure === OK) await this.platform.sleep();
      for (const d of off.reverse()) this.devices[d].hooks.powerOnNoIrq();
      this.platform.unmask();
      const resumed = await this.runStage("resume", false, this.devices.map((_, d) => d));
      return failure !== OK ? failure : resumed.status;
    } finally {
      this.busy = false;
    }
  }

  private async runStage(stage: AsyncStage, suspendDir: boolean, members: number[]): Promise<StageResult> {
    const inStage = new Set(members);
    const memo = new Map<number, Promise<boolean>>();
    const result: StageResult = { status: OK, done: [] };
    const visit = (d: number): Promise<boolean> => {
      let p = memo.get(d);
      if (p === undefined) {
        p = (async () => {
          const first = (suspendDir ? this.devices[d].dependents : this.devices[d].prereqs).filter((x) => inStage.has(x));
          const ready = await Promise.all(first.map(visit));
          // Suspend stops at the first failure; resume carries on (a failed resume cannot be undone).
          if (suspendDir && (result.status !== OK || ready.includes(false))) return false;
          const status = await this.withBudget(this.devices[d].hooks[stage](), this.devices[d].budgetUs);
          if (status === OK) {
            result.done.push(d);
            return true;
          }
          // A suspend that timed out may have half-acted (gated its queue): its resume runs in rollback, as in the runtime.
          if (stage === "suspend" && status === TIMEOUT) result.done.push(d);
          if (result.status === OK) result.status = status;
          return !suspendDir;
        })();
        memo.set(d, p);
      }
      return p;
    };
    await Promise.all(members.map(visit));
    return result;
  }

  private withBudget(hook: Promise<number>, budgetUs: number): Promise<number> {
    let timer: ReturnType<PromiseClock["after"]> | undefined;
    const expiry = new Promise<number>((resolve) => {
      timer = this.clock.after(budgetUs, () => resolve(TIMEOUT));
    });
    return Promise.race([hook, expiry]).finally(() => {
      if (timer !== undefined) this.clock.cancel(timer);
    });
  }
}
