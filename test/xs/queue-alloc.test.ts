// Zero allocation of request-queue faults on the real XS engine: a throwing completion callback or serve is caught and counted at 0 slots.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXs, type XsMeasurement, type XsRequest } from "./harness";

const FIXTURE = path.join(__dirname, "fixtures", "queue-faults.ts");
/** Command, argument, expected result (see the fixture). */
const CASES: [string, number, number][] = [["clean", 8, 8], ["faults", 8, 832]];

describe("request-queue faults on XS (xsnap)", () => {
  let results: XsMeasurement[];

  beforeAll(async () => {
    const r: XsRequest[] = [];
    for (const [command, arg] of CASES) for (let i = 0; i < 3; i++) r.push({ command, arg });
    results = await runInXs(FIXTURE, r, { timeoutMs: 60_000 });
  }, 60_000);

  it("a replay with throwing serves and completion callbacks (the thrown value made at boot) allocates 0 slots after warm-up", () => {
    const got = CASES.map(([command, arg]) => {
      const runs = results.filter((m) => m.command === command && m.arg === arg);
      const m = runs[runs.length - 1];
      return [command, m.result, m.slots, m.retained];
    });
    expect(got).toEqual(CASES.map(([command, , want]) => [command, want, 0, 0]));
  });
});
