// The README's "Measured" compute block, generated from bench/results.json so the numbers it quotes are the committed ones.
import type { BenchResults } from "./run";
import { BASELINE_KINDS } from "./baseline/async-board";

export const BEGIN = "<!-- measured:begin (written by `npm run bench -- --update` from bench/results.json; npm test checks it) -->";
export const END = "<!-- measured:end -->";

const int = (x: number): string => Math.round(x).toLocaleString("en-US");
const one = (x: number): string => x.toFixed(1);
/** Runtime against a baseline, as "+12.3 %" (costs more) or "-4.5 %" (costs less). */
const vs = (runtime: number, other: number): string => {
  const p = ((runtime - other) / other) * 100;
  return (p >= 0 ? "+" : "\u2212") + Math.abs(p).toFixed(1) + " %";
};

/** The block (without its markers): compute per N against every baseline, what the gap is made of, slots, wall time, masked window, boot, what is not met. */
export function measuredBlock(r: BenchResults): string {
  const x = r.xs;
  const k = (kind: string): number => BASELINE_KINDS.indexOf(kind as never);
  const [naive, tuned, sync, rec] = [k("naive"), k("tuned"), k("sync"), k("syncRec")];
  const n64 = x.sizes.find((s) => s.n === 64) ?? x.sizes[1];
  const [off, , hooks] = x.traceLevels;
  const lines = [
    "- Compute per device-cycle (XS instructions; the runtime with hook-level tracing and stats, as shipped):",
    "",
    "  | N | runtime | sync-or-Promise | sync-or-Promise + records | tuned async | naive async |",
    "  |---:|---:|---:|---:|---:|---:|",
    ...x.sizes.map((s) => {
      const b = s.baselines;
      return `  | ${int(s.n)} | **${int(s.runtime.computePerDevice)}** | ${int(b[sync].computePerDevice)} | ${int(b[rec].computePerDevice)} | ${int(b[tuned].computePerDevice)} | ${int(b[naive].computePerDevice)} |`;
    }),
    "",
    "  The runtime's compute against each (+: the runtime costs more; \u2212: less):",
    "",
    "  | against | " + x.sizes.map((s) => "N = " + int(s.n)).join(" | ") + " |",
    "  |---|" + x.sizes.map(() => "---:").join("|") + "|",
    ...([["sync-or-Promise", sync], ["sync-or-Promise + records", rec], ["tuned async", tuned], ["naive async", naive]] as const).map(
      ([name, b]) => `  | ${name} | ${x.sizes.map((s) => vs(s.runtime.computePerDevice, s.baselines[b].computePerDevice)).join(" | ")} |`,
    ),
    "",
    `  An added device costs the runtime ${int(x.marginalPerDevice)} at any N; a cycle's fixed part (attempt and stage records,`,
    `  masking, the sleep, the flight record) is ${int(x.fixedPerCycle)}, which is what N = 8 pays most for. At N = 64 hook-level`,
    `  tracing is ${int(hooks - off)} of the ${int(hooks)} (tracing off: ${int(off)}).`,
    `- Slots per device-cycle at N = 64: runtime ${n64.runtime.slots}; naive async ${int(n64.baselines[naive].slotsPerDevice)}, tuned async ${int(n64.baselines[tuned].slotsPerDevice)}, sync-or-Promise ${int(n64.baselines[sync].slotsPerDevice)} (with records ${int(n64.baselines[rec].slotsPerDevice)}).`,
  ];
  if (x.wall !== undefined) {
    const w = x.wall.perDeviceCycleUs;
    lines.push(
      `- Wall time per device-cycle at N = ${x.wall.n} (xsnap on the machine that ran the bench, GC included; medians of ${x.wall.rounds} rounds in each of ${x.wall.workers} workers, not`,
      `  deterministic): runtime ${one(w[0])} us, sync-or-Promise ${one(w[1 + sync])}, with records ${one(w[1 + rec])}, tuned async ${one(w[1 + tuned])}, naive async ${one(w[1 + naive])}.`,
    );
  }
  const boot = x.boot[x.boot.length - 1];
  lines.push(
    `- The masked window (S3, the sleep call, R1) costs ${int(x.maskedMarginalPerDevice)} per added device. Boot (constructor, register, seal) costs`,
    `  ${int(boot.perDevice)} per device at N = ${int(boot.n)}, linear in N.`,
  );
  // Every unmet row, the and the ones this project added ("(added)" in the target's text).
  const unmet = Object.entries(r.targets).filter(([, t]) => !t.met);
  if (unmet.length > 0) {
    lines.push(
      "- Not met (`bench/results.md` \"Targets\"): issue 12's rows keep it open; \"(added)\" and \"(stricter reading)\" rows are this",
      "  project's own; the devkitc rows are the first version's (the critical path is a lower bound only PENDING hooks approach: `bench/results.md`):",
    );
    for (const [name, t] of unmet) lines.push(`  - ${name}: ${t.target}; measured ${t.measured}`);
  }
  return lines.join("\n");
}

/** `readme` with the text between the markers replaced by `block`; throws when the markers are missing. */
export function withBlock(readme: string, block: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error("README.md: the measured block markers are missing: put " + BEGIN + " and " + END + " under ## Measured");
  return readme.slice(0, a + BEGIN.length) + "\n" + block + "\n" + readme.slice(b);
}
