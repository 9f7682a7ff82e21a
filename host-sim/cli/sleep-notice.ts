// The `[sim]` notice when the board falls asleep, and the line about console output still held in its TX buffer.

/** The board fell asleep, or a `suspend test=...` hold began. */
export interface AsleepEvent {
  /** The target's name (standby, hibernate), or the test hold standing in for it ("test=platform hold"). */
  target: string;
  /** When, board us. */
  atUs: number;
  /** A test hold: how long it lasts before the board resumes by itself, us; 0 for a real sleep. */
  holdUs: number;
  /** Console output still in the firmware's TX buffer, not sent before the UART was powered off (bytes). */
  backlog: number;
}

/**
 * The `[sim]` notice for a sleep (without the marker). `howToWake` ends it for a real sleep (the
 * interactive shell names its keys and verbs, a scenario the wake sources); a test hold ends by
 * itself, and the notice says so.
 */
export function asleepNotice(s: AsleepEvent, howToWake: string): string {
  return "asleep (" + s.target + "): " + (s.holdUs > 0 ? "a test hold, it ends by itself after " + formatHold(s.holdUs) : howToWake);
}

/**
 * The line under the notice while the sleep lasts, or null: the console's output queued after its S3
 * is not on the screen yet, and without a word a missing S2 or S3 line reads as a sleep taken before
 * that stage ended. Not a simulator artefact: the driver holds its TX from its S3 to its R1
 * (drivers/uart-console/console-power.ts), on the board too.
 */
export function backlogNotice(s: AsleepEvent): string | null {
  if (s.backlog === 0) return null;
  const lost = s.holdUs === 0 && s.target === "hibernate";
  return "  the console's last " + s.backlog + " bytes (from the end of S2 on) were still in its TX buffer when its UART powered off: " +
    (lost ? "lost, hibernate keeps no RAM" : "they print after the " + (s.holdUs > 0 ? "hold" : "wake"));
}

function formatHold(us: number): string {
  return us >= 1_000_000 ? us / 1e6 + " s" : us >= 1000 ? us / 1000 + " ms" : us + " us";
}
