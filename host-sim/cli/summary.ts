// After each suspend: per-stage durations, the slowest device per stage, outcome, wake cause and energy.
import * as E from "../../runtime/trace";
import { OK, STAGE_COUNT, S_PLATFORM, S_RELEASE, TARGET_NAMES } from "../../runtime/status";
import { type Paint, type TraceRecord, formatDuration, stageName, statusName } from "./progress";
import type { ShellEnergy } from "./shell-board";

export interface StageLine {
  stage: string;
  us: number;
  slowest: string;
  slowestUs: number;
}

export interface SuspendSummary {
  target: string;
  outcome: string;
  ok: boolean;
  /** "device stage status" of the failure that caused a rollback, or "". */
  failure: string;
  wake: string;
  stages: StageLine[];
  totalUs: number;
  energy: { averageUa: number; presentUa: number; elapsedUs: number; batteryMah: number; batteryHours: number } | null;
}

/**
 * Built from the trace stream rather than PmStats so it describes exactly the attempt that just ended,
 * even when the shell drains several attempts at once. A stage that ran twice (rollback mirrors)
 * adds up.
 */
export class SummaryBuilder {
  private begin = -1;
  private target = "";
  private stageStart = new Float64Array(STAGE_COUNT);
  private stageUs = new Float64Array(STAGE_COUNT);
  private slowestUs = new Float64Array(STAGE_COUNT);
  private slowest: string[] = [];
  private hookStart = new Map<number, number>();
  private failure = "";
  private wake = "";

  constructor(private readonly wakeName: (cause: number) => string) {}

  /** Feeds one record; answers the summary when the record ends an attempt. */
  push(r: TraceRecord, energy: ShellEnergy | null, batteryMah: number): SuspendSummary | null {
    switch (r.event) {
      case E.E_SUSPEND_BEGIN:
        this.reset(r.time, TARGET_NAMES[r.status] ?? "?");
        return null;
      case E.E_STAGE_BEGIN:
        if (r.stage >= 0) this.stageStart[r.stage] = r.time;
        return null;
      case E.E_STAGE_END:
        if (r.stage >= 0) this.stageUs[r.stage] += r.time - this.stageStart[r.stage];
        return null;
      case E.E_SLEEP_ENTER:
        this.stageStart[S_PLATFORM] = r.time;
        if (this.begin < 0) this.reset(r.time, TARGET_NAMES[r.status] ?? "?");
        return null;
      case E.E_SLEEP_EXIT:
        this.stageUs[S_PLATFORM] += r.time - this.stageStart[S_PLATFORM];
        this.wake = this.wakeName(r.status);
        return null;
      case E.E_HOOK_CALL:
        this.hookStart.set(r.device * 16 + r.stage, r.time);
        return null;
      case E.E_HOOK_DONE:
      case E.E_HOOK_FAIL:
      case E.E_RESUME_FAIL:
      case E.E_TIMEOUT: {
        const start = this.hookStart.get(r.device * 16 + r.stage);
        if (start !== undefined && r.stage >= 0 && r.time - start >= this.slowestUs[r.stage]) {
          this.slowestUs[r.stage] = r.time - start;
          this.slowest[r.stage] = r.name;
        }
        if (r.event === E.E_RESUME_FAIL && this.failure === "") this.failure = r.name + " " + stageName(r.stage) + " " + statusName(r.status);
        return null;
      }
      case E.E_ROLLBACK:
        if (this.failure === "") {
          this.failure = r.status === 6 ? "wake source (" + (r.name || "?") + ") before " + stageName(r.stage)
            : r.name + " " + stageName(r.stage) + " " + statusName(r.status);
        }
        return null;
      case E.E_SUSPEND_END: {
        if (this.begin < 0) this.reset(r.time, "?");
        const stages: StageLine[] = [];
        for (let s = 0; s < STAGE_COUNT; s++) {
          if (s === S_RELEASE || (this.stageUs[s] === 0 && this.slowest[s] === undefined && s !== S_PLATFORM)) continue;
          if (s === S_PLATFORM && this.wake === "") continue;
          stages.push({ stage: stageName(s), us: this.stageUs[s], slowest: this.slowest[s] ?? "", slowestUs: this.slowestUs[s] });
        }
        const summary: SuspendSummary = {
          target: this.target, outcome: statusName(r.status), ok: r.status === OK, failure: this.failure,
          wake: this.wake, stages, totalUs: r.time - this.begin,
          energy: energy === null ? null : {
            averageUa: energy.averageUa(), presentUa: energy.presentUa(), elapsedUs: energy.elapsedUs(),
            batteryMah, batteryHours: energy.batteryLifeHours(batteryMah),
          },
        };
        this.begin = -1;
        return summary;
      }
      default:
        return null;
    }
  }

  private reset(time: number, target: string): void {
    this.begin = time;
    this.target = target;
    this.stageStart.fill(0);
    this.stageUs.fill(0);
    this.slowestUs.fill(0);
    this.slowest = [];
    this.hookStart.clear();
    this.failure = "";
    this.wake = "";
  }
}

function current(ua: number): string {
  return ua >= 1000 ? (ua / 1000).toFixed(3) + " mA" : ua.toFixed(1) + " uA";
}

export function formatSummary(s: SuspendSummary, p: Paint): string {
  const out: string[] = [];
  const head = "suspend " + s.target + ": " + (s.ok ? "OK" : "FAILED " + s.outcome) +
    (s.failure !== "" ? " (" + s.failure + (s.ok ? ")" : "; rolled back, devices active)") : "") +
    (s.wake !== "" ? ", woke by " + s.wake : "");
  out.push(s.ok ? p.ok(p.bold(head)) : p.bad(head));
  out.push(p.dim("  stage            duration      slowest device"));
  for (const l of s.stages) {
    out.push("  " + l.stage.padEnd(15) + formatDuration(l.us).padStart(12) +
      (l.slowest !== "" && l.slowestUs > 0 ? "      " + l.slowest + " " + formatDuration(l.slowestUs) : ""));
  }
  out.push("  " + "total".padEnd(15) + formatDuration(s.totalUs).padStart(12));
  if (s.energy !== null) {
    const e = s.energy;
    const hours = e.batteryHours;
    const life = hours === Infinity ? "forever" : hours >= 48 ? hours.toFixed(0) + " h (" + (hours / 24).toFixed(1) + " days)" : hours.toFixed(1) + " h";
    out.push("  energy: average " + current(e.averageUa) + " over " + formatDuration(e.elapsedUs) + " virtual, now " +
      current(e.presentUa) + "; a " + e.batteryMah + " mAh battery lasts " + life + " at that average");
  }
  return out.join("\n");
}
