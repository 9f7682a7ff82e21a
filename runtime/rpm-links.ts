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
  constructor(g: DeviceGraph) {
    const n = g.count;
    // Suppliers: the prerequisites the board named (graph.ts keeps them first in each device's `pre`).
    this.supStart = new Int32Array(n + 1);
    for (let d = 0; d < n; d++) this.supStart[d + 1] = this.supStart[d] + g.ownPre[d];
    this.sup = new Int16Array(this.supStart[n]);
    const counts = new Int32Array(n + 1);
    for (let d = 0; d < n; d++) {
      for (let k = 0; k < g.ownPre[d]; k++) {
        const s = g.pre[g.preStart[d] + k];
        this.sup[this.supStart[d] + k] = s;
        counts[s + 1]++;
      }
    }
    // Consumers: the same edges reversed.
    this.conStart = new Int32Array(n + 1);
    for (let d = 0; d < n; d++) this.conStart[d + 1] = this.conStart[d] + counts[d + 1];
    this.con = new Int16Array(this.conStart[n]);
    const fill = new Int32Array(n);
    for (let d = 0; d < n; d++) for (let k = this.supStart[d]; k < this.supStart[d + 1]; k++) this.con[this.conStart[this.sup[k]] + fill[this.sup[k]]++] = d;
  }
}
