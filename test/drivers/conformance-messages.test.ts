// The conformance kit's failure messages: device states by name (not their numbers), and a driver without a reprobe hook told so, not blamed for a re-probe it does not have.
import { describe, expect, it } from "vitest";
import { IO } from "../../runtime/status";
import { Bme280, BME280_OPTIONS } from "../../drivers/bme280/bme280";
import { DRIVERS } from "../../boards/drivers";
import { driverFactory } from "../../boards/types";
import type { DriverContext } from "../../drivers/common/io";
import { F_FAIL } from "../../host-sim/board/faults";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { makeCaseBoard, type DriverCase } from "../../host-sim/conformance";
import { failAndPark, states } from "../../host-sim/conformance/checks";
import { checkBrokenChip, checkResumeFault } from "../../host-sim/conformance/recovery";
import { failure } from "./check-failure";
import { DEVKITC_CASES } from "./cases";

/** A re-probe that never finds the chip: the device stays failed. */
class NeverBackBme280 extends Bme280 {
  override reprobe(_token: number): number {
    return IO;
  }
}

/** The shipped bme280 case on a DevKitC whose "bme280" driver is `make`'s. */
function bmeCase(make: (ctx: DriverContext) => unknown): DriverCase {
  const drivers = Object.assign({}, DRIVERS, { bme280: driverFactory(make as never, BME280_OPTIONS) });
  const shipped = DEVKITC_CASES.find((c) => c.device === "bme280") as DriverCase;
  return {
    ...shipped, make: () => {
      const b = makeCaseBoard(SIM_ESP32_DEVKITC, { drivers });
      b.sim.driver<Bme280>("bme280").setClient(new Int32Array(3), null, (_t, s) => { b.completed.push(s); });
      return b;
    },
  };
}

/** The bme280 without a reprobe hook (the runtime then marks it active after a failure without touching the chip). */
function withoutReprobe(ctx: DriverContext): Bme280 {
  const d = new Bme280(ctx);
  Object.defineProperty(d, "reprobe", { value: undefined });
  return d;
}


describe("conformance kit messages", () => {
  it("device states are printed by name: a failed bme280 reads bme280=failed", () => {
    const c = bmeCase((ctx) => new NeverBackBme280(ctx));
    const b = c.make();
    expect(failAndPark(b, c, "resume", F_FAIL).states).toEqual(["i2c0=active", "vspi=active", "bme280=failed", "flash=active", "led=active", "button=active",
      "telemetry=active", "console=active"]);
    b.sim.advance(3_000_000);
    expect(states(b)).toContain("bme280=failed");
    const msg = failure(() => checkResumeFault(c, "resume", F_FAIL, "IO"));
    expect(msg.split(": expected")[0]).toBe("bme280: not every device is active 1 s after a failure (injected) at its resume (the " +
      "runtime re-probes a failed device at the next idle moment: its reprobe must re-initialise the chip from scratch and answer " +
      "OK) (bme280=failed): each resume hook (and a rollback's mirror) must answer OK so its device is active again");
  });

  it("a driver without reprobe is told to add one, not blamed for a re-probe it does not have; the shipped bme280 passes", () => {
    const msg = failure(() => checkBrokenChip(bmeCase(withoutReprobe)));
    expect(msg.split(": expected")[0]).toBe("bme280 has no reprobe(token) hook, so a failed device is marked active without " +
      "touching the chip: add reprobe that re-initialises it (from scratch, answering IO when the chip does not answer)");
    expect(failure(() => checkBrokenChip(bmeCase((ctx) => new Bme280(ctx))))).toBe("");
  });
});
