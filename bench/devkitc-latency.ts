// Simulated suspend/resume latency of the ESP32-DevKitC board (SimBoard, chip-model timings) vs its critical path and sequential sum.
import { SimBoard } from "../host-sim/board/sim-board";
import { SLEEP_NONE } from "../host-sim/board/sim-sleep";
import { SIM_ESP32_DEVKITC } from "../host-sim/boards/esp32-devkitc";
import {
  OK, STAGE_COUNT, STAGE_NAMES, T_STANDBY, TEST_NONE,
  S_PREPARE, S_SUSPEND, S_POWER_OFF, S_POWER_ON, S_RESUME,
} from "../runtime/status";
import { criticalPath, sequentialSum, type DurationOf } from "./critical-path";

const SUSPEND_STAGES = [S_PREPARE, S_SUSPEND, S_POWER_OFF];
const RESUME_STAGES = [S_POWER_ON, S_RESUME];
/** RTC timer wake after this long asleep: the sleep itself is not part of either latency. */
const SLEEP_US = 5000;

export interface LatencyPair {
  suspendUs: number;
  resumeUs: number;
}

export interface DevkitcLatency {
  /** "console" (progress lines printed and drained in S2) or "quiet" (console booted, trace listener not taken). */
  variant: string;
  /**
   * Virtual us from pm.suspend() to the platform entering light sleep, and from the firmware running
   * again (the wake event + the ESP32's light-sleep wake latency, platform.lightWakeUs) to the done callback.
   */
  measured: LatencyPair;
  /** From pm.stats.lastDuration of this cycle and pm.graph (S1+S2+S3, R1+R2). */
  criticalPath: LatencyPair;
  sequential: LatencyPair;
  /** (measured - critical path) / critical path. */
  /** (measured - critical path) / critical path; null when the critical path is 0 us (no ratio to give: see `dispatchUs`). */
  error: { suspend: number | null; resume: number | null };
  /**
   * measured - critical path, us: what the critical path leaves out. The runtime's own dispatch is
   * charged inside each hook's duration (host-sim/board/dispatch-cost.ts), so this is the serial work
   * of hooks off the longest chain (one CPU runs synchronous hooks one after another), the light-sleep
   * entry path (suspend, platform.lightEntryUs) and the platform.now() calls (0.25 us each).
   */
  dispatchUs: LatencyPair;
  /** Hook durations of the measured cycle, us, by device then stage name. */
  hooks: { [device: string]: { [stage: string]: number } };
}

/** One warm-up cycle, then the measured one; both must end OK. Everything runs on the virtual clock. */
export function runDevkitcLatency(consoleOutput: boolean): DevkitcLatency {
  const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 1, console: consoleOutput });
  // Quiet: the console still boots (banner, prompt, RX wake source, S2 drain) but prints no progress lines.
  if (!consoleOutput) (sim.booted?.console as { boot(take: boolean): void }).boot(false);
  let start = 0;
  let asleep = -1;
  let awake = -1;
  let done = -1;
  let outcome = -1;
  const energyHook = sim.platform.onSleepChange;
  sim.platform.onSleepChange = (mode: number): void => {
    if (mode !== SLEEP_NONE && asleep < 0) asleep = sim.now();
    if (mode === SLEEP_NONE && asleep >= 0 && awake < 0) awake = sim.now();
    if (energyHook !== null) energyHook(mode);
  };
  sim.onDone((status) => {
    outcome = status;
    done = sim.now();
  });
  sim.setTimerWake(SLEEP_US);
  sim.settle();
  for (let cycle = 0; cycle < 2; cycle++) {
    asleep = awake = done = outcome = -1;
    start = sim.now();
    const started = sim.pm.suspend(T_STANDBY, TEST_NONE);
    // settle also lets the console drain what it prints after the done callback, so the next cycle starts idle.
    sim.settle();
    if (started !== OK || outcome !== OK || asleep < 0 || awake < 0 || done < 0) {
      throw new Error("devkitc latency (" + (consoleOutput ? "console" : "quiet") + "): cycle " + cycle + " ended with outcome " + outcome +
        " (asleep " + asleep + ", awake " + awake + "); the board must suspend and wake on its RTC timer");
    }
  }
  if (sim.violations.list.length > 0) throw new Error("devkitc latency: chip timing violations: " + sim.violations.list.join("; "));
  const pm = sim.pm;
  const g = pm.graph;
  const last = pm.stats.lastByStage;
  const duration: DurationOf = (d, s) => last[s][d];
  // The wake latency (60 + 476 us, sleep-latency.ts) is the chip's, not the runtime's: resume counts from after it.
  const measured = { suspendUs: round2(asleep - start), resumeUs: round2(done - awake - sim.platform.lightWakeUs) };
  const cp = { suspendUs: criticalPath(g, SUSPEND_STAGES, true, duration), resumeUs: criticalPath(g, RESUME_STAGES, false, duration) };
  const hooks: DevkitcLatency["hooks"] = {};
  for (let d = 0; d < g.count; d++) {
    hooks[g.names[d]] = {};
    for (const s of [...SUSPEND_STAGES, ...RESUME_STAGES]) hooks[g.names[d]][STAGE_NAMES[s]] = duration(d, s);
  }
  return {
    variant: consoleOutput ? "console" : "quiet",
    measured,
    criticalPath: cp,
    sequential: { suspendUs: sequentialSum(g, SUSPEND_STAGES, duration), resumeUs: sequentialSum(g, RESUME_STAGES, duration) },
    error: {
      suspend: cp.suspendUs > 0 ? round6((measured.suspendUs - cp.suspendUs) / cp.suspendUs) : null,
      resume: cp.resumeUs > 0 ? round6((measured.resumeUs - cp.resumeUs) / cp.resumeUs) : null,
    },
    dispatchUs: { suspendUs: round2(measured.suspendUs - cp.suspendUs), resumeUs: round2(measured.resumeUs - cp.resumeUs) },
    hooks,
  };
}

/** Bus wire time and dispatch are fractional microseconds: two decimals keep the committed figures readable and exact. */
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
