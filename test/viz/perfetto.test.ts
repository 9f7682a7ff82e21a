// Perfetto/Chrome trace JSON of the injected-failure scenario: threads per device, stage slices, the failure, wakes, counters.
import { describe, expect, it } from "vitest";
import { runScenario, TIMINGS } from "./scenario";
import { toPerfetto, type TraceEvent, SYSTEM_TID } from "../../host-sim/viz/perfetto";
import { TREE_NAMES } from "../runtime/tree";

function load(): { events: TraceEvent[]; thread: (tid: number | undefined) => string } {
  const s = runScenario();
  const trace = toPerfetto(s.viz.finish());
  // What a viewer parses: the JSON text, not our objects.
  const events = (JSON.parse(JSON.stringify(trace)) as { traceEvents: TraceEvent[] }).traceEvents;
  const names = new Map<number, string>();
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") names.set(e.tid as number, (e.args as { name: string }).name);
  return { events, thread: (tid) => names.get(tid as number) ?? "?" };
}

describe("perfetto JSON", () => {
  it("has one named thread per device (plus the system track), sorted by the dependency tree", () => {
    const { events } = load();
    const threads = events.filter((e) => e.ph === "M" && e.name === "thread_name");
    const sort = new Map(events.filter((e) => e.name === "thread_sort_index").map((e) => [e.tid, (e.args as { sort_index: number }).sort_index]));
    const ordered = threads.slice().sort((a, b) => (sort.get(a.tid) as number) - (sort.get(b.tid) as number))
      .map((e) => (e.args as { name: string }).name);
    expect(ordered).toEqual(["system (stages, sleep)", "i2c0", "bme280", "touch", "spi0", "flash", "display", "led", "button", "console", "telemetry"]);
    expect(new Set(threads.map((e) => e.tid)).size).toBe(TREE_NAMES.length + 1);
    expect(threads.every((e) => e.pid === 1)).toBe(true);
    expect(events.find((e) => e.name === "process_name")?.args).toEqual({ name: "quiesce boards/test-board" });
  });

  it("has a slice per stage per device with the hook's duration, and the failed slice of attempt 2", () => {
    const { events, thread } = load();
    const T = TIMINGS;
    const slices = events.filter((e) => e.ph === "X" && e.tid !== SYSTEM_TID);
    const first = (dev: string, stage: string): TraceEvent | undefined =>
      slices.find((e) => thread(e.tid) === dev && (e.args as { stage: string }).stage === stage);
    expect(first("flash", "suspend")?.dur).toBe(T.flashSuspend);
    expect(first("display", "suspend")?.dur).toBe(T.displaySuspend);
    expect(first("bme280", "prepare")?.dur).toBe(T.bmePrepare);
    expect(first("flash", "resume")?.dur).toBe(T.flashResume);
    expect(first("led", "powerOffNoIrq")?.dur).toBe(0);
    // Attempt 2, exactly: who ran what, when, for how long, and the one failure.
    const second = slices.filter((e) => (e.args as { attempt: number }).attempt === 2)
      .map((e) => [thread(e.tid), e.name, e.ts, e.dur, (e.args as { status: string }).status, e.cname === "terrible"].join(" "));
    expect(second).toEqual([
      "bme280 prepare 28250 150 OK false", "led prepare 28250 0 OK false", "display prepare 28250 0 OK false",
      "touch prepare 28250 0 OK false", "telemetry prepare 28250 0 OK false", "console prepare 28250 0 OK false",
      "button prepare 28250 0 OK false",
      "telemetry suspend 28400 700 OK false", "display suspend 28400 500 IO true", "bme280 suspend 28400 400 OK false",
      "touch suspend 28400 250 OK false", "i2c0 prepare 28400 0 OK false", "flash prepare 28400 0 OK false",
      "spi0 prepare 28400 0 OK false", "led suspend 28400 0 OK false", "button suspend 28400 0 OK false",
      "i2c0 suspend 28800 60 OK false",
      "i2c0 resume (rollback) 29100 60 OK false", "button resume (rollback) 29100 0 OK false",
      "telemetry resume (rollback) 29100 0 OK false", "led resume (rollback) 29100 0 OK false",
      "bme280 resume (rollback) 29160 300 OK false", "touch resume (rollback) 29160 0 OK false",
    ]);
    const failed = slices.filter((e) => (e.args as { failed?: boolean }).failed === true);
    expect(failed.map((e) => [thread(e.tid), (e.args as { stage: string }).stage, e.dur, e.cat])).toEqual([["display", "suspend", T.failAfterUs, "hook,failed"]]);
    const system = events.filter((e) => e.ph === "X" && e.tid === SYSTEM_TID && e.cat === "attempt").map((e) => e.name);
    expect(system).toEqual(["attempt 1: standby -> OK", "attempt 2: standby -> IO (display suspend)"]);
    const sleep = events.find((e) => e.name === "platform sleep");
    expect(sleep?.dur).toBeGreaterThanOrEqual(T.sleepUs);
  });

  it("marks the wake, the latched button IRQ and the rollback as instants", () => {
    const { events, thread } = load();
    const instants = events.filter((e) => e.ph === "i" && e.cat !== "release").map((e) => [e.cat, thread(e.tid), e.name, e.s]);
    expect(instants).toEqual([
      ["wake", "system (stages, sleep)", "wake: button (line 0)", "g"],
      ["irq-latch", "button", "irq latched: line 0 (button)", "t"],
      ["sleep-exit", "system (stages, sleep)", "woke: button (line 0)", "g"],
      ["irq-deliver", "button", "irq delivered: line 0 (button)", "t"],
      ["rollback", "display", "rollback: display suspend IO", "t"],
    ]);
  });

  it("has counter tracks for IRQ masking, parked requests, arena bytes and current draw", () => {
    const { events } = load();
    const series = (name: string): string => events.filter((e) => e.ph === "C" && e.name === name)
      .map((e) => e.ts + "=" + Object.values(e.args as Record<string, number>)[0]).join(" ");
    expect(series("irq")).toBe("1000=0 4210=1 8250=0 29460=0");
    expect(series("parked")).toBe("1000=0 1550=2 9210=0 29460=0");
    expect(series("arena")).toBe("1000=29 9810=0 28250=29 29460=0");
    // Exact average current per interval: 68 mA active, 0.8 mA while asleep.
    expect(series("current")).toBe("1000=68000 4210=800 8250=68000 29460=68000");
    const keys = new Set(events.filter((e) => e.ph === "C").map((e) => e.name + " " + Object.keys(e.args as object)[0]));
    expect([...keys].sort()).toEqual(["arena reserved bytes", "current uA", "irq masked", "parked requests"]);
  });
});
