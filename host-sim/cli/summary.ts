// After each suspend: per-stage durations, the slowest device per stage, outcome, wake cause and energy.
import * as E from "../../runtime/trace";
import { OK, STAGE_COUNT, S_PLATFORM, S_RELEASE, TARGET_NAMES } from "../../runtime/status";
import { type Paint, type TraceRecord, formatDuration, stageName, statusName } from "./progress";
import type { ShellEnergy } from "./shell-board";
import { formatCharge, formatCurrent, formatHours } from "../units";

export interface StageLine {
  stage: string;
  us: number;
  slowest: string;
  slowestUs: number;
}

export interface SuspendSummary {
  target: string;
  /** Test level: "" for a real suspend, "devices" or "platform" (nothing slept: a hold stood in for the sleep). */
  test: string;
  outcome: string;
  ok: boolean;
  /** "device stage status" of the failure that caused a rollback, or "". */
  failure: string;
  /** The failure was in a resume stage: not rolled back; the device was marked failed (and will be re-probed). */
  failedResuming: boolean;
  wake: string;
  stages: StageLine[];
  totalUs: number;
  energy: AttemptEnergy | null;
}

/**
 * Charge of this attempt alone (not of however long the shell sat idle before it): the sleep, the
 * transitions around it, and a battery estimate for the stated duty cycle, which is this attempt
 * repeated back to back (--timer-wake sets the sleep length of such a cycle).
 */
export interface AttemptEnergy {
  sleepUs: number;
  sleepUa: number;
  /** Suspend and resume transitions (everything of the attempt but the sleep). */
  activeUs: number;
  activeUa: number;
  chargeUc: number;
  cycleUs: number;
  batteryMah: number;
  batteryHours: number;
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
  private failedResuming = false;
  private wake = "";
  /** Charge (uC) at the attempt's begin, sleep entry and sleep exit; -1 when not seen. */
  private q0 = -1;
  private qSleep = -1;
  private qWake = -1;
  private tSleep = -1;
  private tWake = -1;
  /** Virtual time of the drain that delivered the record being pushed. */
  private now = 0;

  /** The attempt's test level (0 none, 1 devices, 2 platform): the caller reads it off the runtime at suspend begin. */
  test = 0;

  constructor(private readonly wakeName: (cause: number) => string) {}

  /** Feeds one record; answers the summary when the record ends an attempt. */
  push(r: TraceRecord, energy: ShellEnergy | null, batteryMah: number, now = r.time): SuspendSummary | null {
    this.now = now;
    switch (r.event) {
      case E.E_SUSPEND_BEGIN:
        this.reset(r.time, TARGET_NAMES[r.status] ?? "?");
        this.q0 = chargeAt(energy, r.time, this.now);
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
        this.qSleep = chargeAt(energy, r.time, this.now);
        this.tSleep = r.time;
        return null;
      case E.E_SLEEP_EXIT: {
        // After a hibernate the record comes from the new firmware, after its boot; its duration (the RTC's
        // sleep) ends the sleep at the wake, so the boot counts as awake, at the active current it drew.
        const rtcEnd = this.tSleep >= 0 && r.duration > 0 && r.duration < 2147483647 ? this.tSleep + r.duration : -1;
        const wokeAt = rtcEnd >= 0 && rtcEnd < r.time ? rtcEnd : r.time;
        this.qWake = chargeAt(energy, wokeAt, this.now);
        this.tWake = wokeAt;
        this.stageUs[S_PLATFORM] += wokeAt - this.stageStart[S_PLATFORM];
        this.wake = this.wakeName(r.status);
        return null;
      }
      case E.E_HOOK_CALL:
      case E.E_HOOK_PENDING:
        this.hookStart.set(r.device * 16 + r.stage, r.time);
        return null;
      case E.E_HOOK_DONE:
      case E.E_HOOK_FAIL:
      case E.E_RESUME_FAIL:
      case E.E_TIMEOUT: {
        // A hook's end record carries its duration; a timeout record is timed from its pending record.
        const start = this.hookStart.get(r.device * 16 + r.stage);
        const us = r.duration > 0 || start === undefined ? r.duration : r.time - start;
        if (r.stage >= 0 && us >= this.slowestUs[r.stage]) {
          this.slowestUs[r.stage] = us;
          this.slowest[r.stage] = r.name;
        }
        if (r.event === E.E_RESUME_FAIL && this.failure === "") {
          this.failure = r.name + " " + stageName(r.stage) + " " + statusName(r.status);
          this.failedResuming = true;
        }
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
          target: this.target, test: TEST_LEVELS[this.test] ?? "", outcome: statusName(r.status), ok: r.status === OK, failure: this.failure, failedResuming: this.failedResuming,
          wake: this.wake, stages, totalUs: r.time - this.begin,
          energy: this.attemptEnergy(chargeAt(energy, r.time, this.now), r.time, batteryMah),
        };
        this.begin = -1;
        return summary;
      }
      default:
        return null;
    }
  }

  private attemptEnergy(q3: number, t3: number, batteryMah: number): AttemptEnergy | null {
    if (q3 < 0 || this.q0 < 0) return null;
    const slept = this.tSleep >= 0 && this.tWake >= this.tSleep;
    const sleepUs = slept ? this.tWake - this.tSleep : 0;
    const sleepUc = slept ? this.qWake - this.qSleep : 0;
    const cycleUs = t3 - this.begin;
    const chargeUc = q3 - this.q0;
    const activeUs = cycleUs - sleepUs;
    const averageUa = cycleUs > 0 ? chargeUc / cycleUs * 1e6 : 0;
    return {
      sleepUs, sleepUa: sleepUs > 0 ? sleepUc / sleepUs * 1e6 : 0,
      activeUs, activeUa: activeUs > 0 ? (chargeUc - sleepUc) / activeUs * 1e6 : 0,
      chargeUc, cycleUs, batteryMah, batteryHours: averageUa > 0 ? batteryMah * 1000 / averageUa : Infinity,
    };
  }

  private reset(time: number, target: string): void {
    this.q0 = -1;
    this.qSleep = -1;
    this.qWake = -1;
    this.tSleep = -1;
    this.tWake = -1;
    this.begin = time;
    this.target = target;
    this.stageStart.fill(0);
    this.stageUs.fill(0);
    this.slowestUs.fill(0);
    this.slowest = [];
    this.hookStart.clear();
    this.failure = "";
    this.failedResuming = false;
    this.wake = "";
  }
}

