// `npm run viz:convert` reads any capture the console produces: echo, failed devices, cut and unfinished dumps, any line ends.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Rig, K_FAIL, H_RESUME, H_REPROBE, DEVICE_NAMES } from "./sim";
import { IO, OK, T_STANDBY, TEST_NONE } from "../../runtime/status";
import { convert, parseConvertArgs } from "../../host-sim/viz/convert";
import { decodeDump, parseStatusNames } from "../../host-sim/viz/decode-dump";

function convertText(text: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "quiesce-capture-"));
  const file = join(dir, "capture.txt");
  writeFileSync(file, text);
  const out = convert(parseConvertArgs(["--dump", file, "--html", join(dir, "t.html"), "--perfetto", join(dir, "t.json")]));
  expect(existsSync(join(dir, "t.json"))).toBe(true);
  return out;
}

describe("console capture to the viz converter", () => {
  it("echo on, a failed device in status, a dump cut by a suspend, then an unfinished dump: the cut dump's records are used", () => {
    const rig = new Rig({ echo: true, txRingBytes: 1024, config: { reprobeFirstUs: 60_000_000 } });
    rig.devices.led.script(H_RESUME, K_FAIL, IO, 0);
    rig.devices.led.script(H_REPROBE, K_FAIL, IO, 0);
    let text = rig.sendFor("suspend test=platform\r", 1_000_000);
    text += rig.sendFor("status\r", 100_000) + rig.sendFor("devices\r", 100_000);
    expect(text).toContain("  led     failed, next re-probe in ");
    rig.terminal.type("trace dump\r");
    while (!rig.console.reports.active) rig.clock.advance(50);
    rig.clock.advance(3_000);
    expect(rig.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    rig.clock.runUntil(rig.clock.now() + 100_000);
    rig.platform.wakeNow(0);
    text += rig.sendFor("", 1_000_000);
    const cutRecords = text.split("\r\n").filter((l) => l.startsWith("T ")).length;
    expect(text).toContain("trace dump cut: " + cutRecords + " of ");
    // The capture stops in the middle of a second dump.
    const second = rig.sendFor("trace dump\r", 10_000);
    text += second.slice(0, second.indexOf("T ") + 200);
    expect(parseStatusNames(text)).toEqual([...DEVICE_NAMES, "console"]);
    expect(decodeDump(text).length).toBe(cutRecords);
    expect(convertText(text)[0]).toMatch(new RegExp("^" + cutRecords + " records, 7 devices, "));
    // The same capture saved by a terminal program with CR-only line ends and padded lines.
    expect(convertText(text.replace(/\r\n/g, "   \r"))[0]).toMatch(new RegExp("^" + cutRecords + " records, 7 devices, "));
  });

  it("a dump printed while the report waited and records were overwritten still converts (overwritten lines are skipped)", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    const text = rig.send("status\r") + rig.send("trace dump\r");
    const lines = text.split("\r\n");
    const first = lines.findIndex((l) => l.startsWith("T "));
    lines[first] = "(record overwritten while the report waited)";
    const records = lines.filter((l) => l.startsWith("T ")).length;
    expect(decodeDump(lines.join("\r\n")).length).toBe(records);
    expect(convertText(lines.join("\r\n"))[0]).toMatch(new RegExp("^" + records + " records, 7 devices, "));
  });
});
