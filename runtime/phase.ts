// The power manager's phases: what an attempt is doing right now (read by applications and ports).
/** Phase: no attempt in progress. */
export const P_IDLE = 0;
/** Phase: S1..S3 running. */
export const P_SUSPENDING = 1;
/** Phase: the platform sleeps (or holds). */
export const P_SLEEPING = 2;
/** Phase: R1/R2 running after a sleep. */
export const P_RESUMING = 3;
/** Phase: undoing an attempt that failed or was woken. */
export const P_ROLLBACK = 4;
/** Between attempts: failed devices are being re-probed (a suspend meanwhile answers BUSY). */
export const P_REPROBING = 5;