/**
 * The meter's charge at a record's time: records are drained just after they happen, and the draw
 * since the meter's last sample is its present current, so the few microseconds between are taken back.
 */
function chargeAt(energy: ShellEnergy | null, time: number, now: number): number {
  if (energy === null) return -1;
  return energy.chargeUc() - energy.presentUa() * Math.max(0, now - time) / 1e6;
}

const TEST_LEVELS = ["", "devices", "platform"];
/** What stood in for the sleep at each test level (shown under the head line). */
const TEST_NOTES: { [level: string]: string } = {
  devices: "test=devices: S1-S3 ran, the platform was not called (IRQs on); nothing slept",
  platform: "test=platform: S1-S3 and the platform ran; a timed hold stood in for the target; nothing slept",
};

export function formatSummary(s: SuspendSummary, p: Paint): string {
  const out: string[] = [];
  const hold = s.test !== "";
  const head = "suspend " + s.target + (hold ? " test=" + s.test : "") + ": " + (s.ok ? "OK" : "FAILED " + s.outcome) +
    (s.failure !== "" ? " (" + s.failure + (s.ok ? ")" : s.failedResuming ? "; that device marked failed, re-probed later)" : "; rolled back, devices active)") : "") +
    (s.wake !== "" ? ", woke by " + s.wake : "");
  out.push(s.ok ? p.ok(p.bold(head)) : p.bad(head));
  if (hold) out.push(p.warn("  " + TEST_NOTES[s.test]));
  out.push(p.dim("  stage            duration      slowest device"));
  for (const l of s.stages) {
    out.push("  " + (hold && l.stage === "platform" ? "test hold" : l.stage).padEnd(15) + formatDuration(l.us).padStart(12) +
      (l.slowest !== "" && l.slowestUs > 0 ? "      " + l.slowest + " " + formatDuration(l.slowestUs) : ""));
  }
  out.push("  " + "total".padEnd(15) + formatDuration(s.totalUs).padStart(12));
  if (s.energy !== null) {
    const e = s.energy;
    out.push("  energy: " + (e.sleepUs > 0 ? (hold ? "held " : "asleep ") + formatDuration(e.sleepUs) + " at " + formatCurrent(e.sleepUa) + ", " : "") +
      "transitions " + formatDuration(e.activeUs) + " at " + formatCurrent(e.activeUa) + "; " + formatCharge(e.chargeUc) + " per cycle");
    out.push("  battery: this cycle (" + formatDuration(e.cycleUs) + ") repeated, a " + e.batteryMah + " mAh battery lasts " + formatHours(e.batteryHours) +
      (hold ? " (a test hold, not a sleep: run without test= for a real figure)" : e.sleepUs > 0 ? " (--timer-wake sets the sleep length)" : ""));
  }
  return out.join("\n");
}
