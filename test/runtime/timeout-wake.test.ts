// Budgets (timeouts, late completions ignored by generation) and wakeups at every stage boundary.
import { describe, expect, test } from "vitest";
import { makeTree, TREE_NAMES } from "./tree";
import { Env } from "./fakes";
import {
  OK, IO, TIMEOUT, WAKEUP, T_STANDBY, TEST_NONE, TEST_DEVICES, D_ACTIVE, D_FAILED, S_SUSPEND, S_RESUME, S_PREPARE,
  S_POWER_OFF, S_PLATFORM, WAKE_NONE, TraceEvents,
} from "../../runtime";

const allActive = TREE_NAMES.map((n) => n + "=" + D_ACTIVE);

describe("time budgets", () => {
  test("a hung suspend hook times out at its budget and rolls back; its late completion changes nothing", () => {
    const env = makeTree();
    env.devices.bme280.behaviour.suspend = { kind: "late", afterUs: 25_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(9_999);
    expect(env.outcomes).toEqual([]);
    env.platform.advance(1);
    expect(env.outcomes).toEqual([TIMEOUT]);
    expect(env.platform.t).toBe(10_000);
    expect(env.states()).toEqual(allActive);
    const st = env.pm.stats;
    expect([st.failDevice[st.failureSlot(0)], st.failStage[st.failureSlot(0)], st.failStatus[st.failureSlot(0)]])
      .toEqual([env.devices.bme280.id, S_SUSPEND, TIMEOUT]);
    const logBefore = env.log.length;
    env.platform.advance(20_000);
    expect(env.log.slice(logBefore)).toEqual(["bme280:suspend:late"]);
    expect(st.lateCompletions).toBe(1);
    expect(env.states()).toEqual(allActive);
    // The next cycle works, and the stale token cannot complete the new generation.
    env.devices.bme280.behaviour.suspend = { kind: "ok" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([TIMEOUT, OK]);
  });

  test("a per-stage budget overrides the default: a slow resume gets its 120 ms, suspend keeps 10 ms", () => {
    const env = new Env();
    const d = env.add({ name: "display", stageBudgetUs: { resume: 120_000 } });
    env.pm.seal();
    d.behaviour.resume = { kind: "pending", afterUs: 110_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(200_000);
    expect(env.outcomes).toEqual([OK]);
    d.behaviour.suspend = { kind: "pending", afterUs: 11_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(200_000);
    expect(env.outcomes).toEqual([OK, TIMEOUT]);
  });

  test("a resume hook that hangs times out: device failed, the rest resume, late completion ignored", () => {
    const env = makeTree();
    env.devices.display.behaviour.resume = { kind: "late", afterUs: 50_000 };
    // Its re-probe (due at the first idle moment) fails too, so it stays failed.
    env.devices.display.behaviour.reprobe = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(10_000);
    expect(env.outcomes).toEqual([TIMEOUT]);
    expect(env.states()).toEqual(TREE_NAMES.map((n) => n + "=" + (n === "display" ? D_FAILED : D_ACTIVE)));
    env.platform.advance(50_000);
    expect(env.pm.stats.lateCompletions).toBe(1);
    expect(env.pm.deviceState(env.devices.display.id)).toBe(D_FAILED);
  });

  test("one timer serves every pending device: the earliest deadline fires first", () => {
    const env = makeTree();
    env.devices.bme280.behaviour.suspend = { kind: "hang" };
    env.devices.display.behaviour.suspend = { kind: "pending", afterUs: 4_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(20_000);
    expect(env.outcomes).toEqual([TIMEOUT]);
    expect(env.log).toContain("display:suspend:done");
    // display advanced in S2 and is resumed in rollback; bme280 timed out and gets its mirror too, since
    // a suspend hook that ran out of time may have half-acted (gated its queue). i2c0 never started S2.
    expect(env.log).toContain("display:resume");
    expect(env.log).toContain("bme280:resume");
    expect(env.log).not.toContain("i2c0:resume");
    expect(env.pm.stats.timeouts).toBe(1);
    expect(env.platform.t).toBe(20_000);
  });
});

describe("wakeups", () => {
  // [label, hook, the stage the wake stops (its own: it may pend, so it does not run to its end)]
  const stages: [string, string, number][] = [
    ["during S1", "prepare", S_PREPARE], ["during S2", "suspend", S_SUSPEND],
  ];
  for (const [label, hook, reportedAt] of stages) {
    test("a wake " + label + " starts no further device, ends the stage when the pending hook finishes, WAKEUP, rolled back", () => {
      const env = makeTree();
      const dev = env.devices.display;
      (dev.behaviour as Record<string, unknown>)[hook] = { kind: "pending", afterUs: 100 };
      env.pm.suspend(T_STANDBY, TEST_NONE);
      // The pass went on past the pending display: these had started before the wake.
      const startedBefore = env.log.filter((l) => l.endsWith(":" + hook)).length;
      env.pm.irq.raise(0); // the button's line
      env.platform.advance(1_000);
      // Nothing started that stage after the wake; the display's completion ended it at 100 us.
      expect(env.log.filter((l) => l.endsWith(":" + hook)).length).toBe(startedBefore);
      expect(env.log).toContain("display:" + hook + ":done");
      expect(env.outcomes).toEqual([WAKEUP]);
      expect(env.states()).toEqual(allActive);
      expect(env.log).not.toContain("platform:sleep");
      const st = env.pm.stats;
      expect(st.wakeAborts).toBe(1);
      expect(st.lastWakeCause).toBe(0);
      expect(st.failDevice[st.failureSlot(0)]).toBe(env.devices.button.id);
      expect(st.failStage[st.failureSlot(0)]).toBe(reportedAt);
    });
  }

  test("a wake latched during S3 (IRQs masked) aborts right before platform sleep and is delivered once at unmask", () => {
    const env = makeTree();
    const delivered: number[] = [];
    env.pm.irq.register(0, (l) => delivered.push(l), true);
    env.devices.led.behaviour.powerOffNoIrq = { kind: "call", fn: () => { env.pm.irq.raise(0); return OK; } };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([WAKEUP]);
    expect(env.log).not.toContain("platform:sleep");
    expect(delivered).toEqual([0]);
    const st = env.pm.stats;
    expect(st.failStage[st.failureSlot(0)]).toBe(S_PLATFORM);
    // Every device went through S3 and is undone with R1 then R2.
    expect(env.log.filter((l) => l.endsWith("powerOnNoIrq!")).length).toBe(TREE_NAMES.length);
    expect(env.states()).toEqual(allActive);
  });

  test("a wake while asleep resumes the system and records the cause", () => {
    const env = makeTree();
    env.platform.sleepMode = "async";
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.platform.sleeping).toBe(true);
    env.platform.advance(5_000_000);
    expect(env.outcomes).toEqual([]);
    env.pm.irq.raise(1); // console RX, latched while masked
    env.platform.wakeNow(1);
    expect(env.outcomes).toEqual([OK]);
    expect(env.pm.stats.lastWakeCause).toBe(1);
    expect(env.pm.stats.lastWakeTime).toBe(5_000_000);
    expect(env.states()).toEqual(allActive);
    expect(env.pm.stats.wakeAborts).toBe(0);
  });

  test("a wake during a devices-level test hold ends the hold like a wake from sleep", () => {
    const env = makeTree();
    env.pm.suspend(T_STANDBY, TEST_DEVICES);
    env.platform.advance(300);
    env.pm.irq.raise(0);
    expect(env.outcomes).toEqual([OK]);
    expect(env.pm.stats.lastWakeCause).toBe(0);
    expect(env.platform.t).toBe(300);
  });

  test("a wake after the attempt ended is an ordinary interrupt", () => {
    const env = makeTree();
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.pm.irq.raise(0);
    expect(env.pm.stats.lastWakeCause).not.toBe(0);
    expect(env.pm.irq.wakeLine).toBe(WAKE_NONE);
  });

  test("the trace records the wake, the rollback and the end with WAKEUP", () => {
    const env = makeTree();
    env.devices.flash.behaviour.suspend = { kind: "pending", afterUs: 100 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.pm.irq.raise(1);
    env.platform.advance(200);
    const tr = env.pm.trace;
    const events: number[] = [];
    for (let i = 0; i < tr.length; i++) events.push(tr.eventAt(tr.slot(i)));
    expect(events).toContain(TraceEvents.E_WAKE);
    expect(events).toContain(TraceEvents.E_ROLLBACK);
    expect(events.at(-1)).toBe(TraceEvents.E_SUSPEND_END);
    expect(tr.statusAt(tr.slot(tr.length - 1))).toBe(WAKEUP);
  });
});
