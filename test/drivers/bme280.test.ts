// BME280 driver: datasheet compensation, forced sampling, a measurement in flight finished in S2, parked samples replayed.
import { describe, expect, it } from "vitest";
import { OK, PENDING, T_STANDBY, TEST_PLATFORM, D_FAILED, FAILED } from "../../runtime/status";
import { E_HOOK_PENDING, E_HOOK_DONE } from "../../runtime/trace";
import { S_SUSPEND } from "../../runtime/status";
import type { Bme280 } from "../../drivers/bme280/bme280";
import { measureMaxUs } from "../../drivers/bme280/bme280";
import { compensate, parseTrim, TRIM_COUNT } from "../../drivers/bme280/compensate";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { makeDevkitc, bmeRegisters } from "./cases";

describe("bme280 compensation (datasheet 4.2.3, 32-bit integer)", () => {
  it("reproduces the BMP280 worked example for T and P: adc_T 519888 -> 25.08 C, adc_P 415148 -> ~100653 Pa", () => {
    // T1..P9 of the worked example (BMP280 datasheet 3.12), H from the model's default NVM.
    const a = new Uint8Array(26);
    const words = [27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000];
    for (let i = 0; i < words.length; i++) { a[2 * i] = words[i] & 0xff; a[2 * i + 1] = (words[i] >> 8) & 0xff; }
    a[25] = 75;
    const b = new Uint8Array([362 & 0xff, 362 >> 8, 0, 313 >> 4, (313 & 0xf) | ((50 & 0xf) << 4), 50 >> 4, 30]);
    const trim = new Int32Array(TRIM_COUNT);
    parseTrim(a, b, trim);
    expect(Array.from(trim)).toEqual([27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000, 75, 362, 0, 313, 50, 30]);
    const out = new Int32Array(3);
    compensate(trim, 519888, 415148, 30000, out);
    expect(out[0]).toBe(2508);
    // The 32-bit pressure formula is within a few Pa of the 64-bit/float result (100653.27 Pa).
    expect(Math.abs(out[1] - 100653)).toBeLessThanOrEqual(3);
  });
});

