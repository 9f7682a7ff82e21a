// Multi-line replies (help, status, devices, stats, trace, trace dump) written one line per step as TX room allows.
import { ROLE_STORAGE, ROLE_WAKE, D_FAILED } from "../runtime/status";
import { E_SUSPEND_BEGIN, E_SLEEP_ENTER, E_SLEEP_EXIT, E_WAKE, E_IRQ_LATCH, E_IRQ_DELIVER, EVENT_COUNT } from "../runtime/trace";
import type { Printer } from "./printer";
import { StatsReport } from "./stats-report";
import { PolicyReport } from "./policy-report";
import { RpmReport } from "./rpm-report";

export const J_NONE = 0;
export const J_HELP = 1;
export const J_STATUS = 2;
export const J_DEVICES = 3;
export const J_STATS = 4;
export const J_TRACE = 5;
export const J_DUMP = 6;
/** `trace all`: every record; J_TRACE leaves out IRQ latch/deliver records (a console session is mostly its own UART IRQs). */
export const J_TRACE_ALL = 7;
export const J_LOCKS = 8;
export const J_POLICY = 9;
/** `rpm`: runtime PM per device (console/rpm-report.ts). */ export const J_RPM = 10;

/** Records the power-management view shows: all but IRQ bookkeeping. */
function pmRecord(event: number): boolean {
  return event !== E_IRQ_LATCH && event !== E_IRQ_DELIVER;
}

/** Room one report line may need in the TX ring (the widest is a flight-recorder line, about 130 bytes with board-sized numbers). */
export const REPORT_LINE_MAX = 256;
/** Most prerequisites a devices line lists before "...". */
const NEEDS_SHOWN = 6;

/**
 * A report is a cursor (kind, next line, last line) rather than text: a trace dump of 512 records
 * is 16 KB, far more than the TX ring, so each step writes one line when the ring has room and the
 * console steps again on onWritable. No step allocates; trace lines use absolute record numbers so
 * records overwritten while a long dump waits are detected instead of printed wrong.
 */
export class Reports {
  private readonly p: Printer;
  kind = J_NONE;
  private next = 0;
  private end = 0;
  /** Trace reports: records shown and the absolute number of the oldest. */
  private count = 0;
  private first = 0;
  /** Power-management view: absolute number of the next record to consider. */
  private cursor = 0;
  /** Devices in tree order (depth-first by parent) and their depth, computed at boot. */
  private treeOrder: Int16Array = new Int16Array(0);
  private treeDepth: Uint8Array = new Uint8Array(0);
  private readonly stats: StatsReport;
  private readonly policy: PolicyReport;
  private readonly rpm: RpmReport;

  constructor(printer: Printer) {
    this.p = printer;
    this.stats = new StatsReport(printer);
    this.policy = new PolicyReport(printer);
    this.rpm = new RpmReport(printer);
  }

  /** Boot, after pm.seal(): the parent tree in print order. */
  bootTree(): void {
    const g = this.p.pm.graph;
    const n = g.count;
    this.treeOrder = new Int16Array(n);
    this.treeDepth = new Uint8Array(n);
    const stack: number[] = [];
    const depth: number[] = [];
    let k = 0;
    for (let root = n - 1; root >= 0; root--) {
      if (g.parent[root] < 0) { stack.push(root); depth.push(0); }
    }
    while (stack.length > 0) {
      const d = stack.pop() as number;
      const dep = depth.pop() as number;
      this.treeOrder[k] = d;
      this.treeDepth[k++] = dep;
      for (let c = n - 1; c >= 0; c--) {
        if (g.parent[c] === d) { stack.push(c); depth.push(dep + 1); }
      }
    }
  }

  get active(): boolean {
    return this.kind !== J_NONE;
  }

