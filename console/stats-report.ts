// The `stats` reply: counts, failures, wake cause, stage durations, the flight recorder, per-device durations, IRQ queue health.
import { STAGE_COUNT, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, S_RESUME, S_RELEASE, S_PLATFORM, S_REPROBE, WAKE_NONE } from "../runtime/status";
import { inCycle } from "../runtime/protocol";
import { F_STAGES, F_TOTAL_US } from "../runtime/flight";
import type { Printer } from "./printer";
import { FlightReport } from "./flight-report";

/** Device stages shown in the per-device durations. */
const DEVICE_STAGES_SHOWN = 5;
/** Lines before the last failures: counts, outcome, failures per stage, durations, re-probes, the failures header. */
const HEAD = 6;

/**
 * Line by line (reports.ts steps it as TX room allows). The number of failure lines and of
 * flight-recorder lines is fixed when the report starts, so an attempt that runs while it waits for
 * room cannot shift the lines still to come.
 */
export class StatsReport {
  private readonly p: Printer;
  private readonly deviceStages = new Int8Array([S_PREPARE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, S_RESUME]);
  private readonly flight: FlightReport;
  private failShown = 0;
  private flightLines = 0;

  constructor(printer: Printer) {
    this.p = printer;
    this.flight = new FlightReport(printer);
  }

  /** Starts the report; returns its number of lines. */
  start(): number {
    this.failShown = this.failuresShown();
    this.flightLines = this.flight.start();
    return HEAD + 2 + this.failShown + this.p.pm.graph.count + this.flightLines;
  }

  private failuresShown(): number {
    const st = this.p.pm.stats;
    return st.failTotal < st.historySize ? st.failTotal : st.historySize;
  }

  /** Line i of the report. */
  line(i: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const st = p.pm.stats;
    const f = this.failShown;
    const h = f + this.flightLines;
    if (i === 0) {
      r.bytes(w.attempts); r.dec(st.attempts);
      r.bytes(w.okCount); r.dec(st.successes);
      r.bytes(w.failedCount); r.dec(st.failures);
      r.bytes(w.busyCount); r.dec(st.busyRefusals);
      r.bytes(w.wakeAborts); r.dec(st.wakeAborts);
      r.bytes(w.timeouts); r.dec(st.timeouts);
      r.bytes(w.lateCount); r.dec(st.lateCompletions);
      r.bytes(w.resumeFailures); r.dec(st.resumeFailures);
    } else if (i === 1) {
      r.bytes(w.lastOutcome);
      p.status(st.lastOutcome);
      r.bytes(w.lastWake);
      p.cause(st.lastWakeCause);
      if (st.lastWakeCause !== WAKE_NONE) {
        r.bytes(w.at);
        r.dec(st.lastWakeTime);
        r.bytes(w.us);
      }
    } else if (i === 2) {
      // The cycle's stages that can fail (re-probe failures have their own line).
      r.bytes(w.perStage);
      for (let s = 0; s < STAGE_COUNT; s++) {
        if (s === S_PLATFORM || s === S_RELEASE || !inCycle(s)) continue;
        r.byte(0x20);
        r.bytes(w.stage[s]);
        r.byte(0x20);
        r.dec(st.failuresPerStage[s]);
      }
    } else if (i === 3) {
      this.durations();
    } else if (i === 4) {
      const rec = p.pm.recovery;
      r.bytes(w.reprobes1); r.dec(rec.attempts);
      r.bytes(w.reprobes2); r.dec(rec.recovered);
      r.bytes(w.reprobes3); r.dec(st.failuresPerStage[S_REPROBE]);
      r.bytes(w.reprobes4);
    } else if (i === HEAD - 1) {
      r.bytes(f === 0 ? w.lastFailuresNone : w.lastFailures);
    } else if (i < HEAD + f) {
      const slot = st.failureSlot(i - HEAD);
      r.bytes(w.indent);
      p.time(st.failTime[slot]);
      p.failure(slot);
    } else if (i < HEAD + h) {
      // The flight recorder after the last failures: both are history, newest first.
      this.flight.line(i - HEAD - f);
    } else if (i === HEAD + h) {
      r.bytes(w.deviceDurations);
    } else if (i === HEAD + 1 + h + p.pm.graph.count) {
      // The board's IRQ event queue (Moddable task.queueLength): an overflow silences a pin, so it is shown.
      r.bytes(w.irqQueue1); r.dec(st.irqQueueOverflows);
      r.bytes(w.irqQueue2); r.dec(st.irqQueueMaxDepth);
    } else {
      const d = i - HEAD - 1 - h;
      r.bytes(w.indent);
      p.device(d, p.nameWidth);
      for (let k = 0; k < DEVICE_STAGES_SHOWN; k++) {
        const s = this.deviceStages[k];
        if (k > 0) r.byte(0x20);
        r.bytes(w.stageTag[s]);
        r.byte(0x20);
        r.dec(st.lastByStage[s][d]);
        r.bytes(w.slash);
        r.dec(st.maxByStage[s][d]);
      }
    }
  }

  /**
   * The last attempt's stage durations, read from its flight record so `stats` and the flight line
   * agree: after a hibernate the sleep, the total and the stages the image was written before are
   * unknown ("?"), where the RAM stats would say "woke after 1 us". Cycle stages only.
   */
  private durations(): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const f = p.pm.flight;
    const base = f.recent(0);
    r.bytes(w.durations);
    for (let s = 0; s < STAGE_COUNT; s++) {
      if (s === S_RELEASE || !inCycle(s)) continue;
      r.byte(0x20);
      r.bytes(w.stage[s]);
      r.byte(0x20);
      this.duration(base < 0 ? p.pm.stats.stageDuration[s] : f.table[base + F_STAGES + s]);
    }
    r.bytes(w.total);
    // The runtime keeps a whole attempt's length in the release slot (it has no hook to time).
    this.duration(base < 0 ? p.pm.stats.stageDuration[S_RELEASE] : f.table[base + F_TOTAL_US]);
    r.bytes(w.us);
  }

  private duration(us: number): void {
    if (us < 0) this.p.ring.byte(0x3f);
    else this.p.ring.dec(us);
  }
}
