// A full suspend/resume of the reference tree asserted as one trace: order, storage, masking, mirror.
import { describe, expect, test } from "vitest";
import { makeTree, TREE_NAMES, TREE_PREREQS } from "./tree";
import { OK, T_STANDBY, TEST_NONE, TEST_DEVICES, TEST_PLATFORM, D_ACTIVE, P_IDLE, S_SUSPEND } from "../../runtime";

// Suspend stages walk the topological order backwards (users and children first), resume stages forwards.
const FULL_TRACE = [
  "led:prepare", "display:prepare", "touch:prepare", "bme280:prepare", "telemetry:prepare", "flash:prepare",
  "console:prepare", "button:prepare", "spi0:prepare", "i2c0:prepare",
  "led:suspend", "display:suspend", "touch:suspend", "bme280:suspend", "telemetry:suspend", "flash:suspend",
  "console:suspend", "button:suspend", "spi0:suspend", "i2c0:suspend",
  "irq:mask",
  "led:powerOffNoIrq!", "display:powerOffNoIrq!", "touch:powerOffNoIrq!", "bme280:powerOffNoIrq!", "telemetry:powerOffNoIrq!",
  "flash:powerOffNoIrq!", "console:powerOffNoIrq!", "button:powerOffNoIrq!", "spi0:powerOffNoIrq!", "i2c0:powerOffNoIrq!",
  "platform:sleep",
  "i2c0:powerOnNoIrq!", "spi0:powerOnNoIrq!", "button:powerOnNoIrq!", "console:powerOnNoIrq!", "flash:powerOnNoIrq!",
  "telemetry:powerOnNoIrq!", "bme280:powerOnNoIrq!", "touch:powerOnNoIrq!", "display:powerOnNoIrq!", "led:powerOnNoIrq!",
  "irq:unmask",
  "i2c0:resume", "spi0:resume", "button:resume", "console:resume", "flash:resume", "telemetry:resume", "bme280:resume",
  "touch:resume", "display:resume", "led:resume",
  "done:0",
];

/** Checks the order rules on one stage's sequence of calls. */
function checkOrder(calls: string[], hook: string, suspendDir: boolean): void {
  const seq = calls.filter((c) => c.split(":")[1].replace("!", "") === hook).map((c) => c.split(":")[0]);
  expect(seq.sort()).toEqual([...TREE_NAMES].sort());
  const at = (n: string) => calls.findIndex((c) => c.startsWith(n + ":" + hook));
  for (const dev of TREE_NAMES) {
    for (const pre of TREE_PREREQS[dev]) {
      if (suspendDir) expect(at(dev), dev + " before " + pre + " in " + hook).toBeLessThan(at(pre));
      else expect(at(pre), pre + " before " + dev + " in " + hook).toBeLessThan(at(dev));
    }
  }
}

describe("full cycle of the reference tree", () => {
  test("one trace: users before buses, storage after its users, mirrored resume, IRQs masked around S3/sleep/R1", () => {
    const env = makeTree();
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.log).toEqual(FULL_TRACE);
    for (const [hook, dir] of [["prepare", true], ["suspend", true], ["powerOffNoIrq", true], ["powerOnNoIrq", false], ["resume", false]] as const) {
      checkOrder(env.log, hook, dir);
    }
    expect(env.states().every((s) => s.endsWith("=" + D_ACTIVE))).toBe(true);
    expect(env.pm.phase).toBe(P_IDLE);
    expect(env.pm.arena.reservedBytes).toBe(0);
    expect(env.pm.stats.successes).toBe(1);
  });

  test("independent branches overlap when hooks answer PENDING; the parent waits for the slowest child", () => {
    const env = makeTree();
    env.devices.bme280.behaviour.suspend = { kind: "pending", afterUs: 3000 };
    env.devices.touch.behaviour.suspend = { kind: "pending", afterUs: 1000 };
    env.devices.display.behaviour.suspend = { kind: "pending", afterUs: 2000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(10_000);
    const s2 = env.log.filter((l) => l.includes(":suspend"));
    expect(s2).toEqual([
      "led:suspend", "display:suspend", "touch:suspend", "bme280:suspend", "telemetry:suspend", "console:suspend",
      "button:suspend", "touch:suspend:done", "display:suspend:done", "bme280:suspend:done", "i2c0:suspend",
      "flash:suspend", "spi0:suspend",
    ]);
    // S2 took as long as its critical path (3 ms), not the sum (6 ms).
    expect(env.pm.stats.stageDuration[S_SUSPEND]).toBe(3000);
    expect(env.outcomes).toEqual([OK]);
  });

  test("test=devices holds after S3 without platform sleep; IRQs are on during the hold", () => {
    const env = makeTree();
    env.pm.suspend(T_STANDBY, TEST_DEVICES);
    expect(env.log).not.toContain("platform:sleep");
    expect(env.outcomes).toEqual([]);
    expect(env.platform.masked).toBe(0);
    env.platform.advance(1000);
    expect(env.outcomes).toEqual([OK]);
    const masks = env.log.filter((l) => l.startsWith("irq:"));
    expect(masks).toEqual(["irq:mask", "irq:unmask", "irq:mask", "irq:unmask"]);
  });

  test("test=platform goes through the platform with a hold", () => {
    const env = makeTree();
    env.pm.suspend(T_STANDBY, TEST_PLATFORM);
    expect(env.log).toContain("platform:sleep");
    expect(env.outcomes).toEqual([OK]);
  });

  test("a second suspend while one runs answers BUSY and changes nothing", () => {
    const env = makeTree();
    env.devices.bme280.behaviour.suspend = { kind: "pending", afterUs: 500 };
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    const before = env.log.length;
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(2 /* BUSY */);
    expect(env.log.length).toBe(before);
    env.platform.advance(1000);
    expect(env.outcomes).toEqual([OK]);
    expect(env.pm.stats.busyRefusals).toBe(1);
  });

  test("repeated cycles are identical", () => {
    const env = makeTree();
    for (let i = 0; i < 5; i++) {
      env.log.length = 0;
      env.pm.suspend(T_STANDBY, TEST_NONE);
      expect(env.log).toEqual(FULL_TRACE);
    }
    expect(env.pm.stats.successes).toBe(5);
  });
});
