// A platform clock that answers numeric strings (read from a text source) times hooks exactly as one that answers numbers.
import { describe, expect, test } from "vitest";
import { Env } from "./fakes";
import { OK, T_STANDBY, TEST_NONE } from "../../runtime";

/** A small tree over both walks (S3 and R1 masked, the others not), one hook pending; the clock advances 7 us per read. */
function run(asString: boolean): { records: string[]; last: number[]; max: number[]; outcomes: number[] } {
  const env = new Env();
  const p = env.platform;
  const read = p.now.bind(p);
  // Typed as the platform's number; what an integrator's text-reading clock hands over at run time.
  p.now = () => { p.t += 7; return (asString ? String(read()) : read()) as number; };
  env.add({ name: "bus" });
  const chip = env.add({ name: "chip", parent: "bus" });
  env.add({ name: "led" });
  chip.behaviour.suspend = { kind: "pending", afterUs: 40 };
  env.pm.seal();
  env.pm.suspend(T_STANDBY, TEST_NONE);
  p.advance(5_000);
  const tr = env.pm.trace;
  const records: string[] = [];
  for (let i = 0; i < tr.length; i++) { const s = tr.slot(i); records.push(tr.time[s] + "/" + tr.code[s] + "/" + tr.duration[s]); }
  const st = env.pm.stats;
  return { records, last: st.lastByStage.flatMap((a) => Array.from(a.subarray(0, 3))), max: st.maxByStage.flatMap((a) => Array.from(a.subarray(0, 3))), outcomes: env.outcomes };
}

describe("the walks subtract clock reads", () => {
  test("numeric strings from the platform clock give the same records, durations and outcome as numbers", () => {
    const numbers = run(false);
    expect(numbers.outcomes).toEqual([OK]);
    // S1..R2 over three devices: a record per hook and stage at least, each synchronous hook's duration 7 us (one read).
    expect(numbers.records.length).toBeGreaterThan(20);
    expect(numbers.last.filter((us) => us === 7).length).toBeGreaterThan(8);
    expect(run(true)).toEqual(numbers);
  });
});
