// Allocation probe (child `node --expose-gc --jitless`, 64 MB semi-space): bytes per cycle of every DevKitC driver, by slope.
import { BusyBoard } from "./busy-board";

declare const gc: () => void;

// Integer CPU cost per now(): virtual times stay small integers (V8 Smis). With fractional times V8's
// interpreter boxes every double it computes into a HeapNumber, which is V8's cost, not ours (XS
// stores numbers in its slots; test/xs/devkitc-alloc.test.ts counts 0 slots for the same cycles).
const board = new BusyBoard({ nowCostUs: 1 });
const sim = board.sim;
function cycle(): void {
  board.cycle();
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Bytes per cycle: slope between runs of k and 2k cycles from a fresh gc (constants cancel). */
function slope(k: number, collectAfter: boolean): number {
  const run = (n: number): number => {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let c = 0; c < n; c++) cycle();
    if (collectAfter) gc();
    return process.memoryUsage().heapUsed - before;
  };
  const d1 = run(k);
  const d2 = run(2 * k);
  return (d2 - d1) / k;
}

const k = Number(process.argv[2] ?? 48);
for (let w = 0; w < 40; w++) cycle();
const allocation: number[] = [];
const retention: number[] = [];
for (let r = 0; r < 5; r++) allocation.push(slope(k, false));
for (let r = 0; r < 5; r++) retention.push(slope(k, true));
process.stdout.write(JSON.stringify({
  k, cycles: board.ok + board.failed, failures: board.failed, completions: board.completions, allocation, retention,
  allocationMedian: median(allocation), retentionMedian: median(retention), violations: sim.violations.list.length,
}) + "\n");
