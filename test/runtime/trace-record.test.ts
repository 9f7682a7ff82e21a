// The trace record's packed format: every field a record can carry comes back as written, at the ends of its range.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { TraceRing, traceCode, traceTag, EVENT_COUNT, EVENT_NAMES } from "../../runtime/trace";
import { STAGE_COUNT, STATUS_COUNT, WAKE_RESET, PROTOCOL } from "../../runtime/status";
import { MAX_IRQ_LINES, LIMITS } from "../../runtime/limits";

const fields = (r: TraceRing, slot: number): number[] => [r.time[slot], r.deviceAt(slot), r.stageAt(slot), r.eventAt(slot), r.statusAt(slot), r.duration[slot]];

describe("a trace record is a time, one packed code and a duration", () => {
  test("the ends of every field's range come back as written: device -1..4095, stage -1..STAGE_COUNT-1, every event, status -512..511", () => {
    const r = new TraceRing(8);
    const maxDevice = LIMITS["pm.maxDevices"].max - 1;
    const cases = [
      [0, -1, -1, 0, 0, 0],
      [1.5, maxDevice, STAGE_COUNT - 1, EVENT_COUNT - 1, 511, 2 ** 31 - 1],
      [2 ** 40, 0, 0, 0, -512, -1],
      [3, 7, 3, 13, WAKE_RESET, 0],
      [4, 12, -1, 11, MAX_IRQ_LINES - 1, 0],
    ];
    for (const [t, d, s, e, st, us] of cases) r.recordHook(t, d, s, e, st, us);
    expect(cases.map((_, i) => fields(r, i))).toEqual(cases);
    expect(EVENT_NAMES.length).toBe(EVENT_COUNT);
  });

  test("property: any record in range round-trips, and a tag plus the device is the record's code", () => {
    const r = new TraceRing(1);
    fc.assert(
      fc.property(
        fc.integer({ min: -1, max: 4095 }), fc.integer({ min: -1, max: STAGE_COUNT - 1 }), fc.integer({ min: 0, max: EVENT_COUNT - 1 }),
        fc.integer({ min: -512, max: 511 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (d, s, e, st, us) => {
          r.recordHook(7, d, s, e, st, us);
          const code = traceCode(d, s, e, st);
          // The engine's walk stores `tag + device` into an Int32Array: the same bits as the packed code.
          const viaTag = new Int32Array([traceTag(s, e, st) + d])[0];
          return JSON.stringify(fields(r, 0)) === JSON.stringify([7, d, s, e, st, us]) && r.code[0] === code && viaTag === code;
        },
      ),
      { numRuns: 5000 },
    );
  });

  test("what a record's status carries fits its 10 signed bits: statuses, wake causes, IRQ lines below MAX_IRQ_LINES", () => {
    expect([STATUS_COUNT - 1 <= 511, WAKE_RESET >= -512, MAX_IRQ_LINES - 1 <= 511, LIMITS["pm.irqLines"].max]).toEqual([true, true, true, MAX_IRQ_LINES]);
    // The ring itself keeps a value's low 10 bits (sign-extended); the runtime never hands it one outside
    // the range: a late completion's value that is no status is recorded as PROTOCOL (test/runtime/answers.test.ts).
    const r = new TraceRing(1);
    r.record(0, 3, 1, 7, 70000);
    expect([r.deviceAt(0), r.stageAt(0), r.eventAt(0), r.statusAt(0)]).toEqual([3, 1, 7, ((70000 << 22) >> 22)]);
    expect(PROTOCOL).toBeLessThan(512);
  });
});
