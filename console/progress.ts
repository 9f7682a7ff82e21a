// Suspend/resume progress lines: a trace listener that prints one line per stage and per device as it happens.
import { OK, TEST_NONE, TEST_PLATFORM, STAGE_COUNT, S_PLATFORM, S_REPROBE, D_FAILED } from "../runtime/status";
import {
  E_SUSPEND_BEGIN, E_HOOK_DONE, E_HOOK_PENDING, E_HOOK_FAIL, E_TIMEOUT, E_LATE, E_RESUME_FAIL,
  E_STAGE_END, E_ROLLBACK, E_SLEEP_ENTER, E_SLEEP_EXIT, E_WAKE,
} from "../runtime/trace";
import type { Printer } from "./printer";

/** A record that reports a failure (printed even for an attempt the idle governor started). */
export function failureRecord(ev: number): boolean {
  return ev === E_HOOK_FAIL || ev === E_TIMEOUT || ev === E_LATE || ev === E_RESUME_FAIL || ev === E_ROLLBACK;
}

/** Room a progress line needs in the TX ring; a line that would not fit is dropped whole and counted. */
export const PROGRESS_LINE_MAX = 112;

/**
 * Runs inside the runtime's trace hook, so on the suspend path: it only copies table bytes and writes
 * numbers into the TX ring. It prints outcomes, not calls (a device line when its hook answered, one
 * line when a stage ends), which keeps a standby transition at about 7 lines per device plus 8; the
 * ring is sized for that (README.md). While the console's UART is off (S3 to its R2) lines wait in
 * the ring; the driver flushes them once its TX is back on.
 */
export class Progress {
  private readonly p: Printer;
  /** Lines dropped because the ring was full; reported once room returns. */
  droppedLines = 0;
  /** Lines printed. */
  lines = 0;

  constructor(printer: Printer) {
    this.p = printer;
  }

  /** Formats trace record `slot` if it is one progress shows. Returns true if a line was written. */
  record(slot: number): boolean {
    const p = this.p;
    const tr = p.pm.trace;
    const ev = tr.eventAt(slot);
    if (ev !== E_SUSPEND_BEGIN && ev !== E_HOOK_DONE && ev !== E_HOOK_PENDING && ev !== E_HOOK_FAIL &&
      ev !== E_TIMEOUT && ev !== E_LATE && ev !== E_RESUME_FAIL && ev !== E_STAGE_END && ev !== E_ROLLBACK &&
      ev !== E_SLEEP_ENTER && ev !== E_SLEEP_EXIT && ev !== E_WAKE) return false;
    const r = p.ring;
    if (r.free < PROGRESS_LINE_MAX) {
      this.droppedLines++;
      return false;
    }
    const w = p.words;
    const d = tr.deviceAt(slot);
    const stage = tr.stageAt(slot);
    const status = tr.statusAt(slot);
    const st = p.pm.stats;
    if (r.lastByte !== 0x0a) r.newline();
    p.time(tr.time[slot]);
    if (ev === E_SUSPEND_BEGIN) {
      r.bytes(w.suspendBegin);
      p.target(status);
      this.testLevel();
      r.newline();
      this.lines++;
      this.skippedLines(tr.time[slot]);
      return true;
    } else if (ev === E_SLEEP_ENTER) {
      if (p.pm.test !== TEST_NONE) {
        r.bytes(w.testHold[p.pm.test]);
        if (p.pm.test === TEST_PLATFORM) p.target(status);
      } else {
        r.bytes(w.sleepEnter);
        p.target(status);
      }
    } else if (ev === E_SLEEP_EXIT) {
      r.bytes(w.sleepExit);
      p.cause(status);
      if (p.pm.fromImage && p.pm.imageSleptUs < 0) {
        // The sleep began before a reboot whose clock restarted and no RTC told its length (flight record "?").
        r.bytes(w.sleepUnknown);
      } else {
        r.bytes(w.after);
        r.dec(st.stageDuration[S_PLATFORM]);
        r.bytes(w.us);
      }
    } else if (ev === E_WAKE) {
      r.bytes(w.wakeSource);
      p.cause(status);
    } else if (ev === E_ROLLBACK) {
      r.bytes(w.rollback);
      p.stageName(stage);
      r.byte(0x20);
      p.device(d, 0);
      r.byte(0x20);
      p.status(status);
    } else if (ev === E_STAGE_END) {
      p.stageColumn(stage);
      r.spaces(p.nameWidth);
      r.bytes(status === OK ? w.stageDone : w.stageEnded);
      if (status !== OK) {
        p.status(status);
        r.bytes(w.after);
      }
      r.dec(stage >= 0 && stage < STAGE_COUNT ? st.stageDuration[stage] : 0);
      r.bytes(w.us);
    } else {
      p.stageColumn(stage);
      p.device(d, p.nameWidth);
      this.deviceOutcome(ev, d, stage, status);
    }
    r.newline();
    this.lines++;
    return true;
  }

