// A stage budget that runs out while the walk is inside another device's hook (a platform whose timers fire inside the call): the expiry is taken after that call, as a completion would be.
import { describe, expect, test } from "vitest";
import { OK, TIMEOUT, T_STANDBY, TEST_NONE, D_ACTIVE } from "../../runtime";
import { Env } from "./fakes";

describe("a budget expiry that fires inside another device's hook call", () => {
  test("in S2: the timed-out device still gets its resume mirror (it may have half-acted), the attempt ends TIMEOUT, all active", () => {
    const env = new Env({ defaultBudgetUs: 1_000 });
    const slow = env.add({ name: "slow" });
    const hung = env.add({ name: "hung" });
    // S2 walks in reverse registration order: hung answers PENDING and never completes, then slow's call takes 5 ms,
    // past hung's 1 ms budget: FakePlatform.advance fires the budget timer inside that call.
    hung.behaviour.suspend = { kind: "hang" };
    slow.behaviour.suspend = { kind: "call", fn: () => { env.platform.advance(5_000); return OK; } };
    env.pm.seal();
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(50_000);
    // hung's mirror was lost: the walk's count of who advanced, kept in locals, overwrote the expiry's entry.
    expect({ outcomes: env.outcomes, calls: env.calls(), states: env.states(), slept: env.log.includes("platform:sleep") }).toEqual({
      outcomes: [TIMEOUT], slept: false, states: ["slow=" + D_ACTIVE, "hung=" + D_ACTIVE],
      calls: ["hung:prepare", "slow:prepare", "hung:suspend", "slow:suspend", "slow:resume", "hung:resume"],
    });
    expect(env.pm.stats.timeouts).toBe(1);
  });
});
