// Hibernate never loses or resurrects state: images are consumed at boot and carry their attempt; W25Q at boot busy, dead or from another version.
import { describe, expect, it } from "vitest";
import { OK, IO, T_HIBERNATE, T_STANDBY, TEST_NONE, TEST_PLATFORM, D_ACTIVE, D_FAILED, WAKE_RESET } from "../../runtime";
import { F_FAIL } from "../../host-sim/board/faults";
import { SLEEP_DEEP } from "../../host-sim/board/sim-sleep";
import type { Led } from "../../drivers/led/led";
import type { W25q } from "../../drivers/w25q/w25q";
import { Crc32, IMAGE_HEADER_BYTES, IMAGE_MAGIC, get32, writeHeader } from "../../drivers/w25q/image";
import { makeDevkitc, type CaseBoard } from "../drivers/cases";

function magic(b: CaseBoard): number {
  return get32(b.sim.flashes["flash"].memory, b.sim.driver<W25q>("flash").imageAddress);
}

function deepSleep(b: CaseBoard): boolean {
  for (let i = 0; i < 400 && b.sim.platform.sleeping !== SLEEP_DEEP; i++) b.sim.advance(5_000);
  return b.sim.platform.sleeping === SLEEP_DEEP;
}

function wakeByButton(b: CaseBoard): void {
  b.sim.press();
  b.sim.advance(60_000);
  b.sim.release();
  b.sim.advance(600_000);
}

describe("hibernate never resurrects an older image", () => {
  it("a failed flash resume, then a second hibernate that skips the flash: the wake is a cold boot, never the first image", () => {
    const b = makeDevkitc();
    b.sim.driver<Led>("led").set(1);
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect(deepSleep(b)).toBe(true);
    expect(magic(b)).toBe(IMAGE_MAGIC);
    // The wake restores image #1, but the flash's R1 fails: no R2 will ever run for it.
    b.sim.faults.set("flash", "powerOnNoIrq", F_FAIL, IO);
    // And the flash stays dead from the end of that resume on: its re-probes fail, it stays failed.
    b.sim.onDone(() => {
      if (b.sim.boots === 2) b.sim.chipFault("flash", "nak");
    });
    wakeByButton(b);
    expect(b.sim.booted!.resumed).toBe(true);
    expect(b.sim.driver<Led>("led").level).toBe(1);
    const pm = b.sim.pm;
    expect(b.outcomes.slice(-1)).toEqual([IO]);
    // Consumed at boot, before the runtime resumed from it: nothing on flash can bring it back.
    expect(magic(b)).toBe(0);
    b.sim.advance(100_000);
    expect(pm.deviceState(pm.graph.names.indexOf("flash"))).toBe(D_FAILED);
    b.sim.driver<Led>("led").set(0);
    const started = pm.suspend(T_HIBERNATE, TEST_NONE);
    // The runtime may refuse a hibernate without its storage device; if it sleeps anyway, the wake must be cold.
    if (started === OK && deepSleep(b)) {
      b.sim.chipFault("flash", "none");
      wakeByButton(b);
      expect(b.sim.boots).toBe(3);
      expect(b.sim.booted!.resumed).toBe(false);
      expect(b.sim.platform.messages.slice(-1)).toEqual(["cold boot: no hibernate image on flash"]);
      expect(b.sim.driver<Led>("led").level).toBe(0);
    } else {
      expect(b.sim.boots).toBe(2);
      expect(magic(b)).toBe(0);
    }
  });

  it("an image carries the attempt that wrote it; one whose attempt is not its flight record's is refused", () => {
    const b = makeDevkitc();
    expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK); // attempt #1
    b.sim.advance(1_000_000);
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK); // attempt #2 writes the image
    expect(deepSleep(b)).toBe(true);
    const mem = b.sim.flashes["flash"].memory;
    const at = b.sim.driver<W25q>("flash").imageAddress;
    expect(get32(mem, at + 12)).toBe(2);
    // Same payload, header rewritten (valid CRC) claiming attempt #1: a stale image, not restored.
    const length = get32(mem, at + 8);
    const payload = mem.slice(at + IMAGE_HEADER_BYTES, at + IMAGE_HEADER_BYTES + length);
    const header = new Uint8Array(IMAGE_HEADER_BYTES);
    writeHeader(new Crc32(), header, mem[at + 6] | (mem[at + 7] << 8), get32(mem, at + 16), 1, payload, length);
    mem.set(header, at);
    wakeByButton(b);
    expect(b.sim.booted!.resumed).toBe(false);
    expect(b.sim.platform.messages).toEqual(["cold boot: hibernate image belongs to another attempt than the flight record it carries; ignored"]);
  });

  it("an image written by an attempt whose flash R2 never came is zeroed by the flash's re-probe", () => {
    const b = makeDevkitc();
    b.sim.faults.set("flash", "resume", F_FAIL, IO);
    let atDone = -1;
    b.sim.onDone(() => { atDone = magic(b); });
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_PLATFORM)).toBe(OK);
    for (let i = 0; i < 2000 && b.outcomes.length === 0; i++) b.sim.advance(1_000);
    expect(b.outcomes).toEqual([IO]);
    expect(atDone).toBe(IMAGE_MAGIC); // valid and stale: the system is running again
    b.sim.faults.set("flash", "resume", 0);
    b.sim.advance(100_000);
    const pm = b.sim.pm;
    expect(pm.deviceState(pm.graph.names.indexOf("flash"))).toBe(D_ACTIVE);
    expect(magic(b)).toBe(0);
    expect(b.sim.violations.list).toEqual([]);
  });
});

describe("the W25Q at boot", () => {
  it("still erasing when the board was reset: boot waits for BUSY (tSE) instead of calling the flash miswired", () => {
    const b = makeDevkitc();
    const f = b.sim.driver<W25q>("flash");
    f.setClient(() => {});
    expect(f.eraseSector(1, 0x2000)).toBe(OK);
    b.sim.advance(1_000);
    expect(b.sim.flashes["flash"].busy()).toBe(true);
    const before = b.sim.now();
    expect(() => b.sim.reboot(WAKE_RESET)).not.toThrow();
    expect(b.sim.flashes["flash"].busy()).toBe(false);
    expect(b.sim.now() - before).toBeGreaterThan(30_000); // the rest of the 45 ms erase, waited at boot
    expect(b.sim.violations.list).toEqual([]);
  });

  it("a flash dead at wake: a cold boot with a message, boot does not throw", () => {
    const b = makeDevkitc();
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect(deepSleep(b)).toBe(true);
    b.sim.chipFault("flash", "nak");
    expect(() => wakeByButton(b)).not.toThrow();
    expect(b.sim.boots).toBe(2);
    expect(b.sim.booted!.resumed).toBe(false);
    expect(b.sim.platform.messages).toEqual(["cold boot: the flash did not answer JEDEC ID 9Fh at wake; no hibernate image read"]);
  });

  it("an image of another version says both versions in the boot message", () => {
    const b = makeDevkitc();
    expect(b.sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    expect(deepSleep(b)).toBe(true);
    const at = b.sim.driver<W25q>("flash").imageAddress;
    b.sim.flashes["flash"].memory[at + 4] = 1; // version 1 (bits only go 1 -> 0 on a real chip; the test edits the array)
    wakeByButton(b);
    expect(b.sim.booted!.resumed).toBe(false);
    expect(b.sim.platform.messages).toEqual(["hibernate image version 1, this firmware reads 3: cold boot"]);
  });
});
