// DigitalBank: pin masks of one bank, reads and writes as masks, rising/falling edges per pin, a bank of bouncing buttons.
import { describe, expect, it } from "vitest";
import { Button } from "../../../host-sim/models/button";
import { createPrng } from "../../../host-sim/models/prng";
import { rig, thrown } from "./fixtures";

const bits = (...pins: number[]): number => pins.reduce((m, p) => m | (1 << (p & 31)), 0) >>> 0;

describe("DigitalBank", () => {
  it("validates pins, bank and mode like digitalbank.c", () => {
    const { DigitalBank } = rig().device.io;
    const err = (o: object): { type: string; message: string } => thrown(() => new DigitalBank({ mode: DigitalBank.Input, pins: bits(4), ...o }));
    expect(err({ pins: 0 }).message).toMatch(/^invalid pin: DigitalBank pins 0x0 of bank 0/);
    expect(err({ pins: bits(4, 20) }).message).toMatch(/^invalid pin/); // GPIO 20 is not bonded out
    expect(err({ bank: 2 })).toEqual({ type: "Error", message: expect.stringMatching(/^invalid bank: DigitalBank bank 2; esp32 has banks 0..1/) });
    expect(err({ bank: 1, pins: bits(8) }).message).toMatch(/^invalid pin/); // GPIO 40 does not exist
    expect(err({ mode: DigitalBank.Output, bank: 1, pins: bits(2, 3) }).message).toMatch(/^input only: GPIO 34/);
    expect(err({ mode: DigitalBank.Input | DigitalBank.ActiveLow }).type).toBe("RangeError");
    expect(err({ onReadable: () => {}, rises: bits(5) }).message).toMatch(/^invalid edges/); // edge masks outside pins count for nothing
  });

  it("reads and writes masks, with activeLow inverting every pin of the bank", () => {
    const { device, board } = rig();
    const { DigitalBank, Digital } = device.io;
    const out = new DigitalBank({ pins: bits(12, 13, 14), mode: DigitalBank.Output, initialValue: bits(13) });
    expect([board.level(12), board.level(13), board.level(14)]).toEqual([0, 1, 0]);
    out.write(bits(12, 14) | bits(5)); // bits outside pins are ignored
    expect([board.level(12), board.level(13), board.level(14), board.level(5)]).toEqual([1, 0, 1, 0]);
    expect(thrown(() => new Digital({ pin: 13, mode: Digital.Input })).message).toMatch(/^in use: Digital GPIO 13 is held by Digital/);
    const hi = new DigitalBank({ bank: 1, pins: bits(32, 33), mode: DigitalBank.InputPullUp, activeLow: true });
    expect(hi.read()).toBe(0);
    board.driveInput(33, 0);
    expect(hi.read()).toBe(bits(33));
    out.close();
    expect(board.pinOwner(13)).toBe("nothing");
  });

  it("a bank of four bouncing buttons: one delivery per burst carries every pin that edged, per rises/falls", () => {
    const { device, board, clock } = rig({ externalPullUps: [0, 4, 16, 17] });
    const pins = [0, 4, 16, 17];
    const buttons = pins.map((pin, i) => new Button({ clock, random: createPrng(7 + i), name: "b" + String(pin), onLevel: (l) => board.driveInput(pin, l) }));
    const { DigitalBank } = device.io;
    const seen: number[] = [];
    // Presses (falling) on all four; releases (rising) only on 16 and 17.
    new DigitalBank({ pins: bits(...pins), mode: DigitalBank.Input, falls: bits(...pins), rises: bits(16, 17), onReadable(triggered) { seen.push(triggered, this.read()); } });
    buttons[0].press();
    buttons[2].press();
    clock.advance(5_000);
    const triggered = seen.filter((_, i) => i % 2 === 0);
    expect(triggered.reduce((m, v) => m | v, 0)).toBe(bits(0, 16));
    // Edges that land before the delivery share it: fewer deliveries than edges.
    expect(triggered.length).toBeLessThan(buttons[0].edgeCount() + buttons[2].edgeCount());
    expect(seen[seen.length - 1]).toBe(bits(4, 17)); // settled: 0 and 16 low, 4 and 17 high
    seen.length = 0;
    buttons[0].release(); // rises not watched on GPIO 0: only its bounce's falling edges are delivered
    clock.advance(5_000);
    expect(seen.filter((_, i) => i % 2 === 0).every((v) => v === bits(0))).toBe(true);
    expect(board.level(0)).toBe(1);
    seen.length = 0;
    buttons[2].release();
    clock.advance(5_000);
    expect(seen.filter((_, i) => i % 2 === 0).reduce((m, v) => m | v, 0)).toBe(bits(16));
    expect(seen[seen.length - 1]).toBe(bits(0, 4, 16, 17));
  });
});
