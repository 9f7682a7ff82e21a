// fast-check arbitraries for random DevKitC runs (faults set and cleared, requests, console lines, hibernates) and the invariants checked after each one.
import fc from "fast-check";
import { BoardWorld, BOARD_DEVICES, FAULT_MODES, REQ_KINDS, TESTS, type BoardSpec, type Epoch } from "./board-world";
import { D_ACTIVE, OK, WAKEUP, STATUS_NAMES, STAGE_NAMES, T_HIBERNATE, T_STANDBY, TraceEvents, WAKE_NONE } from "../../runtime";
import { FAULT_MODE_NAMES } from "../../host-sim/board/faults";
import { P_IDLE } from "../../runtime/phase";
import { ALL_HOOKS } from "./board-hooks";
import { staleRestore } from "./board-image";
import { LINE_KINDS, RECOVER_NAMES, type TagLine } from "./board-console";
import type { Led } from "../../drivers/led/led";

const T_MAX = 400_000;
/** The exemptions the exploration once needed for bugs it found are gone: every check is strict. */
export const STRICT = true;
const at = fc.integer({ min: 0, max: T_MAX });

export const boardArb: fc.Arbitrary<BoardSpec> = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  hookFaults: fc.array(fc.record({
    at: fc.oneof(fc.constant(0), at),
    device: fc.nat(BOARD_DEVICES.length - 1),
    // 0..4 the cycle hooks, 5 the re-probe; the flash's resume stages (3, 4) and its re-probe get extra weight.
    hook: fc.nat(ALL_HOOKS.length - 1),
    mode: fc.constantFrom(...FAULT_MODES),
    lateUs: fc.integer({ min: 0, max: 80_000 }),
    holdUs: fc.integer({ min: 1_000, max: 2 * T_MAX }),
  }), { maxLength: 4 }),
  chipFaults: fc.array(fc.record({
    at,
    chip: fc.constantFrom<"bme280" | "flash">("bme280", "flash"),
    kind: fc.constantFrom<"nak" | "stall">("nak", "stall"),
    clearAfter: fc.integer({ min: 0, max: 200_000 }),
  }), { maxLength: 1 }),
  wakes: fc.array(fc.record({
    at,
    kind: fc.constantFrom<"button" | "uart">("button", "uart"),
    holdUs: fc.integer({ min: 1_000, max: 80_000 }),
    byte: fc.nat(25),
  }), { maxLength: 4 }),
  requests: fc.array(fc.record({ at, kind: fc.constantFrom(...REQ_KINDS), size: fc.nat(300) }), { maxLength: 16 }),
  suspends: fc.array(fc.record({ at, target: fc.constantFrom(T_STANDBY, T_HIBERNATE), test: fc.constantFrom(...TESTS) }), { maxLength: 3 }),
  // `suspend hibernate` (kind 1) and `recover` (kind 4) twice as likely as the others.
  lines: fc.array(fc.record({ at, kind: fc.oneof(fc.nat(LINE_KINDS.length - 1), fc.constantFrom(1, 4)), arg: fc.nat(RECOVER_NAMES.length - 1) }), { maxLength: 6 }),
  timerWakeUs: fc.integer({ min: 500, max: 60_000 }),
}).map((s) => {
  // Aim some faults at the storage device's resume stages and re-probe (the hibernate image's edge cases).
  for (const f of s.hookFaults) if (f.device === 0 && f.hook >= 3) f.device = 3;
  return s;
});

