// XS wall-time entry: batches of full cycles of the runtime and each baseline at one N, timed inside xsnap with GC included.
import { SynthBoard, type SynthOptions } from "./synthetic/synth-board";
import { BaselineBoard, BASELINE_KINDS } from "./baseline/async-board";

// xsnap globals: a monotonic clock (ms, fractional) and a full collection.
declare const performance: { now(): number };
declare function gc(): void;

export const WALL_N = 64;
/** Cycles per timed batch: long enough that the naive baseline's garbage triggers many collections. */
export const WALL_CYCLES = 40;
// plainStages: the runtime's driver does in each hook what the baselines' does (synth-board.ts).
const OPTIONS: SynthOptions = { pendingEvery: 4, durations: "uniform", plainStages: true };

/**
 * No heap pre-growth here (unlike xs-entry.ts): the heap is xsnap's default, so the baselines'
 * garbage is collected as often as it would be in a default worker, and the collections are part of
 * their time. The harness runs gc() before each command (outside the timed window); the window ends
 * with one gc() of its own, so every slot a batch allocated is reclaimed inside the batch's time.
 * That closing gc() costs every implementation the same (a collection of a heap holding the same
 * live boards); `gcOnly` times it alone so the report can show it.
 */
const runtime = new SynthBoard(WALL_N, OPTIONS);
const boards = BASELINE_KINDS.map((k) => new BaselineBoard(k, WALL_N, OPTIONS));

let started = 0;
let lastUs = -1;
let left = 0;
let outcome = 0;
let current: BaselineBoard = boards[0];

function stop(): void {
  gc();
  lastUs = (performance.now() - started) * 1000;
}

const next = (s: number): void => {
  if (s !== 0) outcome = s;
  if (--left > 0) current.cycle(next);
  else stop();
};

export const commands: Record<string, (k: number) => number> = {
  /**
   * code = cycles * 10 + k: times `cycles` (0: WALL_CYCLES) full cycles of implementation k
   * (0 runtime, 1 + index in BASELINE_KINDS) plus the closing gc(). Returns the first non-OK
   * runtime outcome; a baseline batch ends in later turns of this crank (read `wallUs`, `wallOutcome`).
   */
  wall(code) {
    const k = code % 10;
    const cycles = (code - k) / 10 || WALL_CYCLES;
    lastUs = -1;
    outcome = 0;
    started = performance.now();
    if (k === 0) {
      for (let i = 0; i < cycles; i++) {
        const s = runtime.cycle();
        if (s !== 0) outcome = s;
      }
      stop();
      return outcome;
    }
    current = boards[k - 1];
    left = cycles;
    current.cycle(next);
    return 0;
  },
  /** The last batch's time in microseconds (-1 if it has not ended), read in the crank after it. */
  wallUs() {
    return lastUs;
  },
  /** The last batch's first non-OK outcome (0 if every cycle ended OK). */
  wallOutcome() {
    return outcome;
  },
  /** The closing gc() alone, on the same heap, in microseconds. */
  gcOnly() {
    const t = performance.now();
    gc();
    return (performance.now() - t) * 1000;
  },
};
