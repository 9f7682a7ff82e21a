// The idle governor: a timer-driven policy that, while idle and unlocked, picks a state by the rule in policy.ts, arms its timer wake and suspends.
import type { Platform } from "./platform";
import type { PmLocks } from "./locks";
import type { Recorder } from "./recorder";
import { IdleStates, Decision, decide, type IdleState, R_SLEEP, R_LOCK, R_BUSY, R_SHORT, R_REFUSED, REASON_COUNT } from "./policy";
import { OK, INVALID, FAILED, T_HIBERNATE, TEST_NONE, isIndex } from "./status";
import { P_IDLE } from "./phase";

/** What the governor needs of the power manager. */
export interface GovernorHost {
  /** P_IDLE or the attempt's phase: the governor decides only at P_IDLE. */
  readonly phase: number;
  /** Starts a suspend, as `PowerManager.suspend` (OK, BUSY, INVALID, FAILED). */
  suspend(target: number, test: number): number;
}

/** `pm.governor` in the board's pm sizes: off unless `enabled`. */
export interface GovernorConfig {
  /** Whether the governor runs from boot (`enable` switches it at run time). */
  readonly enabled: boolean;
  /** Quiet time after the last activity (an attempt ended, a deadline or constraint moved, boot) before it decides; default 10 ms. The last lock's release decides on the next turn. */
  readonly minIdleUs?: number;
  /** The timer wake comes this much earlier still, for the runtime's own resume walk (R1, R2); default 1 ms. */
  readonly wakeMarginUs?: number;
}

/** Default `minIdleUs`: quiet this long after the last activity before deciding. */
export const MIN_IDLE_US = 10_000;
/** Default `wakeMarginUs`. */
export const WAKE_MARGIN_US = 1_000;
/** Deadlines and constraints beyond this (2^52 µs, 142 years) are refused: a timer wake must fit the chip's 64-bit µs count exactly. */
export const MAX_TIME_US = 4_503_599_627_370_496;
/** The longest delay between two decisions about a deadline already past. */
const STALE_MAX_US = 1_000_000;
/** Decisions kept for `policy` (newest first). */
export const DECISIONS_KEPT = 8;

/**
 * Runs only while the runtime is idle (like Recovery): activity re-arms one platform timer for
 * `minIdleUs` (the last lock's release for 0 µs: the next turn); when it fires, the governor reads the locks, the deadlines (the application's, each
 * device's, and the platform's own timers if it knows them) and the tightest latency constraint,
 * decides, records the decision (trace, counters, the last DECISIONS_KEPT) and, for a state, sets
 * the platform's timer wake and starts the suspend itself. A lock held waits for its release; a
 * deadline too close waits for it to pass. Every table is made in the constructor.
 */
export class IdleGovernor {
  /** The board's idle states as tables, plus the devices' declared costs. */
  readonly states: IdleStates;
  /** Quiet time before a decision, µs (`GovernorConfig.minIdleUs`). */
  readonly minIdleUs: number;
  /** How much earlier than the deadline the timer wake comes, µs (`GovernorConfig.wakeMarginUs`). */
  readonly wakeMarginUs: number;
  /** Decides only while true; set through `enable`. */
  enabled: boolean;
  /** The attempt in progress was started by the governor (the console keeps it quiet). */
  owns = false;
  /** The attempt that ended last was the governor's: `owns` is cleared before the done callback runs (an explicit suspend started there is not the governor's). */
  ownedLast = false;
  /** Per reason (R_*), decisions made; per target, suspends started. */
  readonly reasons: Uint32Array;
  /** Per target (T_*): suspends the governor started. */ readonly sleeps: Uint32Array;
  /** The last decisions: slot (total - 1 - i) % DECISIONS_KEPT is the i-th newest. */
  readonly log: Decision[] = [];
  /** Decisions made since boot. */
  total = 0;
  /** Latency constraints and next deadlines (µs; -1 none): the application's, then one per device. */
  appConstraintUs = -1;
  /** The application's next deadline (absolute µs, -1 none). */ appDeadline = -1;
  /** Per device: latency constraint (µs, -1 none). */ readonly deviceConstraintUs: Float64Array;
  /** Per device: next deadline (absolute µs, -1 none). */ readonly deviceDeadline: Float64Array;
  private readonly platform: Platform;
  private readonly locks: PmLocks;
  private readonly host: GovernorHost;
  private readonly rec: Recorder;
  private readonly devices: () => number;
  private readonly timer: number;
  private readonly d = new Decision();
  /** The delay before asking again about a deadline already past (doubles; reset by any activity). */
  private staleUs = 0;

