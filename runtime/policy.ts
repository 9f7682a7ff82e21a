// The idle policy's rule: from the time to the next deadline, each state's latency and break-even, and the latency constraint, which state to enter.
import { T_STANDBY, T_HIBERNATE, isIndex } from "./status";

/** An idle state as a board lists it (`pm.states`, shallowest first): the numbers the rule weighs. */
export interface IdleState {
  /** T_STANDBY (light sleep) or T_HIBERNATE (deep sleep and a reboot from the image). */
  readonly target: number;
  /** Platform entry and exit latency, microseconds (exit: wake event to firmware running). */
  readonly entryUs: number;
  /** Exit latency, µs. */ readonly exitUs: number;
  /** Shortest idle time for which entering pays off (the transitions' energy against the state's saving). */
  readonly breakEvenUs: number;
}

// Why the governor decided what it did (a decision record's `reason`).
/** A state was chosen and its suspend started. */
export const R_SLEEP = 0;
/** A PM lock is held (`other` is the lock). */
export const R_LOCK = 1;
/** An attempt or a re-probe runs (`other` is the phase). */
export const R_BUSY = 2;
/** The idle time is below the shallowest allowed state's break-even (`target` names it). */
export const R_SHORT = 3;
/** Every state the idle time allows exceeds the latency constraint (`target` is the shallowest such). */
export const R_LATENCY = 4;
/** The board lists no idle state the runtime can enter. */
export const R_NO_STATE = 5;
/** The suspend the rule chose was refused (`other` is its status). */
export const R_REFUSED = 6;
/** How many reason codes there are (the length of REASON_NAMES). */
export const REASON_COUNT = 7;
/** Reason code -> its name, for reports. */
export const REASON_NAMES: readonly string[] = Object.freeze(["sleep", "lock", "busy", "short", "latency", "no-state", "refused"]);

/**
 * The rule's inputs and answer as plain fields (one object made at boot, rewritten per decision).
 * Times are platform microseconds; -1 means "none" (no deadline, no constraint).
 */
export class Decision {
  /** When the decision was made (platform µs). */
  time = 0;
  /** Why: an R_* code. */
  reason = R_NO_STATE;
  /** The chosen state's target (R_SLEEP), or the state a refusal names (R_SHORT, R_LATENCY); 0 none. */
  target = 0;
  /** Microseconds to the next deadline, -1 when nothing is due (sleep until a wake source). */
  idleUs = -1;
  /** The break-even the idle time was held against: max(state's breakEvenUs, its latency). */
  breakEvenUs = 0;
  /** The state's entry + exit latency plus every device's declared suspend and resume cost. */
  latencyUs = 0;
  /** The tightest latency constraint declared, -1 none. */
  constraintUs = -1;
  /** R_LOCK the lock, R_BUSY the phase, R_REFUSED the status, R_SLEEP a deeper target the constraint ruled out (0 none). */
  other = 0;
  /** R_SLEEP: absolute time of the timer wake (the deadline less the exit path), -1 none. */
  wakeAt = -1;
}

/** The board's states as parallel tables (checked at boot), plus the devices' declared costs. */
export class IdleStates {
  /** Number of states. */ readonly count: number;
  /** Per state: T_STANDBY or T_HIBERNATE. */ readonly target: Int8Array;
  /** Per state: entry latency, µs. */ readonly entryUs: Float64Array;
  /** Per state: exit latency, µs. */ readonly exitUs: Float64Array;
  /** Per state: break-even idle time, µs. */ readonly breakEvenUs: Float64Array;
  /** Per device: declared suspend and resume cost (µs), and their sums. */
  readonly suspendCost: Float64Array;
  /** Per device: declared resume cost, µs. */ readonly resumeCost: Float64Array;
  /** Sum of `suspendCost`, µs. */ suspendSum = 0;
  /** Sum of `resumeCost`, µs. */ resumeSum = 0;

