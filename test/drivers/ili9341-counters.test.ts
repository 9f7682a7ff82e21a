// The ILI9341's request counters: `failures` is accepted frames completed with an error, `refused` the fills refused at submit, as the console counts failures and refusals apart.
import { describe, expect, it } from "vitest";
import type { Ili9341 } from "../../drivers/ili9341/ili9341";
import { F_FAIL } from "../../host-sim/board/faults";
import { SLEEP_HOLD } from "../../host-sim/board/sim-sleep";
import { OK, IO, INVALID, FAILED, T_STANDBY, TEST_PLATFORM, STATUS_NAMES } from "../../runtime/status";
import { makeModdableTwo } from "./cases";

const names = (s: number[]): string[] => s.map((x) => STATUS_NAMES[x]);

describe("ILI9341 failures and refused", () => {
  it("a full queue refuses (refused, not failures); a bad rectangle is neither; frames drawn are neither", () => {
    const b = makeModdableTwo();
    const d = b.sim.driver<Ili9341>("display");
    const done: number[] = [];
    d.setFrameListener((_slot, s) => { done.push(s); });
    // queue: 4 on the Moddable Two: one in flight and three waiting fill it.
    expect(names([0, 1, 2, 3, 4].map((i) => d.fill(0, i * 10, 10, 10, 0xf800)))).toEqual(["OK", "OK", "OK", "OK", "FULL"]);
    expect(d.fill(0, 0, 400, 10, 0)).toBe(INVALID);
    expect({ failures: d.failures, refused: d.refused, frames: d.frames }).toEqual({ failures: 0, refused: 1, frames: 0 });
    b.sim.advance(100_000);
    expect(names(done)).toEqual(["OK", "OK", "OK", "OK"]);
    expect({ failures: d.failures, refused: d.refused, frames: d.frames }).toEqual({ failures: 0, refused: 1, frames: 4 });
    // The queue's own books agree: every submission is refused, completed or still queued.
    expect(d.queue.submitted).toBe(d.queue.refused + d.queue.completed + d.queue.length);
  });

  it("a failed display: the frame parked across the failed resume completes FAILED (failures); a fill while failed is refused FAILED (refused)", () => {
    const b = makeModdableTwo();
    const d = b.sim.driver<Ili9341>("display");
    const done: number[] = [];
    d.setFrameListener((_slot, s) => { done.push(s); });
    let atDone: { status: number; failures: number; refused: number; done: string[] } | null = null;
    b.sim.onDone(() => {
      if (atDone !== null) return;
      const status = d.fill(0, 0, 10, 10, 0x001f);
      atDone = { status, failures: d.failures, refused: d.refused, done: names(done) };
    });
    b.sim.faults.set("display", "resume", F_FAIL, IO);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    for (let i = 0; i < 1000 && b.sim.platform.sleeping !== SLEEP_HOLD; i++) b.sim.advance(1_000);
    expect(d.fill(0, 0, 10, 10, 0x07e0)).toBe(OK); // parked: the queue is gated while suspended
    for (let i = 0; i < 3000 && atDone === null; i++) b.sim.advance(1_000);
    expect(atDone).toEqual({ status: FAILED, failures: 1, refused: 1, done: ["FAILED"] });
    expect(d.frames).toBe(0);
  });
});
