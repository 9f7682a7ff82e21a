// Runs the XS benchmark (runtime vs the four baselines, one worker, alternating; wall time in a second worker) and derives the reported metrics.
import * as path from "path";
import { runInXsDetailed, type XsMeasurement, type XsRequest } from "../test/xs/harness";
import { BASELINE_KINDS, type BaselineKind } from "./baseline/async-board";

export const ENTRY = path.join(__dirname, "xs-entry.ts");
export const WALL_ENTRY = path.join(__dirname, "xs-wall-entry.ts");
// Mirrors of xs-entry.ts / xs-wall-entry.ts constants (importing those would run their XS boot in Node).
export const SIZES = [8, 64, 256, 1024];
const BASELINE_CODE = 10_000;
const STAGE_CODE = 10_000;
const WALL_N = 64;
/** Mirror of xs-entry.ts TRACE_LEVEL_N. */
const TRACE_LEVEL_N = 64;
const WALL_CYCLES = 40;
export const WARMUPS = 2;
/** Timed wall rounds after one warm-up round; each round runs every implementation once, in rotated order. */
export const WALL_ROUNDS = 15;
/** Workers the wall rounds are repeated in (bench runs went 8.2 or 8.7 us for the same runtime code, by process). */
export const WALL_WORKERS = 3;
const STAGES: [string, number][] = [["prepare", 0], ["suspend", 1], ["powerOffNoIrq", 2], ["powerOnNoIrq", 4], ["resume", 5]];
const CALIBRATION_TURNS = 100;
export const WALL_NAMES = ["runtime", ...BASELINE_KINDS] as const;

/** The request list: per size, WARMUPS + 2 rounds of runtime, naive, tuned, sync-or-Promise cycles (the last two are measured twice). */
export function requests(): XsRequest[] {
  const r: XsRequest[] = [{ command: "immediates", arg: 1 }, { command: "immediates", arg: CALIBRATION_TURNS + 1 }, { command: "probeOverhead" }];
  for (let level = 0; level < 2; level++) for (let i = 0; i < WARMUPS + 2; i++) r.push({ command: "runtimeLevel", arg: level });
  for (const n of SIZES) {
    for (let i = 0; i < WARMUPS + 2; i++) {
      r.push({ command: "runtime", arg: n });
      for (let k = 0; k < BASELINE_KINDS.length; k++) r.push({ command: "baseline", arg: k * BASELINE_CODE + n });
    }
    for (let k = 0; k < BASELINE_KINDS.length; k++) {
      r.push({ command: "baselineOutcome", arg: k * BASELINE_CODE + n }, { command: "baselineTicks", arg: k * BASELINE_CODE + n });
    }
    for (const [, s] of STAGES) r.push({ command: "stage", arg: s * STAGE_CODE + n });
    r.push({ command: "stageReset", arg: n });
    for (let i = 0; i < WARMUPS + 1; i++) r.push({ command: "masked", arg: n });
    r.push({ command: "hooks", arg: n });
  }
  return r;
}

export interface BaselineResult {
  kind: BaselineKind;
  compute: number; slots: number; retained: number; ticks: number;
  /** Net of the setImmediate turns that drive its clock (calibrated). */
  computeNet: number; slotsNet: number; computePerDevice: number; slotsPerDevice: number; outcome: number;
  /** computeNet / runtime compute. */
  ratio: number;
}

export interface SizeResult {
  n: number;
  runtime: { compute: number; slots: number; retained: number; computePerDevice: number; outcome: number };
  /** naive, tuned, sync, in BASELINE_KINDS order. */
  baselines: BaselineResult[];
  /** Stage-isolated runtime compute per device (bare StageEngine, one stage per crank). */
  stagePerDevice: Record<string, number>;
  stageSlots: number;
  /** Full cycle minus the isolated stages: the PowerManager's own bookkeeping, per device. */
  pmOverheadPerDevice: number;
  /** Masked window (mask..unmask minus the platform sleep call) per device, from meter probes in a full cycle. */
  maskedPerDevice: number;
  /** NoIrq stages only (isolated S3 + R1) per device. */
  noIrqPerDevice: number;
  /** One synthetic driver hook call (direct, no runtime). */
  hookFloor: number;
}

export interface WallResult {
  n: number;
  cyclesPerBatch: number;
  rounds: number;
  /** Workers (processes) that each ran `rounds` rounds. */
  workers: number;
  /** Median over every timed round of every worker of batch time / (cycles * n), microseconds, in WALL_NAMES order. */
  perDeviceCycleUs: number[];
  /** Each worker's medians, in WALL_NAMES order. */
  perWorker: number[][];
  /** Every timed round's per-device-cycle figure (all workers), in WALL_NAMES order. */
  samples: number[][];
  /** The batch's closing gc() alone (median, microseconds per batch), included in every figure above. */
  gcOnlyUs: number;
  /** First non-OK outcome of any batch (0: all OK). */
  outcome: number;
}

