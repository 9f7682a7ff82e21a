// Runs the XS benchmark (runtime vs async baseline, one worker, alternating) and derives the reported metrics.
import * as path from "path";
import { runInXsDetailed, type XsMeasurement, type XsRequest } from "../test/xs/harness";

export const ENTRY = path.join(__dirname, "xs-entry.ts");
export const SIZES = [8, 64, 256];
export const WARMUPS = 2;
const STAGES: [string, number][] = [["prepare", 0], ["suspend", 1], ["powerOffNoIrq", 2], ["powerOnNoIrq", 4], ["resume", 5]];
const CALIBRATION_TURNS = 100;

/** The request list: per size, WARMUPS + 2 alternating runtime/baseline cycles (the last two are measured twice). */
export function requests(): XsRequest[] {
  const r: XsRequest[] = [{ command: "immediates", arg: 1 }, { command: "immediates", arg: CALIBRATION_TURNS + 1 }, { command: "probeOverhead" }];
  for (const n of SIZES) {
    for (let i = 0; i < WARMUPS + 2; i++) {
      r.push({ command: "runtime", arg: n }, { command: "baseline", arg: n });
      r.push({ command: "baselineOutcome", arg: n }, { command: "baselineTicks", arg: n });
    }
    for (const [, s] of STAGES) r.push({ command: "stage", arg: s * 1000 + n });
    for (let i = 0; i < WARMUPS + 1; i++) r.push({ command: "masked", arg: n });
    r.push({ command: "hooks", arg: n });
  }
  return r;
}

export interface SizeResult {
  n: number;
  runtime: { compute: number; slots: number; retained: number; computePerDevice: number; outcome: number };
  baseline: {
    compute: number; slots: number; retained: number; ticks: number;
    /** Net of the setImmediate turns that drive its clock (calibrated). */
    computeNet: number; slotsNet: number; computePerDevice: number; slotsPerDevice: number; outcome: number;
  };
  /** baseline computeNet / runtime compute. */
  ratio: number;
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

export interface XsBenchResult {
  xsVersion: string;
  xsnapVersion: string;
  calibration: { immediateCompute: number; immediateSlots: number; probeOverhead: number };
  sizes: SizeResult[];
  /** Runtime compute per device at N=256 relative to N=8 (1 = perfectly linear). */
  scaling: number;
  /** Marginal cost per added device, (C(256) - C(8)) / 248, and the fixed cost per cycle it implies. */
  marginalPerDevice: number;
  fixedPerCycle: number;
  maskedMarginalPerDevice: number;
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

export async function runXsBench(): Promise<XsBenchResult> {
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
    const bl = steady(res, "baseline", n);
    const ticks = last(res, "baselineTicks", n).result;
    const computeNet = bl.compute - ticks * immediateCompute;
    const slotsNet = bl.slots - ticks * immediateSlots;
    const stagePerDevice: Record<string, number> = {};
    let stageTotal = 0;
    let stageSlots = 0;
    for (const [name, s] of STAGES) {
      const m = last(res, "stage", s * 1000 + n);
      stagePerDevice[name] = round(m.compute / n);
      stageTotal += m.compute;
      stageSlots += m.slots;
    }
    const masked = steady(res, "masked", n);
    sizes.push({
      n,
      runtime: { compute: rt.compute, slots: rt.slots, retained: rt.retained, computePerDevice: round(rt.compute / n), outcome: rt.result },
      baseline: {
        compute: bl.compute, slots: bl.slots, retained: bl.retained, ticks, computeNet, slotsNet,
        computePerDevice: round(computeNet / n), slotsPerDevice: round(slotsNet / n), outcome: last(res, "baselineOutcome", n).result,
      },
      ratio: round(computeNet / rt.compute),
      stagePerDevice,
      stageSlots,
      pmOverheadPerDevice: round((rt.compute - stageTotal) / n),
      maskedPerDevice: round(masked.result / n),
      noIrqPerDevice: round((last(res, "stage", 2000 + n).compute + last(res, "stage", 4000 + n).compute) / n),
      hookFloor: round(last(res, "hooks", n).compute / (2 * n)),
    });
  }
  const s8 = sizes[0];
  const s256 = sizes[sizes.length - 1];
  const marginal = (s256.runtime.compute - s8.runtime.compute) / (s256.n - s8.n);
  const mask8 = s8.maskedPerDevice * s8.n;
  const mask256 = s256.maskedPerDevice * s256.n;
  return {
    xsVersion: run.xsVersion,
    xsnapVersion: run.xsnapVersion,
    calibration: { immediateCompute, immediateSlots, probeOverhead },
    sizes,
    scaling: Number(((s256.runtime.compute / s256.n) / (s8.runtime.compute / s8.n)).toFixed(4)),
    marginalPerDevice: round(marginal),
    fixedPerCycle: round(s8.runtime.compute - marginal * s8.n),
    maskedMarginalPerDevice: round((mask256 - mask8) / (s256.n - s8.n)),
  };
}
