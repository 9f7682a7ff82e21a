// Digital: Moddable's validation and errors, pin ownership, outputs, and onReadable on configured edges only.
import { describe, expect, it } from "vitest";
import type { SimDigital } from "../../../host-sim/core/io-digital";
import { rig, thrown } from "./fixtures";

describe("Digital", () => {
  it("has Moddable's mode and edge constants", () => {
    const { Digital } = rig().device.io;
    expect([Digital.Input, Digital.InputPullUp, Digital.InputPullDown, Digital.InputPullUpDown, Digital.Output, Digital.OutputOpenDrain]).toEqual([0, 1, 2, 3, 8, 9]);
    expect([Digital.Rising, Digital.Falling, Digital.ActiveLow]).toEqual([1, 2, 16]);
  });

  it("validates options like digital.js/digitalbank.c", () => {
    const { device } = rig();
    const { Digital } = device.io;
    const noop = (): void => {};
    expect(thrown(() => new Digital({ mode: Digital.Input } as never))).toEqual({ type: "Error", message: expect.stringMatching(/^invalid: Digital option 'pin' is required/) });
    expect(thrown(() => new Digital({ pin: 20, mode: Digital.Input }))).toEqual({ type: "Error", message: expect.stringMatching(/^invalid pin: Digital pin 20 is not a GPIO of esp32/) });
    expect(thrown(() => new Digital({ pin: 4, mode: 5 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid mode/) });
    expect(thrown(() => new Digital({ pin: 4 } as never))).toEqual({ type: "Error", message: expect.stringMatching(/^invalid: Digital option 'mode' is required/) });
    expect(thrown(() => new Digital({ pin: 4, mode: Digital.Input, onReadable: noop }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid edges/) });
    expect(thrown(() => new Digital({ pin: 4, mode: Digital.Input, edge: 1, onReadable: 3 as never }))).toEqual({ type: "Error", message: expect.stringMatching(/^not a function/) });
    expect(thrown(() => new Digital({ pin: 34, mode: Digital.Output }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^input only: GPIO 34/) });
    expect(thrown(() => new Digital({ pin: 4, mode: Digital.Input, format: "buffer" }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid format/) });
    // Nothing above claimed a pin.
    const d = new Digital({ pin: 4, mode: Digital.Input });
    d.close();
  });

  it("claims the pin until close; close twice is harmless; use after close throws", () => {
    const { device, board } = rig();
    const { Digital } = device.io;
    const led = new Digital({ pin: device.pin.led, mode: Digital.Output });
    expect(board.pinOwner(2)).toBe("Digital");
    expect(thrown(() => new Digital({ pin: 2, mode: Digital.Input }))).toEqual({ type: "Error", message: "in use: Digital GPIO 2 is held by Digital; close that instance first" });
    led.close();
    led.close();
    expect(board.pinOwner(2)).toBe("nothing");
    expect(thrown(() => led.write(1)).type).toBe("SyntaxError");
    expect(thrown(() => led.read()).message).toMatch(/Digital is closed; construct a new instance/);
    const again = new Digital({ pin: 2, mode: Digital.Output });
    again.close();
  });

  it("drives outputs (push-pull, open-drain, activeLow, initialValue) and refuses read/write the wrong way", () => {
    const { device, board } = rig();
    const { Digital } = device.io;
    const seen: number[] = [];
    board.setLevelListener(2, (l) => seen.push(l));
    const led = new Digital({ pin: 2, mode: Digital.Output });
    expect(board.level(2)).toBe(0);
    led.write(1);
    led.write(1);
    led.write(0);
    expect(seen).toEqual([1, 0]);
    expect(thrown(() => led.read()).message).toMatch(/^can't read output/);
    const od = new Digital({ pin: 4, mode: Digital.OutputOpenDrain, initialValue: 1 });
    board.driveInput(4, 0); // another device pulls the shared line low
    expect(board.level(4)).toBe(0);
    board.driveInput(4, -1); // released, no pull: floats at its last level
    expect(board.level(4)).toBe(0);
    od.write(0);
    expect(board.level(4)).toBe(0);
    // digitalbank.c checks mode strictly: active low is the option, never a mode flag.
    expect(thrown(() => new Digital({ pin: 13, mode: Digital.Output | Digital.ActiveLow })).type).toBe("RangeError");
    const low = new Digital({ pin: 13, mode: Digital.Output, activeLow: true });
    expect(board.level(13)).toBe(1);
    low.write(1);
    expect(board.level(13)).toBe(0);
    const input = new Digital({ pin: 14, mode: Digital.InputPullUp });
    expect(input.read()).toBe(1);
    expect(thrown(() => input.write(0)).message).toMatch(/^can't write input/);
    const down = new Digital({ pin: 15, mode: Digital.InputPullDown });
    expect(down.read()).toBe(0);
    board.driveInput(15, 1);
    expect(down.read()).toBe(1);
    expect(led.format).toBe("number");
    expect(() => {
      led.format = "buffer";
    }).toThrow(RangeError);
  });

  it("calls onReadable on the configured edges only, through the event queue, with this = instance", () => {
    const { device, board, clock, sink } = rig();
    const { Digital } = device.io;
    const calls: string[] = [];
    const make = (pin: number, edge: number): SimDigital =>
      new Digital({
        pin,
        mode: Digital.InputPullUp,
        edge,
        onReadable(this: SimDigital, triggered: number) {
          calls.push(pin + ":" + triggered.toString(16) + ":" + this.read() + "@" + clock.now() + (this === inst[pin] ? "" : " wrong-this"));
        },
      });
    const inst: Record<number, SimDigital> = {};
    inst[0] = make(0, Digital.Falling);
    inst[25] = make(25, Digital.Rising);
    inst[26] = make(26, Digital.Rising | Digital.Falling);
    clock.advance(10);
    expect(calls).toEqual([]); // construction at the pull-up level is not an edge
    for (const pin of [0, 25, 26]) {
      const before = calls.length;
      board.driveInput(pin, 0); // falling
      expect(calls.length).toBe(before); // the ISR only posts; nothing runs until the event loop turns
      clock.advance(10);
      board.driveInput(pin, 1); // rising
      clock.advance(10);
    }
    expect(calls).toEqual(["0:1:0@10", "25:2000000:1@40", "26:4000000:0@50", "26:4000000:1@60"]);
    expect(sink.lines).toEqual([0, 25, 26, 26]);
    expect(board.queue.posted).toBe(4);
  });

  it("coalesces edges per instance until delivery, and swaps edges for activeLow", () => {
    const { device, board, clock } = rig();
    const { Digital } = device.io;
    const calls: number[] = [];
    new Digital({ pin: 0, mode: Digital.Input, activeLow: true, edge: Digital.Rising, onReadable: () => calls.push(clock.now()) });
    board.driveInput(0, 0); // physical fall = logical rise
    board.driveInput(0, 1);
    board.driveInput(0, 0);
    board.driveInput(0, 1);
    board.driveInput(0, 0);
    expect(board.queue.depth).toBe(1);
    clock.advance(5);
    expect(calls).toEqual([0]);
    board.driveInput(0, 1); // physical rise = logical fall: ignored
    clock.advance(5);
    expect(calls).toEqual([0]);
    expect(board.queue.posted).toBe(1);
  });

  it("stops delivering after a close even with an event in flight (stale delivery counted)", () => {
    const { device, board, clock } = rig();
    const { Digital } = device.io;
    const calls: number[] = [];
    const d = new Digital({ pin: 27, mode: Digital.InputPullDown, edge: Digital.Rising, onReadable: () => calls.push(1) });
    board.driveInput(27, 1);
    d.close();
    clock.advance(1);
    expect(calls).toEqual([]);
    expect(board.staleDeliveries).toBe(1);
    expect(board.pinOwner(27)).toBe("nothing");
  });
});
