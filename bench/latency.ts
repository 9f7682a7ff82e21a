// Simulated suspend/resume latency (virtual clock) of the runtime and the baseline vs the graph's critical path and sequential sum.
import { SynthBoard, M_PENDING, HOOKS } from "./synthetic/synth-board";
import { PROBE_SLEEP_ENTER, PROBE_SLEEP_EXIT } from "./synthetic/list-platform";
import { AsyncSynthBoard } from "./baseline/async-board";

export interface LatencyResult {
  n: number;
  /** Virtual microseconds from suspend() to platform sleep, and from wake to the system active again. */
  runtime: { suspendUs: number; resumeUs: number };
  baseline: { suspendUs: number; resumeUs: number };
  /** Longest dependency chain of PENDING hook durations (stages are barriers, so they add up). */
  criticalPath: { suspendUs: number; resumeUs: number };
  /** Every PENDING hook one after another. */
  sequential: { suspendUs: number; resumeUs: number };
  /** |runtime - critical path| / critical path. */
  runtimeError: { suspend: number; resume: number };
}

/** Critical path of one stage: suspend direction waits for dependents, resume for prerequisites. */
function stagePath(b: SynthBoard, hook: number, suspendDir: boolean): number {
  const g = b.pm.graph;
  const finish = new Float64Array(g.count);
  let longest = 0;
  for (let k = 0; k < g.count; k++) {
    const d = suspendDir ? g.order[g.count - 1 - k] : g.order[k];
    let start = 0;
    const [from, to, list] = suspendDir ? [g.depStart[d], g.depStart[d + 1], g.dep] : [g.preStart[d], g.preStart[d + 1], g.pre];
    for (let i = from; i < to; i++) start = Math.max(start, finish[list[i]]);
    const i = d * HOOKS + hook;
    finish[d] = start + (b.mode[i] === M_PENDING ? b.delay[i] : 0);
    longest = Math.max(longest, finish[d]);
  }
  return longest;
}

function stageSum(b: SynthBoard, hook: number): number {
  let s = 0;
  for (let d = 0; d < b.n; d++) if (b.mode[d * HOOKS + hook] === M_PENDING) s += b.delay[d * HOOKS + hook];
  return s;
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

function baselineLatency(n: number): Promise<{ suspendUs: number; resumeUs: number }> {
  const b = new AsyncSynthBoard(n, { pendingEvery: 4, durations: "varied" });
  return new Promise((resolve, reject) => {
    b.cycle((outcome) => {
      if (outcome !== 0) reject(new Error(`latency: baseline cycle on ${n} devices ended with ${outcome}`));
      else resolve({ suspendUs: b.sleepAt - b.startAt, resumeUs: b.doneAt - b.wakeAt });
    });
  });
}

export async function runLatency(n: number): Promise<LatencyResult> {
  const rt = runtimeLatency(n);
  const bl = await baselineLatency(n);
  const b = rt.board;
  // S1 and the NoIrq stages take no simulated time; S2 (hook 1) and R2 (hook 4) carry the durations.
  const cp = { suspendUs: stagePath(b, 0, true) + stagePath(b, 1, true), resumeUs: stagePath(b, 4, false) };
  const seq = { suspendUs: stageSum(b, 0) + stageSum(b, 1), resumeUs: stageSum(b, 4) };
  return {
    n,
    runtime: { suspendUs: rt.suspendUs, resumeUs: rt.resumeUs },
    baseline: bl,
    criticalPath: cp,
    sequential: seq,
    runtimeError: {
      suspend: Math.abs(rt.suspendUs - cp.suspendUs) / cp.suspendUs,
      resume: Math.abs(rt.resumeUs - cp.resumeUs) / cp.resumeUs,
    },
  };
}
