// The busy DevKitC workload both allocation checks run (Node heap probe and XS fixture): every driver busy each cycle.
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { IO, OK, T_STANDBY, TEST_PLATFORM } from "../../runtime/status";
import { F_FAIL, F_NONE } from "../../host-sim/board/faults";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { W25q } from "../../drivers/w25q/w25q";
import type { Led } from "../../drivers/led/led";
import type { Telemetry } from "../../drivers/telemetry/telemetry";

/** Booted once with its buffers and callbacks; `cycle()` then allocates nothing of its own. */
export class BusyBoard {
  readonly sim: SimBoard;
  ok = 0;
  failed = 0;
  completions = 0;
  private i = 0;
  private readonly bme: Bme280;
  private readonly flash: W25q;
  private readonly led: Led;
  private readonly tel: Telemetry;
  private readonly data = new Uint8Array([1, 2, 3, 4]);
  private readonly back = new Uint8Array(4);
  private readonly rec = new Uint8Array(40);

  constructor(options: { seed?: number; nowCostUs?: number }) {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, options);
    this.sim = sim;
    const self = this;
    sim.onDone(function done(s: number): void {
      if (s === OK) self.ok++;
      else self.failed++;
    });
    sim.advance(10_000);
    this.bme = sim.driver<Bme280>("bme280");
    this.flash = sim.driver<W25q>("flash");
    this.led = sim.driver<Led>("led");
    this.tel = sim.driver<Telemetry>("telemetry");
    function onDone(_t: number, _s: number): void {
      self.completions++;
    }
    this.bme.setClient(new Int32Array(3), new Float64Array(3), onDone);
    this.flash.setClient(onDone);
    this.tel.setClient(onDone);
  }

  /** One iteration: every driver busy, a standby cycle (every 4th rolled back at S3), every 8th a button-driven sleep and wake. */
  cycle(): void {
    const sim = this.sim;
    const i = ++this.i;
    this.bme.sample(i);
    this.flash.program(i, 0x1000, this.data);
    this.flash.read(i, 0x1000, this.back);
    this.tel.send(i, this.rec, this.rec.length);
    this.led.set(i & 1);
    const fault = i % 4 === 3;
    if (fault) sim.faults.set("bme280", "powerOffNoIrq", F_FAIL, IO);
    sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
    sim.advance(500_000);
    if (fault) sim.faults.set("bme280", "powerOffNoIrq", F_NONE);
    if (i % 8 === 5) {
      for (let k = 0; k < 2; k++) {
        sim.press();
        sim.advance(60_000);
        sim.release();
        sim.advance(200_000);
      }
    }
  }
}
