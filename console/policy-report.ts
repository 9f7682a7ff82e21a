// The `locks` and `policy` replies, line by line: each PM lock's holder and hold time; the governor's policy and its last decisions with their reasons.
import { R_SLEEP, R_LOCK, R_BUSY, R_SHORT, R_LATENCY, R_NO_STATE, R_REFUSED, type Decision } from "../runtime/policy";
import { DECISIONS_KEPT } from "../runtime/governor";
import { LOCK_APP } from "../runtime/locks";
import type { Printer } from "./printer";

/**
 * Both replies are cursors like the other reports: `startLocks`/`startPolicy` count the lines, `line`
 * writes one. A decision is read by its absolute number, so one overwritten while the report waited
 * for TX room is said so rather than printed as a newer one. Durations print as "58 s", "3.1 s",
 * "2 ms" or "536 us" (one decimal at most): numbers and table bytes only, nothing allocates.
 */
export class PolicyReport {
  private readonly p: Printer;
  /** Decisions ever made when the `policy` report started, and how many it shows. */
  private total = 0;
  private shown = 0;

  constructor(printer: Printer) {
    this.p = printer;
  }

  /** `locks`: a header, then every application lock and every device lock ever taken. Returns the line count. */
  startLocks(): number {
    const n = this.lockShown(-1);
    return 1 + (n > 0 ? n : 1);
  }

  /** `policy`: the governor's settings, the states, a counts line, then the last decisions newest first. */
  startPolicy(): number {
    const g = this.p.pm.governor;
    this.total = g.total;
    this.shown = g.total < DECISIONS_KEPT ? g.total : DECISIONS_KEPT;
    return 3 + this.shown;
  }

  lockLine(i: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const l = p.pm.locks;
    if (i === 0) {
      r.bytes(w.locksHeader);
      r.dec(l.held);
      r.bytes(w.locksOf);
      r.dec(l.created);
      r.bytes(w.locksBad);
      r.dec(l.badReleases);
      return;
    }
    const h = this.lockShown(i - 1);
    r.bytes(w.indent);
    if (h < 0) {
      r.bytes(w.locksNone);
      return;
    }
    this.name(h);
    if (l.count[h] > 0) {
      r.bytes(w.lockHeld);
      r.dec(l.count[h]);
      r.bytes(w.forWord);
      r.dec(l.heldFor(h, p.pm.platform.now()));
      r.bytes(w.us);
    } else {
      r.bytes(w.lockFree);
    }
    r.bytes(w.lockAcquires1);
    r.dec(l.acquires[h]);
    r.bytes(w.lockAcquires2);
  }

