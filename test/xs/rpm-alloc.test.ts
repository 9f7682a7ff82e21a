// Zero allocation of device runtime PM on the real XS engine: get/put, autosuspend, pending runtime resumes and standby skipping cost 0 slots.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runAfterWarmups, type XsMeasurement } from "./harness";

const FIXTURE = path.join(__dirname, "fixtures", "rpm-cycles.ts");
const WARMUPS = 2;
/** Command, argument, expected result (see the fixture). */
const CASES: [string, number, number][] = [["getput", 10, 10], ["requests", 10, 10], ["standby", 0, 1]];

describe("runtime PM on XS (xsnap)", () => {
  let last: XsMeasurement[];

  beforeAll(async () => {
    last = await runAfterWarmups(FIXTURE, CASES, WARMUPS, { timeoutMs: 60_000 });
  }, 60_000);

  it("get/put, requests waking a runtime-suspended device, autosuspend and a standby skipping it: 0 slots after warm-up", () => {
    const got = last.map((m) => [m.command, m.result, m.slots, m.retained]);
    expect(got).toEqual(CASES.map(([command, , want]) => [command, want, 0, 0]));
  });
});
