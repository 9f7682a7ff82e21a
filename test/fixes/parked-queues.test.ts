// Parked-request accounting: the DevKitC drivers register their queues, so parked requests reach pm.parkedNow and the flight recorder.
import { describe, expect, it } from "vitest";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SLEEP_HOLD } from "../../host-sim/board/sim-platform";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import type { W25q } from "../../drivers/w25q/w25q";
import { F_PARKED, F_OUTCOME } from "../../runtime/flight";
import { OK, T_STANDBY, TEST_PLATFORM } from "../../runtime/status";

describe("registered request queues", () => {
  it("bme280, telemetry and flash queues are registered once each at boot", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 3 });
    const q = sim.pm.queues;
    expect([
      q.filter((x) => x === sim.driver<Bme280>("bme280").queue).length,
      q.filter((x) => x === sim.driver<Telemetry>("telemetry").queue).length,
      q.filter((x) => x === sim.driver<W25q>("flash").queue).length,
    ]).toEqual([1, 1, 1]);
  });

  it("requests parked during a suspend show in parkedNow, then in that attempt's F_PARKED; all complete after resume", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 3 });
    sim.advance(10_000); // bme280 t_startup
    const done: string[] = [];
    sim.driver<Bme280>("bme280").setClient(new Int32Array(3), null, (t, s) => done.push(t + ":" + s));
    sim.driver<Telemetry>("telemetry").setClient((t, s) => done.push(t + ":" + s));
    sim.driver<W25q>("flash").setClient((t, s) => done.push(t + ":" + s));
    const pm = sim.pm;
    // One attempt with nothing parked first: its record must say 0.
    expect(pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    sim.advance(1_000_000);
    expect(pm.phase).toBe(0);
    expect(pm.flight.table[pm.flight.recent(0) + F_PARKED]).toBe(0);

    expect(pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    for (let i = 0; i < 2000 && sim.platform.sleeping !== SLEEP_HOLD; i++) sim.advance(50);
    expect(sim.platform.sleeping).toBe(SLEEP_HOLD);
    const record = new Uint8Array([1, 2, 3, 4]);
    const page = new Uint8Array([0xa5, 0x5a]);
    expect([
      sim.driver<Bme280>("bme280").sample(11),
      sim.driver<Telemetry>("telemetry").send(12, record, 4),
      sim.driver<W25q>("flash").program(13, 0x20000, page),
      sim.driver<Bme280>("bme280").sample(14),
    ]).toEqual([OK, OK, OK, OK]);
    expect(pm.parkedNow()).toBe(4);
    sim.advance(1_000_000);
    expect(pm.phase).toBe(0);
    const base = pm.flight.recent(0);
    expect([pm.flight.total, pm.flight.table[base + F_OUTCOME], pm.flight.table[base + F_PARKED]]).toEqual([2, OK, 4]);
    expect(pm.parkedNow()).toBe(0);
    expect(pm.parkedTotal()).toBe(4);
    expect(done.slice().sort()).toEqual(["11:0", "12:0", "13:0", "14:0"]);
    expect(sim.violations.list).toEqual([]);
  });
});
