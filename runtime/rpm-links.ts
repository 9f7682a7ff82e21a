// Who keeps whom powered under runtime PM: each device's suppliers (parent and `needs`) and consumers, as fixed CSR tables.
import type { DeviceGraph } from "./graph";

/**
 * Linux keeps a parent active while a child is (child_count) and device links do the same for other
 * suppliers; here both are the DeviceSpec's `parent` and `needs`. Built once at seal: the runtime PM
 * walks `sup[supStart[d] .. supStart[d + 1])` and `con[conStart[d] .. conStart[d + 1])` without allocating.
 */
export class RpmLinks {
  /** Suppliers of d: sup[supStart[d] .. supStart[d + 1]). */ readonly supStart: Int32Array; readonly sup: Int16Array;
  /** Consumers of d: con[conStart[d] .. conStart[d + 1]). */ readonly conStart: Int32Array; readonly con: Int16Array;

  /** @boot */
  constructor(g: DeviceGraph, needs: readonly (readonly string[])[]) {
    const sups: number[][] = [];
    const cons: number[][] = [];
    for (let d = 0; d < g.count; d++) { sups.push([]); cons.push([]); }
    for (let d = 0; d < g.count; d++) {
      const p = g.parent[d];
      if (p >= 0) { sups[d].push(p); cons[p].push(d); }
      const names = needs[d] ?? [];
      for (let i = 0; i < names.length; i++) {
        const s = g.indexOf(names[i]);
        if (s >= 0 && sups[d].indexOf(s) < 0) { sups[d].push(s); cons[s].push(d); }
      }
    }
    this.supStart = starts(sups);
    this.sup = items(sups, this.supStart);
    this.conStart = starts(cons);
    this.con = items(cons, this.conStart);
  }
}

/** @boot */
function starts(lists: number[][]): Int32Array {
  const start = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = start[i] + lists[i].length;
  return start;
}

/** @boot */
function items(lists: number[][], start: Int32Array): Int16Array {
  const out = new Int16Array(start[lists.length]);
  for (let i = 0; i < lists.length; i++) for (let k = 0; k < lists[i].length; k++) out[start[i] + k] = lists[i][k];
  return out;
}
