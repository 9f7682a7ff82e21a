// The manifests' fixed XS heaps (creation) must hold the firmware's measured peak in a real XS engine, with 25 % headroom.
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXs, type XsMeasurement, type XsRequest } from "./harness";

/*
 * Re-measure: npx vitest run test/xs/creation-peak.test.ts (prints the table docs/flash-esp32.md
 * quotes). Units are the ESP32's: a slot is 16 bytes (32-bit XS); a chunk costs its bytes rounded up
 * to 4 plus an 8-byte header (xsMemory.c fxAdjustChunkSize), counted as 12 per chunk.
 */
const FIXTURE = path.join(__dirname, "fixtures", "creation-peak.ts");
const ROOT = path.join(__dirname, "..", "..");
const HEADROOM = 1.25;
const SLOT_BYTES = 16;
const CHUNK_OVERHEAD = 12;

const BOARDS = [
  { index: 0, name: "esp32-devkitc", platform: "esp32/esp32_devkitc_quiesce", wake: 21 },
  // No storage device: the wake from hibernate is a cold boot (boots 2, not resumed).
  { index: 1, name: "moddable-two", platform: "esp32/moddable_two_quiesce", wake: 20 },
] as const;

const CYCLE: XsRequest[] = [
  { command: "words" },
  { command: "walkSim" }, { command: "boot" }, { command: "esp32Layer" }, { command: "walk" },
  ...[0, 1, 2, 3, 4, 5].map((i) => ({ command: "walked", arg: i })),
  { command: "standby" }, { command: "standby" }, { command: "hibernateEnter" }, { command: "hibernateWake" }, { command: "standby" },
];
const TALLY = (board: number): XsRequest[] => [{ command: "tallyBoot", arg: board }, ...[1, 2, 3, 4, 5].map((i) => ({ command: "tallied", arg: i }))];

interface Creation { chunk: { initial: number; incremental: number }; heap: { initial: number; incremental: number }; static: number; stack: number }

interface Peak {
  bootAllocated: number;
  bootLive: number;
  esp32Live: number;
  /** Slots allocated by any command after boot (standby ×3, hibernate enter); the wake is a reset. */
  cycleAllocated: number;
  cycleRetained: number;
  wakeAllocated: number;
  wakeRetained: number;
  /** Boot garbage other than the console's per-character word encoding: bounds a transient live peak. */
  otherGarbage: number;
  slotsPeak: number;
  chunkBytes: number;
  bufferBytes: number;
  unreachedBytes: number;
}

function measure(cycle: XsMeasurement[], tally: XsMeasurement[]): { peak: Peak; results: number[] } {
  const [words, , boot, esp32, , ...rest] = cycle;
  const walked = rest.slice(0, 6).map((m) => m.result);
  const [s1, s2, hEnter, hWake, s3] = rest.slice(6);
  const [bufferBytes, buffers, arrayItems, arrays, stringChars, strings] = walked;
  // tallied: [bytes, stores, firmware bytes, simulator bytes, other bytes, other stores]. "Other" are
  // stores the property walk cannot reach (dropped at boot, or held by a closure): counted anyway.
  const [, , , tallySimulator, tallyOther, otherCount] = tally.map((m) => m.result);
  if (tallySimulator !== 0) throw new Error(`creation-peak: ${tallySimulator} B of boot's typed arrays belong to the simulator; subtract them`);
  const chunkBytes =
    bufferBytes + tallyOther + (buffers + otherCount) * CHUNK_OVERHEAD +
    arrayItems * SLOT_BYTES + arrays * CHUNK_OVERHEAD + stringChars + strings * CHUNK_OVERHEAD;
  const cycleCmds = [s1, s2, hEnter, s3];
  const live = boot.retained + esp32.retained;
  const cycleAllocated = Math.max(...cycleCmds.map((m) => m.slots));
  const peak: Peak = {
    bootAllocated: boot.slots,
    bootLive: boot.retained,
    esp32Live: esp32.retained,
    cycleAllocated,
    cycleRetained: cycleCmds.reduce((a, m) => a + m.retained, 0),
    wakeAllocated: hWake.slots,
    wakeRetained: hWake.retained,
    otherGarbage: boot.slots - boot.retained - (words.slots - words.retained),
    slotsPeak: live + Math.max(cycleAllocated, hWake.retained),
    chunkBytes,
    bufferBytes: bufferBytes + tallyOther,
    unreachedBytes: tallyOther,
  };
  return { peak, results: [s1, s2, hEnter, hWake, s3].map((m) => m.result) };
}

function creation(platform: string): Creation {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "manifest.json"), "utf8")) as { platforms: { [k: string]: { creation?: Creation } } };
  const c = manifest.platforms[platform]?.creation;
  if (c === undefined) throw new Error(`manifest.json: platforms["${platform}"] has no creation block: add one sized as docs/flash-esp32.md "Memory" says`);
  return c;
}

