// Turns trace records (live or decoded from a dump) and counter samples into a TimelineModel (host side: allocates).
import {
  E_SUSPEND_BEGIN, E_STAGE_BEGIN, E_HOOK_CALL, E_HOOK_DONE, E_HOOK_PENDING, E_HOOK_FAIL, E_TIMEOUT, E_LATE,
  E_ROLLBACK, E_MASK, E_UNMASK, E_IRQ_LATCH, E_IRQ_DELIVER, E_WAKE, E_SLEEP_ENTER, E_SLEEP_EXIT, E_SUSPEND_END,
  E_STAGE_END, E_RESUME_FAIL, E_BUSY, E_RELEASE, E_GOVERNOR, E_RPM_STATE, E_RPM_FAIL, E_RPM_BAD_PUT, EVENT_NAMES,
} from "../../runtime/trace";
import { RpmLane } from "./rpm-lane";
import { addSample } from "./step-counter";
import { newAttempt, summarizeAttempts } from "./attempts";
import { REASON_NAMES } from "../../runtime/policy";
import { governorRecord, governorText, type GovernorRecord } from "./governor-text";
import { inCycle } from "../../runtime/protocol";
import { OK, STAGE_NAMES, STATUS_NAMES, TARGET_NAMES, S_PLATFORM, T_HIBERNATE, WAKE_NONE } from "../../runtime/status";
import {
  type TimelineModel, type VizDevice, type VizSlice, type VizInstant, type VizCounter, type VizAttempt,
  type VizFlightRow, type VizEnergy, type VizDecision, laneOrder, wakeLabel, deviceOfLine, deviceName, stageName, statusName, targetName,
} from "./model";

export const COUNTER_MASKED = "irq masked";
export const COUNTER_CURRENT = "current";

export interface BuilderOptions {
  title?: string;
  board?: string;
  source?: "simulator" | "dump";
  /** Names a wake cause (IRQ line or WAKE_*); default: the device on that line, "timer", "test hold"... */
  wakeName?: (cause: number) => string;
  /** Words of a governor decision; default: the console's formatter on what the record carries (the live collector adds the governor's). */
  governorText?: (rec: GovernorRecord) => string;
}

/**
 * Slices open on a begin record and close on the matching end: a device runs at most one hook at a
 * time (the engine waits for hooks in flight before rollback), the system one stage and one sleep.
 * An end whose begin the ring already overwrote is counted in `unmatched` and otherwise ignored.
 */
export class TimelineBuilder {
  readonly devices: VizDevice[];
  private readonly options: BuilderOptions;
  private readonly slices: VizSlice[] = [];
  private readonly instants: VizInstant[] = [];
  private readonly counters: VizCounter[] = [];
  private readonly decisions: VizDecision[] = [];
  private readonly attempts: VizAttempt[] = [];
  private readonly rpm = new RpmLane();
  private readonly openHook = new Map<number, number>();
  private openStage = -1;
  private openSleep = -1;
  private attempt = -1;
  private inRollback = false;
  private records = 0;
  private unmatched = 0;
  private first = Infinity;
  private last = -Infinity;

  constructor(devices: VizDevice[], options: BuilderOptions = {}) {
    this.devices = devices;
    this.options = options;
    this.counter(COUNTER_MASKED, "", NaN, 0);
  }

  /** Live: a device's runtime-PM state when the collector attached (its lane starts with it). */
  rpmInitial(device: number, state: number): void {
    this.rpm.initial(device, state);
  }

  private wake(cause: number): string {
    return this.options.wakeName !== undefined ? this.options.wakeName(cause) : wakeLabel(this.devices, cause);
  }

