// The bench's runtime board with plainStages: prepare and the NoIrq hooks answer OK at once, as the baselines' drivers do; the runtime's records are unchanged.
import { describe, expect, it } from "vitest";
import { OK, IO } from "../../runtime/status";
import { SynthBoard, M_FAIL, M_OK, FIRST_LEAF } from "../../bench/synthetic/synth-board";
import { SyncSynthDriver } from "../../bench/baseline/drivers";
import { EagerClock } from "../../bench/baseline/eager-clock";

const OPTIONS = { pendingEvery: 4, durations: "uniform" as const };

/** Every record of the ring, oldest first, as [time, code, duration]. */
function records(b: SynthBoard): number[][] {
  const tr = b.pm.trace;
  const out: number[][] = [];
  for (let i = Math.max(0, tr.total - tr.capacity); i < tr.total; i++) {
    const slot = i % tr.capacity;
    out.push([tr.time[slot], tr.code[slot], tr.duration[slot]]);
  }
  return out;
}

describe("SynthBoard plainStages (the bench's runtime board)", () => {
  it("answers prepare, powerOffNoIrq and powerOnNoIrq OK at once, as the baselines' SyncSynthDriver does", () => {
    const b = new SynthBoard(16, { ...OPTIONS, plainStages: true });
    const h = b.pm.graph.hooks[FIRST_LEAF];
    const base = new SyncSynthDriver(new EagerClock());
    const answers = (x: { prepare(t: number): unknown; powerOffNoIrq(t: number): unknown; powerOnNoIrq(t: number): unknown }) =>
      [x.prepare(0), x.powerOffNoIrq(0), x.powerOnNoIrq(0)];
    expect({ runtime: answers(h as never), baseline: answers(base as never), sameFunction: h.prepare === h.powerOffNoIrq }).toEqual({
      runtime: [OK, OK, OK], baseline: [OK, OK, OK], sameFunction: true,
    });
  });

  it("runs a cycle with the same records, times and outcome as the board that reads a mode in every hook", () => {
    const plain = new SynthBoard(64, { ...OPTIONS, plainStages: true });
    const moded = new SynthBoard(64, OPTIONS);
    expect([plain.cycle(), plain.cycle(), moded.cycle(), moded.cycle()]).toEqual([OK, OK, OK, OK]);
    expect(records(plain)).toEqual(records(moded));
    expect(records(plain).length).toBe(256);
  });

  it("refuses a fault scripted where it answers at once, naming the fix; suspend and resume still take one", () => {
    const b = new SynthBoard(16, { ...OPTIONS, plainStages: true });
    for (const hook of [0, 2, 3]) {
      expect(() => b.setMode(FIRST_LEAF, hook, M_FAIL, IO, 0)).toThrow(/hook \d of a plainStages board answers OK at once: build it without plainStages/);
    }
    b.setMode(FIRST_LEAF + 1, 1, M_FAIL, IO, 0);
    expect(b.cycle()).toBe(IO);
    b.resetModes();
    b.setMode(FIRST_LEAF, 0, M_OK, OK, 0); // OK is no fault: accepted
    expect(b.cycle()).toBe(OK);
  });
});
