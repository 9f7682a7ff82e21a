// Numeric status codes, stage ids, device states and targets: hooks answer numbers so nothing allocates.

// Status codes answered by hooks, queues and the runtime.
/** Done: the hook or request finished successfully. */
export const OK = 0;
/** Not done yet: exactly one `complete(token, status)` (or `queue.done`) follows. */
export const PENDING = 1;
/** Refused for now (a suspend already running, motion in progress...): try again later. */
export const BUSY = 2;
/** No room (request queue, block pool): the caller retries later; nothing was accepted. */
export const FULL = 3;
/** The hardware did not answer as it should (a NAK, a wrong chip id, a bus error). */
export const IO = 4;
/** A PENDING stage outlived its budget: the runtime gave up on it and rolled back. */
export const TIMEOUT = 5;
/** A wake event arrived after S1 started and before the platform slept: the attempt was rolled back. */
export const WAKEUP = 6;
/** The device or platform cannot do what was asked (a target it has no sleep for). */
export const NOT_SUPPORTED = 7;
/** Nothing to do: already in the asked state. */
export const ALREADY = 8;
/** A hook threw: caught at the runtime boundary, never escapes into the event loop. */
export const THREW = 9;
/** A hook broke the protocol (an answer that is no status, PENDING from a NoIrq stage, a completion during its own call followed by anything but PENDING). */
export const PROTOCOL = 10;
/** An unknown target, test level, device or argument. */
export const INVALID = 11;
/**
 * The device failed (a resume stage answered an error, or its re-probe did not bring it back): its
 * parked requests complete with FAILED and new ones are refused with it until it recovers.
 */
export const FAILED = 12;
/**
 * The request was parked when a hibernate committed to deep sleep: RAM (and the request with it) does
 * not survive the reboot, so it is completed with ABORTED before IRQs are masked. Submit it again after the wake.
 */
export const ABORTED = 13;
/** How many status codes there are (the length of STATUS_NAMES). */
export const STATUS_COUNT = 14;

/** Status code -> its name, for reports. */
export const STATUS_NAMES: readonly string[] = Object.freeze([
  "OK", "PENDING", "BUSY", "FULL", "IO", "TIMEOUT", "WAKEUP", "NOT_SUPPORTED", "ALREADY", "THREW", "PROTOCOL", "INVALID",
  "FAILED", "ABORTED",
]);

/** An integer status of the table: anything else a hook answers is a protocol error. */
export function isStatus(s: unknown): boolean {
  return typeof s === "number" && (s | 0) === s && s >= 0 && s < STATUS_COUNT;
}

/**
 * `i` indexes a table of `count` entries (a device, an IRQ line, a lock, a trace slot): an integer 0 .. count - 1.
 * NaN, 1.5, -1 and past the end are not, nor "0" (it reads a table by coercion) or a BigInt (it throws at `|`).
 */
export function isIndex(i: unknown, count: number): boolean {
  return typeof i === "number" && (i | 0) === i && i >= 0 && i < count;
}

// Stages in execution order. PLATFORM is the board's sleep, not a device hook.
/** Stage S1, hook `prepare`. */
export const S_PREPARE = 0;
/** Stage S2, hook `suspend`. */
export const S_SUSPEND = 1;
/** Stage S3, hook `powerOffNoIrq` (IRQs masked). */
export const S_POWER_OFF = 2;
/** The platform's sleep (no device hook). */
export const S_PLATFORM = 3;
/** Stage R1, hook `powerOnNoIrq` (IRQs masked). */
export const S_POWER_ON = 4;
/** Stage R2, hook `resume`. */
export const S_RESUME = 5;
/** Mirror of prepare during rollback and after R2: the runtime releases S1's reservations. */
export const S_RELEASE = 6;
/** Not part of a cycle: a failed device's driver re-initialises its chip from scratch (between attempts). */
export const S_REPROBE = 7;
/** How many stage ids there are (the length of STAGE_NAMES). */
export const STAGE_COUNT = 8;

/** Stage id -> its hook name, for reports. */
export const STAGE_NAMES: readonly string[] = Object.freeze([
  "prepare", "suspend", "powerOffNoIrq", "platform", "powerOnNoIrq", "resume", "release", "reprobe",
]);

// Device states.
/** Device state: running, serving requests. */
export const D_ACTIVE = 0;
/** Device state: S1 done. */
export const D_PREPARED = 1;
/** Device state: S2 done (or R1 done on the way back). */
export const D_SUSPENDED = 2;
/** Device state: S3 done, lowest power. */
export const D_OFF = 3;
/** Device state: a resume stage failed; requests are refused with FAILED until a re-probe succeeds. */
export const D_FAILED = 4;
// Runtime PM states (runtime/runtime-pm-table.ts holds the transitions), separate from the system states above.
export { RPM_ACTIVE, RPM_SUSPENDING, RPM_SUSPENDED, RPM_RESUMING, RPM_STATE_NAMES } from "./runtime-pm-table";
/** Device state -> its name, for reports. */
export const STATE_NAMES: readonly string[] = Object.freeze(["active", "prepared", "suspended", "off", "failed"]);

// Suspend targets.
/** Suspend target: light sleep, RAM kept. */
export const T_STANDBY = 1;
/** Suspend target: deep sleep; the storage device's image restores the devices after the reboot. */
export const T_HIBERNATE = 2;
/** Target -> its name, for reports. */
export const TARGET_NAMES: readonly string[] = Object.freeze(["none", "standby", "hibernate"]);

// Test levels (Linux pm_test): DEVICES holds after S3 for a delay without platform sleep;
// PLATFORM calls the platform with a hold instead of a real sleep.
/** No test level: a real sleep. */
export const TEST_NONE = 0;
/** Test level (Linux pm_test "devices"): run S1..S3, hold `testHoldUs`, resume; the platform is not called. */
export const TEST_DEVICES = 1;
/** Test level (Linux pm_test "platform"): also call the platform, which holds `testHoldUs` instead of sleeping. */
export const TEST_PLATFORM = 2;

// Role flags.
/** Holds the state image: suspends after every device that saves state, resumes before them. */
export const ROLE_STORAGE = 1;
/** Its IRQ line can wake the system and abort a suspend in progress. */
export const ROLE_WAKE = 2;

// Wake causes beyond IRQ line numbers.
/** Wake cause: nothing woke anything (not resuming, or R1/R2 as a rollback mirror). */
export const WAKE_NONE = -1;
/** Wake cause: the RTC timer. */
export const WAKE_TIMER = -2;
/** Wake cause: a test level's hold ended. */
export const WAKE_TEST_HOLD = -3;
/** Wake cause: a reset that was no wake (the deep-sleep boot found no known cause). */
export const WAKE_RESET = -4;