  constructor(config: GovernorConfig | undefined, states: readonly IdleState[], maxDevices: number, devices: () => number,
    platform: Platform, locks: PmLocks, host: GovernorHost, rec: Recorder, where: string) {
    this.states = new IdleStates(states, maxDevices, where);
    this.enabled = config !== undefined && config.enabled === true;
    this.minIdleUs = config === undefined || config.minIdleUs === undefined ? MIN_IDLE_US : config.minIdleUs;
    this.wakeMarginUs = config === undefined || config.wakeMarginUs === undefined ? WAKE_MARGIN_US : config.wakeMarginUs;
    this.platform = platform;
    this.locks = locks;
    this.host = host;
    this.rec = rec;
    this.devices = devices;
    this.staleUs = this.minIdleUs;
    this.reasons = new Uint32Array(REASON_COUNT);
    this.sleeps = new Uint32Array(T_HIBERNATE + 1);
    for (let i = 0; i < DECISIONS_KEPT; i++) this.log.push(new Decision());
    this.deviceConstraintUs = new Float64Array(maxDevices).fill(-1);
    this.deviceDeadline = new Float64Array(maxDevices).fill(-1);
    this.timer = platform.createTimer(() => this.evaluate());
    locks.setFreeListener(() => this.released());
  }

  /** Boot: device d's declared suspend and resume costs (DeviceSpec); returns d. */
  declare(d: number, spec: { readonly suspendCostUs?: number; readonly resumeCostUs?: number }): number {
    this.states.declare(d, spec.suspendCostUs ?? 0, spec.resumeCostUs ?? 0);
    return d;
  }

  /**
   * Turns the governor on or off at run time (the board's `pm.governor.enabled` is the boot value): OK, or
   * INVALID, changing nothing, for anything but true or false (the string "false" is truthy: it would turn it on).
   */
  enable(on: boolean): number {
    if (on !== true && on !== false) return INVALID;
    this.enabled = on;
    if (on) this.kick();
    else this.platform.cancel(this.timer);
    return OK;
  }

  /** Activity: decide again after `minIdleUs` of quiet (only while enabled and idle). */
  kick(): void {
    this.staleUs = this.minIdleUs;
    if (this.enabled && this.host.phase === P_IDLE) this.platform.schedule(this.timer, this.minIdleUs);
  }

  /**
   * The last lock was released: its holder says it is done, so decide on the next turn rather than
   * after `minIdleUs` (a 0 µs timer: not inside the release, which may run in a driver's completion,
   * and a lock taken again in the same turn still keeps it awake). Each awake ms costs the active
   * current (68 mA at 240 MHz, ESP32-DS Table 8); the break-even rule still guards against short sleeps.
   */
  released(): void {
    this.staleUs = this.minIdleUs;
    if (this.enabled && this.host.phase === P_IDLE) this.platform.schedule(this.timer, 0);
  }

  /** An attempt ended (the system is active again). */
  attemptEnded(): void {
    // A wake time the attempt did not use (it was aborted before the sleep) must not reach a later sleep.
    if (this.owns && this.platform.wakeAt !== undefined) this.platform.wakeAt(-1);
    this.ownedLast = this.owns;
    this.owns = false;
    this.kick();
  }

  /**
   * Device d's (or the application's, d = -1) next deadline: absolute platform µs, -1 none. OK, or
   * INVALID (nothing changed) for anything else: not a number ("5", true, undefined), NaN, other negatives, beyond MAX_TIME_US;
   * and for a `d` that is neither -1 nor a registered device's id (NaN, 1.5, 99, "0").
   */
  setDeadline(d: number, atUs: number): number {
    if (this.refuses(d, atUs)) return INVALID;
    if (d < 0) this.appDeadline = atUs;
    else this.deviceDeadline[d] = atUs;
    this.kick();
    return OK;
  }

  /** Device d's (or the application's, d = -1) latency constraint in µs, -1 none; OK, or INVALID as above. */
  constrain(d: number, us: number): number {
    if (this.refuses(d, us)) return INVALID;
    if (d < 0) this.appConstraintUs = us;
    else this.deviceConstraintUs[d] = us;
    this.kick();
    return OK;
  }

  /** `d` is neither the application (-1) nor a device, or `us` neither -1 nor 0..MAX_TIME_US: a time read by coercion, or a device's slot that is no slot. */
  private refuses(d: number, us: number): boolean {
    return (d !== -1 && !isIndex(d, this.devices())) || typeof us !== "number" || !(us === -1 || (us >= 0 && us <= MAX_TIME_US));
  }

  /** A lock was taken during the governor's own attempt: it is aborted at the next stage boundary (WAKEUP). */
  lockTaken(): boolean {
    return this.owns && this.locks.held > 0;
  }

