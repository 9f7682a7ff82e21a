// The idle governor: the rule (deadline vs break-even vs latency constraint) table-driven, and whole decision traces with locks, devices and busy phases.
import { describe, expect, it } from "vitest";
import { Env } from "./fakes";
import { OK, PENDING, INVALID, WAKEUP, T_STANDBY, T_HIBERNATE, TEST_NONE, TARGET_NAMES, WAKE_TIMER, type PmConfig } from "../../runtime";
import { IdleStates, Decision, decide, REASON_NAMES, R_SLEEP, R_LOCK, R_BUSY } from "../../runtime/policy";
import { E_GOVERNOR } from "../../runtime/trace";
import { ESP32_STATES } from "../../boards/esp32-states";
import type { PowerManager } from "../../runtime/pm";

/** A decision as one line: reason, target, the numbers it weighed (only those that apply). */
function line(d: Decision, pm?: PowerManager): string {
  const parts = [REASON_NAMES[d.reason]];
  if (d.reason === R_LOCK) parts.push(pm !== undefined ? pm.locks.names[d.other] : String(d.other));
  else if (d.reason === R_BUSY) parts.push("phase=" + d.other);
  else {
    if (d.target !== 0) parts.push(TARGET_NAMES[d.target]);
    parts.push("idle=" + d.idleUs, "breakEven=" + d.breakEvenUs, "latency=" + d.latencyUs);
    if (d.constraintUs >= 0) parts.push("constraint=" + d.constraintUs);
    if (d.reason === R_SLEEP) parts.push("wake=" + d.wakeAt);
    if (d.reason === R_SLEEP && d.other !== 0) parts.push("ruledOut=" + TARGET_NAMES[d.other]);
    if (d.reason !== R_SLEEP && d.other !== 0) parts.push("status=" + d.other);
  }
  return parts.join(" ");
}

/** Every decision the governor kept, oldest first (the log holds the last 8). */
function decisions(pm: PowerManager): string[] {
  const out: string[] = [];
  for (let i = 7; i >= 0; i--) {
    const d = pm.governor.decision(i);
    if (d !== null) out.push("[" + d.time + "] " + line(d, pm));
  }
  return out;
}

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

describe("the rule (policy.ts decide), ESP32 states: standby 200+536 us, break-even 5 ms; hibernate 50+40 ms, break-even 3.1 s", () => {
  // [name, now, deadline, constraint, excluded, device costs [suspend, resume], expected line]
  const CASES: [string, number, number, number, number, [number, number], string][] = [
    ["58 s to the deadline: hibernate, woken 40 ms early", 0, 58_000_000, -1, 0, [0, 0], "sleep hibernate idle=58000000 breakEven=3100000 latency=90000 wake=57960000"],
    ["exactly hibernate's break-even: hibernate", 0, 3_100_000, -1, 0, [0, 0], "sleep hibernate idle=3100000 breakEven=3100000 latency=90000 wake=3060000"],
    ["1 us below it: standby", 1, 3_100_000, -1, 0, [0, 0], "sleep standby idle=3099999 breakEven=5000 latency=736 wake=3099464"],
    ["1 s: standby, woken 536 us early", 0, 1_000_000, -1, 0, [0, 0], "sleep standby idle=1000000 breakEven=5000 latency=736 wake=999464"],
    ["exactly standby's break-even: standby", 0, 5_000, -1, 0, [0, 0], "sleep standby idle=5000 breakEven=5000 latency=736 wake=4464"],
    ["2 ms: stay awake, below standby's break-even", 0, 2_000, -1, 0, [0, 0], "short standby idle=2000 breakEven=5000 latency=736"],
    ["a deadline already past: idle 0, stay awake", 9_000, 2_000, -1, 0, [0, 0], "short standby idle=0 breakEven=5000 latency=736"],
    ["no deadline: hibernate, no timer wake", 0, -1, -1, 0, [0, 0], "sleep hibernate idle=-1 breakEven=3100000 latency=90000 wake=-1"],
    ["58 s, constraint 1 ms: hibernate ruled out, standby", 0, 58_000_000, 1_000, 0, [0, 0], "sleep standby idle=58000000 breakEven=5000 latency=736 constraint=1000 wake=57999464 ruledOut=hibernate"],
    ["58 s, constraint 736 us (standby's latency exactly): standby", 0, 58_000_000, 736, 0, [0, 0], "sleep standby idle=58000000 breakEven=5000 latency=736 constraint=736 wake=57999464 ruledOut=hibernate"],
    ["58 s, constraint 500 us: stay awake, every state too slow", 0, 58_000_000, 500, 0, [0, 0], "latency standby idle=58000000 breakEven=5000 latency=736 constraint=500"],
    ["58 s, constraint 0: stay awake", 0, 58_000_000, 0, 0, [0, 0], "latency standby idle=58000000 breakEven=5000 latency=736 constraint=0"],
    ["2 ms and constraint 500 us: the break-even speaks first", 0, 2_000, 500, 0, [0, 0], "short standby idle=2000 breakEven=5000 latency=736 constraint=500"],
    ["constraint 100 s: hibernate", 0, 58_000_000, 100_000_000, 0, [0, 0], "sleep hibernate idle=58000000 breakEven=3100000 latency=90000 constraint=100000000 wake=57960000"],
    ["hibernate excluded (refused): standby", 0, 58_000_000, -1, T_HIBERNATE, [0, 0], "sleep standby idle=58000000 breakEven=5000 latency=736 wake=57999464"],
    ["devices add 3 ms + 2 ms: standby's latency 5736 us is its break-even", 0, 1_000_000, -1, 0, [3_000, 2_000], "sleep standby idle=1000000 breakEven=5736 latency=5736 wake=997464"],
    ["devices' costs and 5.5 ms: stay awake", 0, 5_500, -1, 0, [3_000, 2_000], "short standby idle=5500 breakEven=5736 latency=5736"],
    ["devices' costs push standby over a 5 ms constraint", 0, 1_000_000, 5_000, 0, [3_000, 2_000], "latency standby idle=1000000 breakEven=5736 latency=5736 constraint=5000"],
  ];
  for (const [name, now, deadline, constraint, excluded, [sus, res], want] of CASES) {
    it(name, () => {
      const st = new IdleStates(ESP32_STATES, 4, "test");
      st.declare(0, sus, 0);
      st.declare(1, 0, res);
      const d = new Decision();
      decide(st, now, deadline, constraint, excluded, 0, d);
      expect(line(d)).toBe(want);
    });
  }

  it("a wake margin moves only the timer wake earlier", () => {
    const d = new Decision();
    decide(new IdleStates(ESP32_STATES, 1, "test"), 0, 1_000_000, -1, 0, 1_000, d);
    expect(line(d)).toBe("sleep standby idle=1000000 breakEven=5000 latency=736 wake=998464");
  });

  it("with no state listed there is nothing to enter", () => {
    const d = new Decision();
    decide(new IdleStates([], 1, "test"), 0, 58_000_000, -1, 0, 0, d);
    expect(line(d)).toBe("no-state idle=58000000 breakEven=0 latency=0");
  });

  it("refuses a states table out of order or with an unknown target, naming the board", () => {
    expect(() => new IdleStates([ESP32_STATES[1], ESP32_STATES[0]], 1, "boards/x")).toThrow("boards/x: pm.states[1] is not deeper than pm.states[0]");
    expect(() => new IdleStates([{ target: 3, entryUs: 0, exitUs: 0, breakEvenUs: 0 }], 1, "boards/x")).toThrow("pm.states[0].target is 3");
  });
});

