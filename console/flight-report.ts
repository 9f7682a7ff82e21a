// The flight-recorder lines of `stats`: the last K suspend attempts kept by the runtime, newest first, one line each.
import { F_SEQ, F_START, F_TARGET, F_OUTCOME, F_FAIL_DEVICE, F_FAIL_STAGE, F_WAKE, F_PARKED, F_TOTAL_US, F_STAGES } from "../runtime/flight";
import { STATUS_COUNT, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME, WAKE_NONE } from "../runtime/status";
import type { Printer } from "./printer";

/** Stages shown per attempt, in execution order (release is not timed by the runtime). */
const STAGES_SHOWN = 6;
/** Columns of the target and outcome names ("hibernate", "TIMEOUT"), so the variable part starts aligned. */
const TARGET_COLUMN = 10;
const OUTCOME_COLUMN = 8;

/**
 * One line per record:
 *   "#8 [    120000 us] standby   OK      wake line 0 (button), parked 0, S1 5 S2 69524 S3 5 sleep 958046 R1 8 R2 5 total 1027594 us"
 * After the outcome comes the failing device and stage (if one failed), then the wake cause (if the
 * attempt slept or was aborted by a wake source). A -1 in the record (sleep and total of an attempt
 * that hibernated: they span a reboot, whose clock restarted) prints as "?".
 *
 * The report snapshots the newest sequence number when it starts and prints records by sequence
 * number: the stats report waits for TX room line by line and a suspend may run meanwhile, so each
 * record's stored F_SEQ is checked and a slot reused meanwhile says so instead of printing a newer
 * attempt. Reading the Float64Array table and writing numbers allocates nothing (XS slot count 0);
 * codes are truncated to integers (`| 0`) before they index a word table.
 */
export class FlightReport {
  private readonly p: Printer;
  private readonly stages = new Int8Array([S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME]);
  /** Sequence number of the newest record when the report started, and how many records it shows. */
  private newest = 0;
  private count = 0;

  constructor(printer: Printer) {
    this.p = printer;
  }

  /** Starts the section; returns how many lines it has (a header, then one per record). */
  start(): number {
    const f = this.p.pm.flight;
    this.newest = f.total;
    this.count = f.total < f.capacity ? f.total : f.capacity;
    return 1 + this.count;
  }

  /** Line i of the section: 0 the header, 1..count the records (newest first). */
  line(i: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    if (i === 0) {
      if (this.count === 0) {
        r.bytes(w.flightNone);
        return;
      }
      r.bytes(w.flightHeader1);
      r.dec(this.count);
      r.bytes(w.flightHeader2);
      r.dec(this.newest);
      r.bytes(w.flightHeader3);
      return;
    }
    const f = p.pm.flight;
    const seq = this.newest - (i - 1);
    const base = f.recent(f.total - seq);
    r.bytes(w.indent);
    if (base < 0 || f.table[base + F_SEQ] !== seq) {
      r.bytes(w.overwritten);
      return;
    }
    this.record(seq, base);
  }

  private record(seq: number, base: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const t = p.pm.flight.table;
    r.byte(0x23);
    r.dec(seq);
    r.byte(0x20);
    p.time(t[base + F_START]);
    const target = t[base + F_TARGET] | 0;
    if (target >= 0 && target < w.target.length) r.padded(w.target[target], TARGET_COLUMN);
    else this.numberColumn(target);
    const outcome = t[base + F_OUTCOME] | 0;
    if (outcome >= 0 && outcome < STATUS_COUNT) r.padded(w.status[outcome], OUTCOME_COLUMN);
    else this.numberColumn(outcome);
    const failStage = t[base + F_FAIL_STAGE] | 0;
    const wake = t[base + F_WAKE] | 0;
    if (failStage >= 0) {
      p.device(t[base + F_FAIL_DEVICE] | 0, 0);
      r.byte(0x20);
      p.stageName(failStage);
      if (wake !== WAKE_NONE) r.bytes(w.comma);
    }
    if (wake !== WAKE_NONE) {
      r.bytes(w.flightWake);
      p.cause(wake);
    } else if (failStage < 0) {
      r.bytes(w.dash);
    }
    r.bytes(w.flightParked);
    r.dec(t[base + F_PARKED]);
    r.bytes(w.comma);
    for (let k = 0; k < STAGES_SHOWN; k++) {
      const s = this.stages[k];
      if (k > 0) r.byte(0x20);
      r.bytes(s === S_PLATFORM ? w.flightSleep : w.stageTag[s]);
      r.byte(0x20);
      this.duration(t[base + F_STAGES + s]);
    }
    r.bytes(w.total);
    this.duration(t[base + F_TOTAL_US]);
    r.bytes(w.us);
  }

  /** A duration in us; the runtime's -1 (unknown, across a reboot) prints as "?". */
  private duration(us: number): void {
    if (us < 0) this.p.ring.byte(0x3f);
    else this.p.ring.dec(us);
  }

  /** A code with no name (a corrupt or foreign record): the number, then a space. */
  private numberColumn(n: number): void {
    this.p.ring.dec(n);
    this.p.ring.byte(0x20);
  }
}
