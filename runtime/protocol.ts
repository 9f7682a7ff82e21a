// The suspend/resume protocol as one frozen table: a row per stage; the sequencer and the engine only read it.
import {
  S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME, S_RELEASE, S_REPROBE, STAGE_COUNT,
  D_PREPARED, D_SUSPENDED, D_OFF, D_ACTIVE,
} from "./status";

/*
 * The whole sequence, left to right; a failure or a wake in a suspend stage turns back down the
 * mirrors of exactly the stages (and, in the failed stage, the devices) that advanced.
 *
 *   IRQs:     on ────────────┐ masked, one CPU ───────────────┐ on ─────────────────
 *             S1 prepare ──► S2 suspend ──► S3 powerOffNoIrq ──► sleep ──► R1 powerOnNoIrq ──► R2 resume ──► release
 *   pools:    reserve                                                                              release
 *   state:    prepared       suspended      off                          suspended           active     active
 *
 *   rollback (failure or wake at stage X, device k):
 *             S3 advanced ──► R1 powerOnNoIrq   (masked)
 *             S2 advanced ──► R2 resume         (IRQs on again; a device whose S2 timed out counts as advanced)
 *             S1 advanced ──► release           (the runtime frees S1's reservations; no hook)
 *
 *   between attempts, over failed devices only: reprobe (the driver re-initialises its chip from
 *   scratch; OK makes the device active and reopens its queues), retried with a capped backoff.
 *
 * Suspend-direction stages run a device after every device that depends on it (children first);
 * resume-direction stages after everything it depends on (parents first). A suspend-direction
 * failure stops the stage and rolls back; a resume-direction failure marks the device failed and the
 * rest go on (it cannot be undone).
 */

/** Which way dependencies point while a stage runs. */
export const DIR_SUSPEND = 0;
/** Stage direction: back to active. */
export const DIR_RESUME = 1;
/** The board's sleep: no device hook. */
export const DIR_PLATFORM = 2;

/** What runs for a device in the stage. */
export const RUN_HOOK = 0;
/** The runtime alone (release): no driver call. */
export const RUN_RUNTIME = 1;
/** The platform sleeps; no device takes part. */
export const RUN_PLATFORM = 2;

/** What a stage does with the static pools before (reserve) or instead of (release) the hook. */
export const POOLS_NONE = 0;
/** The stage reserves each device's state area and blocks before its hook (S1). */
export const POOLS_RESERVE = 1;
/** The stage releases S1's reservations (release). */
export const POOLS_RELEASE = 2;

/** One stage of the protocol. Every field is read by the sequencer or the engine; nothing else decides. */
export interface StageRow {
  /** The stage's number (S_*), its index in STAGES. */
  readonly id: number;
  /** Short name in docs and the timeline (S1..R2). */
  readonly short: string;
  /** The driver hook it calls (also the stage's name in traces), or the runtime's name for it. */
  readonly hook: string;
  /** What runs for a device: RUN_HOOK, RUN_RUNTIME or RUN_PLATFORM. */
  readonly run: number;
  /** DIR_SUSPEND, DIR_RESUME or DIR_PLATFORM. */
  readonly dir: number;
  /** IRQs masked on one CPU while it runs (Linux `_noirq`). */
  readonly masked: boolean;
  /** A hook may answer PENDING and complete later (else PENDING is a STAGES error). */
  readonly mayPend: boolean;
  /** POOLS_NONE, POOLS_RESERVE or POOLS_RELEASE. */
  readonly pools: number;
  /** Device state after an OK answer. */
  readonly reaches: number;
  /** Stage that undoes this one in a rollback, or -1. */
  readonly mirror: number;
  /** A device whose hook timed out here counts as advanced (it may have half-acted: gated its queue). */
  readonly timeoutAdvances: boolean;
  /** The next stage of a normal cycle, or -1 at the end. */
  readonly next: number;
}

function row(r: StageRow): StageRow {
  return Object.freeze(r);
}

