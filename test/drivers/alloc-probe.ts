// Allocation probe (child `node --expose-gc --jitless`, 64 MB semi-space): bytes per cycle of every DevKitC driver, by slope.
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../boards/host-sim/esp32-devkitc";
import { IO, OK, T_STANDBY, TEST_PLATFORM } from "../../runtime/status";
import { F_FAIL, F_NONE } from "../../host-sim/board/faults";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { W25q } from "../../drivers/w25q/w25q";
import type { Led } from "../../drivers/led/led";
import type { Telemetry } from "../../drivers/telemetry/telemetry";

declare const gc: () => void;

// Integer CPU cost per now(): virtual times stay small integers (V8 Smis). With fractional times V8's
// interpreter boxes every double it computes into a HeapNumber, which is V8's cost, not ours (XS
// stores numbers in its slots; test/xs/devkitc-alloc.test.ts counts 0 slots for the same cycles).
const sim = new SimBoard(SIM_ESP32_DEVKITC, { nowCostUs: 1 });
let outcomes = 0;
let failures = 0;
sim.onDone(function done(s: number): void {
  outcomes++;
  if (s !== OK) failures++;
});
sim.advance(10_000);
const bme = sim.driver<Bme280>("bme280");
const flash = sim.driver<W25q>("flash");
const led = sim.driver<Led>("led");
const tel = sim.driver<Telemetry>("telemetry");
const out = new Int32Array(3);
const outF = new Float64Array(3);
let completions = 0;
function onDone(_t: number, _s: number): void {
  completions++;
}
bme.setClient(out, outF, onDone);
flash.setClient(onDone);
tel.setClient(onDone);
const data = new Uint8Array([1, 2, 3, 4]);
const back = new Uint8Array(4);
const rec = new Uint8Array(40);
let i = 0;

/** One iteration: every driver busy, a standby cycle (every 4th rolled back at S3), every 8th a button-driven sleep and wake. */
function cycle(): void {
  i++;
  bme.sample(i);
  flash.program(i, 0x1000, data);
  flash.read(i, 0x1000, back);
  tel.send(i, rec, rec.length);
  led.set(i & 1);
  const fault = i % 4 === 3;
  if (fault) sim.faults.set("bme280", "powerOffNoIrq", F_FAIL, IO);
  sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
  sim.advance(500_000);
  if (fault) sim.faults.set("bme280", "powerOffNoIrq", F_NONE);
  if (i % 8 === 5) {
    sim.press();
    sim.advance(60_000);
    sim.release();
    sim.advance(200_000);
    sim.press();
    sim.advance(60_000);
    sim.release();
    sim.advance(200_000);
  }
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Bytes per cycle: slope between runs of k and 2k cycles from a fresh gc (constants cancel). */
function slope(k: number, collectAfter: boolean): number {
  const run = (n: number): number => {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let c = 0; c < n; c++) cycle();
    if (collectAfter) gc();
    return process.memoryUsage().heapUsed - before;
  };
  const d1 = run(k);
  const d2 = run(2 * k);
  return (d2 - d1) / k;
}

const k = Number(process.argv[2] ?? 48);
for (let w = 0; w < 40; w++) cycle();
const allocation: number[] = [];
const retention: number[] = [];
for (let r = 0; r < 5; r++) allocation.push(slope(k, false));
for (let r = 0; r < 5; r++) retention.push(slope(k, true));
process.stdout.write(JSON.stringify({
  k, cycles: outcomes, failures, completions, allocation, retention,
  allocationMedian: median(allocation), retentionMedian: median(retention), violations: sim.violations.list.length,
}) + "\n");
