// Device runtime PM: per-device usage counts, autosuspend on one preallocated timer, runtime hooks driven by runtime-pm-table.ts.
import type { DeviceGraph } from "./graph";
import type { DeviceSpec } from "./driver";
import { E_RPM_STATE, E_RPM_FAIL, E_RPM_BAD_PUT } from "./trace";
import { TOKEN_SHIFT, TOKEN_STRIDE, SERIAL_MASK as GEN_MASK } from "./in-flight";
import { RpmLinks } from "./rpm-links";
import { RpmState, SETTLE_HIBERNATE, type RpmHost, type Hook, type RuntimeHooks } from "./rpm-state";
export type { RpmHost } from "./rpm-state";
export { SETTLE_STANDBY, SETTLE_HIBERNATE } from "./rpm-state";
import {
  RPM_ACTIVE, RPM_SUSPENDED, EV_IDLE, EV_GET, EV_OK, EV_ERROR, rpmStep,
  A_CALL_SUSPEND, A_CALL_RESUME, A_SUSPENDED, A_RESUMED, A_SUSPEND_FAILED, A_RESUME_FAILED, A_BAD,
} from "./runtime-pm-table";
import { OK, PENDING, FAILED, TIMEOUT, PROTOCOL, S_SUSPEND, S_RESUME, STAGE_COUNT, D_FAILED, isStatus } from "./status";

/** Runtime-PM tokens carry this bit: a port routes their completions here, never to the stage engine. */
export const RPM_TOKEN = 1 << 30;

/**
 * Invariants: `usage[d]` >= 0 (a put at 0 is PROTOCOL, counted); `active[s]` counts the consumers of s
 * (children and `needs` users) that are not RPM_SUSPENDED, so a supplier suspends only at 0 and a consumer
 * resumes only after its suppliers are RPM_ACTIVE; `skip[d]` is 1 exactly while d is RPM_SUSPENDED (a system
 * attempt's member selection reads it). Only `step` changes `state`, from the table, after the hook answered.
 * Every table is made at construction or `bind`; one platform timer serves every delay and budget.
 */
export class RuntimePm extends RpmState {

  /** Boot (register): the device's autosuspend delay (`autosuspendMs`, checked by config-check.ts); returns `d`. */
  declare(d: number, spec: DeviceSpec): number {
    this.delayUs[d] = spec.autosuspendMs === undefined ? -1 : spec.autosuspendMs * 1000;
    return d;
  }

  /** Boot (seal): which devices have runtime hooks (read once; called by name), suppliers (parent and `needs`) and consumers as CSR, every idle device's delay armed. @boot */
  bind(g: DeviceGraph, host: RpmHost): void {
    this.host = host;
    const n = (this.count = g.count);
    for (let d = 0; d < n; d++) {
      const h = g.hooks[d] as unknown as { [name: string]: unknown };
      if (h.runtimeSuspend === undefined && h.runtimeResume === undefined) { // most devices: one test, nothing stored
        if (this.delayUs[d] >= 0) throw new Error(g.board + ": device \"" + g.names[d] + "\" has autosuspendMs but no runtime hooks: implement runtimeSuspend and runtimeResume, or remove autosuspendMs");
        continue;
      }
      const s = typeof h.runtimeSuspend === "function" ? h.runtimeSuspend as Hook : null, r = typeof h.runtimeResume === "function" ? h.runtimeResume as Hook : null;
      // Both or neither: a device that could go down and never come back would lose its requests.
      if ((s === null) !== (r === null)) throw new Error(g.board + ": device \"" + g.names[d] + "\" has " + (s !== null ? "runtimeSuspend without runtimeResume" : "runtimeResume without runtimeSuspend") + ": implement both runtime hooks or neither");
      if (s === null) continue;
      this.self[d] = h as RuntimeHooks; this.capable[d] = 1; this.capableCount++;
      // Runtime hooks are budgeted as their system counterparts: S2 for runtimeSuspend, R2 for runtimeResume.
      this.budget[d * 2] = g.budgetUs[d * STAGE_COUNT + S_SUSPEND];
      this.budget[d * 2 + 1] = g.budgetUs[d * STAGE_COUNT + S_RESUME];
    }
    if (this.capableCount === 0) return; // no driver with runtime hooks: no runtime state ever changes, no links, no timer
    const links = new RpmLinks(g);
    this.supStart = links.supStart; this.sup = links.sup; this.conStart = links.conStart; this.con = links.con;
    for (let d = 0; d < n; d++) this.active[d] = this.conStart[d + 1] - this.conStart[d];
    // Idle from boot: every device with a delay and no consumer goes down after it (on the timer: drivers attach after seal).
    const now = this.platform.now();
    for (let d = 0; d < n; d++) if (this.capable[d] !== 0 && this.delayUs[d] >= 0 && this.active[d] === 0) this.due[d] = now + this.delayUs[d];
    this.arm();
  }

