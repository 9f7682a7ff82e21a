// Hibernate on the simulated DevKitC: image to flash, deep sleep, reboot, image restored; corrupt/missing image -> cold boot.
import { describe, expect, it } from "vitest";
import { OK, IO, T_HIBERNATE, TEST_NONE, WAKE_TIMER, P_IDLE } from "../../runtime";
import { F_FAIL } from "../../host-sim/board/faults";
import { SLEEP_DEEP } from "../../host-sim/board/sim-sleep";
import { SOC_DEEP_SLEEP } from "../../host-sim/models/energy";
import type { Led } from "../../drivers/led/led";
import type { W25q } from "../../drivers/w25q/w25q";
import { IMAGE_HEADER_BYTES, IMAGE_MAGIC, get32 } from "../../drivers/w25q/image";
import { makeDevkitc, bmeRegisters } from "../drivers/cases";

function imageMagic(b: ReturnType<typeof makeDevkitc>): number {
  const f = b.sim.driver<W25q>("flash");
  return get32(b.sim.flashes["flash"].memory, f.imageAddress);
}

function hibernate(b: ReturnType<typeof makeDevkitc>): void {
  expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
  for (let i = 0; i < 200 && b.sim.platform.sleeping !== SLEEP_DEEP; i++) b.sim.advance(5_000);
  expect(b.sim.platform.sleeping).toBe(SLEEP_DEEP);
  expect(b.sim.energy.socMode()).toBe(SOC_DEEP_SLEEP);
}

describe("hibernate round trip", () => {
  it("suspend hibernate -> deep sleep -> button -> reboot -> image restored -> resumed from hibernate", () => {
    const b = makeDevkitc();
    const oldLed = b.sim.driver<Led>("led");
    oldLed.set(1);
    const regs = bmeRegisters(b.sim);
    hibernate(b);
    expect(imageMagic(b)).toBe(IMAGE_MAGIC);
    expect(b.sim.leds["led"].lit()).toBe(false); // S3 turned it off
    expect(b.sim.flashes["flash"].poweredDown()).toBe(true);
    b.sim.advance(10_000_000); // ten seconds asleep: nothing wakes it
    expect(b.sim.boots).toBe(1);
    b.sim.press();
    b.sim.advance(60_000);
    b.sim.release();
    b.sim.advance(500_000);
    expect(b.sim.boots).toBe(2);
    expect(b.sim.platform.messages).toEqual(["resumed from hibernate"]);
    expect(b.sim.booted!.resumed).toBe(true);
    const led = b.sim.driver<Led>("led");
    expect(led).not.toBe(oldLed); // RAM really went: new drivers
    expect(led.level).toBe(1);
    expect(b.sim.leds["led"].lit()).toBe(true); // restored from the image in R1
    expect(bmeRegisters(b.sim)).toEqual(regs);
    const pm = b.sim.pm;
    expect(pm.phase).toBe(P_IDLE);
    expect(pm.stats.successes).toBe(1);
    expect(pm.stats.lastWakeCause).toBe(0); // GPIO0
    expect(imageMagic(b)).toBe(0); // consumed: a later reset will not resume stale state
    expect(pm.stats.attempts).toBe(1); // the wake press's release started nothing
    expect(b.sim.violations.list).toEqual([]);
  });

  it("the RTC timer can wake it too; the cause is recorded", () => {
    const b = makeDevkitc();
    b.sim.setTimerWake(3_000_000);
    hibernate(b);
    b.sim.advance(4_000_000);
    expect(b.sim.boots).toBe(2);
    expect(b.sim.booted!.resumed).toBe(true);
    expect(b.sim.pm.stats.lastWakeCause).toBe(WAKE_TIMER);
  });

  it("a corrupt image (one payload byte flipped) means a cold boot with a clear message", () => {
    const b = makeDevkitc();
    b.sim.driver<Led>("led").set(1);
    hibernate(b);
    const f = b.sim.driver<W25q>("flash");
    // A payload byte (the header's 24 bytes come first; offset 16 is the layout fingerprint, 20 the CRC).
    b.sim.flashes["flash"].memory[f.imageAddress + IMAGE_HEADER_BYTES + 3] ^= 0x01;
    b.sim.press();
    b.sim.advance(60_000);
    b.sim.release();
    b.sim.advance(500_000);
    expect(b.sim.boots).toBe(2);
    expect(b.sim.platform.messages).toEqual(["cold boot: hibernate image corrupt (CRC-32 mismatch); ignored"]);
    expect(b.sim.booted!.resumed).toBe(false);
    expect(b.sim.driver<Led>("led").level).toBe(0);
    expect(b.sim.leds["led"].lit()).toBe(false);
    expect(b.sim.pm.stats.attempts).toBe(0);
    expect(bmeRegisters(b.sim)).toEqual([1, 0x24, 0]); // cold init done
    expect(b.sim.violations.list).toEqual([]);
  });

  it("a missing image (sector erased) is a cold boot too", () => {
    const b = makeDevkitc();
    hibernate(b);
    const f = b.sim.driver<W25q>("flash");
    b.sim.flashes["flash"].memory.fill(0xff, f.imageAddress, f.imageAddress + 4096);
    b.sim.press();
    b.sim.advance(600_000);
    expect(b.sim.platform.messages).toEqual(["cold boot: no hibernate image on flash"]);
    expect(b.sim.booted!.resumed).toBe(false);
  });

  it("a failure after the image was written rolls back and invalidates the image", () => {
    const b = makeDevkitc();
    b.sim.faults.set("button", "powerOffNoIrq", F_FAIL, IO);
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    b.sim.advance(2_000_000);
    expect(b.outcomes).toEqual([IO]);
    expect(b.sim.boots).toBe(1);
    expect(imageMagic(b)).toBe(0);
    expect(b.sim.pm.phase).toBe(P_IDLE);
    expect(b.sim.violations.list).toEqual([]);
  });
});
