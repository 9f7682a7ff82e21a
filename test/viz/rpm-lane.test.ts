// Runtime-PM state on the timeline: per-device spans (active / suspending / suspended / resuming), failure and bad-put markers, with the console's `rpm` words, live and from a dump.
import { describe, expect, it } from "vitest";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";
import { attachViz, encodeTraceDump, modelFromDump, toHtml, toPerfetto, type TimelineModel } from "../../host-sim/viz";
import { rpmTid } from "../../host-sim/viz/perfetto";
import type { W25q } from "../../drivers/w25q/w25q";
import { RPM_ACTIVE, RPM_RESUMING, RPM_SUSPENDED, RPM_SUSPENDING } from "../../runtime/status";

/** The DevKitC with its flash runtime-suspending after 20 ms idle (the shipped board sets no delay). */
function devkitc(): SimBoard {
  const def = SIM_ESP32_DEVKITC.definition;
  const devices = def.devices.map((d) => (d.name === "flash" ? { ...d, autosuspendMs: 20 } : d));
  const wiring: SimBoardWiring = { ...SIM_ESP32_DEVKITC, definition: { ...def, devices } };
  return new SimBoard(wiring, { seed: 3 });
}

/**
 * Boot, the flash autosuspends after 20 ms; a read at 30 ms wakes it (served at once: ABh + tRES1);
 * 20 ms later it goes down again; a put without a get at 60 ms; at 70 ms the chip stops answering and
 * the next read's runtime resume fails (IO): the device is failed, then re-probed once the chip is back.
 */
function run(): { sim: SimBoard; model: TimelineModel; readAt: number; failAt: number; flash: number } {
  const sim = devkitc();
  const viz = attachViz(sim.pm);
  const f = sim.driver<W25q>("flash");
  const done: number[] = [];
  f.setClient((_t, s) => done.push(s));
  const buf = new Uint8Array(4);
  const flash = sim.booted!.ids.flash;
  sim.advance(30_000);
  const readAt = sim.now();
  expect(f.read(1, 0, buf)).toBe(0);
  sim.advance(30_000);
  sim.pm.port(flash).put();
  sim.advance(10_000);
  sim.chipFault("flash", "nak");
  const failAt = sim.now();
  f.read(2, 0, buf);
  sim.advance(10_000);
  sim.chipFault("flash", "none");
  sim.advance(2_000_000);
  return { sim, model: viz.finish(), readAt, failAt, flash };
}

const spans = (m: TimelineModel, d: number) => m.rpm.filter((s) => s.device === d);

