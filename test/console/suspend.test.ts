// Console during suspend/resume: progress lines, TX buffering while the UART is off, UART wake byte loss, aborts, outcomes.
import { describe, expect, it } from "vitest";
import { Rig, K_PENDING, K_FAIL, K_THROW, K_ANSWER, BUTTON_LINE, CONSOLE_WAKE_LINE, H_PREPARE, H_SUSPEND, H_POWER_OFF, H_RESUME } from "./sim";
import { IO, OK, PENDING, WAKEUP, TIMEOUT, T_STANDBY, TEST_NONE, WAKE_RESET, D_ACTIVE, S_PLATFORM, STAGE_COUNT } from "../../runtime/status";
import { P_IDLE } from "../../runtime/phase";
import { imageOfEvery } from "../runtime/fakes";

/** Replaces "[   1234 us]" stamps with "[T]" and checks they never go backwards. */
function untimed(text: string): string[] {
  let last = -1;
  return text.split("\r\n").map((line) => {
    const m = /^\[ *(\d+) us\] (.*)$/.exec(line);
    if (m === null) return line;
    const t = Number(m[1]);
    expect(t).toBeGreaterThanOrEqual(last);
    last = t;
    return "[T] " + m[2];
  });
}

// The engine's pass runs the devices in topological order (dependents first on the way down).
const S1 = [
  "[T] S1 prepare       led     ok",
  "[T] S1 prepare       bme280  ok",
  "[T] S1 prepare       flash   ok",
  "[T] S1 prepare       console ok",
  "[T] S1 prepare       button  ok",
  "[T] S1 prepare       spi2    ok",
  "[T] S1 prepare       i2c0    ok",
  "[T] S1 prepare               stage done in 0 us",
];
const S3_TO_R1 = (cause: string): string[] => [
  "[T] S3 powerOffNoIrq led     ok",
  "[T] S3 powerOffNoIrq bme280  ok",
  "[T] S3 powerOffNoIrq flash   ok",
  "[T] S3 powerOffNoIrq console ok",
  "[T] S3 powerOffNoIrq button  ok",
  "[T] S3 powerOffNoIrq spi2    ok",
  "[T] S3 powerOffNoIrq i2c0    ok",
  "[T] S3 powerOffNoIrq         stage done in 0 us",
  "[T] -- platform sleep: standby",
  "[T] -- platform woke: " + cause,
  "[T] R1 powerOnNoIrq  i2c0    ok",
  "[T] R1 powerOnNoIrq  spi2    ok",
  "[T] R1 powerOnNoIrq  button  ok",
  "[T] R1 powerOnNoIrq  console ok",
  "[T] R1 powerOnNoIrq  flash   ok",
  "[T] R1 powerOnNoIrq  bme280  ok",
  "[T] R1 powerOnNoIrq  led     ok",
  "[T] R1 powerOnNoIrq          stage done in 0 us",
];

