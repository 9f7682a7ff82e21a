// XS fixture: every DevKitC driver busy through standby cycles, S3 rollbacks and button sleep/wake (measured in a real XS engine).
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../boards/host-sim/esp32-devkitc";
import { IO, OK, T_STANDBY, TEST_PLATFORM } from "../../runtime/status";
import { F_FAIL, F_NONE } from "../../host-sim/board/faults";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { W25q } from "../../drivers/w25q/w25q";
import type { Led } from "../../drivers/led/led";
import type { Telemetry } from "../../drivers/telemetry/telemetry";

const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 3 });
let ok = 0;
let failed = 0;
sim.onDone(function done(s: number): void {
  if (s === OK) ok++;
  else failed++;
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

export const commands: Record<string, (n: number) => number> = {
  /** n iterations; returns suspend outcomes OK so far * 1000 + failed (rolled back) so far. */
  cycles(n) {
    for (let k = 0; k < n; k++) cycle();
    return ok * 1000 + failed;
  },
  completions() {
    return completions;
  },
  violations() {
    return sim.violations.list.length;
  },
};
