// The power manager's phases: what an attempt is doing right now (read by applications and ports).
export const P_IDLE = 0;
export const P_SUSPENDING = 1;
export const P_SLEEPING = 2;
export const P_RESUMING = 3;
export const P_ROLLBACK = 4;
/** Between attempts: failed devices are being re-probed (a suspend meanwhile answers BUSY). */
export const P_REPROBING = 5;