  /** pm_runtime_get: counts a user; OK active now, PENDING resuming (requests wait in the queue), FAILED its device failed. */
  get(d: number): number { this.usage[d]++; this.soon[d] = 0; return this.need(d); }

  /** pm_runtime_put (`auto` false: suspend now when idle) or put_autosuspend (after the delay). OK, or PROTOCOL at usage 0. */
  put(d: number, auto: boolean): number {
    if (this.usage[d] === 0) {
      this.badPuts++;
      if (this.records) this.trace.record(this.platform.now(), d, -1, E_RPM_BAD_PUT, PROTOCOL);
      return PROTOCOL;
    }
    if (--this.usage[d] === 0) {
      this.refused[d] = 0;
      // A put means "now": if a transition or a system attempt is in the way, it still holds when they end.
      if (!auto) this.soon[d] = 1;
      this.idle(d, auto ? this.delayUs[d] : 0);
    }
    return OK;
  }

  /** A system attempt starts: OK (go on), or PENDING until transitions end (and, for a hibernate, every device is active). */
  settle(how: number): number {
    if (this.capableCount === 0) return OK;
    this.settling = how; this.settleSync = true;
    if (how === SETTLE_HIBERNATE) for (let d = 0; d < this.count; d++) if (this.state[d] === RPM_SUSPENDED) this.need(d);
    this.settleSync = false;
    // Asked from inside a transition (its listener, a callback its failure ran): it starts once that has done its action.
    if (this.unsettled() || this.stepDepth > 0) return PENDING;
    this.settling = 0;
    return OK;
  }

  /** The system is idle again (attempt or re-probe over): deferred resumes start, idle devices re-arm their delay. */
  systemIdle(): void {
    if (this.capableCount === 0) return;
    for (let d = 0; d < this.count; d++) {
      if (this.state[d] === RPM_SUSPENDED && (this.usage[d] > 0 || this.want[d] !== 0)) this.need(d);
      // A running delay keeps its end (Linux keeps last_busy); a supplier with no delay and every consumer down goes at once.
      else if (this.soon[d] !== 0 || this.due[d] < 0) this.idle(d, this.soon[d] !== 0 || (this.delayUs[d] < 0 && this.conStart[d + 1] > this.conStart[d]) ? 0 : this.delayUs[d]);
    }
  }

  /** True while `token` is a runtime hook of its device in flight. */
  holds(token: number): boolean {
    const d = typeof token === "number" ? token & (TOKEN_STRIDE - 1) : -1; // a BigInt would throw at `&`
    return d >= 0 && (token | 0) === token && (token & RPM_TOKEN) !== 0 && d < this.count && ((token & ~RPM_TOKEN) >> TOKEN_SHIFT) === this.gen[d] && (this.running[d] === 1 || this.inHook === d);
  }

  /** A PENDING runtime hook completed; a stale token is counted and ignored. */
  complete(token: number, status: number): void {
    if (typeof token !== "number" || !this.holds(token)) return void this.late++;
    const d = token & (TOKEN_STRIDE - 1);
    if (!isStatus(status) || status === PENDING) status = this.bad(d, status, 0);
    if (this.inHook === d) return void (this.early < 0 ? (this.early = status) : this.late++); // a second one inside the call is late
    this.running[d] = 0;
    this.due[d] = -1;
    this.step(d, status === OK ? EV_OK : EV_ERROR, status);
  }

