// The idle governor's rule (policy.ts decide), table-driven: deadline vs break-even vs latency constraint vs exclusion vs device costs.
import { describe, expect, it } from "vitest";
import { T_HIBERNATE } from "../../runtime";
import { IdleStates, Decision, decide } from "../../runtime/policy";
import { ESP32_STATES } from "../../boards/esp32-states";
import { line } from "./governor-helpers";

describe("the rule (policy.ts decide), ESP32 states: standby 200+536 us, break-even 5 ms; hibernate 50+40 ms, break-even 3.1 s", () => {
  // [name, now, deadline, constraint, excluded, device costs [suspend, resume], expected line]
  const CASES: [string, number, number, number, number, [number, number], string][] = [
    ["58 s to the deadline: hibernate, woken 40 ms early", 0, 58_000_000, -1, 0, [0, 0], "sleep hibernate idle=58000000 breakEven=3100000 latency=90000 wake=57960000"],
    ["exactly hibernate's break-even: hibernate", 0, 3_100_000, -1, 0, [0, 0], "sleep hibernate idle=3100000 breakEven=3100000 latency=90000 wake=3060000"],
    ["1 us below it: standby", 1, 3_100_000, -1, 0, [0, 0], "sleep standby idle=3099999 breakEven=5000 latency=736 wake=3099464"],
    ["1 s: standby, woken 536 us early", 0, 1_000_000, -1, 0, [0, 0], "sleep standby idle=1000000 breakEven=5000 latency=736 wake=999464"],
    ["exactly standby's break-even: standby", 0, 5_000, -1, 0, [0, 0], "sleep standby idle=5000 breakEven=5000 latency=736 wake=4464"],
    ["2 ms: stay awake, below standby's break-even", 0, 2_000, -1, 0, [0, 0], "short standby idle=2000 breakEven=5000 latency=736"],
    ["a deadline already past: idle 0, stay awake", 9_000, 2_000, -1, 0, [0, 0], "short standby idle=0 breakEven=5000 latency=736"],
    ["no deadline: hibernate, no timer wake", 0, -1, -1, 0, [0, 0], "sleep hibernate idle=-1 breakEven=3100000 latency=90000 wake=-1"],
    ["58 s, constraint 1 ms: hibernate ruled out, standby", 0, 58_000_000, 1_000, 0, [0, 0], "sleep standby idle=58000000 breakEven=5000 latency=736 constraint=1000 wake=57999464 ruledOut=hibernate"],
    ["58 s, constraint 736 us (standby's latency exactly): standby", 0, 58_000_000, 736, 0, [0, 0], "sleep standby idle=58000000 breakEven=5000 latency=736 constraint=736 wake=57999464 ruledOut=hibernate"],
    ["58 s, constraint 500 us: stay awake, every state too slow", 0, 58_000_000, 500, 0, [0, 0], "latency standby idle=58000000 breakEven=5000 latency=736 constraint=500"],
    ["58 s, constraint 0: stay awake", 0, 58_000_000, 0, 0, [0, 0], "latency standby idle=58000000 breakEven=5000 latency=736 constraint=0"],
    ["2 ms and constraint 500 us: the break-even speaks first", 0, 2_000, 500, 0, [0, 0], "short standby idle=2000 breakEven=5000 latency=736 constraint=500"],
    ["constraint 100 s: hibernate", 0, 58_000_000, 100_000_000, 0, [0, 0], "sleep hibernate idle=58000000 breakEven=3100000 latency=90000 constraint=100000000 wake=57960000"],
    ["hibernate excluded (refused): standby", 0, 58_000_000, -1, T_HIBERNATE, [0, 0], "sleep standby idle=58000000 breakEven=5000 latency=736 wake=57999464"],
    ["devices add 3 ms + 2 ms: standby's latency 5736 us is its break-even", 0, 1_000_000, -1, 0, [3_000, 2_000], "sleep standby idle=1000000 breakEven=5736 latency=5736 wake=997464"],
    ["devices' costs and 5.5 ms: stay awake", 0, 5_500, -1, 0, [3_000, 2_000], "short standby idle=5500 breakEven=5736 latency=5736"],
    ["devices' costs push standby over a 5 ms constraint", 0, 1_000_000, 5_000, 0, [3_000, 2_000], "latency standby idle=1000000 breakEven=5736 latency=5736 constraint=5000"],
  ];
  for (const [name, now, deadline, constraint, excluded, [sus, res], want] of CASES) {
    it(name, () => {
      const st = new IdleStates(ESP32_STATES, 4, "test");
      st.declare(0, sus, 0);
      st.declare(1, 0, res);
      const d = new Decision();
      decide(st, now, deadline, constraint, excluded, 0, d);
      expect(line(d)).toBe(want);
    });
  }

  it("a wake margin moves only the timer wake earlier", () => {
    const d = new Decision();
    decide(new IdleStates(ESP32_STATES, 1, "test"), 0, 1_000_000, -1, 0, 1_000, d);
    expect(line(d)).toBe("sleep standby idle=1000000 breakEven=5000 latency=736 wake=998464");
  });

  it("with no state listed there is nothing to enter", () => {
    const d = new Decision();
    decide(new IdleStates([], 1, "test"), 0, 58_000_000, -1, 0, 0, d);
    expect(line(d)).toBe("no-state idle=58000000 breakEven=0 latency=0");
  });

  it("refuses a states table out of order or with an unknown target, naming the board", () => {
    expect(() => new IdleStates([ESP32_STATES[1], ESP32_STATES[0]], 1, "boards/x")).toThrow("boards/x: pm.states[1] is not deeper than pm.states[0]");
    expect(() => new IdleStates([{ target: 3, entryUs: 0, exitUs: 0, breakEvenUs: 0 }], 1, "boards/x")).toThrow("pm.states[0].target is 3");
  });
});
