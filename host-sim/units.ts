// One format for durations, currents and charges everywhere the simulator prints them: shell, summaries, HTML timeline.

/**
 * `<1 us`, `812 us`, `3.400 ms`, `1.250 s`. Whole microseconds below a millisecond, as the firmware
 * prints them (sub-microsecond times are the simulator's CPU-cost model, not a measurement). Self-contained:
 * the HTML page inlines this function's source so the page and the shell cannot drift apart.
 */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return "-";
  const a = Math.abs(us);
  if (a < 0.5) return us === 0 ? "0 us" : "<1 us";
  if (Math.round(a) < 1000) return Math.round(us) + " us";
  if (a < 1e6) return (us / 1000).toFixed(3) + " ms";
  return (us / 1e6).toFixed(3) + " s";
}

/** `812.0 uA`, `68.010 mA`. */
export function formatCurrent(ua: number): string {
  return Math.abs(ua) >= 1000 ? (ua / 1000).toFixed(3) + " mA" : ua.toFixed(1) + " uA";
}

/** `5.4 uC`, `5.412 mC`, `1.200 C`. */
export function formatCharge(uc: number): string {
  const a = Math.abs(uc);
  if (a >= 1e6) return (uc / 1e6).toFixed(3) + " C";
  return a >= 1000 ? (uc / 1000).toFixed(3) + " mC" : uc.toFixed(1) + " uC";
}

/** `30.4 h`, `53 h (2.2 days)`, `forever`. */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours)) return "forever";
  return hours >= 48 ? hours.toFixed(0) + " h (" + (hours / 24).toFixed(1) + " days)" : hours.toFixed(1) + " h";
}