describe("bme280 driver on the simulated DevKitC", () => {
  it("boot reads the chip and a forced sample returns the model's environment", () => {
    const b = makeDevkitc();
    const model = b.sim.bme280s["bme280"];
    model.setEnvironment(23.5, 98_765, 61.25);
    const bme = b.sim.driver<Bme280>("bme280");
    const ints = new Int32Array(3);
    const floats = new Float64Array(3);
    const done: number[] = [];
    bme.setClient(ints, floats, (t, s) => done.push(t, s));
    expect(bme.sample(42)).toBe(OK);
    b.sim.advance(bme.measureUs - 1);
    expect(done).toEqual([]);
    b.sim.advance(1_000);
    expect(done).toEqual([42, OK]);
    expect(ints[0]).toBe(2350);
    expect(Math.abs(ints[1] - 98_765)).toBeLessThanOrEqual(5);
    expect(Math.abs(floats[2] - 61.25)).toBeLessThan(0.1);
    expect(measureMaxUs(1, 1, 1)).toBe(9_300);
    expect(b.sim.violations.list).toEqual([]);
  });

  it("S2 finishes a measurement in flight (PENDING until done), parked samples replay in order after R2", () => {
    const b = makeDevkitc();
    const bme = b.sim.driver<Bme280>("bme280");
    const log: string[] = [];
    bme.setClient(null, null, (t, s) => log.push("sample " + t + " " + s + " @" + Math.round(b.sim.now())));
    const t0 = b.sim.now();
    bme.sample(1);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    expect(bme.sample(2)).toBe(OK); // parked: the queue is gated in S2
    expect(bme.sample(3)).toBe(OK);
    b.sim.advance(1_000_000);
    expect(b.outcomes).toEqual([OK]);
    // The first sample completed during S2, before the suspend went on; 2 and 3 after R2, in order.
    expect(log.length).toBe(3);
    expect(log[0].startsWith("sample 1 0")).toBe(true);
    expect(log[1].startsWith("sample 2 0")).toBe(true);
    expect(log[2].startsWith("sample 3 0")).toBe(true);
    const tr = b.sim.pm.trace;
    const id = b.sim.booted!.ids["bme280"];
    const events: number[] = [];
    let pendingAt = -1;
    let doneAt = -1;
    for (let i = 0; i < tr.length; i++) {
      const s = tr.slot(i);
      if (tr.deviceAt(s) !== id || tr.stageAt(s) !== S_SUSPEND) continue;
      events.push(tr.eventAt(s));
      if (tr.eventAt(s) === E_HOOK_PENDING) pendingAt = tr.time[s];
      if (tr.eventAt(s) === E_HOOK_DONE) doneAt = tr.time[s];
    }
    expect(events.filter((e) => e === E_HOOK_PENDING || e === E_HOOK_DONE)).toEqual([E_HOOK_PENDING, E_HOOK_DONE]);
    expect(doneAt - t0).toBeGreaterThanOrEqual(bme.measureUs);
    expect(pendingAt).toBeLessThan(doneAt);
    expect(bme.queue.replayed).toBe(2);
    expect(bme.queue.submitted).toBe(bme.queue.completed + bme.queue.refused + bme.queue.length);
    expect(b.sim.violations.list).toEqual([]);
  });

  it("S3 puts the chip in sleep mode; R1 re-initialises a chip that was reset", () => {
    const b = makeDevkitc();
    const before = bmeRegisters(b.sim);
    expect(before).toEqual([1, 0x24, 0]); // ctrl_hum x1, ctrl_meas x1/x1 sleep, config filter off
    b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
    b.sim.advance(100_000);
    expect(bmeRegisters(b.sim)[1] & 3).toBe(0);
    b.sim.chipReset("bme280");
    b.sim.advance(3_000); // t_startup before the test itself may look
    expect(bmeRegisters(b.sim)).toEqual([0, 0, 0]);
    b.sim.advance(1_000_000);
    expect(bmeRegisters(b.sim)).toEqual(before);
    expect(b.sim.driver<Bme280>("bme280").reinits).toBe(1);
    expect(b.sim.violations.list).toEqual([]);
  });

  it("a chip that NAKs during S3 fails the suspend, rolled back; sampling still works after the fault clears", () => {
    const b = makeDevkitc();
    const bme = b.sim.driver<Bme280>("bme280");
    const done: number[] = [];
    bme.setClient(null, null, (_t, s) => done.push(s));
    b.sim.chipFault("bme280", "nak");
    b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
    b.sim.advance(1_000_000);
    expect(b.outcomes).toEqual([4]); // IO
    b.sim.chipFault("bme280", "none");
    bme.sample(9);
    b.sim.advance(20_000);
    expect(done).toEqual([OK]);
  });

  it("no chip at 0x76: the board boots, the bme280 is failed (re-probed later), the message names the device and the fix", () => {
    const wiring = { ...SIM_ESP32_DEVKITC, models: SIM_ESP32_DEVKITC.models.filter((m) => m.kind !== "bme280") };
    const sim = new SimBoard(wiring);
    expect(sim.platform.messages.join("\n")).toMatch(/bme280 did not start \(.*no BME280 at I2C 0x76 \(chip id 0xD0 is not 0x60\): check SDA\/SCL wiring.*\): marked failed, re-probed when idle/);
    const pm = sim.pm;
    expect(pm.deviceState(pm.graph.indexOf("bme280"))).toBe(D_FAILED);
    expect(sim.driver<Bme280>("bme280").sample(1)).toBe(FAILED);
  });

  it("implements only the hooks it needs, each answering a status", () => {
    const b = makeDevkitc();
    const bme = b.sim.driver<Bme280>("bme280");
    // prepare has nothing to do (the runtime reserves the state area): left out, it answers OK at no cost.
    expect((bme as { prepare?: unknown }).prepare).toBeUndefined();
    expect([OK, PENDING]).toContain(bme.resume(1));
  });
});
