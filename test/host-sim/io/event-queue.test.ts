// The board's task queue: finite length, overflow counted, overflowed pins go quiet, per-turn draining, IRQ latch.
import { describe, expect, it } from "vitest";
import { IrqController } from "../../../runtime/irq";
import { rig } from "./fixtures";

describe("board event queue", () => {
  it("overflows at queueLength: lost posts are counted and those pins stop delivering", () => {
    const { device, board, clock } = rig({ queueLength: 3 });
    const { Digital } = device.io;
    const calls: string[] = [];
    const pins = [25, 26, 27, 32, 33];
    for (const pin of pins) {
      new Digital({ pin, mode: Digital.InputPullDown, edge: Digital.Rising, onReadable: () => calls.push(pin + "@" + clock.now()) });
    }
    for (const pin of pins) board.driveInput(pin, 1);
    expect([board.queue.depth, board.queue.posted, board.queue.overflows, board.queue.maxDepth]).toEqual([3, 3, 2, 3]);
    clock.advance(100);
    expect(calls).toEqual(["25@0", "26@0", "27@0"]);
    // Second round of edges: 32 and 33 still hold their undelivered trigger, so they never post again.
    for (const pin of pins) board.driveInput(pin, 0);
    for (const pin of pins) board.driveInput(pin, 1);
    clock.advance(100);
    expect(calls).toEqual(["25@0", "26@0", "27@0", "25@100", "26@100", "27@100"]);
    expect([board.queue.posted, board.queue.overflows, board.queue.delivered]).toEqual([6, 2, 6]);
  });

  it("delivers per turn only what was waiting when the turn began", () => {
    const { device, board, clock } = rig();
    const { Digital } = device.io;
    const order: string[] = [];
    new Digital({
      pin: 25,
      mode: Digital.InputPullDown,
      edge: Digital.Rising | Digital.Falling,
      onReadable: () => {
        order.push("25@turn" + board.queue.counters[4]);
        if (board.level(26) === 0) board.driveInput(26, 1); // an edge raised from inside a handler
      },
    });
    new Digital({ pin: 26, mode: Digital.InputPullDown, edge: Digital.Rising, onReadable: () => order.push("26@turn" + board.queue.counters[4]) });
    board.driveInput(25, 1);
    clock.advance(0);
    expect(order).toEqual(["25@turn1", "26@turn2"]);
  });

  it("works with the runtime IRQ controller: masked lines latch, deliver once at unmask", () => {
    const { device, board, clock } = rig();
    const irq = new IrqController(board.lineCount);
    for (let line = 0; line < board.lineCount; line++) irq.register(line, board.deliver, line === 0);
    board.setSink(irq);
    const { Digital } = device.io;
    const calls: string[] = [];
    new Digital({ pin: 0, mode: Digital.Input, edge: Digital.Falling, onReadable: () => calls.push("button@" + clock.now()) });
    irq.mask();
    board.driveInput(0, 0);
    clock.advance(50);
    expect(calls).toEqual([]);
    expect(irq.isLatched(0)).toBe(true);
    board.driveInput(0, 1);
    board.driveInput(0, 0); // still triggered: coalesced in the ISR, no second post
    clock.advance(50);
    irq.unmask();
    expect(calls).toEqual(["button@100"]);
    expect([board.queue.posted, irq.deliveredCount[0], irq.latchedCount[0]]).toEqual([1, 1, 1]);
    clock.advance(1);
    board.driveInput(0, 1);
    board.driveInput(0, 0);
    clock.advance(1);
    expect(calls).toEqual(["button@100", "button@101"]);
  });

  it("a throwing handler does not strand the rest of the queue", () => {
    const { device, board, clock } = rig();
    const { Digital } = device.io;
    const calls: number[] = [];
    new Digital({ pin: 25, mode: Digital.InputPullDown, edge: Digital.Rising, onReadable: () => {
      throw new Error("handler bug");
    } });
    new Digital({ pin: 26, mode: Digital.InputPullDown, edge: Digital.Rising, onReadable: () => calls.push(clock.now()) });
    board.driveInput(25, 1);
    board.driveInput(26, 1);
    expect(() => clock.advance(10)).toThrow("handler bug");
    clock.advance(10);
    expect(calls).toEqual([0]);
    expect(board.queue.depth).toBe(0);
  });
});
