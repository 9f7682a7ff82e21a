// Device runtime PM as data: the runtime states, the events that move them, and one frozen transition table.

/*
 * One device, the system awake (Linux runtime PM, Zephyr pm_device_runtime):
 *
 *   ACTIVE ──idle──► SUSPENDING ──ok──► SUSPENDED ──get──► RESUMING ──ok──► ACTIVE
 *     ▲                  │ error (stays active, retried after the delay)        │ error: the device fails
 *     └──────────────────┘                                                        ▼ (failed-device rule)
 *
 * "idle": usage count 0, no active child, the autosuspend delay over, no system attempt running.
 * The hooks act and answer; the runtime changes the state from the row, only after OK (design.md).
 */

/** Runtime state: powered, serving (also every device of a system attempt: the attempt owns its stages). */
export const RPM_ACTIVE = 0;
/** `runtimeSuspend` answered PENDING and has not completed. */
export const RPM_SUSPENDING = 1;
/** Powered down by its runtime hook while the system runs; a system suspend skips it. */
export const RPM_SUSPENDED = 2;
/** `runtimeResume` answered PENDING and has not completed. */
export const RPM_RESUMING = 3;
/** How many runtime states there are. */
export const RPM_STATE_COUNT = 4;
/** Runtime state -> its name (console `rpm`, timeline lane). */
export const RPM_STATE_NAMES: readonly string[] = Object.freeze(["active", "suspending", "suspended", "resuming"]);

/** Event: idle for the autosuspend delay (or a `put` to zero): power down. */
export const EV_IDLE = 0;
/** Event: someone needs the device (`get`, a child resuming, a hibernate). */
export const EV_GET = 1;
/** Event: the hook in flight answered (or completed) OK. */
export const EV_OK = 2;
/** Event: the hook in flight answered an error, threw, broke the protocol or outlived its budget. */
export const EV_ERROR = 3;
/** How many events there are. */
export const EV_COUNT = 4;

/** Action: nothing to do (the event changes nothing in this state, or it waits for the hook in flight). */
export const A_NONE = 0;
/** Action: call `runtimeSuspend`. */
export const A_CALL_SUSPEND = 1;
/** Action: call `runtimeResume` (after the suppliers are active). */
export const A_CALL_RESUME = 2;
/** Action: now suspended: suppliers lose an active consumer; a get that came meanwhile resumes it. */
export const A_SUSPENDED = 3;
/** Action: now active: consumers waiting on it resume; an idle device re-arms its delay. */
export const A_RESUMED = 4;
/** Action: the suspend was refused or failed: the device stays active, tried again after its delay. */
export const A_SUSPEND_FAILED = 5;
/** Action: the resume failed: the device is marked failed (its requests complete FAILED, it is re-probed). */
export const A_RESUME_FAILED = 6;
/** Action: an event the state cannot take (a completion without a hook in flight): PROTOCOL, counted. */
export const A_BAD = 7;

/** One cell of the table. */
export interface RpmRow {
  /** The state after the event. */
  readonly next: number;
  /** What the runtime does (A_*). */
  readonly action: number;
}

function cell(next: number, action: number): RpmRow {
  return Object.freeze({ next, action });
}

/** Indexed by state * EV_COUNT + event: the only place the protocol's transitions are written. */
export const RPM_TABLE: readonly RpmRow[] = Object.freeze([
  // ACTIVE: idle suspends; a get needs nothing; no hook is in flight.
  cell(RPM_SUSPENDING, A_CALL_SUSPEND), cell(RPM_ACTIVE, A_NONE), cell(RPM_ACTIVE, A_BAD), cell(RPM_ACTIVE, A_BAD),
  // SUSPENDING: a get waits for the hook (then resumes at once, A_SUSPENDED sees the usage count).
  cell(RPM_SUSPENDING, A_NONE), cell(RPM_SUSPENDING, A_NONE), cell(RPM_SUSPENDED, A_SUSPENDED), cell(RPM_ACTIVE, A_SUSPEND_FAILED),
  // SUSPENDED: idle again is nothing; a get resumes.
  cell(RPM_SUSPENDED, A_NONE), cell(RPM_RESUMING, A_CALL_RESUME), cell(RPM_SUSPENDED, A_BAD), cell(RPM_SUSPENDED, A_BAD),
  // RESUMING: gets wait for the hook; an error cannot be undone: the device fails and counts as active (re-probed).
  cell(RPM_RESUMING, A_NONE), cell(RPM_RESUMING, A_NONE), cell(RPM_ACTIVE, A_RESUMED), cell(RPM_ACTIVE, A_RESUME_FAILED),
]);

/** The row for `event` in `state`. */
export function rpmStep(state: number, event: number): RpmRow {
  return RPM_TABLE[state * EV_COUNT + event];
}

/** Checks the table's shape (the tests run it): one row per state and event, every next a state. @boot */
export function checkRpmTable(): string | null {
  if (RPM_TABLE.length !== RPM_STATE_COUNT * EV_COUNT) return "RPM_TABLE has " + RPM_TABLE.length + " cells, expected " + RPM_STATE_COUNT * EV_COUNT;
  for (let i = 0; i < RPM_TABLE.length; i++) {
    const r = RPM_TABLE[i];
    if (!(r.next >= 0 && r.next < RPM_STATE_COUNT)) return "cell " + i + " goes to state " + r.next;
    if (!(r.action >= A_NONE && r.action <= A_BAD)) return "cell " + i + " has action " + r.action;
  }
  return null;
}
