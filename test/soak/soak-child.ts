// Soak child (node --expose-gc): N suspend/resume cycles of the DevKitC SimBoard with random wakes; prints one JSON line.
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { SLEEP_LIGHT } from "../../host-sim/board/sim-sleep";
import { OK, T_STANDBY, TEST_NONE, D_ACTIVE, WAKE_TIMER } from "../../runtime/status";
import { P_IDLE } from "../../runtime/phase";

declare const gc: () => void;

/*
 * The plain DevKitC (no console: its progress output would cost ~1,200 simulated TX bytes per cycle).
 * Wakes: the RTC timer, the BOOT button (press while asleep, released after resume), and a UART RX wake
 * (ESP32 light sleep woken by RX edges on UART0, line 40: the byte is lost, so only the wake is seen).
 */
const cycles = Number(process.argv[2] ?? 100_000);
const samples = Number(process.argv[3] ?? 20);
const UART0 = SIM_ESP32_DEVKITC.definition.irq.uartBase;
try {
  const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 11 });
  const pm = sim.pm;
  const outcomes = new Uint32Array(16);
  pm.setDoneCallback((s) => { outcomes[s]++; });
  sim.advance(10_000);
  let x = 0x9e3779b9;
  const wakes = new Uint32Array(3);
  const heap: number[] = [];
  const started = Date.now();
  let refused = 0;
  for (let c = 0; c < cycles; c++) {
    if (c % Math.floor(cycles / samples) === 0) { gc(); heap.push(process.memoryUsage().heapUsed); }
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const kind = x % 3;
    sim.setTimerWake(kind === 0 ? 200 + (x % 2000) : 0);
    if (pm.suspend(T_STANDBY, TEST_NONE) !== OK) refused++;
    for (let i = 0; i < 5_000 && sim.platform.sleeping !== SLEEP_LIGHT && pm.phase !== P_IDLE; i++) sim.advance(200);
    if (kind === 1) sim.press();
    else if (kind === 2) sim.platform.wakeNow(UART0);
    for (let i = 0; i < 5_000 && pm.phase !== P_IDLE; i++) sim.advance(200);
    // The wake press is released after resume; debounce (20 ms) and bounce settle before the next cycle.
    if (kind === 1) { sim.release(); sim.advance(40_000); }
    wakes[kind]++;
  }
  gc();
  heap.push(process.memoryUsage().heapUsed);
  const seconds = (Date.now() - started) / 1000;
  // Retention slope: least squares over the samples after the first (warm-up), bytes per 1,000 cycles.
  const xs = heap.slice(1).map((_, i) => (i + 1) * (cycles / samples));
  const ys = heap.slice(1);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) { num += (xs[i] - mx) * (ys[i] - my); den += (xs[i] - mx) ** 2; }
  const st = pm.stats;
  const states: number[] = [];
  for (let d = 0; d < pm.graph.count; d++) states.push(pm.deviceState(d));
  let parked = 0;
  let balance = true;
  for (const q of pm.recorder.queues) { parked += q.length; if (q.submitted !== q.refused + q.completed + q.length) balance = false; }
  console.log(JSON.stringify({
    cycles, seconds, cyclesPerSecond: Math.round(cycles / seconds), heapFirst: heap[0], heapLast: heap[heap.length - 1],
    heapMin: Math.min(...ys), heapMax: Math.max(...ys), slopeBytesPer1000: (num / den) * 1000, heap,
    attempts: st.attempts, successes: st.successes, failures: st.failures, busy: st.busyRefusals, wakeAborts: st.wakeAborts,
    timeouts: st.timeouts, resumeFailures: st.resumeFailures, refused, outcomes: Array.from(outcomes), flightTotal: pm.flight.total,
    lastWake: st.lastWakeCause, wakes: Array.from(wakes), allActive: states.every((s) => s === D_ACTIVE), phase: pm.phase,
    queues: pm.recorder.queues.length, parked, balance, violations: sim.violations.list.length, sleeps: sim.platform.sleeps,
    timerWake: WAKE_TIMER, virtualSeconds: sim.now() / 1e6, eventQueue: { posted: sim.io.queue.posted, overflows: sim.io.queue.overflows },
  }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e instanceof Error ? e.stack : e) }));
}
