// Zero allocation of runtime-PM failure paths on XS: refused suspends, a supplier's failed suspend under a waiting consumer, failed and timed-out resumes, bad puts.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXs, type XsMeasurement, type XsRequest } from "../xs/harness";

const FIXTURE = path.join(__dirname, "fixtures", "rpm-fail-cycles.ts");
const CASES: [string, number, number][] = [["suspfail", 5, 1], ["supfail", 4, 8], ["resfail", 3, 3], ["resfail", 103, 3], ["badput", 5, 5], ["hibernate", 0, 1]];

describe("runtime PM failure paths on XS", () => {
  let results: XsMeasurement[];
  beforeAll(async () => {
    const r: XsRequest[] = [];
    for (const [command, arg] of CASES) for (let i = 0; i < 3; i++) r.push({ command, arg });
    results = await runInXs(FIXTURE, r, { timeoutMs: 60_000 });
  }, 60_000);
  it("0 slots after warm-up", () => {
    const got = CASES.map(([command, arg]) => {
      const runs = results.filter((m) => m.command === command && m.arg === arg);
      const m = runs[runs.length - 1];
      return [command, arg, m.result, m.slots, m.retained];
    });
    expect(got).toEqual(CASES.map(([command, arg, want]) => [command, arg, want, 0, 0]));
  });
});
