// Critical path and sequential sum of one suspend/resume from per-device hook durations and the sealed dependency graph.
import type { DeviceGraph } from "../runtime/graph";

/** Hook duration of device `d` in `stage`, microseconds (e.g. pm.stats.lastByStage[stage][d]). */
export type DurationOf = (d: number, stage: number) => number;

/**
 * Longest chain through the DAG for one stage. Suspend-direction stages start a device once all its
 * dependents (g.dep) finished; resume-direction stages once all its prerequisites (g.pre) did — the
 * same rule as runtime/engine.ts, so this is the shortest time any scheduler could achieve with these
 * hook durations if dispatch itself were free.
 */
export function stageCriticalPath(g: DeviceGraph, stage: number, suspendDir: boolean, duration: DurationOf): number {
  const finish = new Float64Array(g.count);
  let longest = 0;
  for (let k = 0; k < g.count; k++) {
    const d = suspendDir ? g.order[g.count - 1 - k] : g.order[k];
    const from = suspendDir ? g.depStart[d] : g.preStart[d];
    const to = suspendDir ? g.depStart[d + 1] : g.preStart[d + 1];
    const list = suspendDir ? g.dep : g.pre;
    let start = 0;
    for (let i = from; i < to; i++) start = Math.max(start, finish[list[i]]);
    finish[d] = start + duration(d, stage);
    longest = Math.max(longest, finish[d]);
  }
  return longest;
}

/** Stages are barriers (the next starts when the last device finished), so their paths add up. */
export function criticalPath(g: DeviceGraph, stages: readonly number[], suspendDir: boolean, duration: DurationOf): number {
  let sum = 0;
  for (const s of stages) sum += stageCriticalPath(g, s, suspendDir, duration);
  return sum;
}

/** Every hook of these stages one after another (what a scheduler without PENDING overlap would take). */
export function sequentialSum(g: DeviceGraph, stages: readonly number[], duration: DurationOf): number {
  let sum = 0;
  for (const s of stages) for (let d = 0; d < g.count; d++) sum += duration(d, s);
  return sum;
}
