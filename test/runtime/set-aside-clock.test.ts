// A platform clock that throws right after a freed (set-aside) device answered OK: its waiters still start, the attempt completes.
import { expect, test } from "vitest";
import { OK, PENDING, T_STANDBY, TEST_NONE } from "../../runtime";
import { Env } from "./fakes";

test("clock throws right after a queued (set-aside) device answers OK", () => {
  const env = new Env();
  env.add({ name: "c" });
  env.add({ name: "b", needs: ["c"] });
  env.add({ name: "a", needs: ["b"] });
  let armed = false;
  const now = env.platform.now.bind(env.platform);
  env.platform.now = () => { if (armed) { armed = false; throw new Error("clock"); } return now(); };
  env.devices.a.behaviour.suspend = { kind: "pending", afterUs: 500 };
  env.devices.b.behaviour.suspend = { kind: "call", fn: () => { armed = true; return OK; } };
  env.pm.seal();
  expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
  let thrown = "";
  try { env.platform.advance(1000); } catch (e) { thrown = (e as Error).message; }
  env.platform.advance(1_000_000);
  console.log(JSON.stringify({ thrown, calls: env.calls(), outcomes: env.outcomes, states: env.states(), phase: env.pm.phase }));
});
