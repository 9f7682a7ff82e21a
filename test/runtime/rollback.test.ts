// Every device failing at every stage: rollback undoes exactly the devices that advanced and ends fully active.
import { describe, expect, test } from "vitest";
import { makeTree, TREE_NAMES, TREE_PREREQS } from "./tree";
import {
  IO, THREW, PROTOCOL, FULL, T_STANDBY, TEST_NONE, D_ACTIVE, D_FAILED, P_IDLE, STAGE_NAMES,
  S_PREPARE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, S_RESUME,
} from "../../runtime";
import type { HookName } from "./fakes";

const SUSPEND_HOOKS: HookName[] = ["prepare", "suspend", "powerOffNoIrq"];
const STAGE_OF: Record<string, number> = { prepare: S_PREPARE, suspend: S_SUSPEND, powerOffNoIrq: S_POWER_OFF, powerOnNoIrq: S_POWER_ON, resume: S_RESUME };

function cleanOrder(hook: HookName): string[] {
  const env = makeTree();
  env.pm.suspend(T_STANDBY, TEST_NONE);
  return env.calls().filter((c) => c.split(":")[1].replace("!", "") === hook).map((c) => c.split(":")[0]);
}

/** Calls of `hook` after index `from` in the log, device names only. */
function callsAfter(log: string[], from: number, hook: string): string[] {
  return log.slice(from).filter((l) => l.split(":").length === 2 && l.split(":")[1].replace("!", "") === hook).map((l) => l.split(":")[0]);
}

function respectsResumeOrder(seq: string[]): void {
  for (const dev of seq) for (const pre of TREE_PREREQS[dev]) {
    if (seq.includes(pre)) expect(seq.indexOf(pre), pre + " resumes before " + dev).toBeLessThan(seq.indexOf(dev));
  }
}

