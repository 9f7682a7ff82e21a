// The conformance kit's own watches (host-sim/conformance/watch.ts) catch what its outcomes alone missed: bus I/O after S2 answered OK on a board whose console's S2 is slow, and a PM lock never released.
import { describe, expect, it } from "vitest";
import { OK, PENDING, STATUS_NAMES, T_STANDBY, TEST_PLATFORM } from "../../runtime/status";
import type { DevicePort } from "../../runtime/port";
import { Bme280, BME280_OPTIONS } from "../../drivers/bme280/bme280";
import { Led, LED_OPTIONS } from "../../drivers/led/led";
import type { I2cBus } from "../../drivers/i2c-bus/i2c-bus";
import type { DriverContext } from "../../drivers/common/io";
import { DRIVERS } from "../../boards/drivers";
import { driverFactory } from "../../boards/types";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { makeCaseBoard, type CaseBoard } from "../../host-sim/conformance";
import { heldLockCount, watchBusAfterSuspend } from "../../host-sim/conformance/watch";

/** The reported bug: S2 answers OK while the measurement it started (up to ~15 ms) is still in flight; it reads the result later. */
class EagerBme280 extends Bme280 {
  override suspend(token: number): number {
    const status = super.suspend(token);
    return status === PENDING ? OK : status;
  }
}

/** Takes its PM lock on every `set` and never releases it. */
class LeakyLed extends Led {
  private leakPort: DevicePort | null = null;
  override attach(port: DevicePort): void {
    super.attach(port);
    this.leakPort = port;
  }
  override set(level: number): void {
    super.set(level);
    if (this.leakPort !== null) this.leakPort.lock();
  }
}

/** The DevKitC (console included) with `name`'s driver replaced. */
function devkitcWith(name: string, make: (ctx: DriverContext) => unknown, options: readonly string[]): CaseBoard {
  const drivers = Object.assign({}, DRIVERS, { [name]: driverFactory(make as never, options) });
  return makeCaseBoard(SIM_ESP32_DEVKITC, { drivers });
}

/** A bme280 sample started, then a standby cycle: its outcome, the I2C bus's misuse count and the watch's findings. */
function sampleThenCycle(b: CaseBoard): { outcome: string; misuse: number; late: string[] } {
  const w = watchBusAfterSuspend(b.sim, "bme280");
  const bme = b.sim.driver<Bme280>("bme280");
  bme.setClient(new Int32Array(3), null, () => {});
  expect(STATUS_NAMES[bme.sample(1)]).toBe("OK");
  expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
  b.sim.advance(1_000_000);
  expect(w.attached()).toBe(true);
  return { outcome: b.outcomes.map((s) => STATUS_NAMES[s]).join(), misuse: b.sim.driver<I2cBus>("i2c0").misuse, late: w.late };
}

describe("conformance kit watches", () => {
  it("a bme280 answering OK from S2 mid-measurement: the console's slow S2 keeps the bus on (misuse 0), the watch still sees its late reads", () => {
    const bad = sampleThenCycle(devkitcWith("bme280", (ctx) => new EagerBme280(ctx), BME280_OPTIONS));
    expect(bad.outcome).toBe("OK");
    expect(bad.misuse).toBe(0);
    expect(bad.late.length).toBeGreaterThan(0);
    expect(bad.late[0]).toMatch(/^bme280 i2c(Write|Read) at \d+ µs.*\(its S2 answered OK at \d+ µs\)$/);
    // The shipped driver answers PENDING and completes when the burst read is done: nothing late.
    const good = sampleThenCycle(makeCaseBoard(SIM_ESP32_DEVKITC));
    expect(good).toEqual({ outcome: "OK", misuse: 0, late: [] });
  });

  it("the S3 sleep command a chip's own powerOffNoIrq sends is not late; a device with no chip on a bus is not watched", () => {
    const b = makeCaseBoard(SIM_ESP32_DEVKITC);
    const w = watchBusAfterSuspend(b.sim, "bme280");
    const writes: number[] = [];
    const model = b.sim.bme280s["bme280"];
    const i2cWrite = model.i2cWrite;
    model.i2cWrite = function (data: Uint8Array, length: number, stop: boolean): boolean {
      writes.push(b.sim.pm.phase);
      return i2cWrite.call(this, data, length, stop);
    };
    expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    b.sim.advance(1_000_000);
    expect(b.outcomes).toEqual([OK]);
    // S3 wrote ctrl_meas (sleep mode), R1 read the id and configuration: all inside its own hooks.
    expect(writes.length).toBeGreaterThan(0);
    expect(w.late).toEqual([]);
    expect(watchBusAfterSuspend(b.sim, "led").onBus).toBe(false);
  });

  it("a PM lock taken and never released is counted on the device; the shipped driver's is free", () => {
    const leaky = devkitcWith("led", (ctx) => new LeakyLed(ctx), LED_OPTIONS);
    leaky.sim.driver<Led>("led").set(1);
    leaky.sim.driver<Led>("led").set(0);
    leaky.sim.advance(100_000);
    expect(heldLockCount(leaky.sim, "led")).toBe(2);
    const b = makeCaseBoard(SIM_ESP32_DEVKITC);
    b.sim.driver<Led>("led").set(1);
    expect(heldLockCount(b.sim, "led")).toBe(0);
    expect(heldLockCount(b.sim, "no-such-device")).toBe(0);
  });
});
