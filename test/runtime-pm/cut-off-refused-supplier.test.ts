// A consumer cut off by a failed supplier, whose other supplier refuses to runtime-suspend: answered FAILED, never a retry loop.
import { describe, expect, test } from "vitest";
import { Env, type Behaviour } from "../runtime/fakes";
import { add, rpmCalls, type RpmDevice } from "./helpers";
import { OK, IO, FAILED, T_STANDBY, T_HIBERNATE, TEST_NONE, RPM_ACTIVE, RPM_SUSPENDED, STATE_NAMES, RPM_STATE_NAMES } from "../../runtime";

/** bus (no autosuspend delay: a put suspends it now) and pwr supply chip; the bus's runtime suspend answers `refuse`. */
function board(refuse: Behaviour): { env: Env; states: () => string } {
  const env = new Env();
  const bus = add(env, { name: "bus" });
  const pwr = add(env, { name: "pwr" });
  add(env, { name: "chip", parent: "bus", needs: ["pwr"] });
  bus.rs = refuse;
  env.pm.seal();
  const chip = env.pm.port(2);
  expect([chip.get(), chip.put()]).toEqual([OK, OK]); // chip down; the bus refuses (stays up); pwr down
  env.platform.advance(20_000); // a hung refusal times out after the bus's S2 budget (10 ms)
  pwr.rr = { kind: "fail", status: IO }; // pwr will not come back: it fails, and its re-probe fails too
  pwr.behaviour.reprobe = { kind: "fail", status: IO };
  const states = (): string => [0, 1, 2].map((d) => STATE_NAMES[env.pm.deviceState(d)] + "/" + RPM_STATE_NAMES[env.pm.rpm.state[d]]).join(" ");
  return { env, states };
}

/**
 * bus and pwr (no delays) supply chip: `before` scripts the bus, chip's get and put take all three down, `after` scripts the
 * bus again, then pwr fails to resume (and to re-probe) under chip's next get, which answers FAILED; 50 s pass.
 */
function cutOffWhile(before: (bus: RpmDevice) => void, after: (bus: RpmDevice) => void): Env {
  const env = new Env({ reprobeFirstUs: 100_000_000 });
  const bus = add(env, { name: "bus" });
  const pwr = add(env, { name: "pwr" });
  add(env, { name: "chip", parent: "bus", needs: ["pwr"] });
  env.pm.seal();
  const chip = env.pm.port(2);
  before(bus);
  expect([chip.get(), chip.put()]).toEqual([OK, OK]);
  after(bus);
  pwr.rr = { kind: "fail", status: IO };
  pwr.behaviour.reprobe = { kind: "fail", status: IO };
  expect(chip.get()).toBe(FAILED);
  env.platform.advance(50_000_000);
  return env;
}