  /** The earliest deadline (absolute µs) of the application, the devices and the platform's timers, or -1. */
  nextDeadline(): number {
    let best = this.appDeadline;
    const n = this.devices();
    for (let d = 0; d < n; d++) {
      const t = this.deviceDeadline[d];
      if (t >= 0 && (best < 0 || t < best)) best = t;
    }
    const p = this.platform.nextDeadline === undefined ? -1 : this.platform.nextDeadline();
    return p >= 0 && (best < 0 || p < best) ? p : best;
  }

  /** The tightest latency constraint declared (µs), or -1. */
  tightest(): number {
    let best = this.appConstraintUs;
    const n = this.devices();
    for (let d = 0; d < n; d++) {
      const c = this.deviceConstraintUs[d];
      if (c >= 0 && (best < 0 || c < best)) best = c;
    }
    return best;
  }

  /** The i-th newest decision (0 newest), or null: also for an `i` that is no integer 0 .. DECISIONS_KEPT - 1 (-1 read a slot by wrapping). */
  decision(i: number): Decision | null {
    return isIndex(i, DECISIONS_KEPT) && i < this.total ? this.log[(this.total - 1 - i) % DECISIONS_KEPT] : null;
  }

  /** The timer: decide and act. */
  private evaluate(): void {
    if (!this.enabled) return;
    const d = this.d;
    const now = this.platform.now();
    const deadline = this.nextDeadline();
    if (this.host.phase !== P_IDLE) {
      this.hold(now, R_BUSY, this.host.phase);
      return;
    }
    if (this.locks.held > 0) {
      this.hold(now, R_LOCK, this.locks.firstHeld());
      return;
    }
    let reason = decide(this.states, now, deadline, this.tightest(), 0, this.wakeMarginUs, d);
    if (reason === R_SLEEP) reason = this.start(d.target);
    // A hibernate refused (its storage device failed): the next shallower state, if the rule allows one.
    if (reason === R_REFUSED && d.target === T_HIBERNATE && d.other === FAILED) {
      this.keep(d);
      reason = decide(this.states, now, deadline, this.tightest(), T_HIBERNATE, this.wakeMarginUs, d);
      if (reason === R_SLEEP) reason = this.start(d.target);
    }
    this.keep(d);
    // Too close to a deadline: decide again once it passed (whatever it was for is done by then). A
    // deadline already past waits for its owner to move it: asked again after a doubling delay up to
    // 1 s, not every minIdleUs, so a stale deadline neither spins the CPU nor floods the trace.
    if (reason === R_SHORT && d.idleUs > 0) this.platform.schedule(this.timer, d.idleUs + this.minIdleUs);
    else if (reason === R_SHORT) {
      this.platform.schedule(this.timer, this.staleUs);
      this.staleUs = this.staleUs * 2 < STALE_MAX_US ? this.staleUs * 2 : STALE_MAX_US;
    }
  }

  /** Starts the chosen suspend with its timer wake; R_SLEEP, or R_REFUSED with the status in `other`. */
  private start(target: number): number {
    const d = this.d;
    if (this.platform.wakeAt !== undefined) this.platform.wakeAt(d.wakeAt);
    this.owns = true;
    // Recorded before the suspend starts, so the trace reads decision -> suspend-begin.
    this.rec.governor(d.time, R_SLEEP, target, d.idleUs);
    const status = this.host.suspend(target, TEST_NONE);
    if (status === OK) {
      this.sleeps[target]++;
      return R_SLEEP;
    }
    this.owns = false;
    if (this.platform.wakeAt !== undefined) this.platform.wakeAt(-1);
    d.reason = R_REFUSED;
    d.other = status;
    return R_REFUSED;
  }

  /** A decision to stay awake for a reason the rule never sees (lock, busy). */
  private hold(now: number, reason: number, other: number): void {
    const d = this.d;
    d.time = now;
    d.reason = reason;
    d.target = 0;
    d.idleUs = -1;
    d.breakEvenUs = 0;
    d.latencyUs = 0;
    d.constraintUs = -1;
    d.wakeAt = -1;
    d.other = other;
    this.keep(d);
  }

  /** Counts and keeps `d` (a copy into the log ring); the trace gets every decision but a started sleep (recorded before it). */
  private keep(d: Decision): void {
    this.reasons[d.reason]++;
    const slot = this.log[this.total % DECISIONS_KEPT];
    this.total++;
    slot.time = d.time;
    slot.reason = d.reason;
    slot.target = d.target;
    slot.idleUs = d.idleUs;
    slot.breakEvenUs = d.breakEvenUs;
    slot.latencyUs = d.latencyUs;
    slot.constraintUs = d.constraintUs;
    slot.other = d.other;
    slot.wakeAt = d.wakeAt;
    if (d.reason !== R_SLEEP) this.rec.governor(d.time, d.reason, d.target, d.idleUs);
  }
}
