// Child process for the Node heap checks: slope of heapUsed per cycle (jitless) or a GC-free JIT soak; prints one JSON line.
import { PerformanceObserver } from "perf_hooks";
import { SynthBoard } from "../../bench/synthetic/synth-board";

declare const gc: () => void;

const mode = process.argv[2] ?? "slope";
const n = Number(process.argv[3] ?? 64);
const board = new SynthBoard(n, { pendingEvery: 4, durations: "uniform" });

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Bytes per iteration of `step` by the slope between a run of `count` steps and one of 2 x `count`
 * (each from a fresh gc()): the constant cost of measuring (memoryUsage() itself allocates, and the
 * interpreter's feedback vectors appear at random points) cancels out. With `collectAfter` false,
 * garbage counts (allocation); with true, a gc() closes each run too (retention). The 64 MB semi-space
 * keeps a scavenge from running in between.
 */
function slope(step: () => void, count: number, collectAfter: boolean): number {
  const run = (k: number): number => {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < k; i++) step();
    if (collectAfter) gc();
    return process.memoryUsage().heapUsed - before;
  };
  const d1 = run(count);
  const d2 = run(2 * count);
  return (d2 - d1) / count;
}

const sink: object[] = [];
function control(): void {
  // Known allocation (one small object per device kept until the next gc), to prove the method sees bytes.
  for (let d = 0; d < n; d++) sink.push({ d });
  if (sink.length > 100_000) sink.length = 0;
}

function cycle(): void {
  if (board.cycle() !== 0) throw new Error("heap-child: cycle failed with " + board.outcome);
}

async function main(): Promise<void> {
  if (mode === "slope") {
    const cycles = Number(process.argv[4] ?? 200);
    for (let i = 0; i < 50; i++) cycle(); // warm-up: feedback vectors, lazily compiled functions
    const allocation: number[] = [];
    const retention: number[] = [];
    for (let r = 0; r < 7; r++) allocation.push(slope(cycle, cycles, false));
    for (let r = 0; r < 7; r++) retention.push(slope(cycle, cycles, true));
    const controls: number[] = [];
    for (let r = 0; r < 3; r++) controls.push(slope(control, 20, false));
    process.stdout.write(JSON.stringify({
      mode, n, cycles, allocation, retention,
      allocationMedian: median(allocation), retentionMedian: median(retention), control: median(controls),
    }) + "\n");
    return;
  }
  const deviceCycles = Number(process.argv[4] ?? 1_000_000);
  const cycles = Math.ceil(deviceCycles / n);
  for (let i = 0; i < 2000; i++) cycle(); // warm-up: let the JIT settle before observing
  gc();
  let events = 0;
  const kinds: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      events++;
      kinds.push((e as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1);
    }
  });
  obs.observe({ entryTypes: ["gc"] });
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < cycles; i++) cycle();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const heapAfter = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 50)); // gc entries are delivered asynchronously
  obs.disconnect();
  process.stdout.write(JSON.stringify({ mode, n, cycles, deviceCycles: cycles * n, gcEvents: events, kinds, heapDelta: heapAfter - heapBefore, ms }) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack ? e.stack : e) }) + "\n");
  process.exitCode = 1;
});
