// Scripted drivers for the baseline contract tests: per-device hook behaviours, and a log of every hook call on the baseline's virtual clock.
import { OK, TIMEOUT } from "../../runtime/status";
import { BaselineBoard, type BaselineKind } from "../../bench/baseline/async-board";
import type { SleepClock } from "../../bench/baseline/drivers";
import { BUDGET_US } from "../../bench/synthetic/synth-board";

export const HOOK_NAMES = ["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume"] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** A scripted answer: `status` after `delayUs` (0: at once); `hang` never answers; `throws` throws (or rejects, async style). */
export interface Script {
  status?: number;
  delayUs?: number;
  hang?: boolean;
  throws?: boolean;
  /** Runs inside the hook call (e.g. raise a wake, or re-enter suspend). */
  onCall?: () => void;
}

export interface Call {
  d: number;
  hook: HookName;
  start: number;
  /** Virtual time the answer was given (-1: never). */
  end: number;
  status: number;
}

interface Clocked extends SleepClock {
  t: number;
}

/** One scripted board of `kind`; the synthetic PENDING durations apply where no script is given. */
export class Scenario {
  readonly calls: Call[] = [];
  readonly scripts = new Map<string, Script>();
  readonly board: BaselineBoard;

  constructor(readonly kind: BaselineKind, n: number, durations: "uniform" | "varied" = "varied") {
    this.board = new BaselineBoard(kind, n, { pendingEvery: 4, durations }, (d, clock, suspendUs, resumeUs) => {
      const c = clock as Clocked;
      const act = (hook: HookName, syntheticUs: number): number | Promise<number> => this.act(c, d, hook, syntheticUs);
      // Async style (naive, tuned): every pending-capable hook returns a Promise; sync style only when pending.
      const wrap = (hook: HookName, us: number) => (kind === "sync" || kind === "syncRec" ? () => act(hook, us) : async () => act(hook, us));
      return {
        prepare: wrap("prepare", 0),
        suspend: wrap("suspend", suspendUs),
        powerOffNoIrq: () => act("powerOffNoIrq", 0) as number,
        powerOnNoIrq: () => act("powerOnNoIrq", 0) as number,
        resume: wrap("resume", resumeUs),
      } as never;
    });
  }

  script(d: number, hook: HookName, s: Script): this {
    this.scripts.set(d + ":" + hook, s);
    return this;
  }

  private act(clock: Clocked, d: number, hook: HookName, syntheticUs: number): number | Promise<number> {
    const s = this.scripts.get(d + ":" + hook);
    const call: Call = { d, hook, start: clock.t, end: -1, status: -1 };
    this.calls.push(call);
    if (s?.onCall) s.onCall();
    if (s?.throws) throw new Error("scripted throw in " + hook + " of device " + d);
    const status = s?.status ?? OK;
    const delay = s?.delayUs ?? syntheticUs;
    if (s?.hang) return new Promise<number>(() => {});
    if (delay === 0) {
      call.end = clock.t;
      call.status = status;
      return status;
    }
    return clock.sleep(delay).then(() => {
      call.end = clock.t;
      call.status = status;
      return status;
    });
  }

  /** Runs one cycle to the end (no timer left); resolves with its outcome. */
  run(): Promise<number> {
    return new Promise((resolve) => this.board.cycle(resolve));
  }

  of(hook: HookName): Call[] {
    return this.calls.filter((c) => c.hook === hook);
  }

  devices(hook: HookName): number[] {
    return this.of(hook).map((c) => c.d);
  }
}

/** A late answer: after the budget expired. */
export const LATE_US = BUDGET_US + 500;
export { TIMEOUT, BUDGET_US };
