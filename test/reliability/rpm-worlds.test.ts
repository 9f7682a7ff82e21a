// Runtime PM over random worlds: sync and async platform sleep, standby-heavy and hibernate-heavy (QUIESCE_RPM_CASES each; test:deep runs more).
import { describe, expect, test } from "vitest";
import { runSeed } from "./rpm-worlds";

const CASES = Number(process.env.QUIESCE_RPM_CASES ?? 1000);

describe("runtime PM over random worlds (test/reliability/rpm-worlds.ts says what is checked)", () => {
  for (const [name, asyncSleep, standbyShare, base] of [["sync sleep, mostly standby", false, 0.8, 1], ["async sleep, mostly standby", true, 0.8, 100_001], ["async sleep, as many hibernates", true, 0.4, 200_001]] as const) {
    test(name + ": " + CASES + " worlds, nothing broken", () => {
      const bad: string[] = [];
      for (let s = base; s < base + CASES; s++) {
        const p = runSeed(s, asyncSleep, standbyShare);
        if (p.length > 0) bad.push("seed " + s + ": " + p.join(" | "));
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }
});
