// Bad console input of every class, and input beyond what a busy console can hold, gets a reply naming it and the fix; nothing throws or spins.
import { describe, expect, it } from "vitest";
import { Rig, K_HANG, UART_LINE, H_SUSPEND } from "./sim";
import { OK, T_STANDBY, TEST_PLATFORM, TIMEOUT } from "../../runtime/status";

const STATUS_REPLY = [
  "phase idle, 7 devices, last outcome OK",
  "  i2c0    active", "  bme280  active", "  spi2    active", "  flash   active",
  "  button  active", "  led     active", "  console active", "> ",
].join("\r\n");

/** Sends `bad`, checks the whole reply, then checks that `status` still works. */
function expectReply(rig: Rig, bad: string | Uint8Array, reply: string): void {
  expect(rig.send(bad)).toBe(reply + "\r\n> ");
  expect(rig.send("status\r")).toBe(STATUS_REPLY);
}

describe("console bad input", () => {
  it("unknown command: quotes the input and suggests help", () => {
    const rig = new Rig();
    expectReply(rig, "reboot now\r", "unknown command 'reboot': type help for the list of commands");
    expectReply(rig, "STATUS\r", "unknown command 'STATUS': type help for the list of commands");
    expectReply(rig, "statu\r", "unknown command 'statu': type help for the list of commands");
    expectReply(rig, "statuss\r", "unknown command 'statuss': type help for the list of commands");
    // A long unknown word is quoted up to 40 bytes.
    expectReply(rig, "x".repeat(60) + "\r", "unknown command '" + "x".repeat(40) + "...': type help for the list of commands");
    expect(rig.console.commands.errors).toBe(5);
    expect(rig.console.faults).toBe(0);
  });

  it("unknown or surplus arguments name the argument, the command and the accepted values", () => {
    const rig = new Rig();
    expectReply(rig, "suspend deep\r", "unknown argument 'deep' for suspend: use standby, hibernate, test=devices or test=platform (type help)");
    expectReply(rig, "suspend standby test=core\r", "unknown argument 'test=core' for suspend: use standby, hibernate, test=devices or test=platform (type help)");
    expectReply(rig, "suspend standby hibernate\r", "unknown argument 'hibernate' for suspend: give one target and at most one test level (type help)");
    expectReply(rig, "suspend test=devices test=platform\r", "unknown argument 'test=platform' for suspend: give one target and at most one test level (type help)");
    expectReply(rig, "trace many\r", "unknown argument 'many' for trace: use a record count 1..256, all [n] or dump (type help)");
    expectReply(rig, "trace 0\r", "record count '0' out of range for trace: use a record count 1..256, all [n] or dump (type help)");
    expectReply(rig, "trace -3\r", "unknown argument '-3' for trace: use a record count 1..256, all [n] or dump (type help)");
    expectReply(rig, "trace 123456789\r", "record count '123456789' out of range for trace: use a record count 1..256, all [n] or dump (type help)");
    expectReply(rig, "trace 5 6\r", "unknown argument '6' for trace: use a record count 1..256, all [n] or dump (type help)");
    expectReply(rig, "status all\r", "unknown argument 'all' for status: it takes no arguments (type help)");
    expectReply(rig, "help me\r", "unknown argument 'me' for help: it takes no arguments (type help)");
    expectReply(rig, "devices x\r", "unknown argument 'x' for devices: it takes no arguments (type help)");
    expectReply(rig, "stats reset\r", "unknown argument 'reset' for stats: it takes no arguments (type help)");
    expect(rig.pm.stats.attempts).toBe(0);
  });

  it("a line longer than the buffer is discarded whole, with the limit in the reply", () => {
    const rig = new Rig();
    // Exactly 128 bytes fits (and is then an unknown command); 129 does not.
    expectReply(rig, "s".repeat(128) + "\r", "unknown command '" + "s".repeat(40) + "...': type help for the list of commands");
    expectReply(rig, "status " + "x".repeat(122) + "\r", "line too long: limit is 128 bytes, line discarded");
    expectReply(rig, "y".repeat(5000) + "\r\n", "line too long: limit is 128 bytes, line discarded");
    // Backspace cannot rescue an overflowed line.
    expectReply(rig, "z".repeat(130) + "\b\b\b\r", "line too long: limit is 128 bytes, line discarded");
  });

  it("the limit follows the board's lineBytes", () => {
    const rig = new Rig({ lineBytes: 32 });
    expectReply(rig, "trace " + "1".repeat(30) + "\r", "line too long: limit is 32 bytes, line discarded");
  });

  it("non-printable bytes refuse the line and say which byte at which column", () => {
    const rig = new Rig();
    expectReply(rig, "sta\x07tus\r", "line refused: byte 0x07 at column 4 is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)");
    // An arrow key (ESC [ A) in the middle of a line.
    expectReply(rig, "help\x1b[A\r", "line refused: byte 0x1b at column 5 is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)");
    // UTF-8 is not console text.
    expectReply(rig, "st\u00e4tus\r", "line refused: byte 0xc3 at column 3 is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)");
    expectReply(rig, new Uint8Array([0x00, 0x73, 0x0d]), "line refused: byte 0x00 at column 1 is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)");
    expectReply(rig, new Uint8Array([0xff, 0xfe, 0x0a]), "line refused: byte 0xff at column 1 is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)");
  });

  it("CR, LF, CR LF end one line each; tabs separate words; backspace edits; empty lines just prompt", () => {
    const rig = new Rig();
    expect(rig.send("status\r\n")).toBe(STATUS_REPLY);
    expect(rig.send("status\n")).toBe(STATUS_REPLY);
    expect(rig.send("\r\n\r\n")).toBe("> > ");
    expect(rig.send("\tstatus  \t\r")).toBe(STATUS_REPLY);
    expect(rig.send("stax\btus\b\bus\r")).toBe(STATUS_REPLY);
    expect(rig.send("\b\b\bstatus\r")).toBe(STATUS_REPLY);
    expect(rig.send("trace\tall\t2\r").split("\r\n").length).toBe(4);
    // Two lines in one burst both run, in order.
    expect(rig.send("help me\rstatus\r")).toBe("unknown argument 'me' for help: it takes no arguments (type help)\r\n> " + STATUS_REPLY);
  });

  it("an exception inside a command is caught at the console boundary and the next line works", () => {
    const rig = new Rig();
    const original = rig.console.commands.execute;
    let calls = 0;
    rig.console.commands.execute = function (this: typeof rig.console.commands, length: number): number {
      if (calls++ === 0) throw new RangeError("injected");
      return original.call(this, length);
    };
    expect(rig.send("status\r")).toBe("console: internal error, line discarded (type help)\r\n> ");
    expect(rig.console.faults).toBe(1);
    expect(rig.send("status\r")).toBe(STATUS_REPLY);
  });

  it("a refused serial write (stale free count) is retried, nothing is lost", () => {
    const rig = new Rig();
    const c = rig.uart as unknown as { writable: number };
    c.writable = 100_000; // pretend onWritable said more than the 128-byte FIFO holds
    expect(rig.send("help\r").split("\r\n")[0]).toBe("commands:");
    expect(rig.uart.txErrors).toBeGreaterThan(0);
    expect(rig.send("status\r")).toBe(STATUS_REPLY);
  });

  it("a flood of mixed garbage never crashes and leaves the console usable", () => {
    const rig = new Rig();
    const junk = new Uint8Array(4000);
    let x = 12345;
    for (let i = 0; i < junk.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      junk[i] = (x >>> 16) & 0xff;
    }
    rig.send(junk);
    rig.send("\r");
    expect(rig.console.faults).toBe(0);
    expect(rig.send("status\r")).toBe(STATUS_REPLY);
  });
});

