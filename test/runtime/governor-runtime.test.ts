// The idle governor in the runtime: whole decision traces with locks, devices' deadlines and costs, busy phases and latency constraints.
import { describe, expect, it } from "vitest";
import { Env } from "./fakes";
import { OK, PENDING, T_STANDBY, TEST_NONE, TARGET_NAMES, WAKE_TIMER } from "../../runtime";
import { REASON_NAMES, R_SLEEP } from "../../runtime/policy";
import { E_GOVERNOR } from "../../runtime/trace";
import { ESP32_STATES } from "../../boards/esp32-states";
import type { PowerManager } from "../../runtime/pm";
import { GOV, board, decisions } from "./governor-helpers";

/** The governor's trace records: time, reason, target, idle. */
function traced(pm: PowerManager): string[] {
  const tr = pm.trace;
  const out: string[] = [];
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i);
    if (tr.eventAt(s) !== E_GOVERNOR) continue;
    out.push(tr.time[s] + " " + REASON_NAMES[tr.statusAt(s) >> 3] + " " + TARGET_NAMES[tr.statusAt(s) & 7] + " " + tr.duration[s]);
  }
  return out;
}

describe("the governor in the runtime (fake platform: a sleep with a timer wake ends at it)", () => {
  it("off: never decides, never sleeps", () => {
    const env = board({ states: ESP32_STATES });
    env.pm.seal();
    env.pm.nextDeadline(58_000_000);
    env.platform.advance(60_000_000);
    expect([decisions(env.pm), env.platform.sleeps.length, env.pm.stats.attempts]).toEqual([[], 0, 0]);
  });

  it("a lock held keeps it awake; the last release decides on the next turn (not after minIdleUs) and it sleeps to the deadline", () => {
    const env = board();
    const app = env.pm.locks.create("app-busy");
    env.pm.seal();
    const port = env.pm.port(0);
    env.pm.locks.acquire(app);
    port.lock();
    env.pm.nextDeadline(2_000_000);
    env.platform.advance(5_000);
    env.pm.locks.release(app);
    env.platform.advance(5_000);
    expect(decisions(env.pm)).toEqual(["[1000] lock app-busy"]);
    port.unlock();
    // Not inside the release: a 0 us timer, so the decision comes on the next turn of the event loop.
    expect(decisions(env.pm)).toEqual(["[1000] lock app-busy"]);
    env.platform.advance(0);
    expect(decisions(env.pm)).toEqual(["[1000] lock app-busy", "[10000] sleep standby idle=1990000 breakEven=5000 latency=736 wake=1999464"]);
    expect(env.platform.sleeps).toEqual([{ target: T_STANDBY, at: 10_000, wakeAt: 1_999_464 }]);
    expect([env.outcomes, env.pm.governor.owns]).toEqual([[], true]);
    env.platform.advance(1_989_464);
    expect([env.platform.t, env.outcomes, env.pm.stats.lastWakeCause, env.pm.governor.sleeps[T_STANDBY], env.pm.governor.owns]).toEqual([1_999_464, [OK], WAKE_TIMER, 1, false]);
    expect(traced(env.pm)).toEqual(["1000 lock none -1", "10000 sleep standby 1990000"]);
  });

  it("a lock released and taken again in the same turn keeps it awake: the decision on the next turn sees it held", () => {
    const env = board();
    const app = env.pm.locks.create("app-busy");
    env.pm.seal();
    env.pm.nextDeadline(2_000_000);
    env.pm.locks.acquire(app);
    env.platform.advance(5_000);
    env.pm.locks.release(app);
    env.pm.locks.acquire(app);
    env.platform.advance(0);
    expect(env.platform.sleeps).toEqual([]);
    expect(decisions(env.pm)).toEqual(["[1000] lock app-busy", "[5000] lock app-busy"]);
  });

  it("whole trace: hibernate for 58 s, standby for the rest, a device's deadline too close, a platform timer", () => {
    const env = board();
    env.pm.seal();
    env.pm.nextDeadline(58_000_000);
    // Hibernate wakes 40 ms early (its exit latency); 39 ms remain, standby's worth it.
    env.platform.advance(58_000_000);
    // The application's deadline came; a device needs the CPU in 3 ms: too close.
    env.pm.nextDeadline(-1);
    env.pm.port(1).nextDeadline(58_003_000);
    env.platform.advance(2_000);
    // The device is done; a timer made on the platform (a driver's) is a deadline too: 800 ms.
    env.pm.port(1).nextDeadline(-1);
    const t = env.platform.createTimer(() => undefined);
    env.platform.schedule(t, 800_000);
    env.platform.advance(2_000);
    expect(decisions(env.pm)).toEqual([
      "[1000] sleep hibernate idle=57999000 breakEven=3100000 latency=90000 wake=57960000",
      "[57961000] sleep standby idle=39000 breakEven=5000 latency=736 wake=57999464",
      "[58001000] short standby idle=2000 breakEven=5000 latency=736",
      "[58003000] sleep standby idle=799000 breakEven=5000 latency=736 wake=58801464",
    ]);
    expect(env.platform.sleeps.map((s) => TARGET_NAMES[s.target] + "@" + s.at + "->" + s.wakeAt)).toEqual([
      "hibernate@1000->57960000", "standby@57961000->57999464", "standby@58003000->58801464",
    ]);
    expect(traced(env.pm)).toEqual(["1000 sleep hibernate 57999000", "57961000 sleep standby 39000", "58001000 short standby 2000", "58003000 sleep standby 799000"]);
  });

  it("busy while an explicit suspend runs (the timer armed before it fired mid-attempt); decides again after it", () => {
    const env = board();
    env.devices.sensor.behaviour.prepare = { kind: "pending", afterUs: 3_000 };
    env.pm.seal();
    env.pm.nextDeadline(1_000_000);
    env.platform.advance(500);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    env.platform.advance(10_000);
    expect(decisions(env.pm)).toEqual([
      "[1000] busy phase=1",
      "[5500] sleep standby idle=994500 breakEven=5000 latency=736 wake=999464",
    ]);
    // The explicit suspend's sleep had no timer wake; the governor's had its own.
    expect(env.platform.sleeps.map((s) => s.wakeAt)).toEqual([-1, 999_464]);
  });

  it("latency constraints: the application's and a device's, the tightest wins; lifting them lets it sleep", () => {
    const env = board();
    env.pm.seal();
    env.pm.nextDeadline(58_000_000);
    env.pm.constrainLatency(10_000);
    env.pm.port(0).constrainLatency(500);
    env.platform.advance(1_000);
    env.pm.port(0).constrainLatency(-1);
    env.platform.advance(1_000);
    expect(decisions(env.pm)).toEqual([
      "[1000] latency standby idle=57999000 breakEven=5000 latency=736 constraint=500",
      "[2000] sleep standby idle=57998000 breakEven=5000 latency=736 constraint=10000 wake=57999464 ruledOut=hibernate",
    ]);
  });

  it("a device's declared costs raise the latency and move the timer wake earlier", () => {
    const env = new Env(GOV);
    env.add({ name: "flash", suspendCostUs: 3_000, resumeCostUs: 2_000 });
    env.pm.seal();
    env.pm.nextDeadline(1_000_000);
    env.platform.advance(1_000);
    expect(decisions(env.pm)).toEqual(["[1000] sleep standby idle=999000 breakEven=5736 latency=5736 wake=997464"]);
  });

  it("sleeps again after each wake until the next deadline, with a pending hook on the way down", () => {
    const env = board();
    env.devices.sensor.behaviour.suspend = { kind: "pending", afterUs: 200 };
    env.pm.seal();
    let next = 1_000_000;
    env.pm.nextDeadline(next);
    const app = env.platform.createTimer(() => { next += 1_000_000; env.pm.nextDeadline(next); });
    env.platform.schedule(app, next);
    // Five periods: each wake comes before the deadline, the app's timer re-registers, the governor sleeps again.
    for (let k = 0; k < 5; k++) {
      env.platform.advance(1_000_000);
      env.platform.schedule(app, next - env.platform.t);
    }
    expect(env.outcomes).toEqual([OK, OK, OK, OK, OK]);
    expect(env.platform.sleeps.map((s) => s.wakeAt)).toEqual([999_464, 1_999_464, 2_999_464, 3_999_464, 4_999_464]);
    expect(env.pm.governor.reasons[R_SLEEP]).toBe(5);
  });

  it("kept decisions wrap at 8, newest first", () => {
    const env = board();
    const app = env.pm.locks.create("app-busy");
    env.pm.seal();
    for (let k = 0; k < 10; k++) {
      env.pm.locks.acquire(app);
      env.pm.governor.kick();
      env.platform.advance(1_000);
      env.pm.locks.release(app);
      env.pm.governor.enable(false);
      env.pm.governor.enable(true);
    }
    expect(env.pm.governor.total).toBe(10);
    expect(decisions(env.pm).length).toBe(8);
    expect(env.pm.governor.decision(8)).toBeNull();
    expect(PENDING).toBe(1);
  });
});
