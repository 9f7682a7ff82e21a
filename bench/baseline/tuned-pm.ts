// Baseline (tuned async/await): the power manager a competent engineer writes with async hooks, same contract as the runtime.
import { OK, BUSY, TIMEOUT, WAKEUP, THREW } from "../../runtime/status";
import type { AsyncDevice, AsyncHooks } from "./async-pm";
import type { EagerClock, Timer } from "./eager-clock";

/** The platform of the tuned baselines: the ESP32's light sleep returns when the chip wakes, so it is synchronous. */
export interface SyncSleepPlatform {
  mask(): void;
  unmask(): void;
  sleep(): number;
}

export const H_PREPARE = 0;
export const H_SUSPEND = 1;
export const H_RESUME = 2;

const NOOP = (): void => {};
const SETTLED: Promise<void> = Promise.resolve();

/**
 * Differences from the naive draft (async-pm.ts), all of them the first things a reviewer would ask:
 * - who waits on whom is computed once at boot, per direction (`waitDown`: a device's dependents,
 *   `waitUp`: its prerequisites), with one reusable gate array per device for Promise.all;
 * - a device waiting on nobody starts at once, on one device awaits that device's promise, and only
 *   a device waiting on two or more pays for Promise.all;
 * - the end of a stage is a countdown, not a Promise.all over every device;
 * - a budget is one timer that the hook's settlement clears at once (no Promise.race, no cancelled
 *   timer left in the heap), and a rejected hook answers THREW like the runtime's try/catch;
 * - membership of a rollback stage is a byte per device (no Set), advanced devices are flags (no array).
 * What stays is intrinsic to async hooks: every hook returns a Promise, so every hook gets a budget
 * timer and at least one await, even when it finishes at once.
 */
export class TunedAsyncPowerManager {
  busy = false;
  wakeLine = -1;
  private readonly n: number;
  private readonly hooks: AsyncHooks[];
  private readonly budgetUs: Float64Array;
  /** Suspend order (dependents first) and resume order (prerequisites first). */
  private readonly down: Int32Array;
  private readonly up: Int32Array;
  private readonly waitDown: number[][];
  private readonly waitUp: number[][];
  private readonly gatesDown: Promise<void>[][];
  private readonly gatesUp: Promise<void>[][];
  /** This stage's promise per device: settles once the device finished (whatever its status). */
  private readonly done: Promise<void>[];
  /** 1 for a device whose S2 advanced (OK, or timed out: it may have half-acted): the members of R2's rollback. */
  private readonly suspended: Uint8Array;
  private stageStatus = OK;
  private left = 0;
  private stageEnd: (status: number) => void = NOOP;

  constructor(devices: AsyncDevice[], private readonly clock: EagerClock, private readonly platform: SyncSleepPlatform, topo: ArrayLike<number>) {
    const n = devices.length;
    this.n = n;
    this.hooks = [];
    this.budgetUs = new Float64Array(n);
    this.down = new Int32Array(n);
    this.up = new Int32Array(n);
    this.waitDown = [];
    this.waitUp = [];
    this.gatesDown = [];
    this.gatesUp = [];
    this.done = [];
    for (let d = 0; d < n; d++) {
      this.hooks.push(devices[d].hooks);
      this.budgetUs[d] = devices[d].budgetUs;
      this.up[d] = topo[d];
      this.down[d] = topo[n - 1 - d];
      this.waitDown.push(devices[d].dependents.slice());
      this.waitUp.push(devices[d].prereqs.slice());
      this.gatesDown.push(devices[d].dependents.map(() => SETTLED));
      this.gatesUp.push(devices[d].prereqs.map(() => SETTLED));
      this.done.push(SETTLED);
    }
    this.suspended = new Uint8Array(n);
  }

