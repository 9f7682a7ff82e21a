// The bench baselines keep the runtime's contract: dependency order, latency equal to the critical path, rollback, budgets, wakeups, BUSY.
import { describe, expect, it } from "vitest";
import { OK, BUSY, IO, TIMEOUT, WAKEUP, THREW, S_SUSPEND, S_RESUME, STAGE_COUNT } from "../../runtime/status";
import { TraceEvents, type TraceRing } from "../../runtime";
import type { RecordingSyncPowerManager } from "../../bench/baseline/sync-rec-pm";
import { BASELINE_KINDS, type BaselineKind } from "../../bench/baseline/async-board";
import { criticalPath, sequentialSum } from "../../bench/critical-path";
import { hookDuration, FIRST_LEAF, FLASH, BUDGET_US } from "../../bench/synthetic/synth-board";
import { Scenario, LATE_US, HOOK_NAMES, type HookName } from "./baseline-scenario";
import { EagerClock, type Timer } from "../../bench/baseline/eager-clock";

// These run in Node: the contract is engine-neutral code over promise jobs and setImmediate turns,
// which order the same way in XS; baseline-latency.test.ts repeats the latency check inside xsnap.

const SUSPEND_DIR: Record<HookName, boolean> = { prepare: true, suspend: true, powerOffNoIrq: true, powerOnNoIrq: false, resume: false };

/** Every call of `hook` started only after the devices it waits on (members of that stage) had answered. */
function orderViolations(s: Scenario, hook: HookName): string[] {
  const g = s.board.graph;
  const calls = s.of(hook);
  const byDevice = new Map(calls.map((c) => [c.d, c]));
  const bad: string[] = [];
  calls.forEach((c, i) => {
    const list = SUSPEND_DIR[hook] ? g.dep : g.pre;
    const start = SUSPEND_DIR[hook] ? g.depStart : g.preStart;
    for (let j = start[c.d]; j < start[c.d + 1]; j++) {
      const w = byDevice.get(list[j]);
      if (w === undefined) continue;
      if (calls.indexOf(w) > i || w.end < 0 || w.end > c.start) bad.push(`${hook}: ${c.d} ran before ${list[j]} finished`);
    }
  });
  return bad;
}

const sorted = (xs: number[]): number[] => xs.slice().sort((a, b) => a - b);
const all = (n: number): number[] => Array.from({ length: n }, (_, d) => d);

/** Synthetic PENDING durations of the "varied" board, as the latency bench computes the critical path from them. */
function varied(d: number, stage: number): number {
  const pending = d >= FIRST_LEAF && d % 4 === 0;
  if (stage === 1 && (pending || d === FLASH)) return hookDuration(d, 1, "varied");
  if (stage === 4 && pending) return hookDuration(d, 4, "varied");
  return 0;
}