export interface XsBenchResult {
  xsVersion: string;
  xsnapVersion: string;
  calibration: { immediateCompute: number; immediateSlots: number; probeOverhead: number };
  sizes: SizeResult[];
  /** Runtime compute per device at the largest N relative to N=8 (1 = perfectly linear). */
  /** Marginal cost per added device between the two largest sizes over that between the two smallest. */
  scaling: number;
  /** Marginal cost per added device between the smallest and largest N, and the fixed cost per cycle it implies. */
  marginalPerDevice: number;
  fixedPerCycle: number;
  maskedMarginalPerDevice: number;
  /** Compute per device per cycle at N = 64 for trace level 0 (off), 1 (stages), 2 (hooks, as shipped). */
  traceLevels: number[];
  /** Absent when the run was asked for compute only. */
  wall?: WallResult;
  /** Compute per device of the runtime's boot (constructor, register, seal), by N. */
  boot: { n: number; perDevice: number }[];
}

export const BOOT_SIZES = [256, 1024, 4096];

/** The runtime's boot alone at each of BOOT_SIZES (bench/xs-boot-entry.ts); deterministic like the cycle figures. */
async function runBootBench(): Promise<{ n: number; perDevice: number }[]> {
  const req = BOOT_SIZES.flatMap((n) => [{ command: "prepare", arg: n }, { command: "boot", arg: n }]);
  // Boot at N = 4,096 grows the heap: collections during it are expected (slots are not reported here).
  const run = await runInXsDetailed(path.join(__dirname, "xs-boot-entry.ts"), req, { timeoutMs: 300_000, allowCollection: true });
  return BOOT_SIZES.map((n) => ({ n, perDevice: round(last(run.results, "boot", n).compute / n) }));
}

function take(results: XsMeasurement[], command: string, arg: number): XsMeasurement[] {
  return results.filter((m) => m.command === command && m.arg === arg);
}

function last(results: XsMeasurement[], command: string, arg: number): XsMeasurement {
  const all = take(results, command, arg);
  const m = all[all.length - 1];
  if (m === undefined) throw new Error(`xs-bench: no ${command}(${arg}) measurement`);
  return m;
}

/** The last two runs after warm-up must agree exactly; otherwise the number is not a steady state. */
function steady(results: XsMeasurement[], command: string, arg: number): XsMeasurement {
  const all = take(results, command, arg);
  const a = all[all.length - 2];
  const b = all[all.length - 1];
  if (a === undefined || a.compute !== b.compute || a.slots !== b.slots) {
    throw new Error(`xs-bench: ${command}(${arg}) is not steady after ${WARMUPS} warm-ups: ${JSON.stringify(all)}`);
  }
  return b;
}

