// An exception a firmware callback threw through the simulation, as one line: what was thrown and the frames it came through.

/**
 * An exception that came out of the simulation (a driver's timer or IRQ callback threw; no code caught
 * it), in one line: its message and the frames it came through. On the device the XS machine aborts
 * there; the simulator reports it instead of ending, so a scenario fails at its step and the shell goes on.
 */
export function firmwareThrew(e: unknown): string {
  return "a firmware callback threw " + describeThrown(e) + "; on the device no code caught it and the XS machine aborts";
}

/** What was thrown, whatever it is: a getter that throws, an object with no toString, a Proxy print as what they are. */
function describeThrown(e: unknown): string {
  try {
    if (typeof e === "string") return "the string " + JSON.stringify(e);
    if (typeof e !== "object" && typeof e !== "function") return "the value " + String(e);
    if (e === null) return "null";
    const name = (e as { name?: unknown }).name, message = (e as { message?: unknown }).message, stack = (e as { stack?: unknown }).stack;
    if (typeof name !== "string" && typeof message !== "string") return "an object that is no Error";
    const frames = typeof stack === "string" ? stack.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 3).map((l) => l.trim().split(process.cwd() + "/").join("")) : [];
    return (typeof name === "string" ? name : "Error") + (typeof message === "string" && message !== "" ? ": " + message : "") +
      (frames.length > 0 ? " (" + frames.join(" < ") + ")" : "");
  } catch {
    return "a value that cannot be printed (reading it threw)";
  }
}