/** 10 bytes, answered with a bare prompt (the rig's console does not echo). */
const BLANK_LINE = " ".repeat(9) + "\r";
const DISCARDED = (n: number): string =>
  "input discarded: " + n + " bytes arrived while the console was busy and its input buffer was full; type the line again";

/*
 * Before the fix the console did not read while gated or holding a line, the FIFO stayed at >= 96
 * bytes, Moddable's serial.c re-enabled RXFIFO_FULL after each onReadable and the level-triggered
 * interrupt posted again at once: the VirtualClock stopped at "livelock: more than 1000000 timers
 * fired at t=13226 us" in the first case below.
 */
describe("console RX while busy", () => {
  it("400 bytes typed while gated in S2: 17 UART deliveries, 256 kept and answered, 144 discarded and reported", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_SUSPEND, K_HANG, 0, 0); // S2 never finishes: the stage ends at its 50 ms budget
    const irq = rig.pm.irq;
    const before = irq.deliveredCount[UART_LINE];
    expect(rig.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    rig.clock.runUntil(rig.clock.now() + 100); // S1 and the console's S2 ran: it is gated now
    rig.terminal.type(BLANK_LINE.repeat(40)); // 400 bytes in 34.7 ms at 115200 baud, all before the rollback
    rig.settle();
    const deliveries = irq.deliveredCount[UART_LINE] - before;
    const out = rig.take().split("\r\n");
    // The hung S2's TIMEOUT came first; the typed input was also a wake (it aborts a suspend in S1/S2).
    expect(rig.outcomes).toEqual([TIMEOUT]);
    expect(out).toContain("[     13226 us] wake source: line 43 (console)");
    expect(rig.uart.rx.highWater).toBe(256);
    expect(rig.uart.rx.discarded).toBe(144);
    // The onSuspendDone prompt and 25 whole blank lines (250 of the 256 bytes kept), then the cut line is reported.
    const tail = out.slice(out.indexOf("suspend failed: bme280 suspend TIMEOUT") + 1);
    expect(tail).toEqual(["> ".repeat(26), DISCARDED(144), "> "]);
    // FULL at 96 bytes, RXFIFO_TOUT after the last bytes, TX-room events: a few each, never a stream.
    expect(deliveries).toBe(17);
    expect(rig.send("status\r").split("\r\n")[0]).toMatch(/^phase idle, 7 devices/);
  });

  it("input typed while a long report waits for TX room is kept, in order, and answered after it", () => {
    const rig = new Rig({ txRingBytes: 1024 });
    rig.send("suspend test=platform\r"); // fills the trace ring
    const irq = rig.pm.irq;
    const before = irq.deliveredCount[UART_LINE];
    // `trace dump` writes far more than 1 KB: the console waits for TX room line by line. 18 "status"
    // lines (126 bytes) arrive at once meanwhile: >= 96 in the FIFO while it waits.
    rig.terminal.type("trace dump\r");
    rig.clock.runUntil(rig.clock.now() + 3_000);
    expect([rig.console.reports.active, rig.console.ring.free < 256]).toEqual([true, true]);
    for (let i = 0; i < 126; i++) rig.board.uart(0).inject("status\r".charCodeAt(i % 7));
    rig.settle();
    const out = rig.take().split("\r\n");
    expect(rig.uart.rx.discarded).toBe(0);
    expect(rig.uart.rx.highWater).toBe(126);
    expect(rig.board.uart(0).rxOverflows).toBe(0);
    const ends = out.filter((l) => l.startsWith("trace dump end: "));
    expect(out[out.length - 1]).toBe("> ");
    expect(ends.length).toBe(1);
    const phases = out.filter((l) => l === "> phase idle, 7 devices, last outcome OK");
    expect(phases.length).toBe(18);
    expect(out.indexOf(phases[0])).toBeGreaterThan(out.indexOf(ends[0]));
    // One FULL delivery for the 140 bytes plus the TX-room (onWritable) deliveries of ~30 KB of output.
    const deliveries = irq.deliveredCount[UART_LINE] - before;
    const txEvents = Math.ceil(rig.console.ring.sent / 118);
    expect(deliveries).toBeLessThan(txEvents + 10);
  });
});