  /**
   * One trace record, fields as runtime/trace.ts writes them. Records must arrive in time order. A
   * hook's end record carries its duration: a hook that answered at once has no other record, so its
   * slice starts at `time - duration`; one that answered PENDING opened its slice with that record.
   */
  record(time: number, device: number, stage: number, event: number, status: number, duration = 0): void {
    this.records++;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    switch (event) {
      case E_SUSPEND_BEGIN:
        this.beginAttempt(time, status);
        this.instant(time, event, -1, -1, status, "suspend " + targetName(status));
        return;
      case E_SUSPEND_END: {
        const a = this.attempt >= 0 ? this.attempts[this.attempt] : null;
        if (a === null) {
          this.unmatched++;
        } else {
          a.end = time;
          a.outcome = status;
        }
        this.instant(time, event, -1, -1, status, "suspend end: " + statusName(status));
        this.attempt = -1;
        this.inRollback = false;
        return;
      }
      case E_STAGE_BEGIN:
        // A re-probe of failed devices runs between attempts: its slices belong to no attempt.
        if (this.attempt < 0 && inCycle(stage)) this.beginAttempt(time, -1);
        this.openStage = this.open(time, -1, stage);
        return;
      case E_STAGE_END:
        if (this.openStage < 0) {
          this.unmatched++;
          return;
        }
        this.close(this.openStage, time, status, status !== OK);
        this.openStage = -1;
        return;
      case E_HOOK_CALL:
        // Dumps from firmware before the one-record-per-hook format still carry call records.
        if (this.attempt < 0) this.beginAttempt(time, -1);
        this.openHook.set(device, this.open(time, device, stage));
        return;
      case E_HOOK_PENDING: {
        if (this.attempt < 0 && inCycle(stage)) this.beginAttempt(time, -1);
        let s = this.openHook.get(device);
        if (s === undefined) {
          s = this.open(time, device, stage);
          this.openHook.set(device, s);
        }
        this.slices[s].pending = true;
        return;
      }
      case E_HOOK_DONE:
      case E_HOOK_FAIL:
      case E_RESUME_FAIL: {
        let s = this.openHook.get(device);
        if (s === undefined) {
          if (this.attempt < 0 && inCycle(stage)) this.beginAttempt(time - duration, -1);
          s = this.open(time - duration, device, stage);
        }
        this.openHook.delete(device);
        this.close(s, time, status, event !== E_HOOK_DONE);
        // A resume-stage failure has no rollback record, yet it is the attempt's failure all the same (the flight recorder says so).
        const a = event === E_RESUME_FAIL && this.attempt >= 0 ? this.attempts[this.attempt] : null;
        if (a !== null && a.failDevice < 0 && a.failStage < 0) {
          a.failDevice = device;
          a.failStage = stage;
          a.failStatus = status;
        }
        return;
      }
      case E_TIMEOUT:
        this.instant(time, event, device, stage, status, deviceName(this.devices, device) + " " + stageName(stage) + " timed out");
        return;
      case E_LATE:
        this.instant(time, event, device, stage, status, deviceName(this.devices, device) + ": late completion ignored (" + statusName(status) + ")");
        return;
      case E_ROLLBACK: {
        const a = this.attempt >= 0 ? this.attempts[this.attempt] : null;
        if (a !== null) {
          a.failDevice = device;
          a.failStage = stage;
          a.failStatus = status;
        }
        this.inRollback = true;
        this.instant(time, event, device, stage, status,
          "rollback: " + deviceName(this.devices, device) + " " + stageName(stage) + " " + statusName(status));
        return;
      }
      case E_MASK:
      case E_UNMASK:
        this.counter(COUNTER_MASKED, "", time, event === E_MASK ? 1 : 0);
        return;
      case E_IRQ_LATCH:
      case E_IRQ_DELIVER: {
        const d = deviceOfLine(this.devices, status);
        this.instant(time, event, d, -1, status,
          (event === E_IRQ_LATCH ? "irq latched: line " : "irq delivered: line ") + status + (d >= 0 ? " (" + this.devices[d].name + ")" : ""));
        return;
      }
      case E_WAKE: {
        const a = this.attempt >= 0 ? this.attempts[this.attempt] : null;
        if (a !== null && a.wake === WAKE_NONE) this.setWake(a, status);
        this.instant(time, event, deviceOfLine(this.devices, status), -1, status, "wake: " + this.wake(status));
        return;
      }
      case E_SLEEP_ENTER:
        if (this.attempt < 0) this.beginAttempt(time, status);
        this.openSleep = this.open(time, -1, S_PLATFORM);
        this.instant(time, event, -1, S_PLATFORM, status, "sleep: " + targetName(status));
        return;
      case E_SLEEP_EXIT: {
        // After a reboot from a hibernate image the resume starts here: no suspend-begin, no sleep-enter.
        if (this.attempt < 0) this.beginAttempt(time, T_HIBERNATE);
        if (this.openSleep >= 0) this.close(this.openSleep, time, OK, false);
        this.openSleep = -1;
        this.setWake(this.attempts[this.attempt], status);
        this.instant(time, event, -1, S_PLATFORM, status, "woke: " + this.wake(status));
        return;
      }
      case E_BUSY:
        this.instant(time, event, -1, -1, status, "suspend refused: BUSY (one in progress)");
        return;
      case E_GOVERNOR: {
        const rec = governorRecord(time, status, duration);
        const text = this.options.governorText !== undefined ? this.options.governorText(rec) : governorText(rec, null);
        this.decisions.push({ time, reason: rec.reason, reasonName: REASON_NAMES[rec.reason] ?? "reason " + rec.reason, target: rec.target, idleUs: rec.idleUs, text });
        this.instant(time, event, -1, -1, status, text);
        return;
      }
      case E_RELEASE:
        // One record for the release step (device -1): it frees every member's state area and request blocks at once.
        this.instant(time, event, device, stage, status, "reservations released (state areas, request blocks)");
        return;
      case E_RPM_STATE:
        this.rpm.state(time, device, status, duration);
        return;
      case E_RPM_FAIL:
        this.instant(time, event, device, -1, status, deviceName(this.devices, device) + " " + this.rpm.failText(device, status));
        return;
      case E_RPM_BAD_PUT:
        this.instant(time, event, device, -1, status, deviceName(this.devices, device) + ": " + this.rpm.badPutText(device));
        return;
      default:
        this.instant(time, event, device, stage, status, "event " + event);
    }
  }

