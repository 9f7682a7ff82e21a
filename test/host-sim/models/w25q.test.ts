// W25Q64JV model against its datasheet: IDs, WEL, page wrap, busy times, power-down, reset, currents, violations.
import { describe, expect, it } from "vitest";
import { W25q } from "../../../host-sim/models/w25q";
import { W25Q32JV } from "../../../host-sim/models/w25q-spec";
import { FakeClock, Violations } from "./fake-clock";
import { cmd } from "./w25q-cmd";

function setup(options: { timing?: "typ" | "max"; coldStart?: boolean } = {}): { clock: FakeClock; v: Violations; f: W25q } {
  const clock = new FakeClock();
  const v = new Violations();
  const f = new W25q({ clock, violations: v, ...options });
  return { clock, v, f };
}

const status = (f: W25q): number => cmd(f, [0x05], 1)[0];

describe("w25q (W25Q64JV)", () => {
  it("answers JEDEC ID EF 40 17, device ID 16h via ABh and 90h; the 32JV variant EF 40 16", () => {
    const { v, f } = setup();
    expect(cmd(f, [0x9f], 3)).toEqual([0xef, 0x40, 0x17]);
    expect(cmd(f, [0xab, 0, 0, 0], 2)).toEqual([0x16, 0x16]);
    expect(cmd(f, [0x90, 0, 0, 0], 2)).toEqual([0xef, 0x16]);
    const g = new W25q({ clock: new FakeClock(), violations: v, variant: W25Q32JV });
    expect(cmd(g, [0x9f], 3)).toEqual([0xef, 0x40, 0x16]);
    expect(g.memory.length).toBe(4 * 1024 * 1024);
    expect(v.list).toEqual([]);
  });

  it("page program needs WREN, wraps at the page end, only clears bits, is BUSY for tPP 0.4 ms, clears WEL", () => {
    const { clock, v, f } = setup();
    cmd(f, [0x02, 0x00, 0x10, 0x00, 0x55]);
    expect(v.take()).toEqual(["w25q: command 0x02 (page program) without WREN 0x06 first (WEL=0); ignored"]);
    expect(f.memory[0x1000]).toBe(0xff);
    cmd(f, [0x06]);
    expect(status(f)).toBe(0x02);
    const data: number[] = [];
    for (let i = 0; i < 32; i++) data.push(i);
    cmd(f, [0x02, 0x00, 0x10, 0xf0, ...data]);
    expect(status(f)).toBe(0x03);
    expect(f.currentUa()).toBe(20000);
    clock.advance(399);
    expect(status(f) & 1).toBe(1);
    clock.advance(1);
    expect(status(f)).toBe(0x00);
    expect(f.currentUa()).toBe(10);
    // Bytes 0..15 went to 0x10F0..0x10FF, bytes 16..31 wrapped to 0x1000..0x100F.
    expect(cmd(f, [0x03, 0x00, 0x10, 0xf0], 16)).toEqual(data.slice(0, 16));
    expect(cmd(f, [0x03, 0x00, 0x10, 0x00], 16)).toEqual(data.slice(16));
    expect(f.memory[0x1010]).toBe(0xff);
    cmd(f, [0x06]);
    cmd(f, [0x02, 0x00, 0x20, 0x00, 0xf0]);
    clock.advance(400);
    cmd(f, [0x06]);
    cmd(f, [0x02, 0x00, 0x20, 0x00, 0x0f]);
    clock.advance(400);
    expect(f.memory[0x2000]).toBe(0x00);
    expect(cmd(f, [0x0b, 0x00, 0x20, 0x00, 0x00], 2)).toEqual([0x00, 0xff]);
    expect(v.list).toEqual([]);
  });

  it("while BUSY only read status is accepted; others are reported and ignored; sector erase takes tSE 45 ms", () => {
    const { clock, v, f } = setup();
    f.memory.fill(0x00, 0x3000, 0x5000);
    cmd(f, [0x06]);
    cmd(f, [0x20, 0x00, 0x30, 0x10]);
    expect(cmd(f, [0x03, 0x00, 0x30, 0x00], 2)).toEqual([0xff, 0xff]);
    cmd(f, [0x06]);
    expect(v.take()).toEqual([
      "w25q: command 0x03 (read) while BUSY (only 0x05 read status is accepted during program/erase, 7.1.1); ignored",
      "w25q: command 0x06 (WREN) while BUSY (only 0x05 read status is accepted during program/erase, 7.1.1); ignored",
    ]);
    clock.advance(44_999);
    expect(status(f) & 1).toBe(1);
    clock.advance(1);
    expect(status(f)).toBe(0);
    expect(f.memory[0x3000]).toBe(0xff);
    expect(f.memory[0x3fff]).toBe(0xff);
    expect(f.memory[0x4000]).toBe(0x00);
    expect(f.memory[0x2fff]).toBe(0xff);
  });

  it("block erase 64 KB takes tBE2 150 ms typ; the max-timing variant uses tSE 400 ms", () => {
    const { clock, f } = setup();
    f.memory.fill(0, 0x10000, 0x20001);
    cmd(f, [0x06]);
    cmd(f, [0xd8, 0x01, 0x23, 0x45]);
    clock.advance(149_999);
    expect(f.busy()).toBe(true);
    clock.advance(1);
    expect(f.busy()).toBe(false);
    expect(f.memory[0x10000]).toBe(0xff);
    expect(f.memory[0x1ffff]).toBe(0xff);
    expect(f.memory[0x20000]).toBe(0);
    const slow = setup({ timing: "max" });
    cmd(slow.f, [0x06]);
    cmd(slow.f, [0x20, 0, 0, 0]);
    slow.clock.advance(399_999);
    expect(slow.f.busy()).toBe(true);
    slow.clock.advance(1);
    expect(slow.f.busy()).toBe(false);
  });

  it("power-down: tDP 3 us, 1 uA, everything but ABh ignored and reported, tRES1 3 us after release", () => {
    const { clock, v, f } = setup();
    const trace: Array<[number, number]> = [];
    f.setPowerListener(() => trace.push([clock.now(), f.currentUa()]));
    clock.advance(100);
    cmd(f, [0xb9]);
    expect(f.currentUa()).toBe(10);
    cmd(f, [0x05], 1);
    clock.advance(3);
    expect(f.poweredDown()).toBe(true);
    expect(cmd(f, [0x05], 1)).toEqual([0xff]);
    expect(cmd(f, [0x9f], 3)).toEqual([0xff, 0xff, 0xff]);
    clock.advance(1000);
    cmd(f, [0xab]);
    expect(f.poweredDown()).toBe(false);
    clock.advance(2);
    expect(cmd(f, [0x03, 0, 0, 0], 1)).toEqual([0xff]);
    clock.advance(1);
    expect(cmd(f, [0x9f], 3)).toEqual([0xef, 0x40, 0x17]);
    expect(v.take()).toEqual([
      "w25q: command 0x05 (read status-1) during tDP (3us) after power-down 0xB9 (9.6); ignored",
      "w25q: command 0x05 (read status-1) while powered down (after 0xB9 only 0xAB is recognized, 'Power-down (B9h)'); ignored",
      "w25q: command 0x9F (JEDEC ID) while powered down (after 0xB9 only 0xAB is recognized, 'Power-down (B9h)'); ignored",
      "w25q: command 0x03 (read) during tRES1 (3us) after release 0xAB (9.6); ignored",
    ]);
    // 1 uA from tDP (103 us) until the release at 1103 us.
    const changes = trace.filter((e, i) => e[1] !== (i === 0 ? 10 : trace[i - 1][1]));
    expect(changes).toEqual([[103, 1], [1103, 10]]);
  });

  it("read current while /CS is low on a read command", () => {
    const { f } = setup();
    const tx = Uint8Array.of(0x03, 0, 0, 0, 0);
    f.spiSelect();
    f.spiTransfer(tx, null, 5);
    expect(f.currentUa()).toBe(8000); // ICC3 at 50 MHz, 8 mA typ (W25Q64JV Rev J section 9.4)
    f.spiDeselect();
    expect(f.currentUa()).toBe(10);
  });

  it("software reset needs 66h then 99h, clears WEL, blocks commands for tRST 30 us", () => {
    const { clock, v, f } = setup();
    cmd(f, [0x06]);
    cmd(f, [0x99]);
    cmd(f, [0x66]);
    cmd(f, [0x05], 1);
    cmd(f, [0x99]);
    expect(v.take()).toEqual([
      "w25q: command 0x99 (reset device) without enable reset 0x66 immediately before; ignored",
      "w25q: command 0x99 (reset device) without enable reset 0x66 immediately before; ignored",
    ]);
    cmd(f, [0x66]);
    cmd(f, [0x99]);
    clock.advance(29);
    cmd(f, [0x05], 1);
    expect(v.take()).toEqual(["w25q: command 0x05 (read status-1) during tRST (30us) after reset 0x66/0x99; ignored"]);
    clock.advance(1);
    expect(status(f)).toBe(0);
  });

  it("cold start enforces tVSL; short erase and unknown opcodes are reported", () => {
    const { clock, v, f } = setup({ coldStart: true });
    cmd(f, [0x9f], 3);
    clock.advance(20);
    cmd(f, [0x06]);
    cmd(f, [0x20, 0x00]);
    cmd(f, [0x42]);
    expect(v.take()).toEqual([
      "w25q: command 0x9F (JEDEC ID) during tVSL (20us) after power-up (9.1); ignored",
      "w25q: command 0x20 (sector erase) ended (/CS high) before its address/data was complete; ignored",
      "w25q: command 0x42 is not modelled; ignored",
    ]);
    expect(f.busy()).toBe(false);
  });

  it("faults: stall keeps BUSY set (even across 66h/99h); nak floats MISO; reset() recovers, keeping the array", () => {
    const { clock, f } = setup();
    f.memory[5] = 0x42;
    f.setFault("stall");
    clock.advance(10_000_000);
    expect(status(f) & 1).toBe(1);
    cmd(f, [0x66]);
    cmd(f, [0x99]);
    clock.advance(100);
    expect(status(f) & 1).toBe(1);
    f.setFault("nak");
    expect(cmd(f, [0x9f], 3)).toEqual([0xff, 0xff, 0xff]);
    f.reset();
    clock.advance(20);
    expect(status(f)).toBe(0);
    expect(cmd(f, [0x03, 0, 0, 5], 1)).toEqual([0x42]);
  });
});
