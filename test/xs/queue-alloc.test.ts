// Zero allocation of request-queue faults on the real XS engine: a throwing completion callback or serve is caught and counted at 0 slots.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runAfterWarmups, type XsMeasurement } from "./harness";

const FIXTURE = path.join(__dirname, "fixtures", "queue-faults.ts");
/** Command, argument, expected result (see the fixture). */
const CASES: [string, number, number][] = [["clean", 8, 8], ["faults", 8, 832]];

describe("request-queue faults on XS (xsnap)", () => {
  let last: XsMeasurement[];

  beforeAll(async () => {
    last = await runAfterWarmups(FIXTURE, CASES, 2, { timeoutMs: 60_000 });
  }, 60_000);

  it("a replay with throwing serves and completion callbacks (the thrown value made at boot) allocates 0 slots after warm-up", () => {
    const got = last.map((m) => [m.command, m.result, m.slots, m.retained]);
    expect(got).toEqual(CASES.map(([command, , want]) => [command, want, 0, 0]));
  });
});