/** No wake margin here, so the wake times read as deadline - exit - devices' resume costs. */
const GOV: Partial<PmConfig> = { states: ESP32_STATES, governor: { enabled: true, minIdleUs: 1_000, wakeMarginUs: 0 } };

function board(config: Partial<PmConfig> = GOV): Env {
  const env = new Env(config);
  env.add({ name: "bus" });
  env.add({ name: "sensor", parent: "bus" });
  return env;
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

describe("board data for the governor is checked at boot", () => {
  it("names the field, the range and the fix", () => {
    const bad = (c: Partial<PmConfig>): string => { try { new Env(c); return "no error"; } catch (e) { return (e as Error).message; } };
    expect(bad({ states: [{ target: T_STANDBY, entryUs: -1, exitUs: 0, breakEvenUs: 0 }] })).toBe("boards/test-board: pm.states[0].entryUs is -1: must be an integer 0..2000000000 µs: raise it in the PmConfig");
    expect(bad({ states: [{ target: T_STANDBY, entryUs: 0, exitUs: 0 } as never] })).toContain("pm.states[0].breakEvenUs is undefined");
    expect(bad({ governor: { enabled: "yes" } as never })).toBe("boards/test-board: pm.governor must be { enabled: true|false, minIdleUs?, wakeMarginUs? } in the PmConfig");
    expect(bad({ states: ESP32_STATES, governor: { enabled: true, minIdleUs: 150.5 } })).toBe("boards/test-board: pm.governor.minIdleUs is 150.5: must be an integer 100..2000000000 µs: use a whole number in the PmConfig");
    // A governor with no delay would decide in a loop without the clock moving.
    expect(bad({ states: ESP32_STATES, governor: { enabled: true, minIdleUs: 0 } })).toContain("pm.governor.minIdleUs is 0: must be an integer 100..2000000000 µs");
    // Enabled with nothing to enter would never sleep, silently.
    expect(bad({ governor: { enabled: true } })).toBe("boards/test-board: pm.governor is enabled but pm.states lists no state to enter: add states (boards/esp32-states.ts ESP32_LIGHT_SLEEP) or disable the governor in the PmConfig");
    expect(bad({ maxLocks: -1 })).toContain("pm.maxLocks is -1");
    expect(bad({ states: ESP32_STATES, governor: { enabled: true } })).toBe("no error");
  });
});

describe("inputs that would break the rule (found by review)", () => {
  it("a lock taken during the governor's own suspend aborts it at the next stage boundary (WAKEUP): it never sleeps with a lock held", () => {
    const env = board();
    const app = env.pm.locks.create("app");
    env.devices.sensor.behaviour.suspend = { kind: "pending", afterUs: 5_000 };
    env.pm.seal();
    env.pm.nextDeadline(2_000_000);
    env.platform.advance(1_500);
    expect(env.pm.governor.owns).toBe(true);
    expect(env.pm.locks.acquire(app)).toBe(OK);
    env.platform.advance(10_000);
    expect([env.platform.sleeps.length, env.outcomes]).toEqual([0, [WAKEUP]]);
    // Held: the governor stays awake; released: it decides again and sleeps.
    env.platform.advance(5_000);
    expect(env.platform.sleeps.length).toBe(0);
    env.pm.locks.release(app);
    env.platform.advance(20_000);
    expect(env.platform.sleeps.length).toBe(1);
  });

  it("a wake margin larger than the time left: stay awake instead of a sleep whose wake time is already past", () => {
    const d = new Decision();
    decide(new IdleStates(ESP32_STATES, 1, "test"), 0, 60_000, -1, 0, 100_000, d);
    expect(line(d)).toBe("short standby idle=60000 breakEven=5000 latency=736");
    decide(new IdleStates(ESP32_STATES, 1, "test"), 0, 101_000, -1, 0, 100_000, d);
    expect(line(d)).toBe("sleep standby idle=101000 breakEven=5000 latency=736 wake=464");
  });

  it("NaN, undefined, other negatives, Infinity and 1e300 are refused with INVALID and change nothing", () => {
    const env = board();
    env.pm.seal();
    env.pm.port(0).constrainLatency(500);
    for (const v of [NaN, undefined as unknown as number, -2, -1e9, Infinity, 1e300]) {
      expect([env.pm.constrainLatency(v), env.pm.nextDeadline(v), env.pm.port(1).nextDeadline(v), env.pm.port(1).constrainLatency(v)]).toEqual([INVALID, INVALID, INVALID, INVALID]);
    }
    expect([env.pm.governor.tightest(), env.pm.governor.appDeadline, env.pm.governor.deviceDeadline[1]]).toEqual([500, -1, -1]);
    expect([env.pm.constrainLatency(-1), env.pm.nextDeadline(58_000_000)]).toEqual([OK, OK]);
    env.platform.advance(2_000);
    // The device's 500 us still rules out both states.
    expect(decisions(env.pm)).toEqual(["[1000] latency standby idle=57999000 breakEven=5000 latency=736 constraint=500"]);
  });

  it("a string, a boolean, null, an object, an array or a BigInt is INVALID, not a number read by coercion; nothing changes", () => {
    const env = board();
    env.pm.seal();
    env.pm.nextDeadline(58_000_000);
    env.pm.port(1).constrainLatency(800);
    for (const v of ["5", "", true, false, null, {}, [5], 5n] as unknown as number[]) {
      expect([env.pm.nextDeadline(v), env.pm.constrainLatency(v), env.pm.port(1).nextDeadline(v), env.pm.port(1).constrainLatency(v)]).toEqual([INVALID, INVALID, INVALID, INVALID]);
    }
    const g = env.pm.governor;
    expect([g.appDeadline, g.appConstraintUs, g.deviceDeadline[1], g.deviceConstraintUs[1]]).toEqual([58_000_000, -1, -1, 800]);
    env.platform.advance(2_000);
    // The deadline and the device's 800 us constraint held: standby, hibernate ruled out.
    expect(decisions(env.pm)).toEqual(["[1000] sleep standby idle=57999000 breakEven=5000 latency=736 constraint=800 wake=57999464 ruledOut=hibernate"]);
  });

  it("a deadline already past is asked about again after 1, 2, 4 ... ms up to 1 s, not every minIdleUs", () => {
    const env = board();
    env.pm.seal();
    env.pm.nextDeadline(500);
    env.platform.advance(10_000_000);
    // 10 s of a stale deadline: 1+2+4+...+512 ms (10 decisions) then one a second.
    expect(env.pm.governor.total).toBeLessThan(25);
    expect(env.platform.sleeps.length).toBe(0);
    env.pm.nextDeadline(-1);
    env.platform.advance(2_000);
    expect(env.platform.sleeps.length).toBe(1);
  });

  it("lock handles are whole numbers create returned", () => {
    const env = board();
    const h = env.pm.locks.create("app");
    env.pm.seal();
    expect([env.pm.locks.acquire(h + 0.5), env.pm.locks.release(h + 0.5), env.pm.locks.held]).toEqual([INVALID, INVALID, 0]);
  });
});
