// The runtime's own entry points (PowerManager constructor, register) refuse bad numbers naming board, device, field and range.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Env, BASE_CONFIG, FakePlatform } from "./fakes";
import { PowerManager, DeviceGraph, OK, TIMEOUT, S_SUSPEND, STAGE_COUNT, P_IDLE, ROLE_WAKE, T_STANDBY, T_HIBERNATE, TEST_NONE, type PmConfig } from "../../runtime";
import { LIMITS, MAX_BUDGET_US, rangeText, type Limit } from "../../runtime/limits";
import { E_HOOK_DONE } from "../../runtime/trace";

const BAD: readonly unknown[] = [Number.NaN, -1, 1.5, 2 ** 31, Number.POSITIVE_INFINITY, "100"];
const PM_FIELDS = Object.keys(LIMITS).filter((k) => k.startsWith("pm.")).map((k) => k.slice(3));
const SPEC_FIELDS = ["budgetUs", "stateBytes", "requestBlocks", "roles", "wakeLine"];
const STAGES = ["prepare", "suspend", "resume"];

function pmError(config: Record<string, unknown>): string {
  try {
    new PowerManager({ ...BASE_CONFIG, ...config } as PmConfig, new FakePlatform([]));
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  return "";
}

function registerError(spec: Record<string, unknown>, config: Partial<PmConfig> = {}): string {
  const env = new Env(config);
  try {
    env.add({ name: "dev", ...spec });
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  return "";
}

/** A value outside `l` (max `max`), including the non-numbers. */
function bad(l: Limit, max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 31, -(2 ** 31), "7", null, true),
    fc.integer({ min: -1_000_000_000, max: l.min - 1 }),
    fc.integer({ min: max + 1, max: max + 1_000_000_000 }),
    fc.double({ min: l.min, max, noNaN: true }).filter((x) => !Number.isInteger(x)),
  );
}

describe("PowerManager constructor: PmConfig numbers", () => {
  test("every PmConfig size refuses NaN, negative, fractional, 2^31, Infinity and a string", () => {
    for (const f of PM_FIELDS) {
      for (const v of BAD) {
        const l = LIMITS["pm." + f];
        if (typeof v === "number" && v >= l.min && v <= l.max && Number.isInteger(v)) continue;
        const msg = pmError({ [f]: v });
        expect(msg.startsWith("boards/test-board: pm." + f + " is ")).toBe(true);
        expect(msg).toContain(rangeText(l));
        expect(msg.endsWith(" in the PmConfig")).toBe(true);
      }
    }
  });

  test("exact messages: over-range budget, missing size, cap below first re-probe", () => {
    expect(pmError({ defaultBudgetUs: 2 ** 31 })).toBe(
      "boards/test-board: pm.defaultBudgetUs is 2147483648: must be an integer 1..2000000000 µs: lower it in the PmConfig");
    expect(pmError({ irqLines: undefined })).toBe(
      "boards/test-board: pm.irqLines is missing: set it in the PmConfig (an integer 1..512)");
    expect(pmError({ reprobeFirstUs: 400_000_000 })).toBe(
      "boards/test-board: pm.reprobeCapUs is 300000000 (the default), below pm.reprobeFirstUs 400000000: must be an integer 400000000..2000000000 µs: raise reprobeCapUs or lower reprobeFirstUs in the PmConfig");
    expect(pmError({ failureHistory: 0 })).toBe(
      "boards/test-board: pm.failureHistory is 0: must be an integer 1..1024 records: raise it in the PmConfig");
    expect(pmError({ board: "" , maxDevices: 1.5 })).toMatch(/^\(PmConfig without board\): pm.maxDevices is 1.5/);
  });

  test("the edges of every range are accepted", () => {
    expect(pmError({ defaultBudgetUs: MAX_BUDGET_US, testHoldUs: 0, stateArenaBytes: 0, blockCount: 0, reprobeFirstUs: 1, reprobeCapUs: MAX_BUDGET_US })).toBe("");
  });
});

