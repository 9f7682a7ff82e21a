// The console's informational commands and line editing: banner, help, status (a re-probed device too), devices, rpm, echo.
import { describe, expect, it } from "vitest";
import { Rig, K_FAIL, H_RESUME, H_REPROBE, statusReply } from "./sim";
import { IO } from "../../runtime/status";

describe("console commands", () => {
  it("prints a banner and a prompt at boot", () => {
    const rig = new Rig();
    expect(rig.banner).toBe("quiesce console: type help for the list of commands\r\n> ");
  });

  it("help lists every command with its arguments", () => {
    const rig = new Rig();
    expect(rig.send("help\r")).toBe([
      "commands:",
      "  help                     this list",
      "  status                   each device's power state",
      "  devices                  dependency tree: parent, needs, roles",
      "  suspend [standby|hibernate] [test=devices|test=platform]",
      "                           start a suspend (default standby); progress lines follow",
      "  stats                    counts, last failures, wake cause, stage durations, flight recorder",
      "  trace [n]                last n power-management trace records (default 16; IRQ records hidden)",
      "  trace all [n]            last n trace records of every kind, IRQ latch/deliver included",
      "  trace dump               the trace ring as hex records, for the host to decode",
      "  recover DEVICE           re-probe a failed device now (status shows failed devices)",
      "  locks                    PM locks: who holds one and for how long (a held lock keeps the governor awake)",
      "  policy [on|off]          the idle governor: its states, the last decisions and why; on/off switches it",
      "  rpm                      runtime PM per device: state, usage count, autosuspend delay, suspends/resumes/failures",
      "> ",
    ].join("\r\n"));
  });

  it("rpm shows each device's runtime PM state, usage count and autosuspend delay", () => {
    const rig = new Rig();
    const out = rig.send("rpm\r").split("\r\n");
    expect(out[0]).toMatch(/^runtime pm: 0 of \d+ devices runtime-suspended, puts without a get 0$/);
    expect(out.slice(1, -1).every((l) => /^  \S+ +(active     \(no runtime hooks\)  usage \d+|\w+ +usage \d+  autosuspend (off|\d+ ms)  suspends \d+ resumes \d+ failures \d+)/.test(l))).toBe(true);
    expect(rig.send("rpm now\r")).toMatch(/rpm.*it takes no arguments/);
  });

  it("status shows the phase, the last outcome and each device's state", () => {
    const rig = new Rig();
    expect(rig.send("status\r")).toBe(statusReply("OK"));
  });

  it("a device that failed to resume is re-probed at the next idle moment: the outcome, the re-probe, then status shows it back", () => {
    const rig = new Rig();
    rig.devices.led.script(H_RESUME, K_FAIL, IO, 0);
    const out = rig.send("suspend test=platform\r").split("\r\n").map((l) => l.replace(/^\[ *\d+ us\] /, "[T] "));
    expect(out.slice(-6)).toEqual([
      "[T] R2 resume        led     failed IO, device marked failed",
      "[T] R2 resume                stage ended with IO after 0 us",
      "suspend failed: led resume IO",
      "[T] -- reprobe       led     ok, active again",
      "[T] -- reprobe               stage done in 0 us",
      "> ",
    ]);
    expect(rig.send("status\r")).toBe(statusReply("IO"));
    expect(rig.devices.led.calls[H_REPROBE]).toBe(1);
  });

  it("devices prints the parent tree with needs (storage edges marked) and roles", () => {
    const rig = new Rig();
    expect(rig.send("devices\r")).toBe([
      "7 devices (tree by parent; needs = other prerequisites):",
      "  i2c0",
      "    bme280 needs flash (storage)",
      "  spi2",
      "    flash [storage]",
      "  button [wake line 0]",
      "  led needs flash (storage)",
      "  console [wake line 43]",
      "> ",
    ].join("\r\n"));
  });

  it("echoes typed characters and erases on backspace when echo is on", () => {
    const rig = new Rig({ echo: true });
    expect(rig.send("stx\batu\x7fus\r")).toBe("stx\b \batu\b \bus\r\n" + statusReply("OK"));
  });
});
