// XS benchmark entry: the runtime's boot alone (PowerManager, register, seal) over the synthetic graph at large N.
import { PowerManager, OK, type PmHooks } from "../runtime";
import { synthSpecs } from "./synthetic/synth-board";
import { ListPlatform } from "./synthetic/list-platform";

/** A driver with every hook and no state: the hooks are looked up at seal, never called here. */
class Idle implements PmHooks {
  prepare(): number { return OK; }
  suspend(): number { return OK; }
  powerOffNoIrq(): number { return OK; }
  powerOnNoIrq(): number { return OK; }
  resume(): number { return OK; }
}

const prepared = new Map<number, { specs: ReturnType<typeof synthSpecs>; platform: ListPlatform }>();
let kept: PowerManager | null = null;

export const commands: Record<string, (n: number) => number> = {
  /** Not measured: the board's side (driver objects, their specs, the platform) made beforehand. */
  prepare(n) {
    const hooks: PmHooks[] = [];
    for (let d = 0; d < n; d++) hooks.push(new Idle());
    prepared.set(n, { specs: synthSpecs(n, hooks), platform: new ListPlatform(n + 8) });
    return n;
  },
  /** Measured: what the runtime does at boot for n devices. */
  boot(n) {
    const p = prepared.get(n);
    if (p === undefined) throw new Error("bench/xs-boot-entry: prepare(" + n + ") first");
    const pm = new PowerManager({
      board: "bench/synthetic/synth-board", maxDevices: n, stateArenaBytes: 8 * n + 64, blockCount: 8,
      blockSize: 32, irqLines: 4, traceRecords: 256, defaultBudgetUs: 10_000, testHoldUs: 1000, failureHistory: 4,
    }, p.platform);
    for (let i = 0; i < p.specs.length; i++) pm.register(p.specs[i]);
    pm.seal();
    kept = pm;
    return kept.graph.count;
  },
};
