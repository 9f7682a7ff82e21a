// fast-check arbitraries for random worlds and the invariants checked after each run.
import fc from "fast-check";
import { World, HOOKS, type WorldSpec, type Fault, TraceEvents, S_POWER_OFF, S_POWER_ON, BUSY } from "./world";
import { D_ACTIVE, D_FAILED, OK, P_IDLE, S_PREPARE, S_SUSPEND, S_RESUME, S_REPROBE } from "../../runtime";

const faultArb: fc.Arbitrary<{ kind: Fault; delay: number }> = fc.record({
  kind: fc.oneof(
    { weight: 30, arbitrary: fc.constant<Fault>("ok") },
    { weight: 6, arbitrary: fc.constant<Fault>("pending") },
    { weight: 1, arbitrary: fc.constantFrom<Fault>("fail", "hang", "throw", "late") },
  ),
  delay: fc.integer({ min: 0, max: 8_000 }),
});

export const worldArb: fc.Arbitrary<WorldSpec> = fc.integer({ min: 1, max: 64 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    parent: fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: i - 1 })))),
    needs: fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: 2 })))),
    stateBytes: fc.array(fc.constantFrom(0, 0, 4, 16), { minLength: n, maxLength: n }),
    storage: fc.integer({ min: -1, max: n - 1 }),
    wakeDevices: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
    queued: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    faults: fc.array(fc.array(faultArb, { minLength: 5, maxLength: 5 }), { minLength: n, maxLength: n }),
    wakes: fc.array(fc.record({ at: fc.integer({ min: 0, max: 60_000 }), k: fc.nat(2) }), { maxLength: 2 }),
    irqs: fc.array(fc.record({ at: fc.integer({ min: 0, max: 60_000 }), line: fc.nat(3) }), { maxLength: 6 }),
    requests: fc.array(fc.record({ at: fc.integer({ min: 0, max: 60_000 }), device: fc.nat(n - 1), serviceUs: fc.integer({ min: 1, max: 3_000 }) }), { maxLength: 12 }),
    suspends: fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 3 }),
    sleepUs: fc.integer({ min: 1, max: 20_000 }),
  }),
).map((s) => ({ ...s, wakes: s.wakes.filter((w) => w.k < s.wakeDevices.length), stateBytes: noStateUnderStorage(s) }));

/** A board whose storage device depends on a device that saves state is refused at boot (graph.ts): those save none here. */
function noStateUnderStorage(s: { n: number; parent: number[]; needs: number[][]; stateBytes: number[]; storage: number }): number[] {
  const bytes = s.stateBytes.slice();
  if (s.storage < 0) return bytes;
  const stack = [s.storage], seen = new Set<number>();
  while (stack.length > 0) {
    const d = stack.pop() as number;
    for (const p of [s.parent[d], ...s.needs[d]]) if (p >= 0 && !seen.has(p)) seen.add(p), stack.push(p);
  }
  for (const d of seen) bytes[d] = 0;
  return bytes;
}