  /** Why `d` is needed active: a get, a consumer, a hibernate. OK when active now. */
  private need(d: number): number {
    if (this.host.deviceState(d) === D_FAILED) return FAILED;
    const st = this.state[d];
    if (st === RPM_ACTIVE) { this.due[d] = -1; this.want[d] = 0; return OK; }
    if (st !== RPM_SUSPENDED || !this.mayStart()) { this.want[d] = 1; return PENDING; }
    // Behind a supplier known failed: FAILED at once, without bringing the others up only to let them go again.
    if (this.cutOff(d)) { this.want[d] = 1; this.host.cutOff(d, true); return FAILED; }
    // Suppliers first (a bus before its chip): d waits, marked, and starts when the last one is active.
    let ready = OK;
    // While suppliers come up for d, none may idle down before d counts itself as their consumer (delay 0).
    this.needDepth++;
    for (let i = this.supStart[d]; i < this.supStart[d + 1] && ready !== FAILED; i++) { const r = this.need(this.sup[i]); if (r !== OK) ready = r; }
    this.needDepth--;
    // A failed supplier (Linux: the child's get returns the error): d stays down, wanted, until the supplier is back.
    if (ready !== OK) {
      this.want[d] = 1;
      // The walk cancelled the active suppliers' delays and brought the others up for d (as a get does): cut off, d holds
      // them no more (Linux rpm_put_suppliers).
      if (ready === FAILED) {
        for (let i = this.supStart[d]; i < this.supStart[d + 1]; i++) this.letGo(this.sup[i]);
        this.host.cutOff(d, true);
      }
      return ready;
    }
    // The walk ran suppliers' hooks and listeners: a system attempt may have started meanwhile (its settle ended), or d moved.
    const after = this.state[d];
    if (after === RPM_ACTIVE) { this.want[d] = 0; return OK; }
    if (after !== RPM_SUSPENDED || !this.mayStart()) { this.want[d] = 1; return PENDING; }
    this.want[d] = 0;
    this.step(d, EV_GET, OK);
    // A failed resume leaves the table's state active: the device's own failure decides first.
    return this.host.deviceState(d) === D_FAILED ? FAILED : this.state[d] === RPM_ACTIVE ? OK : PENDING;
  }

  /** A cut-off consumer lets go of supplier s: wanted by nobody else, it goes down when it can (and so, up the chain, do its own). */
  private letGo(s: number): void {
    if (this.usage[s] !== 0 || this.awaited(s)) return;
    const st = this.state[s];
    if (st === RPM_ACTIVE) return this.idle(s, this.delayUs[s] < 0 ? 0 : this.delayUs[s]);
    if (this.settling === SETTLE_HIBERNATE) return; // a hibernate wants every device up: its want stays
    this.want[s] = 0;
    if (st !== RPM_SUSPENDED) this.soon[s] = 1; // mid-transition: down at the first chance once it ends
    else for (let i = this.supStart[s]; i < this.supStart[s + 1]; i++) this.letGo(this.sup[i]); // waiting on its own suppliers
  }

  /** Usage 0, no active consumer: suspend after `delay` µs (0: now; -1: never); a suspend starts only while the system is idle. */
  private idle(d: number, delay: number): void {
    // After a refused suspend, not at once again (design.md: after its delay, or at a put or a consumer's suspend, which clear it).
    if (this.capable[d] === 0 || this.state[d] !== RPM_ACTIVE || this.usage[d] > 0 || this.active[d] > 0 || delay < 0 || (delay === 0 && this.refused[d] !== 0)) return;
    if (this.host.deviceState(d) === D_FAILED || this.awaited(d)) return;
    if (delay === 0 && this.needDepth === 0 && this.settling === 0 && this.host.systemIdle()) return this.step(d, EV_IDLE, OK);
    this.due[d] = this.platform.now() + delay;
    this.arm();
  }

  /**
   * d is active now, or refused to go down: the consumers that waited for it (a get during its transition) resume, if their
   * other suppliers let them. One cut off by a failed supplier answers FAILED again and releases d (which, after a refusal,
   * is not asked again at once: `idle`, so no loop).
   */
  private consumersGo(d: number): void {
    for (let i = this.conStart[d]; i < this.conStart[d + 1]; i++) if (this.want[this.con[i]] !== 0) this.need(this.con[i]);
  }

  /**
   * The one place runtime state changes: the table's row for (state, event), then its action. A system attempt
   * waiting for the transitions is told once the outermost step has done its action: a listener on the state
   * record (or a hook) may start steps of its own before this one has, say, marked its device failed.
   */
  private step(d: number, ev: number, status: number): void {
    this.stepDepth++;
    try {
      this.act(d, ev, status);
    } finally {
      this.stepDepth--;
    }
    if (this.stepDepth === 0 && this.settling !== 0 && !this.settleSync && !this.unsettled()) {
      this.settling = 0;
      this.onSettled();
    }
  }