  /**
   * A suspend began while a dump was being written: its progress must not land between record lines,
   * and its records would overwrite the ones still to print. The dump ends here, saying how many
   * records it wrote (the host decoder accepts a cut dump as those records). False: no room to say so.
   */
  cutDump(): boolean {
    if (this.kind !== J_DUMP) return true;
    const r = this.p.ring;
    const w = this.p.words;
    const written = this.next > 1 ? this.next - 1 : 0;
    this.kind = J_NONE;
    if (r.free < REPORT_LINE_MAX / 2) return false;
    if (r.lastByte !== 0x0a) r.newline();
    r.bytes(w.dumpCut1);
    r.dec(written > this.count ? this.count : written);
    r.bytes(w.traceHeader2);
    r.dec(this.count);
    r.bytes(w.dumpCut2);
    r.newline();
    return true;
  }

  /** Starts a report. For J_TRACE `count` is how many records; others ignore it. */
  start(kind: number, count: number): void {
    const p = this.p;
    const g = p.pm.graph;
    const tr = p.pm.trace;
    this.kind = kind;
    this.next = 0;
    if (kind === J_HELP) this.end = p.words.help.length;
    else if (kind === J_STATUS || kind === J_DEVICES) this.end = 1 + g.count;
    else if (kind === J_STATS) this.end = this.stats.start();
    else if (kind === J_LOCKS) this.end = this.policy.startLocks();
    else if (kind === J_POLICY) this.end = this.policy.startPolicy();
    else if (kind === J_RPM) this.end = this.rpm.start();
    else if (kind === J_TRACE_ALL || kind === J_DUMP) {
      const held = tr.length;
      const n = kind === J_DUMP || count > held ? held : count;
      this.count = n;
      this.first = tr.total - n;
      this.end = 1 + n + (kind === J_DUMP ? 1 : 0);
    } else if (kind === J_TRACE) {
      // Newest first until `count` power-management records are found; printed oldest first.
      let n = 0;
      let abs = tr.total - 1;
      const oldest = tr.total - tr.length;
      this.first = tr.total;
      while (abs >= oldest && n < count) {
        if (pmRecord(tr.eventAt(abs % tr.capacity))) {
          n++;
          this.first = abs;
        }
        abs--;
      }
      this.count = n;
      this.cursor = this.first;
      this.end = 1 + n;
    } else this.kind = J_NONE;
  }

  /** Writes one line. Returns false when the report is finished. */
  step(): boolean {
    const k = this.kind;
    const i = this.next++;
    if (k === J_HELP) this.p.ring.bytes(this.p.words.help[i]);
    else if (k === J_STATUS) this.statusLine(i);
    else if (k === J_DEVICES) this.deviceLine(i);
    else if (k === J_STATS) this.stats.line(i);
    else if (k === J_LOCKS) this.policy.lockLine(i);
    else if (k === J_POLICY) this.policy.policyLine(i);
    else if (k === J_RPM) this.rpm.line(i);
    else if (k === J_TRACE || k === J_TRACE_ALL || k === J_DUMP) this.traceLine(i);
    this.p.ring.newline();
    if (this.next >= this.end) this.kind = J_NONE;
    return this.kind !== J_NONE;
  }

  private statusLine(i: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const pm = p.pm;
    if (i === 0) {
      r.bytes(w.phase);
      r.bytes(w.phaseNames[pm.phase]);
      r.bytes(w.comma);
      r.dec(pm.graph.count);
      r.bytes(w.devicesCount);
      p.status(pm.stats.lastOutcome);
      return;
    }
    r.bytes(w.indent);
    p.device(i - 1, p.nameWidth);
    r.bytes(w.state[pm.deviceState(i - 1)]);
    p.reprobeDue(i - 1);
  }