describe("PowerManager constructor: nested PmConfig keys", () => {
  const LIGHT = { target: T_STANDBY, entryUs: 200, exitUs: 536, breakEvenUs: 5_000 };

  test("a misspelt pm.governor key is refused naming the nearest and every known key (minIdelUs left the default 10 ms in silence)", () => {
    expect(pmError({ states: [LIGHT], governor: { enabled: true, minIdelUs: 50_000 } })).toBe(
      "boards/test-board: pm.governor has an unknown field \"minIdelUs\": did you mean \"minIdleUs\"? (known: enabled, minIdleUs, wakeMarginUs): fix it in the PmConfig");
    expect(pmError({ governor: { enabled: false, sleepy: true } })).toBe(
      "boards/test-board: pm.governor has an unknown field \"sleepy\" (known: enabled, minIdleUs, wakeMarginUs): fix it in the PmConfig");
  });

  test("a misspelt key of a pm.states entry is refused naming the entry (an extra extUs was ignored; a missing exitUs now names the typo)", () => {
    expect(pmError({ states: [LIGHT, { target: T_HIBERNATE, entryUs: 50_000, exitUs: 40_000, breakEvenUs: 3_100_000, extUs: 37_000 }] })).toBe(
      "boards/test-board: pm.states[1] has an unknown field \"extUs\": did you mean \"exitUs\"? (known: target, entryUs, exitUs, breakEvenUs): fix it in the PmConfig");
    expect(pmError({ states: [{ target: T_STANDBY, entryUs: 200, extUs: 536, breakEvenUs: 5_000 }] })).toBe(
      "boards/test-board: pm.states[0] has an unknown field \"extUs\": did you mean \"exitUs\"? (known: target, entryUs, exitUs, breakEvenUs): fix it in the PmConfig");
  });

  test("the shipped shapes pass: every known key, the optional ones left out", () => {
    expect(pmError({ states: [LIGHT], governor: { enabled: true, minIdleUs: 10_000, wakeMarginUs: 1_000 } })).toBe("");
    expect(pmError({ states: [LIGHT], governor: { enabled: false } })).toBe("");
  });
});