  /** @boot */
  constructor(states: readonly IdleState[], maxDevices: number, where: string) {
    this.count = states.length;
    this.target = new Int8Array(states.length);
    this.entryUs = new Float64Array(states.length);
    this.exitUs = new Float64Array(states.length);
    this.breakEvenUs = new Float64Array(states.length);
    this.suspendCost = new Float64Array(maxDevices);
    this.resumeCost = new Float64Array(maxDevices);
    for (let i = 0; i < states.length; i++) {
      const s = states[i];
      if (s.target !== T_STANDBY && s.target !== T_HIBERNATE) {
        throw new Error(where + ": pm.states[" + i + "].target is " + String(s.target) + ": must be T_STANDBY (1) or T_HIBERNATE (2)");
      }
      if (i > 0 && s.target <= states[i - 1].target) {
        throw new Error(where + ": pm.states[" + i + "] is not deeper than pm.states[" + (i - 1) + "]: list the states shallowest first, each target once");
      }
      this.target[i] = s.target;
      this.entryUs[i] = s.entryUs;
      this.exitUs[i] = s.exitUs;
      this.breakEvenUs[i] = s.breakEvenUs;
    }
  }

  /** Boot: device d's declared costs (a driver's own suspend/resume path, µs). */
  declare(d: number, suspendUs: number, resumeUs: number): void {
    this.suspendSum += suspendUs - this.suspendCost[d];
    this.resumeSum += resumeUs - this.resumeCost[d];
    this.suspendCost[d] = suspendUs;
    this.resumeCost[d] = resumeUs;
  }

  /** State i's latency: entry + exit + every device's suspend and resume (an upper bound: branches overlap); -1 for no state's index. */
  latency(i: number): number {
    if (!isIndex(i, this.count)) return -1;
    return this.entryUs[i] + this.exitUs[i] + this.suspendSum + this.resumeSum;
  }

  /** Index of `target`'s state, or -1. */
  indexOf(target: number): number {
    for (let i = 0; i < this.count; i++) if (this.target[i] === target) return i;
    return -1;
  }
}

/**
 * The rule (Zephyr's residency policy with ESP-IDF's numbers): the deepest state whose effective
 * break-even, max(breakEvenUs, latency), fits in the idle time and whose latency is within the
 * constraint. `deadline` is absolute (-1: none, then any state fits and no timer wake is set);
 * `excluded` is a target the rule must skip (a hibernate refused a moment ago), 0 for none. The
 * timer wake is the deadline less the state's exit latency, the devices' resume costs and `marginUs`
 * (the runtime's own resume walk), so the firmware and its devices are back when the deadline comes.
 * Writes `out`; returns its reason.
 */
export function decide(st: IdleStates, now: number, deadline: number, constraint: number, excluded: number, marginUs: number, out: Decision): number {
  const idle = deadline < 0 ? -1 : deadline > now ? deadline - now : 0;
  out.time = now;
  out.idleUs = idle;
  out.constraintUs = constraint;
  out.other = 0;
  out.wakeAt = -1;
  let short = -1;
  let deepestBlocked = -1;
  let shallowestBlocked = -1;
  for (let i = st.count - 1; i >= 0; i--) {
    if (st.target[i] === excluded) continue;
    const latency = st.latency(i);
    const need = st.breakEvenUs[i] > latency ? st.breakEvenUs[i] : latency;
    // Also short when the timer wake (deadline less exit, resumes and margin) would come before the
    // suspend reached the sleep: the chip would sleep with no wake before its deadline.
    if (idle >= 0 && (idle < need || idle < latency + marginUs)) {
      short = i;
      continue;
    }
    if (constraint >= 0 && latency > constraint) {
      if (deepestBlocked < 0) deepestBlocked = i;
      shallowestBlocked = i;
      continue;
    }
    out.reason = R_SLEEP;
    out.target = st.target[i];
    out.breakEvenUs = need;
    out.latencyUs = latency;
    out.other = deepestBlocked >= 0 ? st.target[deepestBlocked] : 0;
    out.wakeAt = idle < 0 ? -1 : deadline - st.exitUs[i] - st.resumeSum - marginUs;
    return R_SLEEP;
  }
  const pick = shallowestBlocked >= 0 ? shallowestBlocked : short;
  out.reason = shallowestBlocked >= 0 ? R_LATENCY : short >= 0 ? R_SHORT : R_NO_STATE;
  out.target = pick >= 0 ? st.target[pick] : 0;
  out.latencyUs = pick >= 0 ? st.latency(pick) : 0;
  out.breakEvenUs = pick < 0 ? 0 : st.breakEvenUs[pick] > out.latencyUs ? st.breakEvenUs[pick] : out.latencyUs;
  return out.reason;
}
