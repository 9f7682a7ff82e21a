// vitest configuration: every suite under test/ and examples/, run in worker threads on the virtual clock, one worker per core.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/*
 * The suites that take seconds, longest first (measured on 2 cores): started first, so the two workers end
 * together instead of one running a long suite alone at the end. vitest orders by the durations it cached
 * in the last run, and a fresh clone (CI) has none: it then went by file size, which is no guide here.
 */
const SLOW_FIRST = [
  "test/drivers/xs-alloc.test.ts", "test/xs/bench-baseline.test.ts", "test/viz/chromium.test.ts", "test/host-sim/shell/start-bundle.test.ts",
  "test/console/alloc.test.ts", "test/xs/devkitc-alloc.test.ts", "test/node-heap/heap.test.ts", "test/reliability/board-explore.test.ts",
  "test/host-sim/shell/scenario-files.test.ts", "test/host-sim/io/alloc.test.ts", "test/host-sim/shell/board-log.test.ts",
  "test/drivers/conformance-autosuspend.test.ts", "test/xs/creation-peak.test.ts", "test/host-sim/shell/scenarios.test.ts",
  "test/xs/language-features.test.ts", "test/reliability/explore.test.ts", "test/drivers/conformance.test.ts", "test/xs/harness.test.ts",
  "test/reliability/console-fuzz.test.ts", "test/host-sim/shell/user-paths.test.ts", "test/host-sim/shell/long-run.test.ts",
  "test/host-sim/shell/output-clash.test.ts", "test/lint/alloc-lint-cli.test.ts", "test/reliability/rpm-worlds.test.ts",
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = SLOW_FIRST.findIndex((s) => f.moduleId.endsWith(s));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

/*
 * "quiesce" and "quiesce/…" resolve to this checkout's TypeScript, through package.json's exports (the
 * "quiesce-source" condition), so the examples import quiesce exactly as an application outside the
 * repository does. test/package/exports.test.ts checks that tsconfig.json's paths say the same.
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const pkg = JSON.parse(readFileSync(root + "package.json", "utf8")) as { exports: Record<string, string | Record<string, string>> };
const alias: { find: string | RegExp; replacement: string }[] = [];
for (const [key, target] of Object.entries(pkg.exports)) {
  const source = typeof target === "object" ? target["quiesce-source"] : undefined;
  if (source === undefined) continue;
  const spec = "quiesce" + key.slice(1);
  if (!key.includes("*")) alias.push({ find: new RegExp("^" + spec.replace(/[/.]/g, "\\$&") + "$"), replacement: root + source.slice(2) });
  else alias.push({ find: new RegExp("^" + spec.replace(/[/.]/g, "\\$&").replace("*", "(.+)") + "$"), replacement: root + source.slice(2).replace("*", "$1") });
}

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // The 100,000-cycle soak runs only through `npm run test:soak`; the Node (V8 --jitless) heap check over the
    // DevKitC drivers (16 s on one core) only through `npm run test:deep`: the XS suites are the allocation
    // verdict in `npm test` (test/drivers/xs-alloc.test.ts), and test/node-heap keeps a Node check there.
    // So does the install of the packed package into a new project (~30 s: prepack's tsc is most of it);
    // test/package/conformance-esm.test.ts checks the kit's ES module build in `npm test`.
    exclude: [...(process.env.QUIESCE_SOAK ? [] : ["test/soak/**"]),
      // So does a --board whose files read __dirname, which runs through ts-node (about 5 s).
      ...(process.env.QUIESCE_DEEP ? [] : ["test/drivers/alloc.test.ts", "test/package/install.test.ts", "test/host-sim/shell/start-bundle-ts-node.test.ts"])],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "threads",
    sequence: { sequencer: SlowFirst },
    // A worker runs its files in one module cache instead of importing the runtime, the simulator and vite's
    // transforms again per file: 40 s instead of 58 s on 2 cores. No suite keeps module-level state it changes
    // (no mocks, no globals); runs with the file order shuffled (--sequence.shuffle.files) pass the same.
    isolate: false,
    // vitest's default leaves one core idle (cores - 1): on CI's 2 cores that is a single worker.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
