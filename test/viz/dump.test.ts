// Console `trace dump` <-> records: exact round trips (host encoder and the firmware console), names and tree from the capture, the CLI.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { TraceRing } from "../../runtime/trace";
import { IO, ROLE_STORAGE, S_SUSPEND } from "../../runtime/status";
import { encodeTraceDump } from "../../host-sim/viz/encode-dump";
import { decodeDump, modelFromDump, parseStatusNames, parseDeviceTree } from "../../host-sim/viz/decode-dump";
import { attachViz } from "../../host-sim/viz/collect";
import { convert, parseConvertArgs } from "../../host-sim/viz/convert";
import { Rig, K_FAIL, DEVICE_NAMES, H_SUSPEND } from "../console/sim";

function ringRecords(tr: TraceRing): { time: number; device: number; stage: number; event: number; status: number }[] {
  const out = [];
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i);
    out.push({ time: tr.time[s], device: tr.deviceAt(s), stage: tr.stageAt(s), event: tr.eventAt(s), status: tr.statusAt(s), duration: tr.duration[s] });
  }
  return out;
}

describe("trace dump", () => {
  it("decode(encode(ring)) is exact for a wrapped ring with fractional times and negative fields", () => {
    const tr = new TraceRing(8);
    for (let i = 0; i < 13; i++) tr.record(1e9 + i * 0.25 + 1 / 3, i % 3 === 0 ? -1 : 300 + i, i % 2 === 0 ? -1 : 6, 20 - i, i % 4 === 0 ? -4 : 40 + i);
    const text = encodeTraceDump(tr);
    expect(text.split("\r\n")[0]).toBe("trace dump begin: 8 records of 13 written, 18 bytes each, oldest first (f64le time us, i16le device, i8 stage, u8 event, i16le status, i32le duration us)");
    const back = decodeDump("> " + text + "> ");
    expect(back).toEqual(ringRecords(tr));
    expect(back[0].time).toBe(1e9 + 5 * 0.25 + 1 / 3);
  });

  it("reads what the firmware console prints: records equal the ring, names from status, tree from devices", () => {
    const rig = new Rig({ config: { traceRecords: 1024 } });
    const viz = attachViz(rig.pm, { title: "console rig" });
    const progress = rig.send("suspend test=platform\r");
    // The console still owns its listener: progress lines are printed as before.
    expect(progress).toContain("suspending: standby test=platform");
    rig.devices.bme280.script(H_SUSPEND, K_FAIL, IO, 0);
    rig.send("suspend test=platform\r");
    const live = viz.finish();
    const capture = rig.send("status\r") + rig.send("devices\r");
    const before = rig.pm.trace.total;
    const dump = rig.send("trace dump\r");
    const text = capture + dump;
    const records = decodeDump(text);
    // The dump holds the ring as it was when the command ran (its own RX IRQs are in it, later TX ones are not).
    expect(records).toEqual(ringRecords(rig.pm.trace).slice(0, records.length));
    expect(records.length).toBeGreaterThanOrEqual(before);
    // The host encoder writes the same record lines as the firmware.
    const tLines = (s: string): string[] => s.split("\r\n").filter((l) => l.startsWith("T "));
    const ring = new TraceRing(1024);
    for (const r of records) ring.recordHook(r.time, r.device, r.stage, r.event, r.status, r.duration);
    expect(tLines(encodeTraceDump(ring))).toEqual(tLines(dump));

    expect(parseStatusNames(text)).toEqual([...DEVICE_NAMES, "console"]);
    const tree = parseDeviceTree(text)!;
    expect(tree.map((e) => e.name + "<" + (e.parent ?? "") + (e.storage ? " storage" : "") + (e.wakeLine >= 0 ? " wake" + e.wakeLine : "")))
      .toEqual(expect.arrayContaining(["i2c0<", "bme280<i2c0", "spi2<", "flash<spi2 storage", "button< wake0"]));
    const model = modelFromDump(text);
    expect(model.devices.map((d) => d.name)).toEqual(rig.pm.graph.names);
    expect(model.devices[1].parent).toBe(0);
    expect(model.devices[3].roles & ROLE_STORAGE).toBe(ROLE_STORAGE);
    // The dump and the live collector see the same suspend: same slices, attempts and failure.
    expect(model.slices).toEqual(live.slices);
    expect(model.attempts.map((a) => ({ ...a, chargeUc: -1 }))).toEqual(live.attempts);
    expect(model.attempts[1]).toMatchObject({ outcome: IO, failDevice: 1, failStage: S_SUSPEND, failStatus: IO });
    expect(model.devices.map((d) => d.needs)).toEqual(live.devices.map((d) => d.needs));
    expect(model.source).toBe("dump");
  });

  it("needs names: --names, or a status reply; says which when neither is there", () => {
    const tr = new TraceRing(4);
    tr.record(10, 0, 0, 2, 0);
    tr.record(20, 0, 0, 3, 0);
    const text = encodeTraceDump(tr);
    expect(() => modelFromDump(text)).toThrow(/pass --names a,b,c/);
    expect(modelFromDump(text, { names: ["flash"] }).slices.map((s) => [s.device, s.start, s.end])).toEqual([[0, 10, 20]]);
    tr.record(30, 5, 0, 2, 0);
    expect(() => modelFromDump(encodeTraceDump(tr), { names: ["flash"] })).toThrow(/names device 5 but only 1 device names are known/);
    expect(() => decodeDump("hello")).toThrow(/no 'trace dump begin' line/);
    // A file that is no capture at all is told so, not asked for device names it could not use.
    expect(() => modelFromDump("\u00f2\u0008 random bytes, no dump")).toThrow(/no 'trace dump begin' line/);
  });

  it("convert CLI writes the HTML page and the Perfetto JSON from a saved capture", () => {
    const rig = new Rig();
    rig.devices.flash.script(H_SUSPEND, K_FAIL, IO, 0);
    rig.send("suspend test=platform\r");
    const dir = mkdtempSync(join(tmpdir(), "quiesce-viz-"));
    const file = join(dir, "capture.txt");
    writeFileSync(file, rig.send("status\r") + rig.send("devices\r") + rig.send("trace dump\r"));
    const args = parseConvertArgs(["--dump", file, "--html", join(dir, "t.html"), "--perfetto", join(dir, "t.json")]);
    const out = convert(args);
    expect(out[1]).toBe("wrote " + join(dir, "t.html"));
    const json = JSON.parse(readFileSync(join(dir, "t.json"), "utf8"));
    expect(json.traceEvents.some((e: { args?: { failed?: boolean }; tid: number }) => e.args?.failed === true && e.tid === 2 + 3)).toBe(true);
    expect(readFileSync(join(dir, "t.html"), "utf8")).toContain("data-device=\"flash\" data-stage=\"suspend\"");
    expect(() => parseConvertArgs(["--dump", file])).toThrow(/nothing to write/);
    expect(() => parseConvertArgs(["--html", "x"])).toThrow(/--dump FILE is required/);
    expect(() => parseConvertArgs(["--dump"])).toThrow(/--dump needs a value/);
    expect(() => parseConvertArgs(["--bogus"])).toThrow(/unknown argument "--bogus"/);
  });

  it("convert CLI errors name the flag and the fix; a capture converted to CR CR LF converts as it is", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    const dir = mkdtempSync(join(tmpdir(), "quiesce-viz-"));
    const capture = rig.send("status\r") + rig.send("devices\r") + rig.send("trace dump\r");
    const lf = join(dir, "capture.txt");
    writeFileSync(lf, capture);
    const run = (dump: string, html: string) => convert({ dump, names: null, html, perfetto: null, title: null, board: null });
    const first = run(lf, join(dir, "lf.html"))[0];
    // Before: "no device names: pass --names ..." though the capture held the status reply.
    const crcrlf = join(dir, "crcrlf.txt");
    writeFileSync(crcrlf, capture.replace(/\r?\n/g, "\r\r\n"));
    expect(run(crcrlf, join(dir, "crcrlf.html"))).toEqual([first, "wrote " + join(dir, "crcrlf.html")]);
    // Before: a raw ENOENT naming no flag, and EISDIR for a folder.
    expect(() => run(lf, join(dir, "no-such", "t.html"))).toThrow(new Error("--html " + join(dir, "no-such", "t.html") + ": no folder " + join(dir, "no-such") +
      "; create it first (mkdir -p " + join(dir, "no-such") + ") or give a path in an existing folder"));
    expect(() => run(dir, join(dir, "t.html"))).toThrow(new Error("--dump " + dir + " is a folder; give the capture file in it, e.g. " + join(dir, "uart0.log")));
    expect(() => run(join(dir, "none.txt"), join(dir, "t.html"))).toThrow(new Error("cannot read --dump " + join(dir, "none.txt") + " (ENOENT): no such file; give the path of the saved console output"));
    expect(() => convert({ dump: lf, names: null, html: null, perfetto: "/dev/full", title: null, board: null })).toThrow(new Error("could not write --perfetto /dev/full (ENOSPC): give a writable path in an existing folder"));
    expect(() => parseConvertArgs(["--dump"])).toThrow(/\nusage: npm run viz:convert -- --dump FILE /);
  });
});
