// Baseline (sync-or-Promise): hooks answer a status number at once, or a Promise only when the work is pending; same contract as the runtime.
import { OK, BUSY, TIMEOUT, WAKEUP, THREW } from "../../runtime/status";
import type { EagerClock, Timer } from "./eager-clock";
import { H_PREPARE, H_SUSPEND, H_RESUME, type SyncSleepPlatform } from "./tuned-pm";

/** The runtime's five hooks with a Promise in place of PENDING + complete(token, status). */
export interface SyncHooks {
  prepare(): number | Promise<number>;
  suspend(): number | Promise<number>;
  powerOffNoIrq(): number;
  powerOnNoIrq(): number;
  resume(): number | Promise<number>;
}

export interface SyncDevice {
  name: string;
  hooks: SyncHooks;
  prereqs: number[];
  dependents: number[];
  budgetUs: number;
}

const NOOP = (): void => {};

/**
 * The best idiomatic-JS design we could think of short of the runtime's own: the stage walks devices
 * in topological order and calls each hook directly when nothing it waits on is still pending; a
 * number is finished on the spot, so a stage where every hook answers at once allocates nothing
 * but the suspend() call's own Promise. Only a pending answer gets a budget timer and an await, and
 * only a device behind a pending one is chained (`.then` on one, Promise.all on two or more pending).
 * `done[d]` is null for a device already finished (or not a member), otherwise the promise that
 * settles when it finishes. Budgets, THREW, rollback membership and the countdown are as in
 * tuned-pm.ts. Written for XS as the runtime is: loop locals declared once outside the loops (XS
 * pays for a block-scoped declaration on every pass), the common path inline in the stage loop.
 */
export class SyncOrPromisePowerManager {
  busy = false;
  wakeLine = -1;
  protected readonly n: number;
  protected readonly hooks: SyncHooks[];
  private readonly budgetUs: Float64Array;
  protected readonly down: Int32Array;
  protected readonly up: Int32Array;
  protected readonly waitDown: number[][];
  protected readonly waitUp: number[][];
  protected readonly done: (Promise<void> | null)[];
  protected readonly suspended: Uint8Array;
  protected stageStatus = OK;
  /** Devices of this stage still pending or behind a pending one. */
  protected left = 0;
  protected stageEnd: (status: number) => void = NOOP;

  constructor(devices: SyncDevice[], protected readonly clock: EagerClock, protected readonly platform: SyncSleepPlatform, topo: ArrayLike<number>) {
    const n = devices.length;
    this.n = n;
    this.hooks = [];
    this.budgetUs = new Float64Array(n);
    this.down = new Int32Array(n);
    this.up = new Int32Array(n);
    this.waitDown = [];
    this.waitUp = [];
    this.done = [];
    for (let d = 0; d < n; d++) {
      this.hooks.push(devices[d].hooks);
      this.budgetUs[d] = devices[d].budgetUs;
      this.up[d] = topo[d];
      this.down[d] = topo[n - 1 - d];
      this.waitDown.push(devices[d].dependents.slice());
      this.waitUp.push(devices[d].prereqs.slice());
      this.done.push(null);
    }
    this.suspended = new Uint8Array(n);
  }

  async suspend(): Promise<number> {
    if (this.busy) return BUSY;
    this.busy = true;
    this.wakeLine = -1;
    try {
      // Await only what is pending: a stage that finished synchronously answers a number.
      let r = this.runStage(H_PREPARE, null);
      const prepared = typeof r === "number" ? r : await r;
      if (prepared !== OK || this.wakeLine >= 0) return prepared !== OK ? prepared : WAKEUP;
      this.suspended.fill(0);
      r = this.runStage(H_SUSPEND, null);
      const suspended = typeof r === "number" ? r : await r;
      if (suspended !== OK || this.wakeLine >= 0) {
        r = this.runStage(H_RESUME, this.suspended);
        if (typeof r !== "number") await r;
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
      for (let k = off - 1; k >= 0; k--) hooks[down[k]].powerOnNoIrq();
      this.platform.unmask();
      r = this.runStage(H_RESUME, null);
      const resumed = typeof r === "number" ? r : await r;
      return failure !== OK ? failure : resumed;
    } finally {
      this.busy = false;
    }
  }

  /** One stage over `members` (null: all): a number when it finished synchronously, else a Promise of it. */
  protected runStage(hook: number, members: Uint8Array | null): number | Promise<number> {
    const suspendDir = hook !== H_RESUME;
    const order = suspendDir ? this.down : this.up;
    const wait = suspendDir ? this.waitDown : this.waitUp;
    const done = this.done, n = this.n;
    this.stageStatus = OK;
    this.left = 0;
    let i = 0, j = 0, d = 0;
    let w: number[], p: Promise<void> | null, gate: Promise<unknown> | null, many: Promise<void>[] | null;
    let answer: number | Promise<number>;
    for (; i < n; i++) {
      d = order[i];
      done[d] = null;
      if (members !== null && members[d] === 0) continue;
      w = wait[d];
      gate = null;
      many = null;
      for (j = 0; j < w.length; j++) {
        p = done[w[j]];
        if (p === null) continue;
        if (gate === null) gate = p;
        else if (many === null) many = [gate as Promise<void>, p];
        else many.push(p);
      }
      if (many !== null) gate = Promise.all(many);
      if (gate !== null) {
        this.left++;
        done[d] = this.later(d, hook, suspendDir, gate);
        continue;
      }
      if (suspendDir && this.stageStatus !== OK) continue;
      answer = this.call(d, hook);
      if (typeof answer === "number") {
        this.finish(d, hook, answer);
        continue;
      }
      this.left++;
      done[d] = this.pending(d, hook, answer);
    }
    if (this.left === 0) return this.stageStatus;
    return new Promise<number>((resolve) => {
      this.stageEnd = resolve;
    });
  }

  protected async pending(d: number, hook: number, answer: Promise<number>): Promise<void> {
    this.finish(d, hook, await this.budget(d, answer));
    if (--this.left === 0) this.stageEnd(this.stageStatus);
  }

  /** A device behind pending ones: runs its hook once they finished. */
  protected async later(d: number, hook: number, suspendDir: boolean, gate: Promise<unknown>): Promise<void> {
    await gate;
    if (!suspendDir || this.stageStatus === OK) {
      const answer = this.call(d, hook);
      this.finish(d, hook, typeof answer === "number" ? answer : await this.budget(d, answer));
    }
    if (--this.left === 0) this.stageEnd(this.stageStatus);
  }

  /** The hook's answer; a hook that throws answers THREW, as the runtime's dispatch does. */
  protected call(d: number, hook: number): number | Promise<number> {
    const h = this.hooks[d];
    try {
      if (hook === H_PREPARE) return h.prepare();
      if (hook === H_SUSPEND) return h.suspend();
      return h.resume();
    } catch {
      return THREW;
    }
  }

  protected budget(d: number, answer: Promise<number>): Promise<number> {
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

  protected finish(d: number, hook: number, status: number): void {
    if (hook === H_SUSPEND && (status === OK || status === TIMEOUT)) this.suspended[d] = 1;
    if (status !== OK && this.stageStatus === OK) this.stageStatus = status;
  }
}
