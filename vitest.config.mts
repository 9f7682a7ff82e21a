// vitest configuration: every suite under test/, run in worker threads on the virtual clock, one worker per core.
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The 100,000-cycle soak runs only through `npm run test:soak`.
    exclude: process.env.QUIESCE_SOAK ? [] : ["test/soak/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "threads",
    // vitest's default leaves one core idle (cores - 1): on CI's 2 cores that is a single worker.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
