// The W25Q model's array against a plain reference: random programs, erases and reads over SPI, with `memory` read at a random step.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { W25q } from "../../../host-sim/models/w25q";
import { W25Q32JV } from "../../../host-sim/models/w25q-spec";
import { FakeClock, Violations } from "./fake-clock";
import { cmd } from "./w25q-cmd";

/*
 * The model stores a new chip's array inverted (nothing fills 8 MB with 0xFF at construction) and turns
 * it upright in place the first time `memory` is read. Whichever way it is stored, what the SPI reads
 * return and what `memory` shows must be what a byte array with NOR semantics holds: erased 0xFF,
 * program ANDs (section 8.2 "Page Program (02h)"), sector/block/chip erase set 0xFF.
 */
const SIZE = W25Q32JV.sizeBytes;
// A few sectors at both ends and in the middle, so programs and erases overlap often; the last one wraps reads.
const AREAS = [0, 0x1000, 0x8000, 0x10000, SIZE / 2, SIZE - 0x1000];

type Op =
  | { kind: "program"; area: number; offset: number; data: number[] }
  | { kind: "erase"; op: 0x20 | 0x52 | 0xd8 | 0xc7; area: number }
  | { kind: "read"; area: number; offset: number; length: number }
  | { kind: "inspect" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("program" as const), area: fc.nat(AREAS.length - 1), offset: fc.nat(0xfff), data: fc.array(fc.nat(255), { minLength: 1, maxLength: 300 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("erase" as const), op: fc.constantFrom(0x20 as const, 0x52 as const, 0xd8 as const, 0xc7 as const), area: fc.nat(AREAS.length - 1) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("read" as const), area: fc.nat(AREAS.length - 1), offset: fc.nat(0xfff), length: fc.integer({ min: 1, max: 5000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "inspect" as const }) },
);

const addr = (a: number): number[] => [(a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff];

describe("w25q array", () => {
  it("reads and `memory` match a NOR reference over random programs, erases and reads (W25Q32JV)", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const clock = new FakeClock();
      const v = new Violations();
      const f = new W25q({ clock, violations: v, variant: W25Q32JV });
      const ref = new Uint8Array(SIZE).fill(0xff);
      for (const o of ops) {
        if (o.kind === "inspect") {
          expect(Buffer.compare(f.memory, ref)).toBe(0);
          continue;
        }
        const at = AREAS[o.area] + (o.kind === "erase" ? 0 : o.offset);
        if (o.kind === "read") {
          const got = cmd(f, [0x03, ...addr(at)], o.length);
          for (let i = 0; i < o.length; i++) if (got[i] !== ref[(at + i) % SIZE]) expect([at + i, got[i]]).toEqual([at + i, ref[(at + i) % SIZE]]);
          continue;
        }
        cmd(f, [0x06]);
        if (o.kind === "program") {
          cmd(f, [0x02, ...addr(at), ...o.data]);
          // Past the page end the column wraps to the page start; a later byte for a column replaces an earlier one.
          const page = at & ~0xff, latch = new Map<number, number>();
          o.data.forEach((b, i) => latch.set(page + (((at & 0xff) + i) & 0xff), b));
          for (const [a, b] of latch) ref[a] &= b;
        } else {
          cmd(f, o.op === 0xc7 ? [0xc7] : [o.op, ...addr(at)]);
          const size = o.op === 0x20 ? 0x1000 : o.op === 0x52 ? 0x8000 : o.op === 0xd8 ? 0x10000 : SIZE;
          const start = at & ~(size - 1);
          ref.fill(0xff, start, start + size);
        }
        clock.advance(W25Q32JV.typ.ce);
      }
      expect(v.list).toEqual([]);
      expect(Buffer.compare(f.memory, ref)).toBe(0);
    }), { numRuns: 60 });
  });

  it("a test's preload through `memory` is what the chip then reads, programs over and erases", () => {
    const clock = new FakeClock();
    const f = new W25q({ clock, violations: new Violations(), variant: W25Q32JV });
    expect(Array.from(cmd(f, [0x03, ...addr(0x2000)], 2))).toEqual([0xff, 0xff]);
    f.memory[0x2000] = 0x5a;
    expect(Array.from(cmd(f, [0x03, ...addr(0x1fff)], 3))).toEqual([0xff, 0x5a, 0xff]);
    cmd(f, [0x06]);
    cmd(f, [0x02, ...addr(0x2000), 0x0f]);
    clock.advance(W25Q32JV.typ.pp);
    expect(f.memory[0x2000]).toBe(0x0a);
    cmd(f, [0x06]);
    cmd(f, [0x20, ...addr(0x2000)]);
    clock.advance(W25Q32JV.typ.se);
    expect(f.memory[0x2000]).toBe(0xff);
  });
});