  /** A counter sample: `value` holds from `time` on (step-counter.ts; NaN: the initial value). */
  counter(name: string, unit: string, time: number, value: number): void {
    addSample(this.counters, name, unit, time, value);
  }

  /** The model as of now; open slices end at `end` (default: the last record) marked open. */
  finish(end?: number, extra: { flight?: VizFlightRow[] | null; energy?: VizEnergy | null } = {}): TimelineModel {
    const start = this.first === Infinity ? 0 : this.first;
    const stop = Math.max(end ?? this.last, start);
    const slices = this.slices.map((s) => (s.end < 0 ? { ...s, end: stop, open: true } : { ...s }));
    const counters = this.counters.map((c) => ({
      name: c.name, unit: c.unit, times: c.times.map((t) => (Number.isNaN(t) ? start : t)), values: c.values.slice(),
    }));
    const attempts = summarizeAttempts(this.attempts, slices, counters.find((c) => c.name === COUNTER_CURRENT), stop);
    const { lanes, depth } = laneOrder(this.devices);
    const rpmLanes = lanes.filter((d) => this.devices[d].runtimePm === true || this.rpm.has(d));
    return {
      version: 1,
      title: this.options.title ?? "quiesce suspend timeline",
      board: this.options.board ?? "",
      source: this.options.source ?? "simulator",
      start, end: stop,
      devices: this.devices, lanes, depth, slices, rpm: this.rpm.finish(start, stop), rpmLanes, instants: this.instants.slice(), governor: this.decisions.slice(), counters, attempts,
      flight: extra.flight ?? null, energy: extra.energy ?? null,
      records: this.records, unmatched: this.unmatched,
      stageNames: STAGE_NAMES.slice(), statusNames: STATUS_NAMES.slice(), targetNames: TARGET_NAMES.slice(),
    };
  }

  private beginAttempt(time: number, target: number): void {
    this.attempt = this.attempts.length;
    this.inRollback = false;
    this.attempts.push(newAttempt(this.attempt, time, target));
  }

  private setWake(a: VizAttempt, cause: number): void {
    a.wake = cause;
    a.wakeLabel = this.wake(cause);
  }

  private open(time: number, device: number, stage: number): number {
    this.slices.push({
      device, stage, start: time, end: -1, status: OK, failed: false, pending: false,
      rollback: this.inRollback, attempt: this.attempt, open: false,
    });
    return this.slices.length - 1;
  }

  private close(index: number, time: number, status: number, failed: boolean): void {
    const s = this.slices[index];
    s.end = time;
    s.status = status;
    s.failed = failed;
  }

  private instant(time: number, event: number, device: number, stage: number, status: number, label: string): void {
    const kind = event < EVENT_NAMES.length ? EVENT_NAMES[event] : "event-" + event;
    this.instants.push({ time, kind, device, stage, status, label });
  }
}
