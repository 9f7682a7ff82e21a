// The suspend attempts of a timeline: a fresh row when a cycle starts, and at the end each row's time per stage and its charge.
import { OK, STAGE_COUNT, WAKE_NONE } from "../../runtime/status";
import type { VizAttempt, VizCounter, VizSlice } from "./model";
import { integrate } from "./step-counter";

/** Attempt `index`, begun at `time` for `target` (-1: not known yet): no outcome, failure or wake so far. */
export function newAttempt(index: number, time: number, target: number): VizAttempt {
  return {
    index, start: time, end: -1, target, outcome: -1, failDevice: -1, failStage: -1, failStatus: OK,
    wake: WAKE_NONE, wakeLabel: "none", stageUs: new Array<number>(STAGE_COUNT).fill(0), rollbackUs: 0, chargeUc: -1,
  };
}

/**
 * Copies of `attempts` with the time of their system slices added up per stage (rollback apart) and,
 * given the `current` counter, their charge in uC; an attempt still open ends at `stop`.
 */
export function summarizeAttempts(attempts: readonly VizAttempt[], slices: readonly VizSlice[], current: VizCounter | undefined, stop: number): VizAttempt[] {
  const out = attempts.map((a) => ({ ...a, stageUs: a.stageUs.slice() }));
  for (const s of slices) {
    if (s.device >= 0 || s.attempt < 0) continue;
    const a = out[s.attempt];
    if (s.rollback) a.rollbackUs += s.end - s.start;
    else a.stageUs[s.stage] += s.end - s.start;
  }
  if (current !== undefined) for (const a of out) a.chargeUc = integrate(current, a.start, a.end < 0 ? stop : a.end) / 1e6;
  return out;
}