/** Throws with a readable reason when an invariant fails; returns the world for reporting. */
export function checkBoard(spec: BoardSpec, instrument?: (w: BoardWorld) => void): BoardWorld {
  const w = new BoardWorld(spec);
  if (instrument) instrument(w);
  const fail = (why: string): never => { throw new Error(why); };
  try {
    w.run();
  } catch (e) {
    // Known bug (board-explore.test.ts): a flash stuck BUSY at a hibernate wake aborts the boot. Nothing left to check.
    if (!STRICT && String(e).includes("stayed BUSY longer than tBE max")) return w;
    fail("thrown into the event loop: " + String(e instanceof Error ? e.stack : e));
  }
  const o = w.obs;
  const sim = w.sim;
  const pm = sim.pm;
  const g = pm.graph;
  const last = w.epoch;
  // The runtime and platform are back to normal operation, every device active (faults cleared: re-probes succeed), pools released.
  if (pm.phase !== P_IDLE) fail("runtime not idle at the end: phase " + pm.phase);
  if (sim.platform.sleeping !== 0) fail("platform still asleep at the end");
  if (sim.platform.masked !== 0 || sim.platform.singleCpu !== 0) fail("platform left masked " + sim.platform.masked + " / single-cpu " + sim.platform.singleCpu);
  if (pm.irq.masked) fail("IRQ controller left masked");
  if (o.contextErrors.length) fail("hook out of context: " + o.contextErrors.join(", "));
  for (let d = 0; d < g.count; d++) if (pm.deviceState(d) !== D_ACTIVE) fail(g.names[d] + " ends in state " + pm.deviceState(d) + " with every fault cleared");
  if (pm.arena.reservedBytes !== 0) fail("state arena still reserves " + pm.arena.reservedBytes + " bytes");
  if (pm.blocks.free !== pm.blocks.count || pm.blocks.unreserved !== pm.blocks.count) fail("request blocks: " + pm.blocks.free + " free, " + pm.blocks.unreserved + " unreserved of " + pm.blocks.count);
  // Every attempt of this firmware ended exactly once.
  if (last.outcomes.length !== pm.stats.attempts) fail("attempts " + pm.stats.attempts + " but " + last.outcomes.length + " ended");
  const okOutcomes = last.outcomes.filter((s) => s === OK).length;
  if (pm.stats.successes !== okOutcomes) fail("stats.successes " + pm.stats.successes + " but " + okOutcomes + " OK outcomes");
  for (const e of o.epochs) checkWakes(e, e === last, fail);
  // Requests: each accepted one completed exactly once with a status of the table, refused ones never; nothing left queued.
  for (const [token, n] of o.completions) {
    if (n !== 1) fail("request " + token + " completed " + n + " times");
    if (!o.accepted.has(token)) fail("request " + token + " was refused at submit but completed");
    if (STATUS_NAMES[o.statuses.get(token) as number] === undefined) fail("request " + token + " completed with status " + o.statuses.get(token));
  }
  const died = new Set<number>();
  for (const e of o.epochs) for (const t of e.diedWithRam) died.add(t);
  for (const [token] of o.accepted) {
    if (!o.completions.has(token) && !died.has(token)) fail("request " + token + " accepted on boot " + o.accepted.get(token) + " never completed");
  }
  if (died.size > 0) fail("requests accepted and lost in a hibernate: " + [...died].join(", "));
  const queues = w.queues();
  const owners = ["bme280", "telemetry", "flash"];
  for (let i = 0; i < queues.length; i++) {
    const q = queues[i];
    if (q.submitted !== q.refused + q.completed + q.length) fail(owners[i] + " queue counters do not balance");
    if (q.length > 0) fail(owners[i] + " still holds " + q.length + " requests at the end");
  }
  // Interrupts: every latch episode delivered once at unmask, every unmasked raise delivered directly.
  const irq = pm.irq;
  for (let l = 0; l < irq.lines; l++) {
    if (irq.isLatched(l)) fail("irq line " + l + " still latched at the end");
    if (irq.deliveredCount[l] !== last.raisedUnmasked[l] + irq.latchedCount[l]) {
      fail("irq line " + l + ": delivered " + irq.deliveredCount[l] + ", raised unmasked " + last.raisedUnmasked[l] + ", latched " + irq.latchedCount[l]);
    }
  }
  // Hibernate: no reboot restores an image older than the last hibernate.
  for (const r of w.image.restores) { const why = staleRestore(r); if (why !== null) fail(why); }
  // The LED driver and pin agree; a level set on this firmware is the one shown.
  const led = sim.driver<Led>("led");
  // Known bugs (board-explore.test.ts "known bugs"): an LED revived without a re-probe, an LED resumed after its S2 timed out. Exempt unless strict.
  const ledFaulted = !STRICT && spec.hookFaults.some((f) => BOARD_DEVICES[f.device] === "led");
  if (ledFaulted) { /* known */ } else if (sim.leds["led"].lit() !== (led.level === 1)) fail("led driver level " + led.level + " but the pin shows " + sim.leds["led"].lit());
  // Known bug: a set during a resume from the image is undone by the LED's R2. Exempt unless strict.
  const ledRace = !STRICT && o.ledMidAttempt && last.resumed;
  if (!ledFaulted && !ledRace && o.ledEpoch === o.epochs.length - 1 && led.level !== o.ledLast) fail("led set to " + o.ledLast + " but shows " + led.level);
  // Console: nothing thrown on any firmware, each quiet line answered exactly once, still answering.
  last.consoleFaults = w.typing.faultsOf(sim.booted);
  for (const e of o.epochs) if (e.consoleFaults !== 0) fail("console of boot " + e.boot + " caught " + e.consoleFaults + " exceptions");
  w.typing.checkTags((t) => quietLine(w, t), fail);
  w.typing.probe(fail);
  // Chip timing: only a chip the plan faulted may break its datasheet rules (the BME280 reports as its device, the flash as "w25q").
  const faulted = new Set<string>(spec.chipFaults.map((c) => (c.chip === "flash" ? "w25q" : c.chip)));
  for (const v of sim.violations.list) if (!faulted.has(v.split(":")[0])) fail("chip timing violation: " + v);
  return w;
}

