// The runtime's own CPU time per hook it dispatches, from its measured XS cost (bench/results.json) at an ESP32 rate.

/*
 * XS compute per device per stage, N = 8 (the size of the boards here), from bench/results.json
 * `xs.sizes[n=8].stagePerDevice` (a bare StageEngine running one stage; XS 13.3.0 metered instructions,
 * deterministic), minus `hookFloor` (30.19: the synthetic driver hook's own body, called directly),
 * so what is left is the runtime's dispatch of one hook: the ready queue, the token, the call, the
 * answer, the trace record. Index = stage (S_PREPARE .. S_RESUME). test/host-sim/dispatch-cost.test.ts
 * checks these against bench/results.json, so a re-baselined bench flags them.
 */
export const DISPATCH_XS_N = 8;
export const DISPATCH_XS_PER_HOOK: readonly number[] = [
  423.38 - 30.19, // prepare
  526.75 - 30.19, // suspend
  268.38 - 30.19, // powerOffNoIrq
  268.63 - 30.19, // powerOnNoIrq
  308.5 - 30.19, // resume
];

/*
 * XS metered instructions per microsecond on an ESP32 at 240 MHz: 4 (60 CPU cycles each).
 * ASSUMPTION, not a measurement (no ESP32 run of the bench exists yet). XS meters one unit per byte
 * code executed (Moddable documentation/xs/XS Metering.md: "count how many byte codes are executed").
 * Derivation (made when the runtime cost 4,303 units per device-cycle): on the bench host (one AMD
 * EPYC core) xsnap ran those in 21.72 us (bench/results.md, xsnap wall time, N = 64): 198 units/us. One ESP32 LX6
 * core is taken to be 50x slower at a byte-code interpreter: the ESP32 datasheet's "up to 600 MIPS"
 * for the dual-core 240 MHz part is 300 per core, 20-40x below a ~3 GHz server core's sustained
 * rate, and XS on the ESP32 executes from flash through a 32 KB cache whose misses the host does not
 * pay. 198 / 50 = 4. Plausible range 2..10; a measurement on hardware replaces it (SimBoardOptions
 * `xsUnitsPerUs`; 0 turns dispatch cost off for tests that need the old timings).
 */
export const ESP32_XS_UNITS_PER_US = 4;

/** Fills `out[stage]` with microseconds per dispatched hook at `unitsPerUs` (0: all zero). */
export function dispatchUsPerHook(unitsPerUs: number, out: Float64Array): Float64Array {
  if (!(unitsPerUs >= 0) || unitsPerUs === Infinity) {
    throw new RangeError("dispatch cost: xsUnitsPerUs " + String(unitsPerUs) + " must be a finite number >= 0 (0 turns the charge off)");
  }
  for (let s = 0; s < DISPATCH_XS_PER_HOOK.length; s++) out[s] = unitsPerUs === 0 ? 0 : DISPATCH_XS_PER_HOOK[s] / unitsPerUs;
  return out;
}
