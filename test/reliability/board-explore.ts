// fast-check arbitraries for random DevKitC runs and the invariants checked after each one.
import fc from "fast-check";
import { BoardWorld, BOARD_DEVICES, FAULT_MODES, TESTS, type BoardSpec, type TraceRec } from "./board-world";
import {
  D_ACTIVE, D_FAILED, OK, WAKEUP, STATUS_NAMES, STAGE_NAMES, TraceEvents, WAKE_NONE,
} from "../../runtime";
import { FAULT_MODE_NAMES, HOOK_NAMES } from "../../host-sim/board/faults";
import { P_IDLE } from "../../runtime/pm";
import { failedAtEnd } from "./explore";

const T_MAX = 400_000;

export const boardArb: fc.Arbitrary<BoardSpec> = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  hookFaults: fc.array(fc.record({
    device: fc.nat(BOARD_DEVICES.length - 1),
    hook: fc.nat(4),
    mode: fc.constantFrom(...FAULT_MODES),
    lateUs: fc.integer({ min: 0, max: 80_000 }),
  }), { maxLength: 3 }),
  chipFaults: fc.array(fc.record({
    at: fc.integer({ min: 0, max: T_MAX }),
    chip: fc.constantFrom<"bme280" | "flash">("bme280", "flash"),
    kind: fc.constantFrom<"nak" | "stall">("nak", "stall"),
    clearAfter: fc.integer({ min: 0, max: 200_000 }),
  }), { maxLength: 1 }),
  wakes: fc.array(fc.record({
    at: fc.integer({ min: 0, max: T_MAX }),
    kind: fc.constantFrom<"button" | "uart">("button", "uart"),
    holdUs: fc.integer({ min: 1_000, max: 80_000 }),
    byte: fc.integer({ min: 0x20, max: 0x7e }),
  }), { maxLength: 4 }),
  requests: fc.array(fc.record({
    at: fc.integer({ min: 0, max: T_MAX }),
    kind: fc.constantFrom<"sample" | "record" | "program">("sample", "record", "program"),
    size: fc.nat(300),
  }), { maxLength: 14 }),
  suspends: fc.array(fc.record({ at: fc.integer({ min: 0, max: T_MAX }), test: fc.constantFrom(...TESTS) }), { minLength: 1, maxLength: 4 }),
  timerWakeUs: fc.integer({ min: 500, max: 60_000 }),
});

/** Throws with a readable reason when an invariant fails; returns the world for reporting. */
export function checkBoard(spec: BoardSpec, instrument?: (w: BoardWorld) => void): BoardWorld {
  const w = new BoardWorld(spec);
  if (instrument) instrument(w);
  const fail = (why: string): never => { throw new Error(why); };
  try {
    w.run();
  } catch (e) {
    fail("thrown into the event loop: " + String(e));
  }
  const o = w.obs;
  const sim = w.sim;
  const pm = sim.pm;
  const g = pm.graph;
  // The runtime and platform are back to normal operation.
  if (pm.phase !== P_IDLE) fail("runtime not idle at the end: phase " + pm.phase);
  if (sim.platform.sleeping !== 0) fail("platform still asleep at the end");
  if (sim.platform.masked !== 0 || sim.platform.singleCpu !== 0) fail("platform left masked " + sim.platform.masked + " / single-cpu " + sim.platform.singleCpu);
  if (pm.irq.masked) fail("IRQ controller left masked");
  if (o.contextErrors.length) fail("hook out of context: " + o.contextErrors.join(", "));
  // Every attempt ended exactly once.
  if (o.outcomes.length !== pm.stats.attempts) fail("attempts " + pm.stats.attempts + " but " + o.outcomes.length + " ended");
  if (pm.flight.total !== pm.stats.attempts) fail("flight recorder has " + pm.flight.total + " records for " + pm.stats.attempts + " attempts");
  const okOutcomes = o.outcomes.filter((s) => s === OK).length;
  if (pm.stats.successes !== okOutcomes) fail("stats.successes " + pm.stats.successes + " but " + okOutcomes + " OK outcomes");
  if (pm.stats.successes + pm.stats.failures > pm.stats.attempts) fail("successes + failures exceed attempts");
  // Devices: failed exactly where a resume-direction hook (or a re-probe) failed last; a re-probe that answered OK brings one back.
  const failedLast = failedAtEnd(o.trace);
  for (let d = 0; d < g.count; d++) {
    const st = pm.deviceState(d);
    if (failedLast.has(d)) { if (st !== D_FAILED) fail(g.names[d] + " failed resuming but is in state " + st); }
    else if (st !== D_ACTIVE) fail(g.names[d] + " ends in state " + st + " without a resume failure");
  }
  // Requests: each accepted one completed exactly once (FAILED for a failed device), refused ones never; nothing left queued.
  for (const [token, n] of o.completions) {
    if (n !== 1) fail("request " + token + " completed " + n + " times");
    if (!o.accepted.has(token)) fail("request " + token + " was refused at submit but completed");
  }
  const queues = w.queues();
  const owners = ["bme280", "telemetry", "flash"];
  for (let i = 0; i < queues.length; i++) {
    const q = queues[i];
    if (q.submitted !== q.refused + q.completed + q.length) fail(owners[i] + " queue counters do not balance");
    if (q.length > 0) fail(owners[i] + " still holds " + q.length + " requests at the end");
  }
  if (o.completions.size !== o.accepted.size) {
    fail("a request was lost: accepted " + o.accepted.size + ", completed " + o.completions.size);
  }
  // Interrupts: every latch episode delivered once at unmask, every unmasked raise delivered directly.
  const irq = pm.irq;
  for (let l = 0; l < irq.lines; l++) {
    if (irq.isLatched(l)) fail("irq line " + l + " still latched at the end");
    if (irq.deliveredCount[l] !== o.raisedUnmasked[l] + irq.latchedCount[l]) {
      fail("irq line " + l + ": delivered " + irq.deliveredCount[l] + ", raised unmasked " + o.raisedUnmasked[l] + ", latched " + irq.latchedCount[l]);
    }
  }
  checkWakes(o.trace, o.outcomes, fail);
  // Chip timing: only a chip the plan faulted may break its datasheet rules.
  // Model names: the BME280 model reports as its device, the flash model as "w25q".
  const faulted = new Set<string>(spec.chipFaults.map((c) => (c.chip === "flash" ? "w25q" : c.chip)));
  for (const v of sim.violations.list) {
    if (faulted.has(v.split(":")[0])) continue;
    fail("chip timing violation: " + v);
  }
  return w;
}