  private act(d: number, ev: number, status: number): void {
    const row = rpmStep(this.state[d], ev);
    const was = this.state[d];
    this.state[d] = row.next;
    this.skip[d] = row.next === RPM_SUSPENDED ? 1 : 0;
    if ((was === RPM_SUSPENDED) !== (row.next === RPM_SUSPENDED)) this.down[0] += row.next === RPM_SUSPENDED ? 1 : -1;
    const now = this.platform.now();
    const a = row.action;
    // Failed before its record is written: a listener that reacts to it must not find it active and resume on it.
    if (a === A_RESUME_FAILED) this.host.failDevice(d);
    if (row.next !== was && this.records) this.trace.recordHook(now, d, -1, E_RPM_STATE, row.next, ev === EV_OK ? now - this.startedAt[d] : 0);
    if (a === A_SUSPENDED || a === A_RESUMED) this.refused[d] = 0;
    if (a === A_CALL_SUSPEND) this.call(d, 0);
    else if (a === A_CALL_RESUME) {
      for (let i = this.supStart[d]; i < this.supStart[d + 1]; i++) this.active[this.sup[i]]++;
      this.call(d, 1);
    } else if (a === A_SUSPENDED) {
      this.suspends[d]++;
      for (let i = this.supStart[d]; i < this.supStart[d + 1]; i++) if (--this.active[this.sup[i]] === 0) this.refused[this.sup[i]] = 0, this.idle(this.sup[i], this.delayUs[this.sup[i]] < 0 ? 0 : this.delayUs[this.sup[i]]);
      // A get that came during the suspend still resumes it (as Linux does); a put since then suspends it again after.
      if (this.usage[d] > 0 || this.want[d] !== 0 || this.settling === SETTLE_HIBERNATE) this.need(d);
      else this.soon[d] = 0;
    } else if (a === A_RESUMED) {
      this.resumes[d]++;
      this.want[d] = 0;
      this.host.cutOff(d, false);
      this.consumersGo(d);
      this.idle(d, this.soon[d] !== 0 ? 0 : this.delayUs[d]);
    } else if (a === A_SUSPEND_FAILED || a === A_RESUME_FAILED) {
      this.failures[d]++;
      this.lastError[d] = status;
      if (this.records) this.trace.recordHook(now, d, -1, E_RPM_FAIL, status, now - this.startedAt[d]);
      // Either way the get that waited on d is answered (d is active now, or failed): it must not resume d after a later suspend.
      this.want[d] = 0;
      if (a === A_RESUME_FAILED) this.cutConsumers(d);
      else {
        // Linux: a failed runtime_suspend leaves the device active and the resumes waiting on it go on (its consumers' first:
        // they then hold it). It is tried again after the delay (a delay of 0 or none: at the next put), never in a loop.
        this.soon[d] = 0, this.refused[d] = 1;
        this.consumersGo(d);
        if (this.delayUs[d] > 0) this.idle(d, this.delayUs[d]);
      }
    } else if (a === A_BAD) {
      this.late++;
    }
  }

  /** Calls runtime hook `which` (0 suspend, 1 resume) by name, as the engine calls the stage hooks, with a fresh token; a throw is THREW, anything but a status PROTOCOL. */
  private call(d: number, which: number): void {
    const gen = (this.gen[d] + 1) & GEN_MASK;
    this.gen[d] = gen;
    const token = RPM_TOKEN | (gen << TOKEN_SHIFT) | d;
    this.startedAt[d] = this.platform.now();
    // A hook may make another device's hook run (a get on it): the outer call's own completion survives it.
    const outerHook = this.inHook, outerEarly = this.early;
    this.inHook = d;
    this.early = -1;
    let status: unknown = OK;
    try {
      status = which === 0 ? this.self[d].runtimeSuspend(token) : this.self[d].runtimeResume(token);
    } catch (e) {
      status = this.threw(d, e);
    }
    const early = this.early;
    this.inHook = outerHook;
    this.early = outerEarly;
    if (early >= 0) status = status === PENDING ? early : this.completedInCall(d, status, early);
    else if (!isStatus(status)) status = this.bad(d, status, 0);
    if (status === PENDING) {
      this.running[d] = 1;
      this.due[d] = this.platform.now() + this.budget[d * 2 + which];
      return this.arm();
    }
    this.step(d, status === OK ? EV_OK : EV_ERROR, status as number);
  }

  /** Due delays suspend their idle device (if the system is idle then); due budgets fail their hook with TIMEOUT. */
  protected fired(): void {
    this.timerAt = -1;
    const now = this.platform.now();
    for (let d = 0; d < this.count; d++) {
      if (this.due[d] < 0 || this.due[d] > now) continue;
      this.due[d] = -1;
      if (this.running[d] === 1) {
        this.running[d] = 0;
        this.gen[d] = (this.gen[d] + 1) & GEN_MASK;
        this.host.gaveUp(d, TIMEOUT);
        this.step(d, EV_ERROR, TIMEOUT);
      } else {
        this.refused[d] = 0; // its delay ran out: the retry design.md promises, now or when the system is idle again
        if (this.settling === 0 && this.host.systemIdle()) this.idle(d, 0);
        else this.soon[d] = 1; // the delay ran out during a system attempt: down as soon as it ends (systemIdle)
      }
    }
    this.arm();
  }
}
