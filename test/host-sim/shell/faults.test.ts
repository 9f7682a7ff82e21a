// The shell's `fault` verb and scenario step: stage labels S1..R2, `throw`, and `late` refused where it cannot apply.
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { parseScenario } from "../../../host-sim/cli/scenario";
import { runScenario } from "../../../host-sim/cli/scenario-run";
import { Session } from "../../../host-sim/cli/session";
import { DISPATCH_XS_PER_HOOK, ESP32_XS_UNITS_PER_US } from "../../../host-sim/board/dispatch-cost";
import { S_SUSPEND } from "../../../runtime/status";

function session(): Session {
  return new Session(bootShellBoard({ seed: 1 }), 2000);
}

describe("fault verb", () => {
  it("takes the progress labels S1..S3, R1, R2 as well as hook names, and says what each mode will do", () => {
    const s = session();
    expect([
      s.verb("fault bme280 S2 throw"),
      s.verb("fault bme280 r2 hang"),
      s.verb("fault console suspend late"),
      s.verb("fault bme280 S1 fail"),
      s.verb("fault bme280 S2 none"),
    ]).toEqual([
      { text: "fault armed: bme280 suspend will throw (the runtime catches it as THREW)", error: false },
      { text: "fault armed: bme280 resume will hang (answers PENDING, never completes: the stage budget expires)", error: false },
      { text: "fault armed: console suspend will answer late (after the stage budget expires); a hook that answers PENDING anyway is unchanged", error: false },
      { text: "fault armed: bme280 prepare will fail with IO (the driver is not called)", error: false },
      { text: "fault cleared: bme280 suspend", error: false },
    ]);
  });

  it("refuses `late` on a noIrq hook, which answers synchronously, and names what works there", () => {
    const s = session();
    expect(s.verb("fault flash S3 late")).toEqual({
      text: "mode `late` cannot apply to powerOffNoIrq: noIrq hooks run with interrupts off and answer synchronously; use fail, hang or throw",
      error: true,
    });
    expect(() => parseScenario("x.yaml", "name: x\nsteps:\n  - fault: { device: flash, stage: R1, mode: late }\n"))
      .toThrow("x.yaml:3:46: mode `late` cannot apply to powerOnNoIrq");
  });

  it("a thrown hook rolls the suspend back, reported by the firmware as THREW on that device", () => {
    const sc = parseScenario("throw.yaml", [
      "name: throw",
      "steps:",
      "  - wait-serial: \"> \"",
      "  - fault: { device: bme280, stage: S2, mode: throw }",
      "  - write-serial: \"suspend standby\"",
      "  - wait-serial: \"suspend failed\"",
      "  - expect-state: { device: bme280, state: active }",
    ].join("\n") + "\n");
    const s = session();
    const r = runScenario(sc, s);
    expect(r.failure).toBeNull();
    // The stage's time: the dispatch of the two S2 hooks it ran (led, then bme280, which throws):
    // 2 x 496.56 XS units at 4 per us (dispatch-cost.ts), plus under 2 us of the runtime's now() calls (0.25 us each).
    const dispatchUs = (2 * DISPATCH_XS_PER_HOOK[S_SUSPEND]) / ESP32_XS_UNITS_PER_US;
    const lines = s.serialLog.split(/\r?\n/).filter((l) => l.includes("THREW")).map((l) => l.slice(16));
    const stageUs = Number(/after (\d+) us/.exec(lines[1])?.[1]);
    expect(stageUs).toBeGreaterThanOrEqual(Math.floor(dispatchUs));
    expect(stageUs).toBeLessThanOrEqual(Math.floor(dispatchUs + 2));
    expect(lines).toEqual([
      "S2 suspend       bme280    failed THREW",
      "S2 suspend                 stage ended with THREW after " + stageUs + " us",
      "rollback from suspend bme280 THREW",
      // The outcome line's end was still in the UART's FIFO at the last step: the run's end drains it.
      // What the hook threw is kept (stats.thrownValue): its name and message follow the failure.
      "bme280 suspend THREW (Error: injected fault: bme280 suspend)",
    ]);
  });
});
