// The console's trace commands: trace [n] (power-management records), trace all [n] (every record) and trace dump (hex the host decodes).
import { describe, expect, it } from "vitest";
import { Rig } from "./sim";
import { decodeTraceDump } from "../../host-sim/viz/dump-decode";
import { STAGE_NAMES, STATUS_NAMES } from "../../runtime/status";
import { EVENT_NAMES } from "../../runtime/trace";

describe("console commands", () => {
  it("trace all [n] decodes the last n records of every kind, default 16, at most what the ring holds", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    const tr = rig.pm.trace;
    const expectLine = (abs: number): string => {
      const s = abs % tr.capacity;
      const dev = tr.deviceAt(s) < 0 ? "-" : rig.pm.graph.names[tr.deviceAt(s)];
      const stage = tr.stageAt(s) < 0 ? "-" : STAGE_NAMES[tr.stageAt(s)];
      const ev = EVENT_NAMES[tr.eventAt(s)];
      const detail = ev === "irq-deliver" || ev === "irq-latch" ? "line " + tr.statusAt(s)
        : ev === "sleep-exit" ? "test hold" : ev === "suspend-begin" || ev === "sleep-enter" ? "standby" : STATUS_NAMES[tr.statusAt(s)];
      return "[" + String(tr.time[s]).padStart(10) + " us] " + dev.padEnd(8) + stage.padEnd(15) + ev.padEnd(14) + detail;
    };
    const three = rig.send("trace all 3\r").split("\r\n");
    // The header names the total at the moment the command ran (its own UART IRQs add records).
    const total = Number(/of (\d+) records/.exec(three[0])![1]);
    expect(total).toBeGreaterThan(50);
    expect(three).toEqual([
      "trace: last 3 of " + total + " records (time, device, stage, event, detail)",
      expectLine(total - 3), expectLine(total - 2), expectLine(total - 1), "> ",
    ]);
    const def = rig.send("trace all\r").split("\r\n");
    expect(def.length).toBe(16 + 2);
    const t16 = Number(/of (\d+) records/.exec(def[0])![1]);
    expect(def[0]).toBe("trace: last 16 of " + t16 + " records (time, device, stage, event, detail)");
    expect(def.slice(1, 17)).toEqual(Array.from({ length: 16 }, (_, k) => expectLine(t16 - 16 + k)));
    // The most the hint allows (1..capacity): everything the ring holds.
    const all = rig.send("trace all 256\r").split("\r\n");
    const tAll = Number(/of (\d+) records/.exec(all[0])![1]);
    expect(all[0]).toBe("trace: last " + tAll + " of " + tAll + " records (time, device, stage, event, detail)");
    expect(all.length).toBe(tAll + 2);
    expect(all[tAll]).toBe(expectLine(tAll - 1));
  });

  it("trace [n] shows power-management records only, by device name; the console's own IRQ records are left out", () => {
    const rig = new Rig();
    rig.send("suspend test=platform\r");
    const tr = rig.pm.trace;
    const def = rig.send("trace\r").split("\r\n");
    const total = Number(/records of (\d+) written/.exec(def[0])![1]);
    expect(def[0]).toBe("trace: last 16 power-management records of " + total + " written (IRQ records hidden: trace all shows every record)");
    expect(def.length).toBe(16 + 2);
    // The same records trace all would show, minus irq-latch/irq-deliver: the suspend's closing stages, device by device.
    const pm: number[] = [];
    for (let abs = total - 1; abs >= total - tr.length && pm.length < 16; abs--) {
      const ev = EVENT_NAMES[tr.eventAt(abs % tr.capacity)];
      if (ev !== "irq-latch" && ev !== "irq-deliver") pm.unshift(abs);
    }
    const fields = (l: string) => l.slice(15).trim().split(/\s+/).slice(0, 3).join(" ");
    expect(def.slice(1, 17).map(fields)).toEqual(pm.map((abs) => {
      const s = abs % tr.capacity;
      return [tr.deviceAt(s) < 0 ? "-" : rig.pm.graph.names[tr.deviceAt(s)], tr.stageAt(s) < 0 ? "-" : STAGE_NAMES[tr.stageAt(s)], EVENT_NAMES[tr.eventAt(s)]].join(" ");
    }));
    expect(def.join("\n")).not.toContain("irq-");
    expect(def.slice(1, 17).filter((l) => / (resume|powerOnNoIrq) /.test(l)).length).toBeGreaterThanOrEqual(8);
    expect(rig.send("trace 2\r").split("\r\n").length).toBe(2 + 2);
    expect(rig.send("trace all 2 3\r")).toBe("unknown argument '3' for trace: use a record count 1.." + tr.capacity + ", all [n] or dump (type help)\r\n> ");
  });

  it("trace dump writes the whole ring as hex records that the host decoder reads back exactly", () => {
    const rig = new Rig();
    // Keep every record ever written, so the dump can be checked even though its own output adds records.
    const history: { time: number; device: number; stage: number; event: number; status: number; duration: number }[] = [];
    const tr = rig.pm.trace;
    tr.setListener((slot) => {
      history.push({ time: tr.time[slot], device: tr.deviceAt(slot), stage: tr.stageAt(slot), event: tr.eventAt(slot), status: tr.statusAt(slot), duration: tr.duration[slot] });
      rig.console.onTrace(slot);
    });
    const before = tr.total;
    for (let i = 0; i < 4; i++) rig.send("suspend test=platform\r");
    const text = rig.send("trace dump\r");
    const records = decodeTraceDump(text);
    const lines = text.split("\r\n");
    const written = Number(/records of (\d+) written/.exec(lines[0])![1]);
    expect(written).toBeGreaterThan(tr.capacity);
    expect(lines[0]).toBe("trace dump begin: 256 records of " + written +
      " written, 18 bytes each, oldest first (f64le time us, i16le device, i8 stage, u8 event, i16le status, i32le duration us)");
    expect(records).toEqual(history.slice(written - before - 256, written - before));
    expect(lines[257]).toBe("trace dump end: 256 records");
    expect(lines[258]).toBe("> ");
    expect(lines.length).toBe(259);
    // The dump's own UART traffic kept adding records, yet none it printed had been overwritten.
    expect(tr.total).toBeGreaterThan(written);
    expect(text).not.toContain("overwritten");
  });
});