/** Throws with a readable reason when an invariant fails. */
export function checkWorld(spec: WorldSpec): void {
  const w = new World(spec);
  w.run();
  const o = w.obs;
  const pm = w.pm;
  const fail = (why: string) => { throw new Error(why); };
  // Every accepted suspend ended exactly once; BUSY only while one ran.
  const accepted = o.suspendCalls.filter((s) => s === OK).length;
  if (o.outcomes.length !== accepted) fail("suspends accepted " + accepted + " but ended " + o.outcomes.length);
  if (pm.phase !== P_IDLE) fail("runtime not idle at the end: phase " + pm.phase);
  if (o.contextErrors.length) fail("hook out of context: " + o.contextErrors.join(", "));
  if (w.p.masked !== 0 || w.p.single !== 0) fail("platform left masked/single-cpu");
  // Devices: failed exactly where a resume-direction stage (or a re-probe) failed last; a re-probe that answered OK brings one back.
  const failedLast = failedAtEnd(o.trace);
  for (let d = 0; d < spec.n; d++) {
    const st = pm.deviceState(d);
    if (failedLast.has(d)) { if (st !== D_FAILED) fail("d" + d + " failed resuming but state " + st); }
    else if (st !== D_ACTIVE) fail("d" + d + " ends in state " + st);
  }
  // Requests: every accepted one completed exactly once (a failed device's complete with FAILED), none left queued.
  for (let d = 0; d < spec.n; d++) {
    const q = w.queues[d];
    if (!q) continue;
    if (q.submitted !== q.refused + q.completed + q.length) fail("d" + d + " queue counters do not balance");
    if (q.length > 0) fail("d" + d + " still holds " + q.length + " requests at the end");
    const acc = o.acceptedOrder.get(d) ?? [];
    const done = o.completionOrder.get(d) ?? [];
    if (done.join() !== acc.slice(0, done.length).join()) fail("d" + d + " completed out of order");
  }
  for (const [tk, n] of o.completions) if (n !== 1) fail("request " + tk + " completed " + n + " times");
  if (o.completions.size + o.refusedAtSubmit !== o.submitted) fail("a request was lost");
  // Order: in each suspend stage a device starts after its member dependents finished; resume mirrored.
  checkOrder(w);
  // Interrupts: each latch episode delivered once; unmasked raises delivered directly.
  for (let l = 0; l < o.deliveries.length; l++) {
    if (o.deliveries[l] !== o.raisedUnmasked[l] + o.latchEpisodes[l]) {
      fail("irq line " + l + ": delivered " + o.deliveries[l] + ", raised unmasked " + o.raisedUnmasked[l] + ", latched " + o.latchEpisodes[l]);
    }
  }
  // Wakes: every attempt that saw one either aborted with WAKEUP or resumed.
  const st = pm.stats;
  if (st.successes + st.failures + countResumeFailedAttempts(o.trace) < accepted) fail("an attempt is unaccounted for");
}

function countResumeFailedAttempts(trace: { e: number; st: number }[]): number {
  let n = 0;
  for (const r of trace) if (r.e === TraceEvents.E_SUSPEND_END && r.st !== OK) n++;
  return n;
}

/** Replays the trace: for each stage run, a hook call must follow the `done` of every blocking member. */
function checkOrder(w: World): void {
  const g = w.pm.graph;
  let stage = -1;
  let done = new Set<number>();
  let called = new Set<number>();
  for (const r of w.obs.trace) {
    if (r.e === TraceEvents.E_STAGE_BEGIN) { stage = r.s; done = new Set(); called = new Set(); continue; }
    if (r.e === TraceEvents.E_HOOK_DONE || r.e === TraceEvents.E_RESUME_FAIL) done.add(r.d);
    if (r.e !== TraceEvents.E_HOOK_CALL) continue;
    called.add(r.d);
    const suspendDir = stage <= S_POWER_OFF;
    const from = suspendDir ? g.depStart : g.preStart;
    const list = suspendDir ? g.dep : g.pre;
    for (let i = from[r.d]; i < from[r.d + 1]; i++) {
      const other = list[i];
      // Only members of this run block; a member is one that was called in it at some point.
      if (called.has(other) && !done.has(other)) {
        throw new Error("order: d" + r.d + " started " + HOOKS[hookOf(stage)] + " before d" + other + " finished it");
      }
    }
  }
}

function hookOf(stage: number): number {
  return stage === S_PREPARE ? 0 : stage === S_SUSPEND ? 1 : stage === S_POWER_OFF ? 2 : stage === S_POWER_ON ? 3 : stage === S_RESUME ? 4 : 0;
}

export { BUSY };

/** Devices whose last resume-direction verdict in the trace is a failure (a re-probe that answered OK clears it). */
export function failedAtEnd(trace: readonly { d: number; s: number; e: number }[]): Set<number> {
  const failed = new Set<number>();
  for (const r of trace) {
    if (r.e === TraceEvents.E_RESUME_FAIL) failed.add(r.d);
    else if (r.e === TraceEvents.E_HOOK_DONE && r.s === S_REPROBE) failed.delete(r.d);
  }
  return failed;
}
