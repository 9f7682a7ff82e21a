// vitest configuration: every suite under test/, run in worker threads on the virtual clock.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The 100,000-cycle soak runs only through `npm run test:soak`.
    exclude: process.env.QUIESCE_SOAK ? [] : ["test/soak/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "threads",
  },
});
