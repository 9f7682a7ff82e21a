// results.md sections for the baselines: what each one is, compute and slots per full cycle next to the runtime, and the wall-time method.
import type { XsBenchResult, WallResult } from "../xs-bench";

const TITLES = ["naive async", "tuned async", "sync-or-Promise", "sync-or-Promise + records"];

/** Per full cycle: runtime and the baselines, per device, from the same worker run. */
export function baselineSection(x: XsBenchResult, lines: string[]): void {
  lines.push("", "## Per full cycle (S1..R2 with platform sleep): runtime and four baselines", "");
  lines.push(
    "All five run in one xsnap worker, alternating (runtime, naive, tuned, sync-or-Promise, sync-or-Promise + records, then again) after 2 warm-ups; " +
      "each figure is the last of two runs that must agree exactly (compute and slots are deterministic, for the baselines too). " +
      "The baselines have the runtime's contract (dependency order with overlap of pending branches, per-device budgets answering TIMEOUT, " +
      "late completions ignored, rollback of exactly what advanced through the mirror stages, WAKEUP between stages, BUSY when re-entered), " +
      "checked in `test/xs/baseline-contract.test.ts`:",
    "",
  );
  lines.push(
    "- **naive async** (`bench/baseline/async-pm.ts`): the first draft. Per stage a new Set, Map and filtered array, an async closure and " +
      "Promise.all per device even with no dependency, a timer and Promise.race per hook, cancelled timers left in the heap.",
  );
  lines.push(
    "- **tuned async** (`bench/baseline/tuned-pm.ts`): async hooks as a competent engineer would drive them. Dependency lists per direction " +
      "built at boot, a device awaits nothing / one promise / Promise.all of two or more, a countdown ends the stage, one budget timer per " +
      "hook cleared as soon as the hook settles (binary heap with eager removal, `bench/baseline/eager-clock.ts`), synchronous platform sleep.",
  );
  lines.push(
    "- **sync-or-Promise** (`bench/baseline/sync-pm.ts`): hooks answer a status number, or a Promise only when pending; the stage calls " +
      "every hook whose predecessors are done synchronously and chains only what sits behind a pending one, so only pending hooks pay " +
      "for a Promise, a budget timer and an await. It keeps no trace and no stats.",
    "- **sync-or-Promise + records** (`bench/baseline/sync-rec-pm.ts`, not asked for by issue 12): the same manager writing what the runtime " +
      "writes at the shipped trace level, into the runtime's own TraceRing and PmStats: attempt, stage, mask and sleep records, a pending " +
      "record for each hook that answers with a Promise, a done or fail record with its duration for every hook, and each hook's last and " +
      "longest duration. The common record (a hook that answered at once) is written inline, as the runtime's walk writes it; the clock is " +
      "a field read before and after each hook. It is the comparison at equal observability: a firmware that ships a timeline lane per " +
      "device pays for these records whichever design drives the hooks.",
    "",
  );
  const head = ["N", "runtime compute / device", "slots"];
  for (const t of TITLES) head.push(t + " / device", "slots / device", "x runtime");
  lines.push("| " + head.join(" | ") + " |", "|" + head.map(() => "---:").join("|") + "|");
  for (const s of x.sizes) {
    const row = [String(s.n), String(s.runtime.computePerDevice), String(s.runtime.slots)];
    for (const b of s.baselines) row.push(String(b.computePerDevice), String(b.slotsPerDevice), String(b.ratio));
    lines.push("| " + row.join(" | ") + " |");
  }
  lines.push("", "Whole-cycle figures (runtime compute / slots; baselines net compute / net slots):", "");
  lines.push("| N | runtime | " + TITLES.join(" | ") + " |", "|---:|---:|" + TITLES.map(() => "---:").join("|") + "|");
  for (const s of x.sizes) {
    lines.push(`| ${s.n} | ${s.runtime.compute} / ${s.runtime.slots} | ${s.baselines.map((b) => b.computeNet + " / " + b.slotsNet).join(" | ")} |`);
  }
}

/** Wall time per device-cycle at one N, GC included, with the method spelled out. */
export function wallSection(w: WallResult, lines: string[]): void {
  lines.push(`## xsnap wall time per device-cycle at N = ${w.n}, GC included`, "");
  lines.push(
    `Method (bench/xs-wall-entry.ts, bench/xs-bench.ts \`runWallBench\`): ${w.workers} xsnap workers, one after another, each at its default heap size (no pre-grown heap, ` +
      `so garbage is collected as often as in any default worker), each holding one N = ${w.n} board per implementation. A batch is ${w.cyclesPerBatch} ` +
      `full cycles of one implementation, timed inside XS with \`performance.now()\` from the first cycle's start to the end of a \`gc()\` ` +
      `called after the last cycle ended, so the collections the batch's garbage triggered and the reclaiming of what it left are both inside ` +
      `its time. The harness collects before every batch, outside the window, so no batch pays for another's garbage. ` +
      `In each worker one warm-up round, then ${w.rounds} rounds; a round runs one batch of each implementation, the order rotating by one each round ` +
      `(runtime, naive, tuned, sync, sync + records; then naive, tuned, sync, sync + records, runtime; ...), so drift in machine load hits all five alike. ` +
      `Reported: the median over the ${w.rounds * w.workers} rounds of batch time / (${w.cyclesPerBatch} x ${w.n}), and each worker's median: ` +
      `the same code's figure moves by up to 6 % from one worker (process, heap layout) to the next, more than it does between rounds of one worker. The closing \`gc()\` alone takes ` +
      `${w.gcOnlyUs} us (median), about ${round2(w.gcOnlyUs / (w.cyclesPerBatch * w.n))} us per device-cycle, paid by all five. ` +
      "Wall time is not deterministic: it depends on the machine and its load (CI does not compare it); compute above is the exact figure.",
    "",
  );
  const names = ["runtime", ...TITLES];
  lines.push("| | " + names.join(" | ") + " |", "|---|" + names.map(() => "---:").join("|") + "|");
  lines.push("| median us / device-cycle | " + w.perDeviceCycleUs.join(" | ") + " |");
  for (let i = 0; i < w.perWorker.length; i++) lines.push(`| worker ${i + 1} median | ` + w.perWorker[i].join(" | ") + " |");
  lines.push("| fastest round | " + w.samples.map((s) => Math.min(...s)).join(" | ") + " |");
  lines.push("| slowest round | " + w.samples.map((s) => Math.max(...s)).join(" | ") + " |");
  lines.push("");
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
