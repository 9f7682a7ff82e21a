// A system suspend that starts while a get walks its device's suppliers: the device's runtime resume waits for it to end.
import { describe, expect, test } from "vitest";
import { Env } from "../runtime/fakes";
import { add, rpmCalls, type RpmDevice } from "./helpers";
import { OK, T_STANDBY, TEST_NONE, P_IDLE, P_SLEEPING, RPM_SUSPENDED, RPM_RESUMING, RPM_ACTIVE, TraceEvents } from "../../runtime";

/** bus and chip (its child) both runtime-suspended; the platform sleeps until woken. The chip's runtime resume notes the phase it ran in. */
function board(): { env: Env; bus: RpmDevice; seen: string[] } {
  const env = new Env();
  env.platform.sleepMode = "async";
  const bus = add(env, { name: "bus" });
  const chip = add(env, { name: "chip", parent: "bus", autosuspendMs: 0 });
  const seen: string[] = [];
  chip.rr = { kind: "call", fn: () => { seen.push("chip:runtimeResume in phase " + env.pm.phase + (env.platform.masked ? ", IRQs masked" : "")); return OK; } };
  env.pm.seal();
  env.platform.advance(0); // the chip idles down, then the bus
  expect([env.pm.rpm.state[0], env.pm.rpm.state[1]]).toEqual([RPM_SUSPENDED, RPM_SUSPENDED]);
  return { env, bus, seen };
}

/** The chip's get, a standby started from inside its supplier walk, the wake: the chip resumes once the system is idle again. */
function getThroughAStandby(env: Env, seen: string[]): void {
  // The bus comes up first; the standby it let start waited for that and ran (the chip, runtime-suspended, skipped).
  env.pm.port(1).get();
  expect([env.pm.phase, seen, env.pm.rpm.state[1]]).toEqual([P_SLEEPING, [], RPM_SUSPENDED]);
  env.platform.wakeNow(0);
  env.platform.advance(100_000);
  // It ran inside the sleep, with IRQs masked ("chip:runtimeResume in phase 2, IRQs masked").
  expect([seen, env.outcomes, env.pm.rpm.state[1]]).toEqual([["chip:runtimeResume in phase " + P_IDLE], [OK], RPM_ACTIVE]);
}

describe("design.md: a runtime transition starts only while no system attempt runs, also one a get's supplier walk let start", () => {
  test("a suspend from a trace listener on the bus's resuming record", () => {
    const { env, seen } = board();
    env.pm.trace.setListener((slot) => {
      const tr = env.pm.trace;
      if (tr.eventAt(slot) === TraceEvents.E_RPM_STATE && tr.deviceAt(slot) === 0 && tr.statusAt(slot) === RPM_RESUMING) env.pm.suspend(T_STANDBY, TEST_NONE);
    });
    getThroughAStandby(env, seen);
  });

  test("a suspend the bus's own runtime resume asks for (port.requestSuspend, as a button driver might)", () => {
    const { env, bus, seen } = board();
    bus.rr = { kind: "call", fn: () => { env.pm.port(0).requestSuspend(T_STANDBY, TEST_NONE); return OK; } };
    getThroughAStandby(env, seen);
    expect(rpmCalls(env).filter((l) => l.startsWith("bus:"))).toEqual(["bus:runtimeSuspend", "bus:runtimeResume", "bus:prepare", "bus:suspend", "bus:powerOffNoIrq!", "bus:powerOnNoIrq!", "bus:resume"]);
  });
});