  private deviceLine(i: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const g = p.pm.graph;
    if (i === 0) {
      r.dec(g.count);
      r.bytes(w.treeHeader);
      return;
    }
    const d = this.treeOrder[i - 1];
    r.spaces(2 + 2 * this.treeDepth[i - 1]);
    p.device(d, 0);
    if (p.pm.deviceState(d) === D_FAILED) {
      // Before the needs: the host's tree parser reads everything after " needs " as names.
      r.bytes(w.failedTag);
      p.reprobeDue(d);
      r.bytes(w.close);
    }
    if ((g.roles[d] & ROLE_STORAGE) !== 0) r.bytes(w.roleStorage);
    if ((g.roles[d] & ROLE_WAKE) !== 0) {
      r.bytes(w.roleWake);
      r.dec(g.wakeLine[d]);
      r.bytes(w.close);
    }
    let shown = 0;
    for (let k = g.preStart[d]; k < g.preStart[d + 1]; k++) {
      const q = g.pre[k];
      if (q === g.parent[d]) continue;
      if (shown === NEEDS_SHOWN) {
        r.bytes(w.ellipsis);
        break;
      }
      r.bytes(shown === 0 ? w.needs : w.comma);
      p.device(q, 0);
      if (q === g.storage) r.bytes(w.storageMark);
      shown++;
    }
  }

  /** Line i of a trace report: 0 the header, 1..n records (oldest first), n + 1 the dump trailer. */
  private traceLine(i: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const tr = p.pm.trace;
    const dump = this.kind === J_DUMP;
    const n = this.count;
    if (i === 0) {
      if (dump) {
        r.bytes(w.dumpBegin);
        r.dec(n);
        r.bytes(w.dumpBegin2);
        r.dec(this.first + n);
        r.bytes(w.dumpBegin3);
      } else if (this.kind === J_TRACE) {
        r.bytes(w.traceHeader1);
        r.dec(n);
        r.bytes(w.tracePmHeader2);
        r.dec(tr.total);
        r.bytes(w.tracePmHeader3);
      } else {
        r.bytes(w.traceHeader1);
        r.dec(n);
        r.bytes(w.traceHeader2);
        r.dec(tr.total);
        r.bytes(w.traceHeader3);
      }
      return;
    }
    if (i > n) {
      r.bytes(w.dumpEnd);
      r.dec(n);
      r.bytes(w.records);
      return;
    }
    let abs = this.first + i - 1;
    if (this.kind === J_TRACE) {
      // Skips the IRQ records between two shown ones (an overwritten record ends the skip: it is reported below).
      abs = this.cursor;
      while (abs < tr.total && tr.total - abs <= tr.capacity && !pmRecord(tr.eventAt(abs % tr.capacity))) abs++;
      this.cursor = abs + 1;
    }
    if (tr.total - abs > tr.capacity) {
      // Overwritten while the report waited for TX room (a suspend ran meanwhile): say so, never print a newer record.
      r.bytes(w.overwritten);
      return;
    }
    const slot = abs % tr.capacity;
    if (dump) {
      r.bytes(w.dumpRecord);
      r.hexF64(tr.time[slot]);
      r.hexI16(tr.deviceAt(slot));
      r.hex2(tr.stageAt(slot) & 0xff);
      r.hex2(tr.eventAt(slot));
      r.hexI16(tr.statusAt(slot));
      r.hexI32(tr.duration[slot]);
      return;
    }
    p.time(tr.time[slot]);
    const d = tr.deviceAt(slot);
    if (d < 0) r.padded(w.dash, p.nameWidth);
    else p.device(d, p.nameWidth);
    const stage = tr.stageAt(slot);
    if (stage < 0) r.padded(w.dash, 15);
    else r.padded(w.stage[stage], 15);
    const ev = tr.eventAt(slot);
    if (ev < EVENT_COUNT) r.padded(w.event[ev], 14);
    else r.dec(ev);
    const status = tr.statusAt(slot);
    if (ev === E_SUSPEND_BEGIN || ev === E_SLEEP_ENTER) p.target(status);
    else if (ev === E_SLEEP_EXIT || ev === E_WAKE) p.cause(status);
    else if (ev === E_IRQ_LATCH || ev === E_IRQ_DELIVER) {
      r.bytes(w.line);
      r.dec(status);
    } else p.status(status);
  }
}
