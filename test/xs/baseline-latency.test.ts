// Inside xsnap, each bench baseline's suspend and resume take exactly the critical path of virtual time, as in Node and as the runtime does.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXs, type XsMeasurement } from "./harness";
import { BASELINE_KINDS } from "../../bench/baseline/async-board";

const FIXTURE = path.join(__dirname, "fixtures", "baseline-latency.ts");
const READS = ["outcome", "suspendUs", "criticalSuspend", "resumeUs", "criticalResume"];

describe("bench baselines in XS: latency equals the critical path (promise jobs and setImmediate order as in Node)", () => {
  let results: XsMeasurement[];

  beforeAll(async () => {
    // One worker for all three: a cycle, then its reads, per baseline.
    const requests = BASELINE_KINDS.flatMap((_, k) => [{ command: "cycle", arg: k }, ...READS.map((command) => ({ command, arg: k }))]);
    results = await runInXs(FIXTURE, requests);
  }, 60_000);

  it.each(BASELINE_KINDS.map((kind, k) => [kind, k]))("%s", (_kind, k) => {
    const at = (k as number) * (READS.length + 1) + 1;
    const [outcome, suspendUs, cpSuspend, resumeUs, cpResume] = results.slice(at, at + READS.length).map((m) => m.result);
    expect(outcome).toBe(0);
    expect(cpSuspend).toBeGreaterThan(0);
    expect(cpResume).toBeGreaterThan(0);
    expect([suspendUs, resumeUs]).toEqual([cpSuspend, cpResume]);
  });
});
