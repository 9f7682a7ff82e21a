// Governor decisions on the timeline: each E_GOVERNOR record becomes a marker with the console's `policy` words, in the model, the HTML and the Perfetto JSON.
import { describe, expect, it } from "vitest";
import { bootStation } from "../../examples/weather-station/sim";
import { SLEEP_GOVERNOR } from "../../examples/weather-station/weather-app";
import { attachViz, attachVizToBoard, encodeTraceDump, modelFromDump, toHtml, toPerfetto } from "../../host-sim/viz";
import { governorRecord, governorText } from "../../host-sim/viz/governor-text";
import { timelineOfOnePeriod } from "../../bench/energy-policies";
import { R_LOCK, R_SHORT, R_SLEEP } from "../../runtime/policy";
import { E_GOVERNOR } from "../../runtime/trace";
import { T_HIBERNATE, T_STANDBY } from "../../runtime/status";

const PERIOD = 60_000_000;

describe("governor decisions on the timeline", () => {
  const model = timelineOfOnePeriod();

  it("one period of the weather station: two decisions, their words as the console prints them, markers at their time", () => {
    // The reading's lock goes with the frame's completion; the telemetry driver's lock stays until the frame left the wire.
    expect(model.governor.map((g) => [g.reasonName, g.target, g.text])).toEqual([
      ["lock", 0, "lock telemetry held: stay awake"],
      ["sleep", T_HIBERNATE, "idle 59.9 s to next timer: hibernate, break-even 1.5 s"],
    ]);
    const [held, g] = model.governor;
    const marker = model.instants.filter((i) => i.kind === "governor");
    expect(marker).toEqual([
      { time: held.time, kind: "governor", device: -1, stage: -1, status: R_LOCK * 8, label: held.text },
      { time: g.time, kind: "governor", device: -1, stage: -1, status: R_SLEEP * 8 + T_HIBERNATE, label: g.text },
    ]);
    // 19 + 2 bytes at 115200 baud (1.9 ms from the write; the first decision came on a later turn).
    expect(g.time - held.time).toBeGreaterThan(1_000);
    expect(g.time - held.time).toBeLessThan(2_000);
    // The decision comes right as the reading's lock is released, and the suspend it starts follows at once.
    const attempt = model.attempts.find((a) => a.start >= g.time)!;
    expect(attempt.target).toBe(T_HIBERNATE);
    expect(attempt.start - g.time).toBeLessThan(5);
  });

  it("the HTML page carries the marker (data) and a decisions table with the words; Perfetto an instant named with them", () => {
    const html = toHtml(model);
    expect(html).toContain("<h2>Governor decisions (2)</h2>");
    expect(html).toContain("<td>idle 59.9 s to next timer: hibernate, break-even 1.5 s</td>");
    expect(html).toContain("\"kind\":\"governor\"");
    const events = toPerfetto(model).traceEvents.filter((e) => e.cat === "governor");
    expect(events).toEqual([expect.objectContaining({ name: "lock telemetry held: stay awake", ph: "i", ts: model.governor[0].time }), expect.objectContaining({
      name: "idle 59.9 s to next timer: hibernate, break-even 1.5 s", ph: "i", ts: model.governor[1].time,
      args: { event: "governor", reason: "sleep", target: "hibernate", idleUs: model.governor[1].idleUs },
    })]);
  });

  it("the marker's words are the console's `policy` line for the same decision (one formatter)", () => {
    // A 2 s period: the governor light-sleeps (RAM, and its kept decisions, survive), and the console can wake it.
    const sim = bootStation({ periodUs: 2_000_000, sleep: SLEEP_GOVERNOR });
    sim.advance(1_000_000);
    const viz = attachVizToBoard(sim, { energy: sim.energy });
    sim.advance(4_000_000);
    const term = sim.terminal("console");
    // The first byte wakes the chip and is lost; the second is a key: the console holds its lock from then on.
    term.type("\r");
    sim.advance(2_000);
    term.type("\r");
    sim.advance(100_000);
    const m = viz.finish();
    term.takeAll();
    term.type("policy\r");
    sim.advance(300_000);
    const out = term.takeAll();
    expect(m.governor.length).toBeGreaterThan(0);
    expect(m.governor.some((g) => g.text.startsWith("idle 1.9") && g.text.endsWith("to next timer: standby, break-even 5 ms"))).toBe(true);
    for (const g of m.governor.slice(-3)) expect(out).toContain("us] " + g.text + "\r\n");
  });

  it("live: a lock names its holder, a short idle names the state and its break-even; from a dump: what the record carries", () => {
    const sim = bootStation({ periodUs: PERIOD, withConsole: false, sleep: SLEEP_GOVERNOR, rtcImage: true });
    const pm = sim.pm;
    const lock = { time: 5, reason: R_LOCK, target: 0, idleUs: -1 };
    pm.locks.acquire(pm.locks.create("app-busy"));
    expect(governorText(lock, pm)).toBe("lock app-busy held: stay awake");
    expect(governorText({ time: 5, reason: R_SHORT, target: T_STANDBY, idleUs: 2_000 }, pm)).toBe("idle 2 ms: stay awake, below standby's break-even 5 ms");
    expect(governorText(lock, null)).toBe("lock (name not in the trace) held: stay awake");
    expect(governorText({ time: 5, reason: R_SLEEP, target: T_HIBERNATE, idleUs: 58_000_000 }, null)).toBe("idle 58 s to next timer: hibernate");
    expect(governorRecord(7, R_SHORT * 8 + T_STANDBY, 2_000)).toEqual({ time: 7, reason: R_SHORT, target: T_STANDBY, idleUs: 2_000 });
  });

  it("a console trace dump decodes to the same markers, without the break-even the record does not carry", () => {
    const sim = bootStation({ periodUs: PERIOD, withConsole: false, sleep: SLEEP_GOVERNOR, rtcImage: true });
    sim.advance(PERIOD + PERIOD / 2);
    const live = attachViz(sim.pm);
    const names = sim.pm.graph.names.slice(0, sim.pm.graph.count);
    sim.pm.trace.record(sim.now(), -1, -1, E_GOVERNOR, R_SHORT * 8 + T_STANDBY);
    const dumped = modelFromDump("> " + encodeTraceDump(sim.pm.trace) + "> ", { names });
    const last = dumped.governor[dumped.governor.length - 1];
    expect(last.text).toBe("idle 0 us: stay awake, below standby's break-even");
    expect(dumped.governor.map((g) => g.reasonName)).toContain("sleep");
    expect(dumped.governor.find((g) => g.reasonName === "sleep")!.text).toMatch(/^idle 59\.9 s to next timer: hibernate$/);
    expect(live.finish().governor.map((g) => g.text)).toEqual(["idle 0 us: stay awake, below standby's break-even 5 ms"]);
  });
});
