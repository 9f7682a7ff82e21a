// Bad console input of every class gets a reply naming it and the fix; nothing throws and the next line works.
import { describe, expect, it } from "vitest";
import { Rig } from "./sim";

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
    expectReply(rig, "trace 0\r", "unknown argument '0' for trace: use a record count 1..256, all [n] or dump (type help)");
    expectReply(rig, "trace -3\r", "unknown argument '-3' for trace: use a record count 1..256, all [n] or dump (type help)");
    expectReply(rig, "trace 123456789\r", "unknown argument '123456789' for trace: use a record count 1..256, all [n] or dump (type help)");
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
    const c = rig.console as unknown as { writable: number };
    c.writable = 100_000; // pretend onWritable said more than the 128-byte FIFO holds
    expect(rig.send("help\r").split("\r\n")[0]).toBe("commands:");
    expect(rig.console.txErrors).toBeGreaterThan(0);
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
