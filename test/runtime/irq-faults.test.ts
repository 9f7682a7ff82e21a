// An IRQ handler that throws is counted and never thrown through: the other lines are still delivered and the attempt ends.
import { expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, T_STANDBY, TEST_NONE, TEST_PLATFORM, P_IDLE, STATUS_NAMES } from "../../runtime";

test("a handler that throws when its latched line is delivered at the unmask: the next latched line is delivered, R2 runs, the attempt ends OK", () => {
  const env = new Env();
  const a = env.add({ name: "a" });
  env.pm.seal();
  const got: number[] = [];
  env.pm.irq.register(2, () => { throw new Error("handler bug"); }, false);
  env.pm.irq.register(3, (l) => got.push(l), false);
  a.behaviour.powerOffNoIrq = { kind: "call", fn: () => { env.pm.irq.raise(2); env.pm.irq.raise(3); return OK; } };
  expect(env.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
  env.platform.advance(1_000_000);
  expect({ phase: env.pm.phase, resumes: a.calls.resume, line3: got, outcomes: env.outcomes.map((s) => STATUS_NAMES[s]) })
    .toEqual({ phase: P_IDLE, resumes: 1, line3: [3], outcomes: ["OK"] });
  expect([env.pm.irq.handlerFaults, env.pm.irq.lastFaultLine, env.pm.stats.listenerFaults, env.pm.irq.isLatched(3)]).toEqual([1, 2, 1, false]);
  a.behaviour.powerOffNoIrq = { kind: "ok" };
  expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
  expect(env.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["OK", "OK"]);
});

test("a handler that throws on a raise while unmasked: raise answers OK to the raiser, the fault is counted", () => {
  const env = new Env();
  env.add({ name: "a" });
  env.pm.seal();
  env.pm.irq.register(4, () => { throw new Error("handler bug"); }, false);
  expect(() => expect(env.pm.irq.raise(4)).toBe(OK)).not.toThrow();
  expect([env.pm.irq.handlerFaults, env.pm.irq.lastFaultLine, env.pm.irq.deliveredCount[4]]).toEqual([1, 4, 1]);
});
