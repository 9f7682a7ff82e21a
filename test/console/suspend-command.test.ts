// The console's suspend command: the target and test level the line asks for, a failure named, BUSY when one is already running.
import { describe, expect, it } from "vitest";
import { Rig, K_FAIL, K_PENDING, H_PREPARE, H_SUSPEND } from "./sim";
import { IO, T_STANDBY, TEST_PLATFORM } from "../../runtime/status";

describe("console commands", () => {
  it("suspend [standby|hibernate] [test=...] starts the suspend the line asked for and reports the outcome", () => {
    const rig = new Rig();
    const out = rig.send("suspend test=platform standby\r");
    expect(out.startsWith("suspending: standby test=platform\r\n")).toBe(true);
    expect(out).toContain("-- test=platform hold: platform called, a timed light sleep stands in for standby\r\n");
    expect(out.endsWith("suspend ok (test=platform: held in the platform, target not entered), woke by test hold\r\n> ")).toBe(true);
    expect(rig.pm.stats.successes).toBe(1);
    const hib = rig.send("suspend hibernate test=platform\r");
    expect(hib.startsWith("suspending: hibernate test=platform\r\n")).toBe(true);
    expect(hib).toContain("suspend begins: hibernate test=platform\r\n");
    expect(hib.endsWith("suspend ok (test=platform: held in the platform, target not entered), woke by test hold\r\n> ")).toBe(true);
    const dev = rig.send("suspend test=devices\r");
    // The levels read differently (as Linux pm_test's do): devices never reaches the platform.
    expect(dev).toContain("-- test=devices hold: platform not called, IRQs on, devices stay suspended\r\n");
    expect(dev.endsWith("suspend ok (test=devices: devices only, nothing slept), woke by test hold\r\n> ")).toBe(true);
    expect(rig.platform.sleeps).toBe(2);
    expect(rig.outcomes).toEqual([0, 0, 0]);
  });

  it("suspend failed names the device, the stage and the status", () => {
    const rig = new Rig();
    rig.devices.flash.script(H_SUSPEND, K_FAIL, IO, 0);
    const out = rig.send("suspend test=platform\r");
    expect(out).toContain("S2 suspend       flash   failed IO\r\n");
    expect(out).toContain("rollback from suspend flash IO\r\n");
    expect(out.endsWith("suspend failed: flash suspend IO\r\n> ")).toBe(true);
    expect(rig.pm.deviceState(rig.uart.id)).toBe(0);
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome IO");
  });

  it("answers BUSY when a suspend started elsewhere is in progress when its settle delay ends", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_PREPARE, K_PENDING, 0, 20_000);
    rig.terminal.type("suspend test=platform\r");
    // Run until the line ran (its reply is out) but not the 2 ms settle delay.
    while (rig.console.commands.ran === 0) rig.clock.advance(50);
    expect(rig.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(0);
    rig.settle();
    const out = rig.take();
    expect(out).toContain("suspend refused: BUSY, one is already in progress\r\n> ");
    expect(out).toContain("-- test=platform hold: platform called, a timed light sleep stands in for standby\r\n");
    expect(out.endsWith("suspend ok (test=platform: held in the platform, target not entered), woke by test hold\r\n> ")).toBe(true);
    expect(rig.pm.stats.busyRefusals).toBe(1);
  });
});
