// Numeric status codes, stage ids, device states and targets: hooks answer numbers so nothing allocates.

// Status codes answered by hooks, queues and the runtime.
export const OK = 0;
export const PENDING = 1;
export const BUSY = 2;
export const FULL = 3;
export const IO = 4;
export const TIMEOUT = 5;
export const WAKEUP = 6;
export const NOT_SUPPORTED = 7;
export const ALREADY = 8;
/** A hook threw: caught at the runtime boundary, never escapes into the event loop. */
export const THREW = 9;
/** A hook broke the protocol (PENDING from a NoIrq stage, a completion during its own hook call). */
export const PROTOCOL = 10;
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
export const STATUS_COUNT = 14;

export const STATUS_NAMES: readonly string[] = Object.freeze([
  "OK", "PENDING", "BUSY", "FULL", "IO", "TIMEOUT", "WAKEUP", "NOT_SUPPORTED", "ALREADY", "THREW", "PROTOCOL", "INVALID",
  "FAILED", "ABORTED",
]);

/** An integer status of the table: anything else a hook answers is a protocol error. */
export function isStatus(s: unknown): boolean {
  return typeof s === "number" && (s | 0) === s && s >= 0 && s < STATUS_COUNT;
}

// Stages in execution order. PLATFORM is the board's sleep, not a device hook.
export const S_PREPARE = 0;
export const S_SUSPEND = 1;
export const S_POWER_OFF = 2;
export const S_PLATFORM = 3;
export const S_POWER_ON = 4;
export const S_RESUME = 5;
/** Mirror of prepare during rollback and after R2: the runtime releases S1's reservations. */
export const S_RELEASE = 6;
/** Not part of a cycle: a failed device's driver re-initialises its chip from scratch (between attempts). */
export const S_REPROBE = 7;
export const STAGE_COUNT = 8;

export const STAGE_NAMES: readonly string[] = Object.freeze([
  "prepare", "suspend", "powerOffNoIrq", "platform", "powerOnNoIrq", "resume", "release", "reprobe",
]);

// Device states.
export const D_ACTIVE = 0;
export const D_PREPARED = 1;
export const D_SUSPENDED = 2;
export const D_OFF = 3;
export const D_FAILED = 4;
export const STATE_NAMES: readonly string[] = Object.freeze(["active", "prepared", "suspended", "off", "failed"]);

// Suspend targets.
export const T_STANDBY = 1;
export const T_HIBERNATE = 2;
export const TARGET_NAMES: readonly string[] = Object.freeze(["none", "standby", "hibernate"]);

// Test levels (Linux pm_test): DEVICES holds after S3 for a delay without platform sleep;
// PLATFORM calls the platform with a hold instead of a real sleep.
export const TEST_NONE = 0;
export const TEST_DEVICES = 1;
export const TEST_PLATFORM = 2;

// Role flags.
/** Holds the state image: suspends after every device that saves state, resumes before them. */
export const ROLE_STORAGE = 1;
/** Its IRQ line can wake the system and abort a suspend in progress. */
export const ROLE_WAKE = 2;

// Wake causes beyond IRQ line numbers.
export const WAKE_NONE = -1;
export const WAKE_TIMER = -2;
export const WAKE_TEST_HOLD = -3;
export const WAKE_RESET = -4;
