// XS benchmark entry: runtime and the three async baselines over the same synthetic graphs in one worker, plus stage-isolated and probed runs.
import { StageEngine, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, S_RESUME } from "../runtime";
import { SynthBoard, type SynthOptions } from "./synthetic/synth-board";
import { PROBE_MASK, PROBE_UNMASK, PROBE_SLEEP_ENTER, PROBE_SLEEP_EXIT } from "./synthetic/list-platform";
import { BaselineBoard, BASELINE_KINDS } from "./baseline/async-board";

// xsnap host functions: the meter (compute) of the running crank, read and restored.
declare function resetMeter(limit: number, index: number): number;
declare function currentMeterLimit(): number;
declare function setImmediate(callback: () => void): unknown;

export const SIZES = [8, 64, 256, 1024];
// plainStages: the runtime's driver does in each hook what the baselines' does (synth-board.ts).
const OPTIONS: SynthOptions = { pendingEvery: 4, durations: "uniform", plainStages: true };

// Grow the slot heap once at boot so a naive baseline cycle at N=1024 (about 2.1 million slots of
// Promise garbage) fits in the free heap without a collection mid-measurement (the harness refuses those).
{
  let keep: { i: number }[] | null = [];
  for (let i = 0; i < 1_250_000; i++) keep.push({ i });
  keep = null;
}

const runtime = new Map<number, SynthBoard>();
/** The same board at the other trace levels (N = TRACE_LEVEL_N): what tracing costs per build. */
export const TRACE_LEVEL_N = 64;
const levelBoards = [new SynthBoard(TRACE_LEVEL_N, { ...OPTIONS, traceLevel: 0 }), new SynthBoard(TRACE_LEVEL_N, { ...OPTIONS, traceLevel: 1 })];
const probed = new Map<number, SynthBoard>();
/** Baseline boards by code = kind index (0 naive, 1 tuned, 2 sync-or-Promise) * BASELINE_CODE + n. */
const baseline = new Map<number, BaselineBoard>();
export const BASELINE_CODE = 10_000;
/** Stage commands: code = stage * STAGE_CODE + n. */
export const STAGE_CODE = 10_000;
const isolated = new Map<number, StageEngine>();
let stageDone = 0;

const LIMIT = currentMeterLimit();
/** Meter snapshot: the instructions executed in this crank so far (reading it resets and restores the index). */
function meter(): number {
  const v = resetMeter(LIMIT, 0);
  resetMeter(LIMIT, v);
  return v;
}

/** Masked window of the last probed cycle: [mask, sleep-enter, sleep-exit, unmask] meter readings. */
const marks = new Float64Array(4);

for (const n of SIZES) {
  const rt = new SynthBoard(n, OPTIONS);
  runtime.set(n, rt);
  const pb = new SynthBoard(n, OPTIONS);
  pb.platform.setProbe((event: number) => {
    const m = meter();
    if (event === PROBE_MASK) marks[0] = m;
    else if (event === PROBE_SLEEP_ENTER) marks[1] = m;
    else if (event === PROBE_SLEEP_EXIT) marks[2] = m;
    else if (event === PROBE_UNMASK) marks[3] = m;
  });
  probed.set(n, pb);
  for (let k = 0; k < BASELINE_KINDS.length; k++) baseline.set(k * BASELINE_CODE + n, new BaselineBoard(BASELINE_KINDS[k], n, OPTIONS));
  // A bare stage engine over the same graph, pools and hooks: one stage per command, nothing else.
  const p = rt.pm;
  const e = new StageEngine(p.graph, rt.platform, p.recorder, p.arena, p.blocks, {
    stageEnded(): void { stageDone++; },
    gaveUp(): void {},
  });
  e.bindHooks();
  isolated.set(n, e);
}

function pick<T>(m: Map<number, T>, n: number, what: string): T {
  const v = m.get(n);
  if (v === undefined) throw new RangeError("bench/xs-entry: no " + what + " board of " + n + " devices; sizes are " + SIZES.join(", "));
  return v;
}

const STAGES = [S_PREPARE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, S_RESUME];

export const commands: Record<string, (n: number) => number> = {
  /** One full cycle at trace level 0 (off) or 1 (stages) on the N = 64 board (level 2 is `runtime`). */
  runtimeLevel(level) {
    const b = levelBoards[level];
    if (b === undefined) throw new RangeError("bench/xs-entry runtimeLevel: level " + level + " is not 0 or 1 (2 is the runtime command)");
    return b.cycle();
  },
  /** One full runtime cycle (S1..R2 with platform sleep) on the n-device board. Returns the outcome. */
  runtime(n) {
    return pick(runtime, n, "runtime").cycle();
  },
  /**
   * Starts one cycle of baseline code = kind * BASELINE_CODE + n; it runs to the end inside this
   * crank (promise jobs and setImmediate turns).
   */
  baseline(code) {
    pick(baseline, code, "baseline").cycle();
    return 0;
  },
  baselineOutcome(code) {
    return pick(baseline, code, "baseline").outcome;
  },
  /** setImmediate turns the last baseline cycle took (its driving cost is calibrated by `immediates`). */
  baselineTicks(code) {
    return pick(baseline, code, "baseline").clock.ticks;
  },
  /** Calibration: a chain of k setImmediate turns doing nothing else. */
  immediates(k) {
    let left = k;
    const turn = (): void => {
      if (--left > 0) setImmediate(turn);
    };
    if (k > 0) setImmediate(turn);
    return k;
  },
  /**
   * Stage-isolated: code = stage * STAGE_CODE + n runs that one stage over every device of board n with a
   * bare StageEngine (PENDING completions routed to it). Stages must be run in order 0,1,2,4,5.
   */
  stage(code) {
    const n = code % STAGE_CODE;
    const stage = (code - n) / STAGE_CODE;
    if (STAGES.indexOf(stage) < 0) throw new RangeError("bench/xs-entry stage: " + stage + " is not a device stage (0,1,2,4,5)");
    const b = pick(runtime, n, "runtime");
    const e = pick(isolated, n, "isolated");
    b.sink = e;
    const before = stageDone;
    // A cycle selects its members once, at S1 (the sequencer keeps them through the stages).
    if (stage === S_PREPARE) e.members.selectAll();
    e.run(stage, b.platform.now(), false);
    b.platform.runUntilIdle(1e9);
    b.sink = b.pm;
    return (stageDone - before) * 10 + (e.failed ? 1 : 0);
  },
  /** After the isolated R2: what the PM's release step does, so the next isolated S1 starts from scratch (not measured). */
  stageReset(n) {
    const b = pick(runtime, n, "runtime");
    for (let d = 0; d < n; d++) {
      b.pm.arena.release(d);
      b.pm.blocks.unreserve(d);
    }
    return n;
  },
  /** Full cycle on the probed board; returns the masked window's compute (mask..unmask minus the sleep call). */
  masked(n) {
    const outcome = pick(probed, n, "probed").cycle();
    if (outcome !== 0) return -1;
    return (marks[1] - marks[0]) + (marks[3] - marks[2]);
  },
  /** Calibration for `masked`: compute between two back-to-back probe readings. */
  probeOverhead() {
    const a = meter();
    const b = meter();
    return b - a;
  },
  /** Driver floor: both NoIrq hooks of every device called directly, no runtime (2n hook calls). */
  hooks(n) {
    const g = pick(runtime, n, "runtime").pm.graph;
    let s = 0;
    for (let d = 0; d < n; d++) s += (g.hooks[d].powerOffNoIrq as (t: number) => number)(0) + (g.hooks[d].powerOnNoIrq as (t: number) => number)(0);
    return s;
  },
};