describe.each(BASELINE_KINDS.map((k) => [k]))("%s baseline", (kind: BaselineKind) => {
  it("full cycle at N = 64: every hook once, dependency order in every stage, suspend and resume latency equal to the critical path", async () => {
    const s = new Scenario(kind, 64);
    expect(await s.run()).toBe(OK);
    for (const h of HOOK_NAMES) expect(sorted(s.devices(h))).toEqual(all(64));
    expect(HOOK_NAMES.flatMap((h) => orderViolations(s, h))).toEqual([]);
    const b = s.board;
    const cp = { suspend: criticalPath(b.graph, [0, 1], true, varied), resume: criticalPath(b.graph, [4], false, varied) };
    expect({ suspend: b.sleepAt - b.startAt, resume: b.doneAt - b.wakeAt }).toEqual(cp);
    // Independent branches overlapped: the critical path is far below every hook one after another.
    expect(cp.suspend * 3).toBeLessThan(sequentialSum(b.graph, [0, 1], varied));
  });

  it("a prepare failure ends the attempt with its status; no suspend or resume hook runs", async () => {
    const s = new Scenario(kind, 24).script(7, "prepare", { status: BUSY });
    expect(await s.run()).toBe(BUSY);
    expect([s.of("suspend").length, s.of("resume").length, s.board.sleeps]).toEqual([0, 0, 0]);
  });

  it("an S2 failure rolls back exactly the devices whose S2 answered OK, through R2 in resume order; the failed device's parent never suspends", async () => {
    const s = new Scenario(kind, 24).script(9, "suspend", { status: IO });
    expect(await s.run()).toBe(IO);
    const advanced = s.of("suspend").filter((c) => c.status === OK).map((c) => c.d);
    expect(advanced.length).toBeGreaterThan(0);
    expect(sorted(s.devices("resume"))).toEqual(sorted(advanced));
    expect(s.devices("suspend")).not.toContain(1); // spi0, parent of dev9
    expect([s.of("powerOffNoIrq").length, s.board.sleeps]).toEqual([0, 0]);
    expect(orderViolations(s, "resume")).toEqual([]);
  });

  it("an S3 failure powers on exactly what powered off, in reverse, then resumes every device; no sleep", async () => {
    const s = new Scenario(kind, 24).script(1, "powerOffNoIrq", { status: IO }); // spi0: after its children in suspend order
    expect(await s.run()).toBe(IO);
    const off = s.of("powerOffNoIrq").filter((c) => c.status === OK).map((c) => c.d);
    expect(off.length).toBeGreaterThan(0);
    expect(s.devices("powerOnNoIrq")).toEqual(off.slice().reverse());
    expect(sorted(s.devices("resume"))).toEqual(all(24));
    expect(s.board.sleeps).toBe(0);
  });

  it("a resume failure is reported, and every other device still resumes", async () => {
    const s = new Scenario(kind, 24).script(0, "resume", { status: IO });
    expect(await s.run()).toBe(IO);
    expect(sorted(s.devices("resume"))).toEqual(all(24));
  });

  it("a hook that never answers costs exactly its budget, answers TIMEOUT, and (it may have half-acted) gets its R2", async () => {
    const s = new Scenario(kind, 24).script(8, "suspend", { hang: true });
    expect(await s.run()).toBe(TIMEOUT);
    const started = s.of("suspend").find((c) => c.d === 8)!.start;
    const firstResume = Math.min(...s.of("resume").map((c) => c.start));
    expect(firstResume - started).toBe(BUDGET_US);
    expect(s.devices("resume").filter((d) => d === 8)).toEqual([8]);
  });

  it("a completion after the budget is ignored: TIMEOUT, one R2, and the next attempt succeeds", async () => {
    const s = new Scenario(kind, 24).script(8, "suspend", { delayUs: LATE_US });
    expect(await s.run()).toBe(TIMEOUT);
    const late = s.of("suspend").find((c) => c.d === 8)!;
    expect(late.end - late.start).toBe(LATE_US);
    expect(s.devices("resume").filter((d) => d === 8)).toEqual([8]);
    s.scripts.clear();
    expect(await s.run()).toBe(OK);
  });

  it("a wake during S2 aborts with WAKEUP after the stage: every device that suspended resumes, nothing powers off", async () => {
    const s = new Scenario(kind, 24);
    s.script(12, "suspend", { onCall: () => { s.board.pm.wakeLine = 0; } });
    expect(await s.run()).toBe(WAKEUP);
    expect(sorted(s.devices("resume"))).toEqual(sorted(s.devices("suspend")));
    expect(s.of("powerOffNoIrq").length).toBe(0);
  });

  it("a wake during S1 aborts with WAKEUP before any suspend hook", async () => {
    const s = new Scenario(kind, 24);
    s.script(3, "prepare", { onCall: () => { s.board.pm.wakeLine = 0; } });
    expect(await s.run()).toBe(WAKEUP);
    expect([s.of("suspend").length, s.of("resume").length]).toEqual([0, 0]);
  });

  it("a suspend requested while one is in progress answers BUSY; the attempt in progress completes", async () => {
    const s = new Scenario(kind, 24);
    let second = -1;
    s.script(8, "suspend", { onCall: () => void s.board.pm.suspend().then((r) => { second = r; }) });
    expect(await s.run()).toBe(OK);
    expect(second).toBe(BUSY);
  });
});

describe.each([["tuned"], ["sync"], ["syncRec"]] as [BaselineKind][])("%s baseline, like the runtime's dispatch", (kind) => {
  it("a hook that throws answers THREW and is rolled back like a failure (the naive draft lets the rejection escape instead)", async () => {
    const s = new Scenario(kind, 24).script(9, "suspend", { throws: true });
    expect(await s.run()).toBe(THREW);
    const advanced = s.of("suspend").filter((c) => c.status === OK).map((c) => c.d);
    expect(sorted(s.devices("resume"))).toEqual(sorted(advanced));
  });
});

