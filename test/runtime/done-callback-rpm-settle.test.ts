// A done callback begins the next attempt while runtime PM settles and the runtime hook completes inside the callback: the stages still start after it returned.
import { describe, expect, test } from "vitest";
import { Env, attemptRecords, statusNames } from "./fakes";
import { add } from "../runtime-pm/helpers";
import { OK, PENDING, T_STANDBY, TEST_NONE, STATUS_NAMES } from "../../runtime";


describe("done callback + runtime-PM settle", () => {
  test("a callback that puts a runtime device (its runtime suspend PENDING), suspends (settle waits), then its driver completes: the next attempt's S1 runs after the callback returned", () => {
    const env = new Env();
    const f = add(env, { name: "flash" });
    const other = env.add({ name: "other" });
    env.pm.seal();
    const port = env.pm.port(f.id);
    port.get();
    let token = -1;
    f.rs = { kind: "call", fn: (t) => { token = t; return PENDING; } };
    let n = 0; let insideCallback = false; const stagesInside: string[] = [];
    other.behaviour.prepare = { kind: "call", fn: () => { if (insideCallback) stagesInside.push("prepare ran inside the done callback"); return OK; } };
    env.pm.setDoneCallback((s) => {
      env.outcomes.push(s);
      if (n++ > 0) return;
      insideCallback = true;
      port.put();                               // runtime suspend starts (the system is idle), PENDING
      expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK); // settle waits for it
      port.complete(token, OK);                  // the driver's completion arrives while the callback still runs
      insideCallback = false;
    });
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect([statusNames(env.outcomes), attemptRecords(env), stagesInside]).toEqual([["OK", "OK"], "BEBE", []]);
  });

});
