// A runtime hook that completes its own token and then makes another device's runtime hook run: its completion still counts.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add } from "./helpers";
import { OK, PENDING, RPM_ACTIVE, D_ACTIVE } from "../../runtime";

/** A and B both runtime-suspended; A's runtime resume completes its own token, gets B inside the hook, then answers PENDING. */
function nestedPair() {
  const env = new Env({ defaultBudgetUs: 5_000 });
  const a = add(env, { name: "a" });
  const b = add(env, { name: "b" });
  env.pm.seal();
  const ap = env.pm.port(a.id), bp = env.pm.port(b.id);
  ap.get(); ap.put(); bp.get(); bp.put();
  a.rr = { kind: "call", fn: (t) => { ap.complete(t, OK); bp.get(); return PENDING; } };
  return { env, a, b, ap, bp };
}

test("nested: A completes its own token, then B's runtime resume runs inside A's hook, then A answers PENDING", () => {
  const { env, a, b, ap, bp } = nestedPair();
  expect([ap.runtimeState, bp.runtimeState]).toEqual([2, 2]);
  let bRan = false;
  b.rr = { kind: "call", fn: () => { bRan = true; return OK; } };
  ap.get();
  env.platform.advance(10_000);
  expect({ bRan, a: ap.runtimeState, fail: env.pm.deviceState(a.id), late: env.pm.rpm.late }).toEqual({ bRan: true, a: RPM_ACTIVE, fail: D_ACTIVE, late: 0 });
});

describe("I: a runtime hook that runs another device's runtime hook (nested get)", () => {
  test("A's completion made inside its hook after B's get still counts", () => {
    const { env, a, ap } = nestedPair();
    ap.get();
    env.platform.advance(10_000);
    expect({ a: ap.runtimeState, fail: env.pm.deviceState(a.id), late: env.pm.rpm.late })
      .toEqual({ a: RPM_ACTIVE, fail: D_ACTIVE, late: 0 });
  });
});