describe("console during suspend and resume", () => {
  it("prints a progress line per device and per stage as it happens; lines made while the UART is off are flushed in R2", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, OK, 2_000);
    rig.devices.flash.script(H_RESUME, K_PENDING, OK, 1_000);
    const before = rig.send("suspend\r");
    expect(rig.asleep).toBe(true);
    // Asleep: everything up to S2 went out; S3 and the sleep line wait in the ring (UART off, IRQs masked).
    expect(rig.console.ring.count).toBeGreaterThan(0);
    expect(before).not.toContain("S3 powerOffNoIrq");
    rig.clock.advance(1_000_000);
    expect(rig.take()).toBe("");
    rig.platform.wakeNow(BUTTON_LINE);
    rig.settle();
    const after = rig.take();
    const wokeAfter = rig.pm.stats.stageDuration[S_PLATFORM];
    expect(wokeAfter).toBeGreaterThan(1_000_000);
    const s2Console = rig.pm.stats.lastByStage[1][rig.uart.id];
    expect(untimed(before + after)).toEqual([
      "suspending: standby",
      "[T] suspend begins: standby",
      ...S1,
      "[T] S2 suspend       led     ok",
      "[T] S2 suspend       bme280  pending",
      "[T] S2 suspend       console pending",
      "[T] S2 suspend       button  ok",
      "[T] S2 suspend       bme280  ok 2000 us",
      "[T] S2 suspend       i2c0    ok",
      "[T] S2 suspend       flash   ok",
      "[T] S2 suspend       spi2    ok",
      "[T] S2 suspend       console ok " + s2Console + " us",
      "[T] S2 suspend               stage done in " + s2Console + " us",
      ...S3_TO_R1("line 0 (button) after " + wokeAfter + " us"),
      "[T] R2 resume        i2c0    ok",
      "[T] R2 resume        spi2    ok",
      "[T] R2 resume        button  ok",
      "[T] R2 resume        console ok",
      "[T] R2 resume        flash   pending",
      "[T] R2 resume        flash   ok 1000 us",
      "[T] R2 resume        bme280  ok",
      "[T] R2 resume        led     ok",
      "[T] R2 resume                stage done in 1000 us",
      "suspend ok, woke by line 0 (button)",
      "> ",
    ]);
    // The progress times are the trace's times.
    const tr = rig.pm.trace;
    let beginAt = -1;
    for (let i = 0; i < tr.length; i++) if (tr.eventAt(tr.slot(i)) === 0) beginAt = tr.time[tr.slot(i)];
    expect(before).toContain("\r\n[" + String(beginAt).padStart(10) + " us] suspend begins: standby\r\n");
    expect(rig.console.progress.droppedLines).toBe(0);
    expect(rig.outcomes).toEqual([OK]);
  });

  it("S2 answers PENDING until the TX ring is empty, then completes through pm.complete", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    rig.send("suspend test=platform\r");
    // Fill the ring, then suspend from outside (a button) while most of it is still queued.
    rig.terminal.type("trace dump\r");
    for (let i = 0; i < 1000 && rig.console.ring.count < 3000; i++) rig.clock.advance(100);
    expect(rig.console.reports.active).toBe(true);
    const queued = rig.console.ring.count;
    expect(rig.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    const s2 = rig.uart.id;
    expect(rig.pm.deviceState(s2)).toBe(D_ACTIVE + 1); // prepared: its S2 is pending on the drain
    rig.settle();
    expect(rig.asleep).toBe(true);
    // Draining `queued` bytes at 115200 baud takes about queued * 86.8 us.
    const st = rig.pm.stats.lastByStage[1][s2];
    expect(st).toBeGreaterThan(queued * 80);
    expect(st).toBeLessThan(rig.uart.suspendBudgetUs);
    rig.platform.wakeNow(BUTTON_LINE);
    rig.settle();
    const out = rig.take();
    // The dump that was running when the suspend started was cut first (a dump and a suspend exclude each other).
    expect(out).toMatch(/\r\ntrace dump cut: \d+ of \d+ records, a suspend started; run trace dump again after it\r\n/);
    expect(out).not.toContain("trace dump end: ");
    expect(out).not.toContain("overwritten");
    expect(out.endsWith("suspend ok, woke by line 0 (button)\r\n> ")).toBe(true);
  });

  it("UART wake: the waking byte is lost, the broken line is discarded with a message, the next line is intact", () => {
    const rig = new Rig();
    rig.send("suspend\r");
    expect(rig.asleep).toBe(true);
    // The user types "status": 's' wakes the chip and is never received.
    const out = rig.send("status\r");
    expect(rig.lostBytes).toBe(1);
    expect(rig.uart.resync.count).toBe(1);
    const lines = untimed(out);
    expect(lines).toContain("[T] -- platform woke: line 43 (console) after " + rig.pm.stats.stageDuration[S_PLATFORM] + " us");
    expect(lines).toContain("woke on UART input: the waking byte is lost; discarded 'tatus', type the command again");
    // Resume finished before the rest of the broken line arrived: the outcome, then the discard notice and one prompt.
    expect(lines.slice(-3)).toEqual([
      "suspend ok, woke by line 43 (console)",
      "woke on UART input: the waking byte is lost; discarded 'tatus', type the command again",
      "> ",
    ]);
    // 'tatus' never ran as a command.
    expect(out).not.toContain("unknown command");
    expect(rig.console.commands.ran).toBe(1);
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome OK");
  });

  it("UART wake by a lone key: after a quiet gap the console is ready and the next line is intact", () => {
    const rig = new Rig();
    rig.send("suspend\r");
    const out = rig.send("\r");
    expect(rig.lostBytes).toBe(1);
    expect(out.endsWith("suspend ok, woke by line 43 (console)\r\nwoke on UART input (the waking byte is lost); ready\r\n> ")).toBe(true);
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome OK");
  });

  it("UART wake: a line typed before the sleep and finished after it is discarded as one fragment", () => {
    const rig = new Rig();
    rig.send("sta");
    expect(rig.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    rig.settle();
    expect(rig.asleep).toBe(true);
    const out = rig.send("tus\r");
    expect(out).toContain("\r\nwoke on UART input: the waking byte is lost; discarded 'staus', type the command again\r\n> ");
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome OK");
  });

  it("a button wake does not discard input: only a UART wake does", () => {
    const rig = new Rig();
    rig.send("suspend\r");
    rig.platform.wakeNow(BUTTON_LINE);
    rig.settle();
    rig.take();
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome OK");
    expect(rig.uart.resync.count).toBe(0);
  });

  it("input typed during S1/S2 aborts the suspend as a wakeup, and that input is then read, not lost", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, OK, 30_000);
    rig.terminal.type("suspend\r");
    // Let the suspend start (settle delay), then type while bme280's S2 is pending.
    while (rig.pm.phase === P_IDLE) rig.clock.advance(100);
    rig.terminal.type("status\r");
    rig.settle();
    const out = rig.take();
    expect(rig.outcomes).toEqual([WAKEUP]);
    expect(untimed(out)).toContain("[T] wake source: line 43 (console)");
    expect(out).toContain("suspend failed: console ");
    expect(out).toContain(" WAKEUP\r\n> phase idle, 7 devices, last outcome WAKEUP\r\n");
    expect(rig.pm.stats.wakeAborts).toBe(1);
    expect(rig.platform.sleeps).toBe(0);
  });

  it("a failing device: rollback lines, then 'suspend failed: <device> <stage> <status>'", () => {
    const rig = new Rig();
    rig.devices.flash.script(H_POWER_OFF, K_FAIL, IO, 0);
    const lines = untimed(rig.send("suspend\r"));
    expect(lines).toContain("[T] S3 powerOffNoIrq flash   failed IO");
    expect(lines).toContain("[T] S3 powerOffNoIrq         stage ended with IO after 0 us");
    expect(lines).toContain("[T] rollback from powerOffNoIrq flash IO");
    expect(lines.slice(-2)).toEqual(["suspend failed: flash powerOffNoIrq IO", "> "]);
    expect(rig.platform.sleeps).toBe(0);
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome IO");
  });

  it("a hook that answers no status: its PROTOCOL failure says what it answered, in the outcome and in stats, the last bad answer only", () => {
    const rig = new Rig();
    const outcome = (hook: number, value: unknown): string => {
      rig.devices.flash.script(hook, K_ANSWER, 0, 0);
      rig.devices.flash.thrown[hook] = value;
      const lines = untimed(rig.send("suspend\r"));
      rig.devices.flash.script(hook, K_FAIL, OK, 0);
      return lines[lines.length - 2];
    };
    expect([
      outcome(H_SUSPEND, undefined),
      outcome(H_SUSPEND, true),
      outcome(H_SUSPEND, 1.5),
      outcome(H_SUSPEND, 70000),
      outcome(H_SUSPEND, -3),
      outcome(H_SUSPEND, "0"),
      outcome(H_SUSPEND, Promise.resolve(0)),
      outcome(H_POWER_OFF, PENDING),
    ]).toEqual([
      "suspend failed: flash suspend PROTOCOL (answered undefined: a forgotten return?)",
      "suspend failed: flash suspend PROTOCOL (answered true)",
      "suspend failed: flash suspend PROTOCOL (answered a number that is no integer)",
      "suspend failed: flash suspend PROTOCOL (answered 70000, which is no status)",
      "suspend failed: flash suspend PROTOCOL (answered -3, which is no status)",
      "suspend failed: flash suspend PROTOCOL (answered no number: a string, an object or a Promise (an async hook?))",
      "suspend failed: flash suspend PROTOCOL (answered no number: a string, an object or a Promise (an async hook?))",
      "suspend failed: flash powerOffNoIrq PROTOCOL (answered PENDING, which a stage with IRQs masked cannot wait for)",
    ]);
    // stats lists the history newest first: only the newest PROTOCOL is the kept bad answer.
    const stats = rig.send("stats\r").split("\r\n").filter((l) => /^\s*\[.* PROTOCOL/.test(l));
    expect(stats.slice(0, 2).map((l) => l.replace(/^\s*\[ *\d+ us\] /, ""))).toEqual([
      "flash powerOffNoIrq PROTOCOL (answered PENDING, which a stage with IRQs masked cannot wait for)", "flash suspend PROTOCOL",
    ]);
  });

  it("a hook that throws: its failure names what it threw (an Error's name and message, a string, an integer), in the outcome and in stats, the last throw only", () => {
    const rig = new Rig();
    const outcome = (value: unknown): string => {
      rig.devices.flash.thrown[H_SUSPEND] = value;
      const lines = untimed(rig.send("suspend\r"));
      return lines[lines.length - 2];
    };
    rig.devices.flash.script(H_SUSPEND, K_THROW, 0, 0);
    const getterThrows = Object.defineProperty({}, "message", { get(): never { throw new Error("no"); } });
    expect([
      outcome(new RangeError("chip ID 0x58 expected, read 0x00")),
      outcome("bus stuck"),
      outcome(42),
      outcome(getterThrows),
      outcome({ message: 5 }),
      outcome(new Error("")),
      outcome(-7),
      outcome(3.5),
      outcome(10n),
      outcome(null),
      outcome(new Error("temp\u00e9rature " + "x".repeat(80))),
    ]).toEqual([
      "suspend failed: flash suspend THREW (RangeError: chip ID 0x58 expected, read 0x00)",
      "suspend failed: flash suspend THREW (bus stuck)",
      "suspend failed: flash suspend THREW (42)",
      "suspend failed: flash suspend THREW (no Error)",
      "suspend failed: flash suspend THREW (no Error)",
      "suspend failed: flash suspend THREW (Error)",
      "suspend failed: flash suspend THREW (-7)",
      "suspend failed: flash suspend THREW (a number)",
      "suspend failed: flash suspend THREW (a bigint)",
      "suspend failed: flash suspend THREW (null)",
      // The message cut at 60 characters; what is not printable ASCII prints as "?".
      "suspend failed: flash suspend THREW (Error: temp?rature " + "x".repeat(48) + "...)",
    ]);
    // stats: the last failures, newest first; only the last throw's entry carries what was thrown.
    const failures = untimed(rig.send("stats\r")).filter((l) => /\] flash suspend THREW/.test(l));
    expect(failures).toHaveLength(4); // the history keeps 4 (CONFIG.failureHistory)
    expect(failures[0]).toMatch(/flash suspend THREW \(Error: temp\?rature x+\.\.\.\)$/);
    expect(failures.slice(1).every((l) => /flash suspend THREW$/.test(l))).toBe(true);
    expect(rig.pm.stats.thrownDevice).toBe(rig.pm.graph.names.indexOf("flash"));
  });

  it("a device that times out is named with its budget", () => {
    const rig = new Rig();
    rig.devices.led.script(H_PREPARE, K_PENDING, OK, 80_000);
    const lines = untimed(rig.send("suspend\r"));
    expect(lines).toContain("[T] S1 prepare       led     TIMEOUT, budget 50000 us");
    expect(lines).toContain("[T] S1 prepare       led     failed TIMEOUT");
    expect(lines).toContain("[T] S1 prepare       led     late completion ignored");
    expect(lines).toContain("suspend failed: led prepare TIMEOUT");
  });

  it("if the console's own S2 times out (TX stuck), the done report reopens it and it keeps working", () => {
    const rig = new Rig();
    const serial = (rig.uart as unknown as { serial: { write(b: Uint8Array): void } }).serial;
    const realWrite = serial.write;
    serial.write = () => { throw new Error("output full: stuck"); };
    rig.terminal.type("suspend\r");
    // A refused write is retried every millisecond, so the rig never idles while the UART is stuck.
    rig.clock.advance(1_000_000);
    expect(rig.outcomes).toEqual([TIMEOUT]);
    serial.write = realWrite;
    rig.settle();
    const out = rig.take();
    expect(out).toContain("console TIMEOUT, budget " + rig.uart.suspendBudgetUs + " us");
    expect(out).toContain("suspend failed: console suspend TIMEOUT\r\n> ");
    expect(rig.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome TIMEOUT");
  });

  it("reports 'resumed from hibernate' after a reboot from the image", () => {
    const rig = new Rig();
    imageOfEvery(rig.pm);
    expect(rig.pm.resumeFromImage(WAKE_RESET)).toBe(OK);
    rig.settle();
    const lines = untimed(rig.take());
    expect(lines[0]).toBe("");
    // The sleep began before the reboot; its length is unknown, never "after 0 us" (flight.test.ts: stats agree).
    expect(lines[1]).toBe("[T] -- platform woke: reset, sleep length unknown (hibernate: the clock restarted and the platform has no RTC reading)");
    expect(lines).toContain("[T] R2 resume        console ok");
    expect(lines.slice(-2)).toEqual(["resumed from hibernate", "> "]);
  });

  it("progress that starts while a prompt is shown begins on a fresh line", () => {
    const rig = new Rig();
    rig.pm.suspend(T_STANDBY, TEST_NONE);
    rig.settle();
    rig.platform.wakeNow(CONSOLE_WAKE_LINE);
    rig.settle();
    expect(rig.take().startsWith("\r\n[")).toBe(true);
  });

  it("the default 4096-byte ring holds a whole DevKitC transition with echo on; a 1024-byte ring drops and says so", () => {
    const big = new Rig({ echo: true });
    big.devices.bme280.script(H_SUSPEND, K_PENDING, OK, 2_000);
    big.send("suspend\r");
    big.platform.wakeNow(BUTTON_LINE);
    big.settle();
    expect(big.console.progress.droppedLines).toBe(0);
    expect(big.console.ring.droppedBytes).toBe(0);
    expect(big.console.ring.highWater).toBeLessThan(2048);

    const small = new Rig({ txRingBytes: 1024 });
    small.send("suspend\r");
    small.platform.wakeNow(BUTTON_LINE);
    small.settle();
    const out = small.take();
    expect(out).toMatch(/\(console: \d+ output lines dropped: TX ring full\)\r\n/);
    expect(small.console.ring.droppedBytes).toBe(0);
    expect(out).toContain("\r\nsuspend ok, woke by line 0 (button)\r\n> ");
    expect(small.send("status\r").split("\r\n")[0]).toBe("phase idle, 7 devices, last outcome OK");
  });
});