  policyLine(i: number): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const g = p.pm.governor;
    if (i === 0) {
      r.bytes(g.enabled ? w.policyOn : w.policyOff);
      this.duration(g.minIdleUs);
      r.bytes(w.policyMargin);
      this.duration(g.wakeMarginUs);
      r.bytes(w.policyConstraint);
      if (g.tightest() < 0) r.bytes(w.none);
      else this.duration(g.tightest());
      r.bytes(w.policyDeadline);
      const next = g.nextDeadline();
      const now = p.pm.platform.now();
      if (next < 0) r.bytes(w.none);
      else {
        r.bytes(w.inWord);
        this.duration(next > now ? next - now : 0);
      }
      r.bytes(w.policyLocks);
      r.dec(p.pm.locks.held);
      return;
    }
    if (i === 1) {
      const st = g.states;
      r.bytes(w.policyStates);
      if (st.count === 0) r.bytes(w.policyNoStates);
      for (let k = 0; k < st.count; k++) {
        if (k > 0) r.bytes(w.semicolon);
        p.target(st.target[k]);
        r.bytes(w.stateEntry);
        this.duration(st.entryUs[k]);
        r.bytes(w.stateExit);
        this.duration(st.exitUs[k]);
        r.bytes(w.stateBreakEven);
        this.duration(st.breakEvenUs[k]);
      }
      r.bytes(w.policyDevices);
      this.duration(st.suspendSum + st.resumeSum);
      return;
    }
    if (i === 2) {
      r.bytes(w.decisions1);
      r.dec(g.total);
      r.bytes(w.decisions2);
      r.dec(g.sleeps[1]);
      r.bytes(w.decisions3);
      r.dec(g.sleeps[2]);
      r.bytes(this.shown === 0 ? w.decisionsNone : w.decisions4);
      return;
    }
    const abs = this.total - 1 - (i - 3);
    r.bytes(w.indent);
    if (g.total - abs > DECISIONS_KEPT) {
      r.bytes(w.overwritten);
      return;
    }
    const d = g.log[abs % DECISIONS_KEPT];
    p.time(d.time);
    this.decisionWords(d);
  }

  /**
   * One decision in words, as `policy` prints it after its time ("idle 58 s to next timer: hibernate,
   * break-even 3.1 s"). Also the timeline's marker text (host-sim/viz/governor-text.ts), which knows
   * only what a trace record carries: `other` -1 (no lock or phase named), `breakEvenUs` -1 (not said).
   */
  decisionWords(d: Decision): void {
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    const reason = d.reason;
    if (reason === R_LOCK) {
      r.bytes(w.whyLock);
      if (d.other >= 0) this.name(d.other);
      else r.bytes(w.whyLockAny);
      r.bytes(w.whyLockHeld);
      return;
    }
    if (reason === R_BUSY) {
      r.bytes(w.whyBusy);
      r.bytes(d.other >= 0 ? w.phaseNames[d.other] : w.whyBusyAny);
      r.bytes(w.whyBusy2);
      return;
    }
    if (reason === R_NO_STATE) {
      r.bytes(w.whyNoState);
      return;
    }
    if (d.idleUs < 0) r.bytes(w.whyNoDeadline);
    else {
      r.bytes(w.whyIdle);
      this.duration(d.idleUs);
    }
    if (reason === R_SLEEP) {
      if (d.idleUs >= 0) r.bytes(w.whyToNext);
      r.bytes(w.colon);
      p.target(d.target);
      if (d.breakEvenUs >= 0) {
        r.bytes(w.whyBreakEven);
        this.duration(d.breakEvenUs);
      }
      if (d.other > 0) {
        r.bytes(w.whyRuledOut1);
        p.target(d.other);
        r.bytes(w.whyRuledOut2);
        this.duration(d.constraintUs);
      }
    } else if (reason === R_SHORT) {
      r.bytes(w.whyShort);
      p.target(d.target);
      if (d.breakEvenUs >= 0) {
        r.bytes(w.whyShort2);
        this.duration(d.breakEvenUs);
      } else r.bytes(w.whyShortAny);
    } else if (reason === R_LATENCY) {
      r.bytes(w.whyLatency);
      p.target(d.target);
      r.bytes(w.whyLatency2);
      this.duration(d.latencyUs);
      if (d.constraintUs >= 0) {
        r.bytes(w.whyLatency3);
        this.duration(d.constraintUs);
      }
    } else if (reason === R_REFUSED) {
      r.bytes(w.colon);
      p.target(d.target);
      r.bytes(w.whyRefused);
      if (d.other >= 0) p.status(d.other);
    }
  }

  /** The k-th lock `locks` shows (application locks, and device locks ever taken); k = -1 counts them. */
  private lockShown(k: number): number {
    const l = this.p.pm.locks;
    let n = 0;
    for (let h = 0; h < l.created; h++) {
      if (l.kind[h] !== LOCK_APP && l.acquires[h] === 0) continue;
      if (n === k) return h;
      n++;
    }
    return k < 0 ? n : -1;
  }

  /** A lock's name: a device lock by its device's encoded name, an application lock from its own encoding. */
  private name(h: number): void {
    const p = this.p;
    const l = p.pm.locks;
    if (l.kind[h] !== LOCK_APP) p.device(p.pm.graph.indexOf(l.names[h]), 0);
    else if (h < p.lockNames.length) p.ring.bytes(p.lockNames[h]);
    else {
      p.ring.byte(0x23);
      p.ring.dec(h);
    }
  }

  /** "536 us", "2 ms", "2.5 ms", "58 s", "3.1 s". */
  private duration(us: number): void {
    const r = this.p.ring;
    const w = this.p.words;
    if (us < 1_000) {
      r.dec(Math.floor(us));
      r.bytes(w.us);
      return;
    }
    const div = us < 1_000_000 ? 1_000 : 1_000_000;
    const tenths = Math.floor((us * 10) / div);
    const whole = Math.floor(tenths / 10);
    r.dec(whole);
    if (tenths - whole * 10 !== 0) {
      r.byte(0x2e);
      r.dec(tenths - whole * 10);
    }
    r.bytes(div === 1_000 ? w.ms : w.seconds);
  }
}
