// Runtime PM settling inside finish (a runtime resume hook that suspends): the next attempt still starts, outcomes in order.
import { expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add } from "../runtime-pm/helpers";
import { OK, PENDING, T_STANDBY, TEST_NONE, STATUS_NAMES } from "../../runtime";

function setup(rrPending: boolean) {
  const env = new Env();
  const f = add(env, { name: "flash" });
  const other = env.add({ name: "other" });
  env.pm.seal();
  const port = env.pm.port(f.id);
  port.get(); port.put(); env.platform.advance(1_000_000);
  const before = env.pm.rpm ? 1 : 0;
  let fired = 0; let token = -1;
  f.rr = { kind: "call", fn: (t) => { token = t; if (fired++ === 0) expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK); return rrPending ? PENDING : OK; } };
  other.behaviour.prepare = { kind: "call", fn: () => { if (env.outcomes.length === 0) port.get(); return OK; } };
  return { env, port, tok: () => token, before };
}

test("settle completes inside rpm.systemIdle() of finish (runtime resume hook suspends, answers OK)", () => {
  const { env } = setup(false);
  env.pm.suspend(T_STANDBY, TEST_NONE);
  env.platform.advance(1_000_000);
  expect([env.outcomes.map((s) => STATUS_NAMES[s]), env.pm.phase]).toEqual([["OK", "OK"], 0]);
});

test("same, runtime resume PENDING and completed later", () => {
  const { env, port, tok } = setup(true);
  env.pm.suspend(T_STANDBY, TEST_NONE);
  port.complete(tok(), OK);
  env.platform.advance(1_000_000);
  expect([env.outcomes.map((s) => STATUS_NAMES[s]), env.pm.phase]).toEqual([["OK", "OK"], 0]);
});
