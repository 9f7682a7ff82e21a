// The console's races (issue 13): one suspend at a time, a dump and a suspend exclude each other, trace N's range, editing over control bytes.
import { describe, expect, it } from "vitest";
import { Rig, K_PENDING, H_PREPARE, statusReply } from "./sim";
import { OK, INVALID, T_STANDBY, TEST_NONE, TEST_DEVICES } from "../../runtime/status";
import { decodeDump } from "../../host-sim/viz/decode-dump";

const STATUS_REPLY = statusReply("OK");

describe("console races", () => {
  it("a second suspend during the first one's settle delay answers BUSY and never replaces its target or test level", () => {
    const rig = new Rig();
    let test = -1;
    rig.sim.onDone(() => { test = rig.pm.test; });
    // One burst: the second line is read while the first waits for its settle delay.
    const lines = rig.send("suspend test=devices\rsuspend hibernate\r").split("\r\n");
    expect(lines.slice(0, 3)).toEqual([
      "suspending: standby test=devices",
      "suspend refused: BUSY, one is already starting or running; its outcome follows",
      expect.stringMatching(/^\[ *\d+ us\] suspend begins: standby test=devices$/),
    ]);
    expect(lines.some((l) => l.endsWith("-- test=devices hold: platform not called, IRQs on, devices stay suspended"))).toBe(true);
    expect(lines.slice(-2)).toEqual(["suspend ok (test=devices: devices only, nothing slept), woke by test hold", "> "]);
    // One attempt, the first line's: a devices-level hold, no real sleep.
    expect([rig.pm.stats.attempts, test, rig.platform.sleeps]).toEqual([1, TEST_DEVICES, 0]);
    expect(rig.outcomes).toEqual([OK]);
    expect(rig.send("status\r")).toBe(STATUS_REPLY);
  });

  it("a suspend refused by the runtime is named with its status (INVALID like an unknown target or test level)", () => {
    const rig = new Rig();
    rig.pm.suspend = (): number => INVALID;
    expect(rig.send("suspend\r")).toBe("suspending: standby\r\n" +
      "suspend refused: INVALID, the runtime does not take that target or test level (type help)\r\n> ");
    expect(rig.send("suspend test=\r")).toBe(
      "unknown argument 'test=' for suspend: use standby, hibernate, test=devices or test=platform (type help)\r\n> ");
    expect(rig.send("suspend test=Devices\r")).toBe(
      "unknown argument 'test=Devices' for suspend: use standby, hibernate, test=devices or test=platform (type help)\r\n> ");
  });

  it("trace dump during a suspend's settle delay is refused with a message; the suspend's output is whole", () => {
    const rig = new Rig();
    const out = rig.send("suspend test=platform\rtrace dump\r");
    const lines = out.split("\r\n");
    expect(lines.slice(0, 2)).toEqual([
      "suspending: standby test=platform",
      "trace dump refused: BUSY, a suspend is starting or running; run it after the outcome",
    ]);
    expect(out).not.toContain("T ");
    expect(out).not.toContain("trace dump begin");
    expect(lines.slice(-2)).toEqual(["suspend ok (test=platform: held in the platform, target not entered), woke by test hold", "> "]);
  });

  it("a suspend that begins while a dump is written cuts the dump first; no record line follows; the host decodes the cut dump", () => {
    const rig = new Rig({ txRingBytes: 1024 });
    rig.devices.bme280.script(H_PREPARE, K_PENDING, OK, 1_000);
    rig.send("suspend test=platform\r");
    const capture = rig.send("status\r");
    rig.terminal.type("trace dump\r");
    while (!rig.console.reports.active) rig.clock.advance(50);
    rig.clock.advance(3_000);
    expect(rig.console.reports.active).toBe(true);
    // A suspend from elsewhere (a button's request) while the dump waits for TX room.
    expect(rig.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(rig.console.reports.active).toBe(false);
    rig.settle();
    rig.platform.wakeNow(0);
    rig.settle();
    const text = rig.take();
    const lines = text.split("\r\n");
    const cut = lines.findIndex((l) => l.startsWith("trace dump cut: "));
    const records = lines.filter((l) => l.startsWith("T ")).length;
    expect(lines[cut]).toBe("trace dump cut: " + records + " of " + /begin: (\d+) records/.exec(text)![1] +
      " records, a suspend started; run trace dump again after it");
    expect(lines.slice(cut + 1).some((l) => l.startsWith("T "))).toBe(false);
    expect(lines[cut + 1]).toMatch(/suspend begins: standby$/);
    expect(text).not.toContain("trace dump end");
    // The cut dump is a valid capture: its records are the ring's oldest ones.
    expect(decodeDump(capture + text).length).toBe(records);
  });

  it("trace N accepts exactly the range its hint announces", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    const hint = ": use a record count 1..256, all [n] or dump (type help)";
    expect(rig.send("trace 257\r")).toBe("record count '257' out of range for trace" + hint + "\r\n> ");
    expect(rig.send("trace 999999\r")).toBe("record count '999999' out of range for trace" + hint + "\r\n> ");
    expect(rig.send("trace 0\r")).toBe("record count '0' out of range for trace" + hint + "\r\n> ");
    expect(rig.send("trace 256\r").split("\r\n")[0]).toMatch(/^trace: last \d+ power-management records of \d+ written/);
    expect(rig.send("trace all 256\r").split("\r\n")[0]).toMatch(/^trace: last \d+ of \d+ records/);
    expect(rig.send("trace all 257\r")).toBe("record count '257' out of range for trace" + hint + "\r\n> ");
    expect(rig.send("trace 1\r").split("\r\n").length).toBe(3);
  });

  it("backspace erases what was echoed: a refused control byte is erased without touching the screen", () => {
    const rig = new Rig({ echo: true });
    // s t x BEL: the BEL is not echoed; the first backspace erases it (nothing to erase on screen), the second the x.
    expect(rig.send("stx\x07\b\batus\r")).toBe("stx\b \batus\r\n" + STATUS_REPLY);
    // An arrow key (ESC [ A) typed and erased: ESC is not echoed, '[' and 'A' are.
    expect(rig.send("status\x1b[A\b\b\b\r")).toBe("status[A\b \b\b \b\r\n" + STATUS_REPLY);
    // A TAB is a space in the line: it is echoed as one, so one "\b \b" erases it.
    expect(rig.send("status\t\b\r")).toBe("status \b \b\r\n" + STATUS_REPLY);
    // A control byte left in the line still refuses it, at its column in the line as edited.
    expect(rig.send("sx\bt\x07atus\r")).toBe("sx\b \btatus\r\n" +
      "line refused: byte 0x07 at column 3 is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)\r\n> ");
  });
});