/**
 * Walks the trace attempt by attempt: a wake raised before the platform slept ends the attempt with
 * WAKEUP (or the failure that came first); every sleep ends with a recorded cause.
 */
function checkWakes(trace: TraceRec[], outcomes: number[], fail: (why: string) => never): void {
  let inAttempt = false;
  let wokeEarly = false;
  let slept = false;
  let exited = false;
  let attempt = 0;
  let failure = false;
  for (const r of trace) {
    if (r.e === TraceEvents.E_SUSPEND_BEGIN) { inAttempt = true; wokeEarly = false; slept = false; exited = false; failure = false; continue; }
    if (!inAttempt) continue;
    if (r.e === TraceEvents.E_WAKE && !slept) wokeEarly = true;
    if (r.e === TraceEvents.E_ROLLBACK && r.st !== WAKEUP) failure = true;
    if (r.e === TraceEvents.E_SLEEP_ENTER) slept = true;
    if (r.e === TraceEvents.E_SLEEP_EXIT) {
      exited = true;
      if (r.st === WAKE_NONE) fail("attempt " + (attempt + 1) + ": sleep ended without a cause");
    }
    if (r.e === TraceEvents.E_SUSPEND_END) {
      if (wokeEarly && !slept && !failure && r.st !== WAKEUP) fail("attempt " + (attempt + 1) + ": wake before sleep but outcome " + STATUS_NAMES[r.st]);
      if (wokeEarly && slept) fail("attempt " + (attempt + 1) + ": a wake arrived before sleep, yet the platform slept");
      if (slept && !exited) fail("attempt " + (attempt + 1) + ": slept but never woke");
      if (outcomes[attempt] !== r.st) fail("attempt " + (attempt + 1) + ": done callback got " + outcomes[attempt] + ", trace says " + r.st);
      attempt++;
      inAttempt = false;
    }
  }
  if (attempt !== outcomes.length) fail("trace shows " + attempt + " attempts ending, done callback " + outcomes.length);
}

/** The spec and its whole trace, decoded, for a failing case. */
export function describeBoardCase(spec: BoardSpec): string {
  const lines: string[] = [];
  lines.push("hook faults: " + spec.hookFaults.map((f) => BOARD_DEVICES[f.device] + "." + HOOK_NAMES[f.hook] + "=" + FAULT_MODE_NAMES[f.mode] +
    (f.mode === 3 ? "(" + f.lateUs + " us)" : "")).join(", "));
  let w: BoardWorld | null = null;
  try {
    w = new BoardWorld(spec);
    w.run();
  } catch { /* the trace so far is what matters */ }
  if (w === null) return lines.join("\n");
  const names = w.sim.pm.graph.names;
  for (const r of w.obs.trace.slice(0, 600)) {
    lines.push(String(Math.round(r.t)).padStart(9) + " us  " + (r.d >= 0 ? names[r.d] : "--").padEnd(10) +
      (r.s >= 0 ? STAGE_NAMES[r.s] : "").padEnd(14) + TraceEvents.EVENT_NAMES[r.e].padEnd(14) + (STATUS_NAMES[r.st] ?? r.st));
  }
  return lines.join("\n");
}
