// Synthetic drivers of the baselines: the same PENDING hooks as the runtime's SynthBoard, written the async way and the sync-or-Promise way.
import { OK } from "../../runtime/status";
import type { AsyncHooks } from "./async-pm";
import type { SyncHooks } from "./sync-pm";

/** Anything with a Promise sleep: the naive PromiseClock or the tuned EagerClock. */
export interface SleepClock {
  sleep(us: number): Promise<void>;
}

/** A driver as an async codebase writes it: every hook is async, awaiting a timer where the runtime's driver answers PENDING. */
export class AsyncSynthDriver implements AsyncHooks {
  suspendUs = 0;
  resumeUs = 0;
  constructor(private readonly clock: SleepClock) {}
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

/** The same driver answering OK at once when it has nothing to wait for, a Promise only for the pending work. */
export class SyncSynthDriver implements SyncHooks {
  suspendUs = 0;
  resumeUs = 0;
  constructor(private readonly clock: SleepClock) {}
  prepare(): number {
    return OK;
  }
  suspend(): number | Promise<number> {
    return this.suspendUs > 0 ? this.wait(this.suspendUs) : OK;
  }
  powerOffNoIrq(): number {
    return OK;
  }
  powerOnNoIrq(): number {
    return OK;
  }
  resume(): number | Promise<number> {
    return this.resumeUs > 0 ? this.wait(this.resumeUs) : OK;
  }
  private async wait(us: number): Promise<number> {
    await this.clock.sleep(us);
    return OK;
  }
}