/** A tag line nothing could have broken: typed on the last firmware, no attempt from 1 ms before it to 150 ms after it. */
function quietLine(w: BoardWorld, t: TagLine): boolean {
  if (t.boot !== w.sim.boots) return false;
  const from = t.from - 1_000;
  const to = t.to + 150_000;
  for (const e of w.obs.epochs) {
    let begin = -1;
    for (const r of e.trace) {
      if (r.e === TraceEvents.E_SUSPEND_BEGIN) begin = r.t;
      if (r.e === TraceEvents.E_SUSPEND_END) { if (begin >= 0 && begin < to && r.t > from) return false; begin = -1; }
    }
    if (begin >= 0 && begin < to) return false;
  }
  return true;
}

/**
 * Walks one firmware's trace attempt by attempt: a wake raised before the platform slept ends the attempt
 * with WAKEUP (or the failure that came first); every sleep ends with a recorded cause. A firmware that
 * deep-slept ends inside its last attempt; one resumed from an image starts inside it.
 */
function checkWakes(e: Epoch, isLast: boolean, fail: (why: string) => never): void {
  let inAttempt = e.resumed;
  let wokeEarly = false;
  let slept = e.resumed;
  let exited = false;
  let attempt = 0;
  let failure = false;
  const where = "boot " + e.boot + " attempt ";
  for (const r of e.trace) {
    if (r.e === TraceEvents.E_SUSPEND_BEGIN) { inAttempt = true; wokeEarly = false; slept = false; exited = false; failure = false; continue; }
    if (!inAttempt) continue;
    if (r.e === TraceEvents.E_WAKE && !slept) wokeEarly = true;
    if (r.e === TraceEvents.E_ROLLBACK && r.st !== WAKEUP) failure = true;
    if (r.e === TraceEvents.E_SLEEP_ENTER) slept = true;
    if (r.e === TraceEvents.E_SLEEP_EXIT) {
      exited = true;
      if (r.st === WAKE_NONE) fail(where + (attempt + 1) + ": sleep ended without a cause");
    }
    if (r.e === TraceEvents.E_SUSPEND_END) {
      if (wokeEarly && !slept && !failure && r.st !== WAKEUP) fail(where + (attempt + 1) + ": wake before sleep but outcome " + STATUS_NAMES[r.st]);
      if (wokeEarly && slept) fail(where + (attempt + 1) + ": a wake arrived before sleep, yet the platform slept");
      if (slept && !exited) fail(where + (attempt + 1) + ": slept but never woke");
      if (e.outcomes[attempt] !== r.st) fail(where + (attempt + 1) + ": done callback got " + e.outcomes[attempt] + ", trace says " + r.st);
      attempt++;
      inAttempt = false;
    }
  }
  if (!isLast && !(inAttempt && slept)) fail("boot " + e.boot + " was replaced by a reboot outside a deep sleep");
  if (attempt !== e.outcomes.length) fail("boot " + e.boot + ": trace shows " + attempt + " attempts ending, done callback " + e.outcomes.length);
}

/** The spec and its whole trace, decoded, for a failing case. */
export function describeBoardCase(spec: BoardSpec): string {
  const lines: string[] = [];
  lines.push("hook faults: " + spec.hookFaults.map((f) => "@" + (f.at ?? "boot") + " " + BOARD_DEVICES[f.device] + "." + ALL_HOOKS[f.hook] + "=" +
    FAULT_MODE_NAMES[f.mode] + (f.mode === 3 ? "(" + f.lateUs + " us)" : "") + " for " + f.holdUs + " us").join(", "));
  let w: BoardWorld | null = null;
  try {
    w = new BoardWorld(spec);
    w.run();
  } catch (e) {
    lines.push("run threw: " + String(e instanceof Error ? e.stack : e));
  }
  if (w === null) return lines.join("\n");
  lines.push("console lines: " + w.typing.typed.join(" | "));
  // Registration order is definition order (boards/boot.ts), so names hold even when a boot threw.
  const names = w.sim.wiring.definition.devices.map((d) => d.name);
  for (const e of w.obs.epochs) {
    lines.push("-- boot " + e.boot + (e.resumed ? " (resumed from the image)" : ""));
    for (const r of e.trace.slice(0, 400)) {
      lines.push(String(Math.round(r.t)).padStart(9) + " us  " + (r.d >= 0 ? names[r.d] : "--").padEnd(10) +
        (r.s >= 0 ? STAGE_NAMES[r.s] : "").padEnd(14) + TraceEvents.EVENT_NAMES[r.e].padEnd(14) + (STATUS_NAMES[r.st] ?? r.st));
    }
  }
  lines.push("-- console output (last 3000 chars)\n" + w.typing.output().slice(-3000));
  return lines.join("\n");
}