const round = (x: number): number => Math.round(x * 100) / 100;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function runXsBench(options: { wall?: boolean } = {}): Promise<XsBenchResult> {
  const run = await runInXsDetailed(ENTRY, requests(), { timeoutMs: 300_000 });
  const res = run.results;
  const i1 = last(res, "immediates", 1);
  const iN = last(res, "immediates", CALIBRATION_TURNS + 1);
  const immediateCompute = (iN.compute - i1.compute) / CALIBRATION_TURNS;
  const immediateSlots = (iN.slots - i1.slots) / CALIBRATION_TURNS;
  const probeOverhead = last(res, "probeOverhead", 0).result;
  const sizes: SizeResult[] = [];
  for (const n of SIZES) {
    const rt = steady(res, "runtime", n);
    const baselines = BASELINE_KINDS.map((kind, k): BaselineResult => {
      const code = k * BASELINE_CODE + n;
      const bl = steady(res, "baseline", code);
      const ticks = last(res, "baselineTicks", code).result;
      const computeNet = bl.compute - ticks * immediateCompute;
      const slotsNet = bl.slots - ticks * immediateSlots;
      return {
        kind, compute: bl.compute, slots: bl.slots, retained: bl.retained, ticks, computeNet, slotsNet,
        computePerDevice: round(computeNet / n), slotsPerDevice: round(slotsNet / n),
        outcome: last(res, "baselineOutcome", code).result, ratio: round(computeNet / rt.compute),
      };
    });
    const stagePerDevice: Record<string, number> = {};
    let stageTotal = 0;
    let stageSlots = 0;
    for (const [name, s] of STAGES) {
      const m = last(res, "stage", s * STAGE_CODE + n);
      stagePerDevice[name] = round(m.compute / n);
      stageTotal += m.compute;
      stageSlots += m.slots;
    }
    const masked = steady(res, "masked", n);
    sizes.push({
      n,
      runtime: { compute: rt.compute, slots: rt.slots, retained: rt.retained, computePerDevice: round(rt.compute / n), outcome: rt.result },
      baselines,
      stagePerDevice,
      stageSlots,
      pmOverheadPerDevice: round((rt.compute - stageTotal) / n),
      maskedPerDevice: round(masked.result / n),
      noIrqPerDevice: round((last(res, "stage", 2 * STAGE_CODE + n).compute + last(res, "stage", 4 * STAGE_CODE + n).compute) / n),
      hookFloor: round(last(res, "hooks", n).compute / (2 * n)),
    });
  }
  const s0 = sizes[0];
  const sN = sizes[sizes.length - 1];
  const marginal = (sN.runtime.compute - s0.runtime.compute) / (sN.n - s0.n);
  return {
    xsVersion: run.xsVersion,
    xsnapVersion: run.xsnapVersion,
    calibration: { immediateCompute, immediateSlots, probeOverhead },
    sizes,
    // Linear: an added device costs the same at the small end (first two sizes) as at the large end (last two).
    scaling: Number((((sN.runtime.compute - sizes[sizes.length - 2].runtime.compute) / (sN.n - sizes[sizes.length - 2].n)) /
      ((sizes[1].runtime.compute - s0.runtime.compute) / (sizes[1].n - s0.n))).toFixed(4)),
    marginalPerDevice: round(marginal),
    fixedPerCycle: round(s0.runtime.compute - marginal * s0.n),
    maskedMarginalPerDevice: round((sN.maskedPerDevice * sN.n - s0.maskedPerDevice * s0.n) / (sN.n - s0.n)),
    traceLevels: [
      round(steady(res, "runtimeLevel", 0).compute / TRACE_LEVEL_N), round(steady(res, "runtimeLevel", 1).compute / TRACE_LEVEL_N),
      (sizes.find((z) => z.n === TRACE_LEVEL_N) as SizeResult).runtime.computePerDevice,
    ],
    wall: options.wall === false ? undefined : await runWallBench(),
    boot: await runBootBench(),
  };
}

/**
 * Wall time per device-cycle at N = 64, GC included: WALL_WORKERS xsnap workers one after another (a
 * worker's heap layout moves one implementation's figure by up to 6 % from one process to the next, so
 * one worker is one sample of it), each running a warm-up round, then WALL_ROUNDS rounds; each round
 * times one batch of WALL_CYCLES cycles of every implementation, the order rotating by one each round
 * (so no implementation always follows the same one). Reported: each implementation's median over
 * every timed round of every worker, and each worker's own medians.
 */
export async function runWallBench(options: { rounds?: number; cycles?: number; workers?: number } = {}): Promise<WallResult> {
  const rounds = options.rounds ?? WALL_ROUNDS;
  const cycles = options.cycles ?? WALL_CYCLES;
  const workers = options.workers ?? WALL_WORKERS;
  const k = WALL_NAMES.length;
  const r: XsRequest[] = [];
  for (let rr = 0; rr <= rounds; rr++) {
    for (let i = 0; i < k; i++) {
      r.push({ command: "wall", arg: cycles * 10 + ((rr + i) % k) }, { command: "wallUs" }, { command: "wallOutcome" });
    }
    r.push({ command: "gcOnly" });
  }
  const samples: number[][] = WALL_NAMES.map(() => []);
  const perWorker: number[][] = [];
  const gcs: number[] = [];
  let outcome = 0;
  for (let wk = 0; wk < workers; wk++) {
    const run = await runInXsDetailed(WALL_ENTRY, r, { timeoutMs: 300_000, allowCollection: true });
    const mine: number[][] = WALL_NAMES.map(() => []);
    let at = 0;
    const res = run.results;
    for (let rr = 0; rr <= rounds; rr++) {
      for (let i = 0; i < k; i++) {
        const which = res[at].arg % 10;
        const us = res[at + 1].result;
        const o = res[at].result !== 0 ? res[at].result : res[at + 2].result;
        if (us < 0) throw new Error(`xs-bench wall: batch of ${WALL_NAMES[which]} did not finish inside its crank`);
        if (o !== 0 && outcome === 0) outcome = o;
        if (rr > 0) mine[which].push(round(us / (cycles * WALL_N)));
        at += 3;
      }
      if (rr > 0) gcs.push(res[at].result);
      at += 1;
    }
    perWorker.push(mine.map((s) => round(median(s))));
    for (let i = 0; i < k; i++) samples[i].push(...mine[i]);
  }
  return {
    n: WALL_N, cyclesPerBatch: cycles, rounds, workers,
    perDeviceCycleUs: samples.map((s) => round(median(s))), perWorker, samples, gcOnlyUs: round(median(gcs)), outcome,
  };
}
