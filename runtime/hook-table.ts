// Every device's hook receivers per stage, chosen once at seal by the protocol table's names.
import type { DeviceGraph } from "./graph";
import { STAGES, hookStages } from "./protocol";
import { OK, STAGE_COUNT } from "./status";

/** What the engine calls a stage's hook on: `receiver[row.hook](token)`. */
export type HookReceiver = { readonly [hook: string]: (token: number) => number };

function answerOk(): number {
  return OK;
}

/** Every hook name of the table, answering OK. @boot */
function makeNoHooks(): HookReceiver {
  const o: { [hook: string]: (token: number) => number } = {};
  const ids = hookStages();
  for (let k = 0; k < ids.length; k++) o[STAGES[ids[k]].hook] = answerOk;
  return Object.freeze(o);
}

/** The receiver of a hook a driver leaves out (one for every board, made once at module load). */
const NO_HOOKS = makeNoHooks();

/**
 * Which hooks a driver has is decided at seal: per stage, a device's receiver is its hooks object
 * when that has the stage's method, else NO_HOOKS (answers OK). The engine then calls the method by
 * name on the receiver, as Linux calls `dev->driver->pm->suspend`: a plain method call, with the
 * driver as `this`, costs about 15 XS instructions less than `Function.prototype.call` on a function
 * looked up at seal (test/xs/FINDINGS.md), and allocates nothing.
 */
export class HookTable {
  /** Per stage, per device: the object whose `STAGES[stage].hook` method the engine calls. */
  readonly byStage: HookReceiver[][];

  constructor(maxDevices: number) {
    this.byStage = new Array(STAGE_COUNT);
    for (let s = 0; s < STAGE_COUNT; s++) {
      const recv: HookReceiver[] = new Array(maxDevices);
      for (let d = 0; d < maxDevices; d++) recv[d] = NO_HOOKS;
      this.byStage[s] = recv;
    }
  }

  /** Boot (seal). @boot */
  bind(g: DeviceGraph): void {
    // The hook stages and their method names, read off the table once (boot cost per device: a lookup per hook).
    const ids = hookStages();
    for (let d = 0; d < g.count; d++) {
      const hooks = g.hooks[d] as unknown as HookReceiver;
      for (let k = 0; k < ids.length; k++) {
        if (typeof hooks[STAGES[ids[k]].hook] === "function") this.byStage[ids[k]][d] = hooks;
      }
    }
  }
}
