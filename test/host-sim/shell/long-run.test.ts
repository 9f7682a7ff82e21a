// Long scenarios stay linear: wait-serial and the run-wide checks read each character of output about once (text-search.ts).
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { parseScenario } from "../../../host-sim/cli/scenario";
import { runScenario } from "../../../host-sim/cli/scenario-run";
import { Session } from "../../../host-sim/cli/session";

/** `cycles` suspends, each woken by the timer and waited for: the soak shape CI scripts. */
function soak(cycles: number): string {
  const step = '  - write-serial: "suspend standby"\n  - delay: 1s\n  - wake: timer\n  - wait-serial: "suspend ok"\n';
  return "name: soak\nsteps:\n" + step.repeat(cycles);
}

describe("a 120-cycle scenario", () => {
  it("passes in seconds with wait-serial, --fail-text and --expect-text watching: each character is searched about once", () => {
    const session = new Session(bootShellBoard({ seed: 1 }), 2000);
    const t0 = performance.now();
    // Before: every check re-searched (and V8 re-flattened) the whole log; 60 cycles took 23 s, 100 two minutes.
    // The run is synchronous: a step past the bound stops it here, not after the minutes it would take.
    const bound = (i: number): void => {
      if (performance.now() - t0 > 20_000) throw new Error("still at step " + (i + 1) + " of 480 after 20 s: the run's cost is not linear in its length");
    };
    const r = runScenario(parseScenario("soak.yaml", soak(120)), session, bound,
      { expectText: "suspend ok, woke by timer", failText: "FAILED", timeoutUs: Infinity });
    const ms = performance.now() - t0;
    expect([r.passed, r.stepsRun, r.failure]).toEqual([true, 480, null]);
    expect(session.serialLog.split("suspend ok, woke by timer").length - 1).toBe(120);
    // wait-serial's searches: each chunk once, with the needle's length - 1 characters before it (a
    // chunk is often one byte, as the UART delivers them): linear, at most the needle's length per byte.
    expect(session.serialWait.scanned).toBeLessThan("suspend ok".length * session.serialLog.length);
    // A generous bound (it takes 1.5 to 5 s, on a loaded machine): the quadratic version needed many minutes.
    expect(ms).toBeLessThan(20_000);
  }, 120_000);
});
