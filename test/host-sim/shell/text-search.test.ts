// SerialWait and LineSearch find what indexOf on the whole log would, across chunk boundaries, reading each character about once.
import { describe, expect, it } from "vitest";
import { LineSearch, SerialWait } from "../../../host-sim/cli/text-search";

describe("SerialWait (wait-serial)", () => {
  it("finds what indexOf(text, cursor) on the whole log finds, across chunks; a new text searches from the cursor", () => {
    const w = new SerialWait();
    let log = "";
    let cursor = 0;
    /** The old definition: the whole log searched from the cursor. */
    const reference = (text: string): boolean => {
      const at = log.indexOf(text, cursor);
      if (at >= 0) cursor = at + text.length;
      return at >= 0;
    };
    const seen: [boolean, number][] = [];
    for (const [chunk, texts] of [["boot\r\n> sus", ["suspend ok"]], ["pend o", ["suspend ok"]], ["k\r\nsuspend ok again\r\n", ["suspend ok", "boot", "suspend ok", "suspend ok", "again", "again"]]] as const) {
      w.push(chunk);
      log += chunk;
      for (const t of texts) {
        const ok = w.consume(t);
        expect([ok, w.cursor]).toEqual([reference(t), cursor]);
        seen.push([ok, w.cursor]);
      }
    }
    expect(seen).toEqual([[false, 0], [false, 0], [true, 18], [false, 18], [true, 30], [false, 30], [true, 36], [false, 36]]);
  });

  it("searches 10,000 one-byte chunks in at most the needle's length per byte", () => {
    const w = new SerialWait();
    for (let i = 0; i < 10_000; i++) {
      w.push(i === 9_990 ? "X" : ".");
      w.consume("..X");
    }
    expect(w.cursor).toBe(9_991);
    expect(w.scanned).toBeLessThanOrEqual(3 * 10_000);
  });
});

describe("LineSearch (--fail-text, --expect-text)", () => {
  it("reports the whole line the text is on, even when it arrived in pieces", () => {
    const s = new LineSearch("failed");
    for (const chunk of ["ok\r\nR2 resume fl", "ash fai", "led IO\r\nnext"]) s.push(chunk);
    expect(s.search()).toBe(true);
    expect(s.found).toBe("R2 resume flash failed IO");
    const t = new LineSearch("fai");
    t.push("R2 fa");
    expect(t.search()).toBe(false);
    t.push("il");
    expect([t.search(), t.found]).toEqual([true, "R2 fail"]);
  });

  it("finds a text with a line end in it across chunks, wherever a chunk ends (as indexOf on the whole log does)", () => {
    const log = "help\r\n  help   this list\r\n  status   each device\r\n> ";
    const needle = "this list\r\n  status";
    for (let cut = 1; cut < log.length; cut++) {
      const s = new LineSearch(needle);
      s.push(log.slice(0, cut));
      s.search();
      s.push(log.slice(cut));
      // It missed the text when a chunk ended after its \n: only the last line was kept for the next search.
      expect([cut, s.search()]).toEqual([cut, true]);
    }
  });

  it("reads one-byte chunks of a line that never ends in bounded work per byte", () => {
    const s = new LineSearch("never");
    for (let i = 0; i < 20_000; i++) {
      s.push("x");
      s.search();
    }
    expect(s.found).toBeNull();
    // Each byte costs the new byte and the needle's length - 1 before it: 5 characters (fewer in the first four).
    expect(s.scanned).toBe(1 + 2 + 3 + 4 + 19_996 * 5);
  });
});