describe("XS creation sizes cover the firmware's measured peak", () => {
  const peaks: { [board: string]: { peak: Peak; results: number[] } } = {};

  beforeAll(async () => {
    const runs = await Promise.all(BOARDS.flatMap((b) => [
      runInXs(FIXTURE, [{ command: "select", arg: b.index }, ...CYCLE], { timeoutMs: 60_000 }),
      runInXs(FIXTURE, TALLY(b.index), { timeoutMs: 60_000 }),
    ]));
    BOARDS.forEach((b, i) => {
      peaks[b.name] = measure(runs[2 * i].slice(1), runs[2 * i + 1]);
    });
    const rows = BOARDS.map((b) => {
      const p = peaks[b.name].peak;
      const c = creation(b.platform);
      return `${b.name}: boot allocates ${p.bootAllocated} slots, keeps ${p.bootLive} (+${p.esp32Live} ESP32 layer); ` +
        `cycles allocate ${p.cycleAllocated}, keep ${p.cycleRetained}; hibernate wake allocates ${p.wakeAllocated}, keeps ${p.wakeRetained} more; ` +
        `peak ${p.slotsPeak} slots -> x1.25 ${Math.ceil(p.slotsPeak * HEADROOM)} (manifest ${c.heap.initial}); ` +
        `chunk: typed arrays ${p.bufferBytes} B (${p.unreachedBytes} B not reachable by property), estimate ${p.chunkBytes} B -> x1.25 ` +
        `${Math.ceil(p.chunkBytes * HEADROOM)} (manifest ${c.chunk.initial})`;
    });
    console.info(rows.join("\n"));
  }, 60_000);

  for (const b of BOARDS) {
    describe(b.name, () => {
      it("standby twice, hibernate round trip and standby again, all started on the console, end OK", () => {
        // standby OK, OK; hibernate reached deep sleep; wake = boots*10 + resumed; standby OK.
        expect(peaks[b.name].results).toEqual([0, 0, 0, b.wake, 0]);
      });

      it("nothing after boot adds live slots: the peak is the boot's live set (the hibernate wake is a reset and boots the same set)", () => {
        const p = peaks[b.name].peak;
        // Cycles allocate nothing and keep nothing new (a few boot leftovers may be collected: <= 0). The
        // wake boot may keep a little more than the cold boot (it restores from the image); the peak covers it.
        expect(p.cycleAllocated).toBe(0);
        expect(p.cycleRetained).toBeLessThanOrEqual(0);
        expect(p.slotsPeak).toBeGreaterThanOrEqual(p.bootLive + p.esp32Live + Math.max(0, p.wakeRetained));
        expect(p.wakeAllocated).toBeGreaterThan(p.bootLive);
      });

      it("creation: static 0, no incremental growth", () => {
        const c = creation(b.platform);
        expect([c.static, c.chunk.incremental, c.heap.incremental]).toEqual([0, 0, 0]);
      });

      it("heap.initial holds the peak live slots plus 25 %, and the boot's garbage other than the console's word encoding even if it were all live at once", () => {
        const p = peaks[b.name].peak;
        const c = creation(b.platform);
        expect(c.heap.initial, `manifest.json ${b.platform} creation.heap.initial: raise it to >= ${Math.ceil(p.slotsPeak * HEADROOM)} and update docs/flash-esp32.md`)
          .toBeGreaterThanOrEqual(Math.ceil(p.slotsPeak * HEADROOM));
        expect(c.heap.initial).toBeGreaterThanOrEqual(p.slotsPeak + p.otherGarbage);
      });

      it("chunk.initial holds the estimated chunk bytes plus 25 %", () => {
        const p = peaks[b.name].peak;
        const c = creation(b.platform);
        expect(c.chunk.initial, `manifest.json ${b.platform} creation.chunk.initial: raise it to >= ${Math.ceil(p.chunkBytes * HEADROOM)} and update docs/flash-esp32.md`)
          .toBeGreaterThanOrEqual(Math.ceil(p.chunkBytes * HEADROOM));
      });

      it("docs/flash-esp32.md quotes the manifest's sizes", () => {
        const c = creation(b.platform);
        const doc = fs.readFileSync(path.join(ROOT, "docs", "flash-esp32.md"), "utf8");
        const row = doc.split("\n").find((l) => l.startsWith(`| ${b.name} |`));
        expect(row, `docs/flash-esp32.md: no "| ${b.name} |" row in the Memory table`).toBeDefined();
        expect(row).toContain(`${c.chunk.initial} B`);
        expect(row).toContain(`${c.heap.initial} slots`);
      });
    });
  }
});