  /** "(console: N output lines dropped: TX ring full)" once there is room again. */
  reportDropped(): void {
    const p = this.p;
    if (this.droppedLines === 0 || p.ring.free < 2 * PROGRESS_LINE_MAX) return;
    if (p.ring.lastByte !== 0x0a) p.ring.newline();
    p.ring.bytes(p.words.dropped1);
    p.ring.dec(this.droppedLines);
    p.ring.bytes(p.words.dropped2);
    p.ring.newline();
    this.droppedLines = 0;
  }

  /**
   * After "suspend begins": one line per failed device, which sits the attempt out (the runtime leaves
   * it out of every stage; its re-probe comes between attempts). Marked for the outcome line.
   */
  private skippedLines(time: number): void {
    const p = this.p;
    const r = p.ring;
    const pm = p.pm;
    p.skipped.fill(0);
    for (let d = 0; d < pm.graph.count; d++) {
      if (pm.deviceState(d) !== D_FAILED) continue;
      p.skipped[d] = 1;
      if (r.free < PROGRESS_LINE_MAX) {
        this.droppedLines++;
        continue;
      }
      p.time(time);
      p.stageColumn(-1);
      p.device(d, p.nameWidth);
      r.bytes(p.words.skippedFailed);
      r.newline();
      this.lines++;
    }
  }

  private deviceOutcome(ev: number, d: number, stage: number, status: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    if (stage === S_REPROBE && (ev === E_HOOK_DONE || ev === E_RESUME_FAIL)) {
      // Between attempts: the answer is whether the device is back.
      if (ev === E_HOOK_DONE) {
        r.bytes(w.reprobeOk);
      } else {
        r.bytes(w.failed);
        p.status(status);
        r.bytes(w.reprobeFailed);
      }
      return;
    }
    if (ev === E_HOOK_DONE) {
      r.bytes(w.ok);
      if (d >= 0 && stage >= 0 && stage < STAGE_COUNT) {
        const us = p.pm.stats.lastByStage[stage][d];
        if (us > 0) {
          r.byte(0x20);
          r.dec(us);
          r.bytes(w.us);
        }
      }
    } else if (ev === E_HOOK_PENDING) {
      r.bytes(w.pending);
    } else if (ev === E_HOOK_FAIL || ev === E_RESUME_FAIL) {
      r.bytes(w.failed);
      p.status(status);
      if (ev === E_RESUME_FAIL) r.bytes(w.markedFailed);
    } else if (ev === E_TIMEOUT) {
      r.bytes(w.timeout);
      r.dec(d >= 0 && stage >= 0 ? p.pm.graph.budgetUs[d * STAGE_COUNT + stage] : 0);
      r.bytes(w.us);
    } else {
      r.bytes(w.late);
    }
  }

  private testLevel(): void {
    const p = this.p;
    if (p.pm.test === TEST_NONE) return;
    p.ring.bytes(p.words.testEq);
    p.ring.bytes(p.words.testNames[p.pm.test]);
  }
}