  async suspend(): Promise<number> {
    if (this.busy) return BUSY;
    this.busy = true;
    this.wakeLine = -1;
    try {
      const prepared = await this.runStage(H_PREPARE, null);
      // S1's mirror is the runtime releasing its reservations: no hook, nothing to undo here.
      if (prepared !== OK || this.wakeLine >= 0) return prepared !== OK ? prepared : WAKEUP;
      this.suspended.fill(0);
      const suspended = await this.runStage(H_SUSPEND, null);
      if (suspended !== OK || this.wakeLine >= 0) {
        await this.runStage(H_RESUME, this.suspended);
        return suspended !== OK ? suspended : WAKEUP;
      }
      this.platform.mask();
      const down = this.down, hooks = this.hooks, n = this.n;
      let off = 0, failure = OK, s = OK;
      for (; off < n; off++) {
        s = hooks[down[off]].powerOffNoIrq();
        if (s !== OK) {
          failure = s;
          break;
        }
      }
      if (failure === OK) this.platform.sleep();
      // What powered off is a prefix of the suspend order: power it on in reverse.
      for (let k = off - 1; k >= 0; k--) hooks[down[k]].powerOnNoIrq();
      this.platform.unmask();
      const resumed = await this.runStage(H_RESUME, null);
      return failure !== OK ? failure : resumed;
    } finally {
      this.busy = false;
    }
  }

  /** One stage over `members` (null: every device); resolves with the stage's first failure or OK. */
  private runStage(hook: number, members: Uint8Array | null): Promise<number> {
    const suspendDir = hook !== H_RESUME;
    const order = suspendDir ? this.down : this.up;
    const wait = suspendDir ? this.waitDown : this.waitUp;
    const gates = suspendDir ? this.gatesDown : this.gatesUp;
    this.stageStatus = OK;
    this.left = 0;
    // Visits start in topological order, so the promises a device waits on already exist. Locals
    // are declared once, outside the loop (XS pays for a block-scoped declaration on every pass).
    const done = this.done, n = this.n;
    let d = 0;
    for (let k = 0; k < n; k++) {
      d = order[k];
      if (members !== null && members[d] === 0) {
        done[d] = SETTLED;
        continue;
      }
      this.left++;
      done[d] = this.visit(d, hook, suspendDir, wait[d], gates[d]);
    }
    // A mirror over nobody is not run.
    if (this.left === 0) return Promise.resolve(OK);
    return new Promise<number>((resolve) => {
      this.stageEnd = resolve;
    });
  }

  private async visit(d: number, hook: number, suspendDir: boolean, wait: number[], gates: Promise<void>[]): Promise<void> {
    if (wait.length === 1) {
      await this.done[wait[0]];
    } else if (wait.length > 1) {
      for (let j = 0; j < wait.length; j++) gates[j] = this.done[wait[j]];
      await Promise.all(gates);
    }
    // A suspend-direction failure stops dispatch (hooks in flight finish); resume carries on.
    if (!suspendDir || this.stageStatus === OK) {
      let status: number;
      try {
        status = await this.budget(d, this.call(d, hook));
      } catch {
        status = THREW;
      }
      this.finish(d, hook, status);
    }
    if (--this.left === 0) this.stageEnd(this.stageStatus);
  }

  private call(d: number, hook: number): Promise<number> {
    const h = this.hooks[d];
    if (hook === H_PREPARE) return h.prepare();
    if (hook === H_SUSPEND) return h.suspend();
    return h.resume();
  }

  /** The hook's answer, or TIMEOUT once the device's budget expired; a later answer is ignored. */
  private budget(d: number, answer: Promise<number>): Promise<number> {
    const clock = this.clock;
    return new Promise<number>((resolve) => {
      const timer: Timer = clock.after(this.budgetUs[d], () => resolve(TIMEOUT));
      answer.then(
        (status) => {
          clock.clear(timer);
          resolve(status);
        },
        () => {
          clock.clear(timer);
          resolve(THREW);
        },
      );
    });
  }

  private finish(d: number, hook: number, status: number): void {
    if (hook === H_SUSPEND && (status === OK || status === TIMEOUT)) this.suspended[d] = 1;
    if (status !== OK && this.stageStatus === OK) this.stageStatus = status;
  }
}