describe("design.md, runtime PM errors: a refused runtime suspend is tried again after its delay or at the next put, never in a loop; a cut-off consumer holds no supplier", () => {
  test("refused with an error: the consumer's get answers FAILED; the bus, which refused at the last put, is not asked again", () => {
    const { env, states } = board({ kind: "fail", status: IO });
    const before = rpmCalls(env).length;
    // It recursed (the cut-off chip released the bus, which refused, so the chip was asked again...) until the stack
    // overflowed; then each of pwr's re-probes asked the bus again. Only a put or a consumer's suspend asks it now.
    expect(env.pm.port(2).get()).toBe(FAILED);
    env.platform.advance(1_000_000);
    expect(rpmCalls(env).slice(before)).toEqual(["pwr:runtimeResume", "pwr:reprobe", "pwr:reprobe"]);
    expect(states()).toBe("active/active failed/active active/suspended");
    expect(env.pm.rpm.failures[0]).toBe(1);
  });

  test("refused by timing out: not asked again at every budget", () => {
    const { env, states } = board({ kind: "hang" });
    const before = rpmCalls(env).length;
    expect(env.pm.port(2).get()).toBe(FAILED);
    env.platform.advance(1_000_000);
    // It was asked again each time its budget ran out: 102 runtime suspends in this second, with no put.
    expect(rpmCalls(env).slice(before)).toEqual(["pwr:runtimeResume", "pwr:reprobe", "pwr:reprobe"]);
    expect(states()).toBe("active/active failed/active active/suspended");
  });

  test("once the failed supplier is back the consumer resumes; its next put asks the bus again (the next put)", () => {
    const { env, states } = board({ kind: "fail", status: IO });
    const chip = env.pm.port(2);
    expect(chip.get()).toBe(FAILED);
    env.devices.pwr.behaviour.reprobe = { kind: "ok" };
    env.platform.advance(5_000_000);
    expect(states()).toBe("active/active active/active active/active");
    const before = rpmCalls(env).length;
    expect(chip.put()).toBe(OK);
    expect(rpmCalls(env).slice(before)).toEqual(["chip:runtimeSuspend", "bus:runtimeSuspend", "pwr:runtimeSuspend"]);
    expect(states()).toBe("active/active active/suspended active/suspended");
  });

  test("a refused supplier with a delay is tried again after it, also when a cut-off consumer's get came meanwhile", () => {
    const env = new Env({ reprobeFirstUs: 100_000_000 });
    const bus = add(env, { name: "bus", autosuspendMs: 1 });
    const pwr = add(env, { name: "pwr" });
    add(env, { name: "chip", parent: "bus", needs: ["pwr"] });
    env.pm.seal();
    const chip = env.pm.port(2);
    bus.rs = { kind: "fail", status: IO };
    expect([chip.get(), chip.put()]).toEqual([OK, OK]);
    env.platform.advance(1_500); // refused at 1 ms: its retry is due 1 ms later
    bus.rs = { kind: "ok" };
    pwr.rr = { kind: "fail", status: IO };
    pwr.behaviour.reprobe = { kind: "fail", status: IO };
    // The get's supplier walk cancelled the retry (as a get does); the release must arm it again, not leave the bus up for good.
    expect(chip.get()).toBe(FAILED);
    env.platform.advance(50_000);
    expect(env.pm.rpm.state[0]).toBe(RPM_SUSPENDED);
    expect(rpmCalls(env).filter((l) => l.startsWith("bus:"))).toEqual(["bus:runtimeSuspend", "bus:runtimeSuspend"]);
  });

  test("with a delay of 0 a refused suspend is not asked again when a system attempt ends; the next put asks", () => {
    const env = new Env();
    const p = add(env, { name: "p", autosuspendMs: 0 });
    env.pm.seal();
    const port = env.pm.port(p.id);
    expect(port.get()).toBe(OK);
    p.rs = { kind: "fail", status: IO };
    expect(port.put()).toBe(OK);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(1_000_000);
    // It was asked again at the end of every system attempt (one retry per governor standby).
    expect([env.outcomes, rpmCalls(env)]).toEqual([[OK], ["p:runtimeSuspend", "p:prepare", "p:suspend", "p:powerOffNoIrq!", "p:powerOnNoIrq!", "p:resume"]]);
    p.rs = { kind: "ok" };
    expect([port.get(), port.put(), env.pm.rpm.state[p.id]]).toEqual([OK, OK, RPM_SUSPENDED]);
  });

  test("a supplier whose suspend was in flight when a cut-off consumer's get came goes down, not back up for nobody", () => {
    // chip down; the bus's suspend still in flight (1 ms) when chip's get finds pwr failing.
    const env = cutOffWhile((bus) => { bus.rs = { kind: "pending", afterUs: 1_000 }; }, () => {});
    // The get's walk marked the bus wanted while it was suspending: it resumed once down and stayed up, usage 0.
    expect(rpmCalls(env).filter((l) => l.startsWith("bus:"))).toEqual(["bus:runtimeSuspend", "bus:runtimeSuspend:done"]);
    expect([env.pm.rpm.state[0], env.pm.rpm.usage[0]]).toEqual([RPM_SUSPENDED, 0]);
  });

  test("a supplier still resuming when its consumer is cut off by another goes down once up, not up for good", () => {
    const env = cutOffWhile(() => {}, (bus) => { bus.rr = { kind: "pending", afterUs: 1_000 }; });
    expect(rpmCalls(env).filter((l) => l.startsWith("bus:"))).toEqual(["bus:runtimeSuspend", "bus:runtimeResume", "bus:runtimeResume:done", "bus:runtimeSuspend"]);
    expect([env.pm.rpm.state[0], env.pm.rpm.usage[0]]).toEqual([RPM_SUSPENDED, 0]);
  });

  test("a refused suspend whose delay runs out during a system attempt is tried when the attempt ends", () => {
    const env = new Env();
    const p = add(env, { name: "p", autosuspendMs: 1 });
    env.pm.seal();
    const port = env.pm.port(0);
    env.platform.advance(5_000);
    expect(port.get()).toBe(OK);
    p.rs = { kind: "fail", status: IO };
    expect(port.putAutosuspend()).toBe(OK);
    env.platform.advance(1_000); // refused at 1 ms; tried again 1 ms later
    p.rs = { kind: "ok" };
    env.platform.sleepMode = "async";
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(5_000); // the retry falls due while the system sleeps
    env.platform.wakeNow(0);
    env.platform.advance(1_000_000);
    expect([env.outcomes, env.pm.rpm.state[0], env.pm.rpm.failures[0]]).toEqual([[OK], RPM_SUSPENDED, 1]);
  });

  test("up a chain: a bus still resuming for a middle device the cut-off consumer waited on goes down too", () => {
    const env = new Env({ reprobeFirstUs: 100_000_000 });
    const a = add(env, { name: "a" });
    add(env, { name: "b", parent: "a" });
    const f = add(env, { name: "f" });
    add(env, { name: "c", parent: "b", needs: ["f"] });
    env.pm.seal();
    const c = env.pm.port(3);
    expect([c.get(), c.put()]).toEqual([OK, OK]);
    a.rr = { kind: "pending", afterUs: 1_000 };
    f.rr = { kind: "fail", status: IO };
    f.behaviour.reprobe = { kind: "fail", status: IO };
    expect(c.get()).toBe(FAILED);
    env.platform.advance(50_000_000);
    expect(Array.from(env.pm.rpm.state.slice(0, 4))).toEqual([RPM_SUSPENDED, RPM_SUSPENDED, RPM_ACTIVE, RPM_SUSPENDED]);
  });

  test("a hibernate that brings a supplier back for a device whose other consumer is cut off starts, and ends", () => {
    const env = new Env();
    const a = add(env, { name: "a" });
    add(env, { name: "s", parent: "a" });
    const f = add(env, { name: "f" });
    add(env, { name: "c", parent: "s", needs: ["f"] });
    env.pm.seal();
    const pc = env.pm.port(3), pf = env.pm.port(2);
    expect([pc.get(), pc.put()]).toEqual([OK, OK]); // all four runtime-suspended
    f.rr = { kind: "fail", status: IO };
    f.behaviour.reprobe = { kind: "fail", status: IO };
    expect([pf.get(), pf.put()]).toEqual([FAILED, OK]); // f failed
    a.rr = { kind: "pending", afterUs: 1_000 };
    expect(env.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    env.platform.advance(3_600_000_000);
    // The cut-off c's walk cleared the want the hibernate had put on s: the attempt waited for s for good (phase SUSPENDING,
    // every later suspend BUSY, f never re-probed).
    expect([env.outcomes, env.pm.rpm.resumes[1] > 0, env.pm.phase]).toEqual([[OK], true, 0]);
    // Brought up for the image, a and s (no delay) go down once it is over, since c stays down; c's waiting get does not wake
    // them at each of f's failed re-probes (a walk behind a supplier known failed answers FAILED without resuming anyone).
    const before = rpmCalls(env).length;
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(3_600_000_000);
    expect(Array.from(env.pm.rpm.state.slice(0, 4))).toEqual([RPM_SUSPENDED, RPM_SUSPENDED, RPM_ACTIVE, RPM_SUSPENDED]);
    expect(rpmCalls(env).slice(before).filter((l) => !l.startsWith("f:reprobe"))).toEqual([]);
  });
});
