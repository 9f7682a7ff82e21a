// The idle governor's inputs: board data checked at boot, and deadlines, constraints and lock handles that would break the rule.
import { describe, expect, it } from "vitest";
import { Env } from "./fakes";
import { OK, INVALID, WAKEUP, T_STANDBY, type PmConfig } from "../../runtime";
import { IdleStates, Decision, decide } from "../../runtime/policy";
import { ESP32_STATES } from "../../boards/esp32-states";
import { board, decisions, line } from "./governor-helpers";

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

/** Each value, given as the application's and device 1's deadline and latency constraint, is refused by all four with INVALID. */
function expectRefused(env: Env, values: number[]): void {
  for (const v of values) {
    expect([env.pm.nextDeadline(v), env.pm.constrainLatency(v), env.pm.port(1).nextDeadline(v), env.pm.port(1).constrainLatency(v)]).toEqual([INVALID, INVALID, INVALID, INVALID]);
  }
}

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
    expectRefused(env, [NaN, undefined as unknown as number, -2, -1e9, Infinity, 1e300]);
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
    expectRefused(env, ["5", "", true, false, null, {}, [5], 5n] as unknown as number[]);
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
