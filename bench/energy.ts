// Energy benchmark CLI: 24 h of the weather station under its sleep policies against the datasheet floor; --update writes bench/energy-results.{md,json} and the one-period timeline bench/energy-timeline.html.
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";

/** Virtual time per policy: 24 h, 1,440 readings at 60 s. `--hours N` for a shorter look. */
const HOURS_DEFAULT = 24;

function main(): void {
  // The example imports "quiesce/sim", which resolves to this checkout's TypeScript only under the
  // "quiesce-source" export condition (as scripts/start.js does): start Node again with it.
  if (!process.execArgv.includes("--conditions=quiesce-source")) {
    const run = spawnSync(process.execPath, ["--conditions=quiesce-source", ...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: "inherit" });
    process.exit(run.status ?? 1);
  }
  // Required here, not imported: the re-spawn above must come before these modules resolve.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bench = require("./energy-policies") as typeof import("./energy-policies");
  const args = process.argv.slice(2);
  const at = args.indexOf("--hours");
  const hours = at >= 0 ? Number(args[at + 1]) : HOURS_DEFAULT;
  if (!(hours > 0)) throw new Error("bench/energy.ts: --hours wants a positive number");
  const started = Date.now();
  const results = bench.runBench(hours * 3.6e9);
  const wallMs = Date.now() - started;
  const md = bench.renderMarkdown(results, wallMs);
  process.stdout.write(md);
  if (!args.includes("--update")) return;
  if (hours !== HOURS_DEFAULT) throw new Error("bench/energy.ts: --update writes the 24 h results only");
  fs.writeFileSync(path.join(__dirname, "energy-results.md"), md);
  fs.writeFileSync(path.join(__dirname, "energy-results.json"), JSON.stringify(Object.assign({ wallMs }, results), null, 2) + "\n");
  // Required here for the same reason as energy-policies: after the re-spawn.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = require("../host-sim/viz") as typeof import("../host-sim/viz");
  viz.writeHtml(bench.timelineOfOnePeriod(), path.join(__dirname, "energy-timeline.html"));
}

main();
