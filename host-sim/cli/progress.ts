// Host-side progress view: one line per stage and per device hook as the runtime's trace records it.
import { EVENT_NAMES } from "../../runtime/trace";
import * as E from "../../runtime/trace";
import { STAGE_NAMES, STATUS_NAMES, TARGET_NAMES } from "../../runtime/status";
import { formatDuration } from "../units";

/** The runtime's phases (runtime/phase.ts P_*) as the shell names them (`time`, a refused `wake timer`). */
const PHASES = ["idle", "suspending", "sleeping", "resuming", "rollback", "reprobing"];

/** A phase's name; a phase the runtime added since shows as its number rather than "undefined". */
export function phaseName(phase: number): string {
  return PHASES[phase] ?? String(phase);
}

/** One trace record, copied out of the ring (the shell may allocate; the runtime never does). */
export interface TraceRecord {
  time: number;
  device: number;
  /** Device name, or "" for system records. */
  name: string;
  stage: number;
  event: number;
  status: number;
  /** On a hook's end record: how long the hook took (µs); 0 otherwise. */
  duration: number;
}

export interface Paint {
  dim(s: string): string;
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  bold(s: string): string;
  /** The simulator's own marks ([sim], [trace]): a colour firmware output never gets. */
  sim(s: string): string;
}

const id = (s: string): string => s;
export const PLAIN: Paint = { dim: id, ok: id, bad: id, warn: id, bold: id, sim: id };
const sgr = (code: string) => (s: string): string => "\x1b[" + code + "m" + s + "\x1b[0m";
export const COLOUR: Paint = { dim: sgr("2"), ok: sgr("32"), bad: sgr("31;1"), warn: sgr("33"), bold: sgr("1"), sim: sgr("36") };

/** Virtual time as seconds with microsecond digits: `   2.001350s`. */
export function formatTime(us: number): string {
  return (us / 1e6).toFixed(6).padStart(11) + "s";
}

export { formatDuration };

export function stageName(stage: number): string {
  return stage >= 0 && stage < STAGE_NAMES.length ? STAGE_NAMES[stage] : "-";
}

export function statusName(status: number): string {
  return status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status;
}

/**
 * Formats one record, or null for records the view leaves out (hook calls, masking and IRQ latching
 * are there for `--trace all`). `hookStart` remembers when each device's hook was called so done
 * lines can show how long it took.
 */
export class ProgressFormatter {
  private readonly hookStart = new Map<number, number>();
  constructor(private readonly paint: Paint, private readonly wakeName: (cause: number) => string, private readonly all = false) {}

  format(r: TraceRecord): string | null {
    const p = this.paint;
    const t = p.dim(formatTime(r.time)) + "  ";
    const stage = stageName(r.stage).padEnd(14);
    const key = r.device * 16 + r.stage;
    switch (r.event) {
      case E.E_SUSPEND_BEGIN:
        return t + p.bold("suspend " + (TARGET_NAMES[r.status] ?? "?") + " begins");
      case E.E_STAGE_BEGIN:
        return r.stage === E_STAGE_PLATFORM ? null : t + p.bold("== " + stageName(r.stage));
      case E.E_HOOK_CALL:
        this.hookStart.set(key, r.time);
        return this.all ? t + "   " + stage + r.name.padEnd(10) + p.dim("call") : null;
      case E.E_HOOK_PENDING:
        this.hookStart.set(key, r.time);
        return t + "   " + stage + r.name.padEnd(10) + p.warn("pending");
      case E.E_HOOK_DONE:
        return t + "   " + stage + r.name.padEnd(10) + p.ok("ok") + this.took(key, r.time, r.duration);
      case E.E_HOOK_FAIL:
        return t + "   " + stage + r.name.padEnd(10) + p.bad("FAILED " + statusName(r.status)) + this.took(key, r.time, r.duration);
      case E.E_RESUME_FAIL:
        return t + "   " + stage + r.name.padEnd(10) + p.bad("FAILED " + statusName(r.status) + " (marked failed, others resume)") + this.took(key, r.time, r.duration);
      case E.E_TIMEOUT:
        return t + "   " + stage + r.name.padEnd(10) + p.bad("TIMEOUT (budget expired)") + this.took(key, r.time);
      case E.E_LATE:
        return t + "   " + stage + (r.name || "?").padEnd(10) + p.warn("late completion ignored (" + statusName(r.status) + ")");
      case E.E_ROLLBACK:
        return t + p.bad("!! rollback: " + (r.name || "wake") + " failed " + stageName(r.stage) + " with " + statusName(r.status));
      case E.E_SLEEP_ENTER:
        return t + p.bold("-- platform sleep (" + (TARGET_NAMES[r.status] ?? "?") + ")");
      case E.E_SLEEP_EXIT:
        return t + p.bold("-- woke: " + this.wakeName(r.status));
      case E.E_WAKE:
        return t + p.warn("-- wake source: " + this.wakeName(r.status));
      case E.E_BUSY:
        return t + p.warn("suspend refused: BUSY (one is in progress)");
      case E.E_SUSPEND_END:
        return t + (r.status === 0 ? p.ok("suspend ended: OK, system active") : p.bad("suspend ended: " + statusName(r.status) + ", system active"));
      default:
        return this.all ? t + p.dim(EVENT_NAMES[r.event] ?? "event " + r.event) + (r.name ? " " + r.name : "") : null;
    }
  }

  /** The hook's time: its end record's duration, else since its pending (or old-format call) record. */
  private took(key: number, now: number, duration = 0): string {
    const start = this.hookStart.get(key);
    this.hookStart.delete(key);
    const us = duration > 0 || start === undefined ? duration : now - start;
    return this.paint.dim("  " + formatDuration(us));
  }
}

const E_STAGE_PLATFORM = 3;