describe("runtime-PM lane on the timeline", () => {
  const { sim, model, readAt, failAt, flash } = run();

  it("the flash's lane: active, suspending, suspended after its delay; resuming at the read, active; down again; the failed resume", () => {
    expect(model.rpmLanes).toEqual([flash]);
    const f = spans(model, flash);
    expect(f.map((s) => s.name).slice(0, 7)).toEqual(["active", "suspending", "suspended", "resuming", "active", "suspending", "suspended"]);
    expect(f.map((s) => s.state).slice(0, 4)).toEqual([RPM_ACTIVE, RPM_SUSPENDING, RPM_SUSPENDED, RPM_RESUMING]);
    // The first span is what the collector saw at attach, from the model's start; then each change in order, no gap.
    expect([f[0].inferred, f[0].start]).toEqual([true, model.start]);
    for (let i = 1; i < f.length; i++) expect(f[i].start).toBe(f[i - 1].end);
    // Down 20 ms after boot's idle, and the read's wake is where the read was made.
    expect(f[2].start).toBeGreaterThanOrEqual(20_000);
    expect(f[2].start).toBeLessThan(readAt);
    // (The read's own call charges the runtime's dispatch time: the resume starts a fraction of a µs after.)
    expect(f[3].start - readAt).toBeGreaterThanOrEqual(0);
    expect(f[3].start - readAt).toBeLessThan(5);
    expect(f[6].start - f[4].start).toBeGreaterThanOrEqual(20_000);
    // The failed resume at the chip fault: resuming, then active (the failed-device path), the chip re-probed later.
    const failed = f.findIndex((s) => s.start >= failAt && s.start < failAt + 5 && s.state === RPM_RESUMING);
    expect(failed).toBeGreaterThan(6);
    expect(f[failed + 1].name).toBe("active");
    expect(f[f.length - 1].open).toBe(true);
  });

  it("failures and bad puts are markers on the device, worded as the console's `rpm` prints its counts", () => {
    const marks = model.instants.filter((i) => i.kind.startsWith("rpm-"));
    expect(marks.map((i) => [i.kind, i.device, i.label])).toEqual([
      ["rpm-bad-put", flash, "flash: puts without a get 1"],
      ["rpm-fail", flash, "flash resuming: failures 1 last IO"],
    ]);
    const resuming = spans(model, flash).find((s) => s.start >= failAt && s.state === RPM_RESUMING)!;
    expect(marks[1].time).toBe(resuming.end);
    // The console's `rpm` reply says the same words: its header's bad-put count, the flash's failure count and status.
    const term = sim.terminal("console");
    term.takeAll();
    term.type("rpm\r");
    sim.advance(300_000);
    const out = term.takeAll();
    expect(out).toContain("puts without a get 1");
    expect(out).toMatch(/flash\s+(active|suspended)\s+usage 0 .*failures 1 last IO/);
  });

  it("the HTML page has a runtime-pm sub-lane under the flash, the spans and markers in its data; Perfetto a track of its own", () => {
    const html = toHtml(model);
    expect(html).toMatch(/data-lane="device" data-device="flash".*?<\/div><div class="lane-label rpm" data-lane="rpm" data-device="flash"[^>]*>runtime pm</);
    expect(html).toContain("\"rpmLanes\":[" + flash + "]");
    expect(html).toContain("\"kind\":\"rpm-fail\"");
    expect(html).toMatch(/legend-item rpm.*active.*suspending.*suspended.*resuming/);
    const p = toPerfetto(model);
    const tid = rpmTid(model, flash);
    expect(p.traceEvents.find((e) => e.ph === "M" && e.name === "thread_name" && e.tid === tid)!.args).toEqual({ name: "flash runtime pm" });
    const xs = p.traceEvents.filter((e) => e.cat === "rpm");
    expect(xs.map((e) => e.name)).toEqual(spans(model, flash).map((s) => s.name));
    expect(xs.every((e) => e.tid === tid && e.ph === "X")).toBe(true);
    const fail = p.traceEvents.find((e) => e.cat === "rpm-fail")!;
    expect([fail.name, fail.tid]).toEqual(["flash resuming: failures 1 last IO", tid]);
  });

  it("a console trace dump carries them: same spans after the first record, same markers", () => {
    const names = sim.pm.graph.names.slice(0, sim.pm.graph.count);
    const dumped = modelFromDump("> " + encodeTraceDump(sim.pm.trace) + "> ", { names });
    expect(dumped.rpmLanes).toEqual([flash]);
    const live = spans(model, flash);
    const dump = spans(dumped, flash);
    // A dump knows no state at attach: the first record (suspending) says it was active before.
    expect([dump[0].name, dump[0].inferred, dump[0].start]).toEqual(["active", true, dumped.start]);
    expect(dump.slice(1).map((s) => [s.name, s.start, s.end])).toEqual(live.slice(1).map((s) => [s.name, s.start, s.open ? dumped.end : s.end]));
    expect(dumped.instants.filter((i) => i.kind.startsWith("rpm-")).map((i) => i.label))
      .toEqual(model.instants.filter((i) => i.kind.startsWith("rpm-")).map((i) => i.label));
  });

  it("a board without runtime-PM activity has no runtime-pm lane", () => {
    const plain = new SimBoard(SIM_ESP32_DEVKITC, { seed: 3 });
    const viz = attachViz(plain.pm);
    plain.advance(100_000);
    const m = viz.finish();
    // The shipped DevKitC's flash has runtime hooks but no delay: it stays active, and its lane says so.
    expect(m.rpmLanes).toEqual([plain.booted!.ids.flash]);
    expect(m.rpm.map((s) => [s.name, s.inferred, s.open])).toEqual([["active", true, true]]);
  });
});
