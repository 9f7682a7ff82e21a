// Zero allocation of runtime-PM failure paths on XS: refused suspends, a supplier's failed suspend under a waiting consumer, failed and timed-out resumes, bad puts.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runAfterWarmups, type XsMeasurement } from "../xs/harness";

const FIXTURE = path.join(__dirname, "fixtures", "rpm-fail-cycles.ts");
const CASES: [string, number, number][] = [["suspfail", 5, 1], ["supfail", 4, 8], ["resfail", 3, 3], ["resfail", 103, 3], ["badput", 5, 5], ["hibernate", 0, 1]];

describe("runtime PM failure paths on XS", () => {
  let last: XsMeasurement[];
  beforeAll(async () => {
    last = await runAfterWarmups(FIXTURE, CASES, 2, { timeoutMs: 60_000 });
  }, 60_000);
  it("0 slots after warm-up", () => {
    const got = last.map((m) => [m.command, m.arg, m.result, m.slots, m.retained]);
    expect(got).toEqual(CASES.map(([command, arg, want]) => [command, arg, want, 0, 0]));
  });
});