describe("rollback after a failure at every device and suspend stage", () => {
  for (const hook of SUSPEND_HOOKS) {
    const order = cleanOrder(hook);
    for (const dev of TREE_NAMES) {
      test(hook + " fails on " + dev, () => {
        const env = makeTree();
        env.devices[dev].behaviour[hook] = { kind: "fail", status: IO };
        env.pm.suspend(T_STANDBY, TEST_NONE);
        const k = order.indexOf(dev);
        const advanced = order.slice(0, k);
        // The failing stage stopped right after the failing device.
        const failAt = env.log.findIndex((l) => l.startsWith(dev + ":" + hook));
        expect(callsAfter(env.log, 0, hook)).toEqual(order.slice(0, k + 1));
        const after = env.log.slice(failAt + 1);
        // Mirrors: S3 -> R1 over advanced (still masked), S2 -> R2, S1 -> release (runtime only).
        const r1 = callsAfter(after, 0, "powerOnNoIrq");
        const r2 = callsAfter(after, 0, "resume");
        if (hook === "powerOffNoIrq") {
          expect([...r1].sort()).toEqual([...advanced].sort());
          respectsResumeOrder(r1);
          expect(after.filter((l) => l.startsWith("powerOnNoIrq") || l.endsWith("powerOnNoIrq")).every((l) => l.endsWith("!"))).toBe(true);
          expect([...r2].sort()).toEqual([...TREE_NAMES].sort());
        } else if (hook === "suspend") {
          expect(r1).toEqual([]);
          expect([...r2].sort()).toEqual([...advanced].sort());
        } else {
          expect(r1).toEqual([]);
          expect(r2).toEqual([]);
        }
        respectsResumeOrder(r2);
        expect(env.log.at(-1)).toBe("done:" + IO);
        expect(env.log).not.toContain("platform:sleep");
        expect(env.states()).toEqual(TREE_NAMES.map((n) => n + "=" + D_ACTIVE));
        expect(env.platform.masked).toBe(0);
        expect(env.pm.arena.reservedBytes).toBe(0);
        expect(env.pm.blocks.unreserved).toBe(env.pm.blocks.count);
        const st = env.pm.stats;
        const slot = st.failureSlot(0);
        expect([env.pm.graph.names[st.failDevice[slot]], STAGE_NAMES[st.failStage[slot]], st.failStatus[slot]]).toEqual([dev, STAGE_NAMES[STAGE_OF[hook]], IO]);
        expect(st.failuresPerStage[STAGE_OF[hook]]).toBe(1);
        expect(env.pm.phase).toBe(P_IDLE);
      });
    }
  }

  test("whole trace: suspend fails on display after led advanced", () => {
    const env = makeTree();
    env.devices.display.behaviour.suspend = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.log).toEqual([
      "led:prepare", "display:prepare", "touch:prepare", "bme280:prepare", "telemetry:prepare", "flash:prepare",
      "console:prepare", "button:prepare", "spi0:prepare", "i2c0:prepare",
      "led:suspend", "display:suspend", "led:resume", "done:4",
    ]);
  });

  test("whole trace: powerOffNoIrq fails on flash: R1 for its users while masked, then R2 for all", () => {
    const env = makeTree();
    env.devices.flash.behaviour.powerOffNoIrq = { kind: "fail", status: IO };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    const s3 = env.log.indexOf("flash:powerOffNoIrq!");
    expect(env.log.slice(s3)).toEqual([
      "flash:powerOffNoIrq!",
      "telemetry:powerOnNoIrq!", "bme280:powerOnNoIrq!", "touch:powerOnNoIrq!", "display:powerOnNoIrq!", "led:powerOnNoIrq!",
      "irq:unmask",
      "i2c0:resume", "spi0:resume", "button:resume", "console:resume", "flash:resume", "telemetry:resume", "bme280:resume",
      "touch:resume", "display:resume", "led:resume",
      "done:4",
    ]);
  });

  test("a hook that throws is caught, reported as THREW, and rolled back", () => {
    const env = makeTree();
    env.devices.bme280.behaviour.suspend = { kind: "throw" };
    expect(() => env.pm.suspend(T_STANDBY, TEST_NONE)).not.toThrow();
    expect(env.outcomes).toEqual([THREW]);
    expect(env.states()).toEqual(TREE_NAMES.map((n) => n + "=" + D_ACTIVE));
  });

  test("PENDING from a NoIrq hook is a protocol error, rolled back", () => {
    const env = makeTree();
    env.devices.led.behaviour.powerOffNoIrq = { kind: "hang" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([PROTOCOL]);
    expect(env.states()).toEqual(TREE_NAMES.map((n) => n + "=" + D_ACTIVE));
  });

  test("a request pool that cannot be reserved fails prepare with FULL", () => {
    const env = makeTree({ blockCount: 2 });
    const b = env.pm.blocks.acquire(0);
    expect(b).toBeGreaterThanOrEqual(0);
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([FULL]);
    expect(env.devices.telemetry.calls.prepare).toBe(0);
    env.pm.blocks.release(b);
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([FULL, 0]);
  });
});

describe("a failure while resuming is recorded, the device marked failed, the rest resume", () => {
  for (const hook of ["powerOnNoIrq", "resume"] as HookName[]) {
    for (const dev of TREE_NAMES) {
      test(hook + " fails on " + dev, () => {
        const env = makeTree();
        env.devices[dev].behaviour[hook] = { kind: "fail", status: IO };
        env.pm.suspend(T_STANDBY, TEST_NONE);
        expect(env.outcomes).toEqual([IO]);
        const expected = TREE_NAMES.map((n) => n + "=" + (n === dev ? D_FAILED : D_ACTIVE));
        expect(env.states()).toEqual(expected);
        const r2 = callsAfter(env.log, 0, "resume");
        expect(r2.sort()).toEqual(TREE_NAMES.filter((n) => hook === "resume" || n !== dev).sort());
        const st = env.pm.stats;
        expect(st.resumeFailures).toBe(1);
        expect(env.pm.graph.names[st.failDevice[st.failureSlot(0)]]).toBe(dev);
        expect(st.failStage[st.failureSlot(0)]).toBe(STAGE_OF[hook]);
        // A failed device sits out the next suspend; the others still cycle.
        env.log.length = 0;
        env.pm.suspend(T_STANDBY, TEST_NONE);
        expect(env.log.some((l) => l.startsWith(dev + ":"))).toBe(false);
        expect(env.outcomes).toEqual([IO, 0]);
        // Its re-probe was due at the first idle moment; the fake's reprobe answers OK.
        env.platform.advance(0);
        expect(env.log.at(-1)).toBe(dev + ":reprobe");
        expect(env.pm.deviceState(env.devices[dev].id)).toBe(D_ACTIVE);
      });
    }
  }
});
