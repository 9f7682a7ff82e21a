// Energy meter: SoC modes from the ESP32 datasheet, models integrated through their listeners, battery life.
import { describe, expect, it } from "vitest";
import { Bme280 } from "../../../host-sim/models/bme280";
import {
  ESP32_ACTIVE_240MHZ_UA, EnergyMeter, SOC_DEEP_SLEEP, SOC_LIGHT_SLEEP, SOC_OFF,
} from "../../../host-sim/models/energy";
import { Led } from "../../../host-sim/models/led";
import { W25q } from "../../../host-sim/models/w25q";
import { FakeClock, Violations } from "./fake-clock";
import * as v8 from "node:v8";
import { runInNewContext } from "node:vm";

describe("energy meter", () => {
  it("integrates the SoC: 1 s active at 68 mA + 9 s deep sleep at 10 uA", () => {
    const clock = new FakeClock();
    const meter = new EnergyMeter({ clock });
    expect(meter.averageUa()).toBe(ESP32_ACTIVE_240MHZ_UA);
    clock.advance(1_000_000);
    meter.setSocMode(SOC_DEEP_SLEEP);
    clock.advance(9_000_000);
    expect(meter.chargeUc()).toBeCloseTo(68_000 + 90, 6);
    expect(meter.averageUa()).toBeCloseTo(6809, 6);
    expect(meter.batteryLifeHours(1000)).toBeCloseTo(1_000_000 / 6809, 6);
    meter.reset();
    clock.advance(1_000_000);
    expect(meter.averageUa()).toBeCloseTo(10, 9);
    meter.setSocMode(SOC_LIGHT_SLEEP);
    expect(meter.presentUa()).toBe(800);
    meter.setSocMode(SOC_OFF);
    expect(meter.presentUa()).toBe(1); // CHIP_PU low: 1 uA (ESP32 datasheet v4.2 Table 8 / v4.5 Table 3-2), not 0.1
  });

  it("a BME280 in normal mode averages what datasheet 9.5 predicts: the charge per reading + I_SB * t_sb over the cycle", () => {
    const clock = new FakeClock();
    const v = new Violations();
    const bme = new Bme280({ clock, violations: v });
    const meter = new EnergyMeter({ clock, activeUa: 0 });
    meter.add(bme);
    const w = (...b: number[]): boolean => bme.i2cWrite(Uint8Array.from(b), b.length, true);
    w(0xf5, 0xa0, 0xf2, 0x01); // t_sb 1000 ms
    meter.reset();
    w(0xf4, 0x27); // x1/x1/x1 normal
    const cycleUs = 9300 + 1_000_000;
    clock.advance(10 * cycleUs);
    // Section 9.5 at x1/x1/x1: 205 + 350*2 + 714*2.5 + 340*2.5 = 3540 uA*ms per reading, whatever the
    // (max, here) timing; plus I_DDSB 0.2 uA over the 1 s standby.
    const perReadingUc = (205 + 350 * 2 + 714 * 2.5 + 340 * 2.5) / 1000;
    expect(perReadingUc).toBeCloseTo(3.54, 12);
    const perCycleUc = perReadingUc + (0.2 * 1_000_000) / 1e6;
    expect(meter.chargeUcOf(bme)).toBeCloseTo(10 * perCycleUc, 9);
    expect(meter.averageUa()).toBeCloseTo((perCycleUc * 1e6) / cycleUs, 9); // ~ 5.2 uA
    expect(v.list).toEqual([]);
  });

  it("flash program current and LED current are charged for exactly as long as they last", () => {
    const clock = new FakeClock();
    const v = new Violations();
    const flash = new W25q({ clock, violations: v });
    const led = new Led();
    const meter = new EnergyMeter({ clock, activeUa: 0, capacity: 2 });
    meter.add(flash);
    meter.add(led);
    const cmd = (...b: number[]): void => {
      flash.spiSelect();
      flash.spiTransfer(Uint8Array.from(b), null, b.length);
      flash.spiDeselect();
    };
    cmd(0x06);
    cmd(0x02, 0, 0, 0, 1, 2, 3);
    clock.advance(1000);
    // 400 us at 20 mA, then 600 us at 10 uA.
    expect(meter.chargeUcOf(flash)).toBeCloseTo(8 + 0.006, 9);
    led.setLevel(1);
    clock.advance(500_000);
    led.setLevel(0);
    clock.advance(500_000);
    expect(meter.chargeUcOf(led)).toBeCloseTo((3.3 - 2.0) / 680 * 1e6 * 0.5, 6);
    expect(meter.chargeUcOf(null)).toBe(0);
    expect(() => meter.add(new Led({ name: "led2" }))).toThrow(/raise EnergyMeterOptions.capacity/);
    expect(() => meter.chargeUcOf(new Led({ name: "stray" }))).toThrow(/stray was never added/);
    expect(() => meter.setSocMode(9)).toThrow(/use SOC_ACTIVE..SOC_OFF/);
  });

  it("sample() and the sampler keep nothing over 400k calls (after a warm-up round, a full collection around)", () => {
    const clock = new FakeClock();
    const meter = new EnergyMeter({ clock });
    const led = new Led();
    meter.add(led);
    // A collector the test can call without --expose-gc (V8 exposes `gc` to a context made after the flag is set):
    // without it the heap reading includes whatever garbage other suites in this worker left, and under load that is megabytes.
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const calls = (n: number): void => {
      for (let i = 0; i < n; i++) {
        clock.advance(1);
        led.setLevel(i & 1);
        meter.sample();
      }
    };
    // The warm-up pays for V8's optimised code and feedback of this loop once. The worker shares its heap with
    // the suites before it (isolate: false), so a reading still moves by up to a few hundred KB (CI once read
    // 164 KB over 200k calls with a 1,000-call warm-up).
    calls(100_000);
    gc(); gc();
    const before = process.memoryUsage().heapUsed;
    calls(400_000);
    gc(); gc();
    const grown = process.memoryUsage().heapUsed - before;
    // Keeping even one number per call adds at least 2 MB over 400k calls (a growing array's store reaches
    // 8 bytes x 500k from at most 1.5 x 8 bytes x 100k); 512 KB is under 1.4 bytes a call and above that noise.
    expect(grown).toBeLessThan(512 * 1024);
    expect(meter.chargeUcOf(led)).toBeGreaterThan(0);
  });
});
