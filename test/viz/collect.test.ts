// The collector: chains to the listener already there, detaches cleanly, follows a reboot from a hibernate image.
import { describe, expect, it } from "vitest";
import { makeTree } from "../runtime/tree";
import { Env } from "../runtime/fakes";
import { attachViz } from "../../host-sim/viz/collect";
import { OK, T_HIBERNATE, TEST_NONE, WAKE_TIMER, S_PLATFORM } from "../../runtime";
import { EVENT_NAMES } from "../../runtime/trace";

describe("collector", () => {
  it("keeps the previous trace listener running first and restores it on detach", () => {
    const env = makeTree();
    const seen: string[] = [];
    env.pm.trace.setListener((slot) => seen.push(EVENT_NAMES[env.pm.trace.eventAt(slot)]));
    const viz = attachViz(env.pm);
    env.pm.suspend(1, TEST_NONE);
    expect(env.outcomes).toEqual([OK]);
    const n = seen.length;
    expect(n).toBe(env.pm.trace.total);
    const model = viz.finish();
    expect(model.records).toBe(n);
    expect(model.attempts.map((a) => [a.outcome, a.wakeLabel])).toEqual([[OK, "test hold"]]);
    viz.detach();
    env.pm.suspend(1, TEST_NONE);
    expect(seen.length).toBe(env.pm.trace.total);
    expect(viz.finish().records).toBe(n);
  });

  it("follows the firmware that boots from a hibernate image: one attempt spans the reboot", () => {
    const env = makeTree();
    env.platform.sleepMode = "async";
    const viz = attachViz(env.pm);
    env.platform.advance(100);
    env.pm.suspend(T_HIBERNATE, TEST_NONE);
    expect(env.platform.sleeping).toBe(true);
    // Deep sleep: RAM is gone; the next boot finds the image (the arena bytes) and resumes from it.
    const image = env.pm.arena.bytes.slice();
    const next = makeTree();
    next.platform.t = env.platform.t + 5_000;
    next.pm.arena.bytes.set(image);
    next.pm.resumeFromImage(WAKE_TIMER);
    viz.attach(next.pm);
    const m = viz.finish();
    expect(next.outcomes).toEqual([OK]);
    expect(m.attempts.length).toBe(1);
    expect(m.attempts[0]).toMatchObject({ target: T_HIBERNATE, outcome: OK, wakeLabel: "timer", start: 100, end: env.platform.t + 5_000 });
    expect(m.attempts[0].stageUs[S_PLATFORM]).toBe(5_000);
    expect(m.slices.filter((s) => s.device === 4).map((s) => m.stageNames[s.stage])).toEqual(["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume"]);
  });

  it("refuses to follow a PowerManager of another board", () => {
    const env = makeTree();
    const viz = attachViz(env.pm);
    const other = new Env();
    other.add({ name: "i2c0" });
    other.add({ name: "extra" });
    other.pm.seal();
    expect(() => viz.attach(other.pm)).toThrow("viz: attach to a PowerManager with devices [i2c0,extra], the timeline has [i2c0,spi0,bme280,touch,flash,display,led,button,console,telemetry]: start a new attachViz for another board");
  });
});