describe("register: DeviceSpec numbers", () => {
  test("a budget of 2^31 µs is refused instead of wrapping negative in the Int32Array (the runtime stayed BUSY for good)", () => {
    expect(registerError({ budgetUs: 2 ** 31 })).toBe(
      "boards/test-board: device \"dev\" budgetUs is 2147483648: must be an integer 1..2000000000 µs: lower it in its DeviceSpec");
  });

  test("the largest budget still times out a hung hook and the runtime comes back idle", () => {
    const env = new Env();
    const d = env.add({ name: "slow", budgetUs: MAX_BUDGET_US });
    env.pm.seal();
    d.behaviour.suspend = { kind: "hang" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(MAX_BUDGET_US - 1);
    expect(env.outcomes).toEqual([]);
    env.platform.advance(1);
    expect(env.outcomes).toEqual([TIMEOUT]);
    d.behaviour.suspend = { kind: "ok" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    expect(env.outcomes).toEqual([TIMEOUT, OK]);
  });

  test("a hook called late in a long stage keeps its whole budget: its deadline (start + budget) may pass 2^31 µs", () => {
    // bus waits 200 s on its child, then hangs: it times out 2,000 s after its own call, not when another
    // device's timer next looks at the deadlines (an Int32 deadline wrapped negative: TIMEOUT 5 s later).
    const env = new Env({ defaultBudgetUs: MAX_BUDGET_US });
    const bus = env.add({ name: "bus" });
    const a = env.add({ name: "a", parent: "bus" });
    const bus2 = env.add({ name: "bus2", budgetUs: 5_000_000 });
    const e = env.add({ name: "e", parent: "bus2" });
    env.pm.seal();
    a.behaviour.suspend = { kind: "pending", afterUs: 200_000_000 };
    e.behaviour.suspend = { kind: "pending", afterUs: 200_000_010 };
    bus.behaviour.suspend = { kind: "hang" };
    bus2.behaviour.suspend = { kind: "pending", afterUs: 1_000_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(200_000_000 + MAX_BUDGET_US - 1);
    expect(env.outcomes).toEqual([]);
    env.platform.advance(1);
    expect(env.outcomes).toEqual([TIMEOUT]);
    const st = env.pm.stats;
    expect([st.failDevice[st.failureSlot(0)], st.failStage[st.failureSlot(0)]]).toEqual([bus.id, S_SUSPEND]);
  });

  test("a hook called more than 2^31 µs into a stage gets its exact duration and its whole budget", () => {
    // c and b each wait 1,999 s, one after the other (children first): a is called 3,998 s into S2.
    const env = new Env({ defaultBudgetUs: MAX_BUDGET_US });
    const a = env.add({ name: "a" });
    const b = env.add({ name: "b", parent: "a" });
    const c = env.add({ name: "c", parent: "b" });
    env.pm.seal();
    c.behaviour.suspend = { kind: "pending", afterUs: 1_999_000_000 };
    b.behaviour.suspend = { kind: "pending", afterUs: 1_999_000_000 };
    a.behaviour.suspend = { kind: "pending", afterUs: 10_000_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(4_100_000_000);
    expect(env.outcomes).toEqual([OK]);
    const st = env.pm.stats;
    expect([c, b, a].map((x) => st.lastByStage[S_SUSPEND][x.id])).toEqual([1_999_000_000, 1_999_000_000, 10_000_000]);
    const tr = env.pm.trace, durations: number[] = [];
    for (let i = 0; i < tr.length; i++) {
      const slot = (tr.total - tr.length + i) % tr.capacity;
      if (tr.stageAt(slot) === S_SUSPEND && tr.eventAt(slot) === E_HOOK_DONE) durations.push(tr.duration[slot]);
    }
    expect(durations).toEqual([1_999_000_000, 1_999_000_000, 10_000_000]);
    a.behaviour.suspend = { kind: "hang" };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(3_998_000_000 + MAX_BUDGET_US - 1);
    expect(env.outcomes).toEqual([OK]);
    env.platform.advance(1);
    expect(env.outcomes).toEqual([OK, TIMEOUT]);
    expect(st.lastByStage[S_SUSPEND][a.id]).toBe(MAX_BUDGET_US);
    // The longest stays the budget: a 10 s wait started 3,998 s into the stage is 10 s, not 2^32 µs more.
    a.behaviour.suspend = { kind: "pending", afterUs: 10_000_000 };
    env.pm.suspend(T_STANDBY, TEST_NONE);
    env.platform.advance(4_100_000_000);
    expect(env.outcomes).toEqual([OK, TIMEOUT, OK]);
    expect([st.lastByStage[S_SUSPEND][a.id], st.maxByStage[S_SUSPEND][a.id]]).toEqual([10_000_000, MAX_BUDGET_US]);
  });

  test("every DeviceSpec number refuses NaN, negative, fractional, 2^31, Infinity and a string", () => {
    for (const f of SPEC_FIELDS) {
      for (const v of BAD) {
        const msg = registerError({ [f]: v });
        expect(msg.startsWith("boards/test-board: device \"dev\" " + f + " is ")).toBe(true);
        // The PowerManager's registry knows pm.irqLines (8 in the test board): a wake line is checked against it.
        expect(msg).toContain(rangeText(LIMITS["device." + f], f === "wakeLine" ? BASE_CONFIG.irqLines - 1 : undefined));
      }
    }
    for (const s of STAGES) {
      for (const v of BAD) {
        expect(registerError({ stageBudgetUs: { [s]: v } })).toMatch(
          new RegExp("^boards/test-board: device \"dev\" stageBudgetUs\\." + s + " is .*: must be an integer 1\\.\\.2000000000 µs: "));
      }
    }
  });

  test("Int16 and Uint8 fields: requestBlocks 40000, roles 256, wakeLine 1.5; unknown stage keys; nothing lands in the tables", () => {
    expect(registerError({ requestBlocks: 40_000 })).toBe(
      "boards/test-board: device \"dev\" requestBlocks is 40000: must be an integer 0..32767 blocks: lower it in its DeviceSpec");
    expect(registerError({ roles: 256 })).toMatch(/roles is 256: must be an integer 0\.\.3 \(ROLE_STORAGE 1 \| ROLE_WAKE 2\): lower it/);
    expect(registerError({ wakeLine: 1.5, roles: 2 })).toMatch(/wakeLine is 1.5: must be an integer 0\.\.7 \(below pm.irqLines 8\): use a whole number in its DeviceSpec$/);
    expect(registerError({ stageBudgetUs: { powerOff: 10 } })).toBe(
      "boards/test-board: device \"dev\" stageBudgetUs.powerOff is not a PENDING stage: use prepare, suspend, resume or reprobe in its DeviceSpec");
    const env = new Env();
    expect(() => env.add({ name: "dev", stateBytes: -4 })).toThrow(/stateBytes is -4/);
    expect(env.pm.graph.count).toBe(0);
  });

  test("a DeviceGraph given irqLines refuses a wake line beyond it; the default budget it falls back to is checked", () => {
    const g = new DeviceGraph("boards/g", 4, 8);
    expect(() => g.register({ name: "b", hooks: {}, roles: 2, wakeLine: 8 }, 10_000)).toThrow(
      "boards/g: device \"b\" wakeLine is 8: must be an integer 0..7 (below pm.irqLines 8): lower it in its DeviceSpec");
    expect(() => g.register({ name: "c", hooks: {} }, 2 ** 31)).toThrow(
      "boards/g: device \"c\" budgetUs falls back to defaultBudgetUs, which is 2147483648: must be an integer 1..2000000000 µs: lower it in the PmConfig");
    expect(g.register({ name: "d", hooks: {}, budgetUs: 5 }, 2 ** 31)).toBe(0);
  });

  test("property: a random bad number in a random PmConfig or DeviceSpec field is refused naming board, device, field and range", () => {
    const targets = [
      ...PM_FIELDS.map((f) => ({ kind: "pm", f, l: LIMITS["pm." + f] })),
      ...SPEC_FIELDS.map((f) => ({ kind: "spec", f, l: LIMITS["device." + f] })),
      ...STAGES.map((s) => ({ kind: "stage", f: "stageBudgetUs." + s, l: LIMITS["device.stageBudgetUs." + s] })),
    ];
    fc.assert(fc.property(fc.constantFrom(...targets).chain((t) => fc.tuple(fc.constant(t), bad(t.l, t.l.max))), ([t, v]) => {
      const name = "dev";
      const msg = t.kind === "pm" ? pmError({ [t.f]: v })
        : t.kind === "spec" ? registerError({ [t.f]: v })
        : registerError({ stageBudgetUs: { [t.f.slice(14)]: v } });
      expect(msg.startsWith("boards/test-board: ")).toBe(true);
      if (t.kind !== "pm") expect(msg).toContain("device \"" + name + "\" ");
      expect(msg).toContain((t.kind === "pm" ? "pm." : "") + t.f + " is ");
      expect(msg).toContain(rangeText(t.l, t.f === "wakeLine" ? BASE_CONFIG.irqLines - 1 : undefined));
    }), { numRuns: 1000 });
  });
});

describe("boot order", () => {
  test("a suspend (or an image resume) before seal is refused with the fix, and changes nothing: after seal it works", () => {
    const env = new Env();
    env.add({ name: "a" });
    expect(() => env.pm.suspend(T_STANDBY, TEST_NONE)).toThrow(
      new Error("boards/test-board: suspend before seal: call pm.seal() once every device is registered"));
    expect(() => env.pm.resumeFromImage(0)).toThrow(
      new Error("boards/test-board: resumeFromImage before seal: call pm.seal() once every device is registered"));
    expect([env.pm.phase, env.log, env.pm.trace.total]).toEqual([P_IDLE, [], 0]);
    env.pm.seal();
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.outcomes).toEqual([OK]);
  });

  test("a second seal is refused and changes nothing (the arena layout and the ports drivers hold stay)", () => {
    const env = new Env();
    env.add({ name: "a", stateBytes: 4 });
    env.pm.seal();
    const view = env.pm.port(0).state;
    expect(() => env.pm.seal()).toThrow(new Error("boards/test-board: seal called twice: the registry, arena layout and ports are made once, at boot"));
    expect(env.pm.port(0).state).toBe(view);
    expect(env.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    expect(env.outcomes).toEqual([OK]);
  });
});

describe("wake lines against pm.irqLines", () => {
  test("register refuses a wakeLine at or past irqLines, with or without ROLE_WAKE, and keeps nothing", () => {
    for (const roles of [0, ROLE_WAKE]) {
      const env = new Env({ irqLines: 8 });
      expect(() => env.add({ name: "b", roles, wakeLine: 99 })).toThrow(
        "boards/test-board: device \"b\" wakeLine is 99: must be an integer 0..7 (below pm.irqLines 8): lower it in its DeviceSpec");
      expect(env.pm.graph.count).toBe(0);
    }
  });
});