describe("EagerClock (the tuned baselines' timer heap)", () => {
  it("fires in deadline order (ties in scheduling order) and never fires a cleared timer, over 2,000 random schedules and clears", async () => {
    const clock = new EagerClock();
    const fired: number[] = [];
    const expected: { at: number; id: number }[] = [];
    const timers: Timer[] = [];
    let seed = 12345;
    const rand = (k: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % k);
    for (let id = 0; id < 2000; id++) {
      const at = rand(500);
      timers.push(clock.after(at, () => fired.push(id)));
      expected.push({ at, id });
      if (rand(3) === 0) {
        const victim = rand(timers.length);
        clock.clear(timers[victim]);
        clock.clear(timers[victim]); // a second clear is harmless
        const i = expected.findIndex((e) => e.id === victim);
        if (i >= 0) expected.splice(i, 1);
      }
    }
    await new Promise<void>((resolve) => clock.drive(resolve));
    expected.sort((a, b) => a.at - b.at || a.id - b.id);
    expect(fired).toEqual(expected.map((e) => e.id));
  });
});

describe("sync-or-Promise + records (what the runtime writes at TRACE_HOOKS, written by the baseline)", () => {
  const eventsOf = (ring: TraceRing): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < ring.length; i++) {
      const slot = ring.slot(i);
      out.push([ring.deviceAt(slot), ring.stageAt(slot), ring.eventAt(slot), ring.statusAt(slot), ring.duration[slot]]);
    }
    return out;
  };

  it("one cycle at N = 12 writes the runtime's record sequence shape: attempt, stages, a record per hook with its duration, mask, sleep", async () => {
    const s = new Scenario("syncRec", 12, "uniform");
    expect(await s.run()).toBe(OK);
    const pm = s.board.pm as RecordingSyncPowerManager;
    const recs = eventsOf(pm.trace);
    const kinds = recs.map((r) => TraceEvents.EVENT_NAMES[r[2]]);
    // 12 devices x 5 hooks, a done record each; device 8 (every 4th leaf) and the flash pend in suspend, device 8 in resume.
    expect(kinds.filter((k) => k === "done").length).toBe(60);
    expect(recs.filter((r) => r[2] === TraceEvents.E_HOOK_PENDING).map((r) => [r[0], r[1]])).toEqual([[FLASH, S_SUSPEND], [8, S_SUSPEND], [8, S_RESUME]]);
    expect(kinds.filter((k) => k !== "done" && k !== "pending")).toEqual([
      "suspend-begin", "stage-begin", "stage-end", "stage-begin", "stage-end", "mask", "stage-begin", "stage-end",
      "sleep-enter", "sleep-exit", "stage-begin", "stage-end", "unmask", "stage-begin", "stage-end", "suspend-end",
    ]);
    // A pending hook's done record carries how long it took; its stats too.
    const done8 = recs.find((r) => r[0] === 8 && r[1] === S_SUSPEND && r[2] === TraceEvents.E_HOOK_DONE);
    expect(done8?.[4]).toBe(hookDuration(8, 1, "uniform"));
    expect(pm.stats.lastByStage[S_RESUME][8]).toBe(hookDuration(8, 4, "uniform"));
    expect(pm.stats.maxByStage[S_SUSPEND][FLASH]).toBe(hookDuration(FLASH, 1, "uniform"));
  });

  it("a failing hook gets a fail record with its status, and the rollback's resume hooks their done records", async () => {
    const s = new Scenario("syncRec", 24).script(9, "suspend", { status: IO });
    expect(await s.run()).toBe(IO);
    const recs = eventsOf((s.board.pm as RecordingSyncPowerManager).trace);
    expect(recs.filter((r) => r[2] === TraceEvents.E_HOOK_FAIL).map((r) => [r[0], r[1], r[3]])).toEqual([[9, S_SUSPEND, IO]]);
    const resumed = recs.filter((r) => r[1] === S_RESUME && r[2] === TraceEvents.E_HOOK_DONE).map((r) => r[0]);
    expect(sorted(resumed)).toEqual(sorted(s.devices("resume")));
  });
});