/** Indexed by stage id. Adding a stage (Linux's suspend_late, say) is a new row and new ids. */
export const STAGES: readonly StageRow[] = Object.freeze([
  row({ id: S_PREPARE, short: "S1", hook: "prepare", run: RUN_HOOK, dir: DIR_SUSPEND, masked: false, mayPend: true,
    pools: POOLS_RESERVE, reaches: D_PREPARED, mirror: S_RELEASE, timeoutAdvances: false, next: S_SUSPEND }),
  row({ id: S_SUSPEND, short: "S2", hook: "suspend", run: RUN_HOOK, dir: DIR_SUSPEND, masked: false, mayPend: true,
    pools: POOLS_NONE, reaches: D_SUSPENDED, mirror: S_RESUME, timeoutAdvances: true, next: S_POWER_OFF }),
  row({ id: S_POWER_OFF, short: "S3", hook: "powerOffNoIrq", run: RUN_HOOK, dir: DIR_SUSPEND, masked: true, mayPend: false,
    pools: POOLS_NONE, reaches: D_OFF, mirror: S_POWER_ON, timeoutAdvances: false, next: S_PLATFORM }),
  row({ id: S_PLATFORM, short: "sleep", hook: "platform", run: RUN_PLATFORM, dir: DIR_PLATFORM, masked: true, mayPend: false,
    pools: POOLS_NONE, reaches: D_OFF, mirror: -1, timeoutAdvances: false, next: S_POWER_ON }),
  row({ id: S_POWER_ON, short: "R1", hook: "powerOnNoIrq", run: RUN_HOOK, dir: DIR_RESUME, masked: true, mayPend: false,
    pools: POOLS_NONE, reaches: D_SUSPENDED, mirror: -1, timeoutAdvances: false, next: S_RESUME }),
  row({ id: S_RESUME, short: "R2", hook: "resume", run: RUN_HOOK, dir: DIR_RESUME, masked: false, mayPend: true,
    pools: POOLS_NONE, reaches: D_ACTIVE, mirror: -1, timeoutAdvances: false, next: S_RELEASE }),
  row({ id: S_RELEASE, short: "release", hook: "release", run: RUN_RUNTIME, dir: DIR_RESUME, masked: false, mayPend: false,
    pools: POOLS_RELEASE, reaches: D_ACTIVE, mirror: -1, timeoutAdvances: false, next: -1 }),
  // Outside the cycle, IRQs on, over failed devices only: an OK answer makes the device active again.
  row({ id: S_REPROBE, short: "reprobe", hook: "reprobe", run: RUN_HOOK, dir: DIR_RESUME, masked: false, mayPend: true,
    pools: POOLS_NONE, reaches: D_ACTIVE, mirror: -1, timeoutAdvances: false, next: -1 }),
]);

/** The stage a suspend starts with. */
export const FIRST_STAGE = S_PREPARE;
/** The stage a resume from a hibernate image starts with (the image was taken before the sleep). */
export const IMAGE_RESUME_STAGE = S_POWER_ON;
/** The sleep itself. */
export const SLEEP_STAGE = S_PLATFORM;
/** Between attempts, over failed devices: re-initialise from scratch. */
export const REPROBE_STAGE = S_REPROBE;

/** Stages whose hook a driver may implement, in table order (names of `PmHooks` methods). */
export function hookStages(): number[] {
  const out: number[] = [];
  for (let s = 0; s < STAGE_COUNT; s++) if (STAGES[s].run === RUN_HOOK) out.push(s);
  return out;
}

/** What `next`, `mirror` and walks answer when there is no stage. */
export const NO_STAGE = -1;

/** True if `stage` is reached by walking `next` from FIRST_STAGE (reprobe is not). */
export function inCycle(stage: number): boolean {
  for (let s = FIRST_STAGE; isStage(s); s = STAGES[s].next) if (s === stage) return true;
  return false;
}

/** True for a stage id (false for NO_STAGE). */
export function isStage(stage: number): boolean {
  return stage >= 0 && stage < STAGE_COUNT;
}

/** True if `stage` runs in the suspend direction (a failure there rolls back); false for NO_STAGE. */
export function isSuspendStage(stage: number): boolean {
  return isStage(stage) && STAGES[stage].dir === DIR_SUSPEND;
}

/** The stage before `stage` in the cycle (rollback walks down with it), or -1 for the first. */
export function previousStage(stage: number): number {
  for (let s = 0; s < STAGE_COUNT; s++) if (STAGES[s].next === stage) return s;
  return -1;
}

/** Checks the table's own consistency (run by the tests and at boot in debug). @boot */
export function checkProtocol(): string | null {
  if (STAGES.length !== STAGE_COUNT) return "STAGES has " + STAGES.length + " rows, STAGE_COUNT is " + STAGE_COUNT;
  for (let s = 0; s < STAGE_COUNT; s++) {
    const r = STAGES[s];
    if (r.id !== s) return "row " + s + " has id " + r.id;
    if (r.masked && r.mayPend) return r.hook + " is masked and may pend: a masked stage must be synchronous";
    if (r.mirror >= 0 && r.dir !== DIR_SUSPEND) return r.hook + " has a mirror but is not a suspend stage";
    if (r.dir === DIR_SUSPEND && r.mirror < 0) return r.hook + " is a suspend stage without a mirror";
  }
  return null;
}
