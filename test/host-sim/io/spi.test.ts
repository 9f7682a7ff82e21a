// SPI: spi.c validation, CS held across calls until flush(true)/close, routing by select pin, read/write/transfer.
import { describe, expect, it } from "vitest";
import { FakeSpiChip, rig, thrown } from "./fixtures";

describe("SPI", () => {
  it("validates options like Moddable's spi.c", () => {
    const { device } = rig();
    const { SPI } = device.io;
    const d = device.SPI.default;
    expect(thrown(() => new SPI({ ...d, hz: 50_000_000 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid hz/) });
    expect(thrown(() => new SPI({ clock: 18, hz: 1e6, port: 2 }))).toEqual({ type: "Error", message: expect.stringMatching(/^in or out required/) });
    expect(thrown(() => new SPI({ ...d, mode: 4 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid mode/) });
    expect(thrown(() => new SPI({ ...d, active: 2 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid active/) });
    expect(thrown(() => new SPI({ ...d, port: 3 }))).toEqual({ type: "RangeError", message: expect.stringMatching(/^invalid port: .*\(0, 1, 2\)/) });
    expect(thrown(() => new SPI({ clock: 18, out: 23, hz: 1e6 } as never))).toEqual({ type: "Error", message: expect.stringMatching(/^invalid: SPI option 'port' is required/) });
    expect(thrown(() => new SPI({ ...d, format: "number" })).type).toBe("RangeError");
  });

  it("owns its pins until close; close twice is harmless; use after close throws", () => {
    const { device, board } = rig();
    const { SPI, Digital } = device.io;
    const spi = new SPI(device.SPI.default);
    expect([18, 19, 23, 5].map((p) => board.pinOwner(p))).toEqual(["SPI", "SPI", "SPI", "SPI"]);
    expect(thrown(() => new SPI(device.SPI.default)).message).toBe("in use: SPI clock GPIO 18 is held by SPI; close that instance first");
    expect(thrown(() => new Digital({ pin: 5, mode: Digital.Output })).message).toMatch(/^in use/);
    expect(board.level(5)).toBe(1); // CS idles inactive (active low)
    spi.close();
    spi.close();
    expect([18, 19, 23, 5].map((p) => board.pinOwner(p))).toEqual(["nothing", "nothing", "nothing", "nothing"]);
    expect(thrown(() => spi.write(new Uint8Array(1)))).toEqual({ type: "SyntaxError", message: expect.stringMatching(/SPI is closed/) });
  });

  it("holds CS across calls until flush(true), routes by select pin, moves bytes both ways", () => {
    const { device, board } = rig();
    const chip = new FakeSpiChip();
    board.attachSpi(5, chip);
    const levels: number[] = [];
    board.setLevelListener(5, (l) => levels.push(l));
    const spi = new device.io.SPI(device.SPI.default);
    const cmd = new Uint8Array([0x9f]);
    const id = new Uint8Array(3);
    spi.write(cmd);
    expect(board.level(5)).toBe(0);
    expect(spi.read(id)).toBeUndefined();
    spi.flush(true);
    expect(board.level(5)).toBe(1);
    const duplex = new Uint8Array([0x0f, 0xf0]);
    spi.transfer(duplex);
    expect(Array.from(duplex)).toEqual([0xf0, 0x0f]);
    const ab = spi.read(2) as ArrayBuffer;
    expect(Array.from(new Uint8Array(ab))).toEqual([0xff, 0xff]); // complement of no data
    spi.flush(); // without true: CS stays asserted
    expect(board.level(5)).toBe(0);
    spi.close(); // close releases CS
    expect(chip.log).toEqual(["select", "xfer1 9f (write)", "xfer3 (read)", "deselect", "select", "xfer2 0f f0 (duplex)", "xfer2 (read)", "deselect"]);
    expect(Array.from(id)).toEqual([0xff, 0xff, 0xff]);
    expect(levels).toEqual([1, 0, 1, 0, 1]); // idle high at construction, then two select/deselect pairs
    expect([board.counters[3], board.counters[4]]).toEqual([4, 8]);
  });

  it("reads 0xFF with no chip on the select pin, and honours active-high CS", () => {
    const { device, board } = rig();
    const spi = new device.io.SPI({ ...device.SPI.default, select: 4, active: 1 });
    expect(board.level(4)).toBe(0);
    const into = new Uint8Array([1, 2]);
    spi.read(into);
    expect(Array.from(into)).toEqual([0xff, 0xff]);
    expect(board.level(4)).toBe(1);
    spi.flush(true);
    expect(board.level(4)).toBe(0);
  });
});
