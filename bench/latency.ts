// Simulated suspend/resume latency (virtual clock) of the runtime and the baselines vs the graph's critical path and sequential sum.
import { SynthBoard, M_PENDING, HOOKS } from "./synthetic/synth-board";
import { PROBE_SLEEP_ENTER, PROBE_SLEEP_EXIT } from "./synthetic/list-platform";
import { BaselineBoard, BASELINE_KINDS, type BaselineKind } from "./baseline/async-board";
import { criticalPath, sequentialSum, type DurationOf } from "./critical-path";

export interface LatencyResult {
  n: number;
  /** Virtual microseconds from suspend() to platform sleep, and from wake to the system active again. */
  runtime: { suspendUs: number; resumeUs: number };
  /** naive, tuned, sync, in BASELINE_KINDS order. */
  baselines: { kind: BaselineKind; suspendUs: number; resumeUs: number }[];
  /** Longest dependency chain of PENDING hook durations (stages are barriers, so they add up). */
  criticalPath: { suspendUs: number; resumeUs: number };
  /** Every PENDING hook one after another. */
  sequential: { suspendUs: number; resumeUs: number };
  /** |runtime - critical path| / critical path. */
  runtimeError: { suspend: number; resume: number };
}

/** Simulated duration of synthetic hook `hook` (an index into SynthBoard's HOOKS table): only PENDING hooks take time. */
function hookDelay(b: SynthBoard): DurationOf {
  return (d, hook) => (b.mode[d * HOOKS + hook] === M_PENDING ? b.delay[d * HOOKS + hook] : 0);
}

function runtimeLatency(n: number): { board: SynthBoard; suspendUs: number; resumeUs: number } {
  const b = new SynthBoard(n, { pendingEvery: 4, durations: "varied" });
  let enter = 0;
  let exit = 0;
  b.platform.setProbe((e) => {
    if (e === PROBE_SLEEP_ENTER) enter = b.platform.t;
    if (e === PROBE_SLEEP_EXIT) exit = b.platform.t;
  });
  b.cycle();
  const start = b.platform.t;
  const outcome = b.cycle();
  if (outcome !== 0) throw new Error(`latency: runtime cycle on ${n} devices ended with ${outcome}`);
  return { board: b, suspendUs: enter - start, resumeUs: b.doneAt - exit };
}

function baselineLatency(kind: BaselineKind, n: number): Promise<{ kind: BaselineKind; suspendUs: number; resumeUs: number }> {
  const b = new BaselineBoard(kind, n, { pendingEvery: 4, durations: "varied" });
  return new Promise((resolve, reject) => {
    b.cycle((outcome) => {
      if (outcome !== 0) reject(new Error(`latency: ${kind} baseline cycle on ${n} devices ended with ${outcome}`));
      else resolve({ kind, suspendUs: b.sleepAt - b.startAt, resumeUs: b.doneAt - b.wakeAt });
    });
  });
}

export async function runLatency(n: number): Promise<LatencyResult> {
  const rt = runtimeLatency(n);
  const baselines = [];
  for (const kind of BASELINE_KINDS) baselines.push(await baselineLatency(kind, n));
  const b = rt.board;
  // S1 and the NoIrq stages take no simulated time; S2 (hook 1) and R2 (hook 4) carry the durations.
  const g = b.pm.graph;
  const delay = hookDelay(b);
  const cp = { suspendUs: criticalPath(g, [0, 1], true, delay), resumeUs: criticalPath(g, [4], false, delay) };
  const seq = { suspendUs: sequentialSum(g, [0, 1], delay), resumeUs: sequentialSum(g, [4], delay) };
  return {
    n,
    runtime: { suspendUs: rt.suspendUs, resumeUs: rt.resumeUs },
    baselines,
    criticalPath: cp,
    sequential: seq,
    runtimeError: {
      suspend: Math.abs(rt.suspendUs - cp.suspendUs) / cp.suspendUs,
      resume: Math.abs(rt.resumeUs - cp.resumeUs) / cp.resumeUs,
    },
  };
}
