// Every device's hooks, looked up once at seal by the protocol table's names.
import type { DeviceGraph } from "./graph";
import { STAGES, hookStages } from "./protocol";
import { OK, STAGE_COUNT } from "./status";

/** A hook as the engine calls it: the driver's own method, called with the driver as `this`. */
export type HookFn = (this: unknown, token: number) => number;

/**
 * Looked up once, so a driver's hooks are locked configuration (Moddable's rule for IO objects) and
 * a hook a driver leaves out costs no call: it answers OK. `Function.prototype.call` with the driver
 * as `this` allocates nothing on XS (no bound functions are made, not even at boot).
 */
export class HookTable {
  /** Per stage, per device: the driver's method, or null. The engine calls `byStage[stage][d].call(self[d], token)`. */
  readonly byStage: (HookFn | null)[][];
  readonly self: unknown[];

  constructor(maxDevices: number) {
    this.byStage = new Array(STAGE_COUNT);
    for (let s = 0; s < STAGE_COUNT; s++) {
      const fns: (HookFn | null)[] = new Array(maxDevices);
      for (let d = 0; d < maxDevices; d++) fns[d] = null;
      this.byStage[s] = fns;
    }
    this.self = new Array(maxDevices);
  }

  /** Boot (seal). @boot */
  bind(g: DeviceGraph): void {
    // The hook stages and their method names, read off the table once (boot cost per device: a lookup per hook).
    const ids = hookStages();
    const names: string[] = [];
    for (let k = 0; k < ids.length; k++) names.push(STAGES[ids[k]].hook);
    for (let d = 0; d < g.count; d++) {
      const hooks = g.hooks[d] as unknown as { [name: string]: unknown };
      this.self[d] = hooks;
      for (let k = 0; k < ids.length; k++) {
        const f = hooks[names[k]];
        if (typeof f === "function") this.byStage[ids[k]][d] = f as HookFn;
      }
    }
  }


  /** Device d's hook for `stage`: its answer, OK if it has none. A throw goes to the caller. */
  call(d: number, stage: number, token: number): number {
    const f = this.byStage[stage][d];
    if (f === null) return OK;
    return f.call(this.self[d], token);
  }
}
