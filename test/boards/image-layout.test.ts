// A W25Q hibernate image is restored only by a firmware with the same device layout: reordered devices or moved stateBytes are a cold boot.
import { describe, expect, it } from "vitest";
import { OK, T_HIBERNATE, TEST_NONE } from "../../runtime";
import { StateArena } from "../../runtime/pools";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SLEEP_DEEP } from "../../host-sim/board/sim-sleep";
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";
import { DEVKITC_PINS } from "../../boards/esp32-devkitc/board";
import type { BoardDevice } from "../../boards/types";
import { withDevices, swap, sized } from "./layout-edits";
import type { Led } from "../../drivers/led/led";
import type { W25q } from "../../drivers/w25q/w25q";
import { Crc32, IMAGE_HEADER_BYTES, IMAGE_OK, IMAGE_OTHER_LAYOUT, checkHeader, get32, writeHeader } from "../../drivers/w25q/image";

/** The DevKitC with its devices passed through `edit`: another firmware for the same hardware. */
function firmware(edit: (devices: BoardDevice[]) => BoardDevice[]): SimBoardWiring {
  return withDevices(SIM_ESP32_DEVKITC, edit);
}

/** Boots `wiring`, lights the LED (saved in its S2) and hibernates; returns the flash chip's bytes once in deep sleep. */
function hibernated(wiring: SimBoardWiring): { flash: Uint8Array; layout: number } {
  const sim = new SimBoard(wiring, { seed: 1 });
  sim.advance(10_000);
  sim.driver<Led>("led").set(1);
  expect(sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
  for (let i = 0; i < 400 && sim.platform.sleeping !== SLEEP_DEEP; i++) sim.advance(5_000);
  expect(sim.platform.sleeping).toBe(SLEEP_DEEP);
  return { flash: sim.flashes["flash"].memory.slice(), layout: layoutOf(sim) };
}

/** Firmware `wiring` on the same hardware: the flash holds `flash`, and the board wakes from hibernate by the BOOT button. */
function wakeWith(wiring: SimBoardWiring, flash: Uint8Array): SimBoard {
  const sim = new SimBoard(wiring, { seed: 1 });
  sim.flashes["flash"].memory.set(flash);
  sim.platform.messages.length = 0;
  sim.reboot(DEVKITC_PINS.button);
  sim.advance(600_000);
  return sim;
}

/** The layout the storage port reports (what the W25Q writes into, and checks against, the header). */
const layoutOf = (sim: SimBoard): number => sim.pm.port(sim.pm.graph.storage).imageLayout;

const hex8 = (v: number): string => "0x" + v.toString(16).padStart(8, "0");

describe("the hibernate image carries the device layout", () => {
  it("the same firmware restores its image (the LED comes back lit)", () => {
    const image = hibernated(SIM_ESP32_DEVKITC);
    const sim = wakeWith(SIM_ESP32_DEVKITC, image.flash);
    expect(sim.platform.messages).toEqual(["resumed from hibernate"]);
    expect(sim.booted!.resumed).toBe(true);
    expect(sim.driver<Led>("led").level).toBe(1);
    expect(layoutOf(sim)).toBe(image.layout);
  });

  it("reordered devices, same count and arena size: a cold boot naming both layouts, nothing restored", () => {
    const image = hibernated(SIM_ESP32_DEVKITC);
    const reordered = firmware((d) => swap(d, "bme280", "led"));
    const sim = wakeWith(reordered, image.flash);
    const layout = layoutOf(sim);
    expect(layout).not.toBe(image.layout);
    // The checks before format 3 pass: the header's device count and length are this firmware's.
    const at = sim.driver<W25q>("flash").imageAddress;
    expect([image.flash[at + 6] | (image.flash[at + 7] << 8), get32(image.flash, at + 8)]).toEqual([sim.pm.graph.count, sim.pm.arena.used]);
    expect(sim.platform.messages).toEqual(["hibernate image of device layout " + hex8(image.layout) + ", this firmware's is " +
      hex8(layout) + " (devices reordered, renamed or their stateBytes changed): cold boot"]);
    expect(sim.booted!.image).toBe(IMAGE_OTHER_LAYOUT);
    expect(sim.booted!.resumed).toBe(false);
    expect(sim.driver<Led>("led").level).toBe(0);
    expect(sim.leds["led"].lit()).toBe(false);
    expect(sim.pm.stats.attempts).toBe(0);
  });

  it("stateBytes moved between devices, same order and total: a cold boot; the same sizes restore", () => {
    const before = firmware((d) => sized(d, { led: 2, button: 3 }));
    const after = firmware((d) => sized(d, { led: 3, button: 2 }));
    const image = hibernated(before);
    const sim = wakeWith(after, image.flash);
    expect(sim.booted!.image).toBe(IMAGE_OTHER_LAYOUT);
    expect(sim.booted!.resumed).toBe(false);
    expect(sim.driver<Led>("led").level).toBe(0);
    const same = wakeWith(before, image.flash);
    expect([same.booted!.resumed, same.driver<Led>("led").level]).toEqual([true, 1]);
  });
});

describe("the layout fingerprint (StateArena.fingerprint) and the header check", () => {
  const hash = (devices: [string, number][]): number => {
    const a = new StateArena(64, 8, 16);
    devices.forEach(([, bytes], d) => a.layout(d, bytes));
    return a.fingerprint(devices.map(([name]) => name), devices.length);
  };

  it("depends on each stateful device's name, offset and size, in order; not on devices without state", () => {
    const base = hash([["led", 1], ["bme280", 4], ["flash", 0]]);
    expect(hash([["led", 1], ["bme280", 4], ["flash", 0]])).toBe(base);
    expect(new Set([
      base,
      hash([["bme280", 4], ["led", 1], ["flash", 0]]), // reordered
      hash([["led", 4], ["bme280", 1], ["flash", 0]]), // sizes swapped, same total
      hash([["led", 1], ["bme281", 4], ["flash", 0]]), // renamed
      hash([["le", 1], ["dbme280", 4], ["flash", 0]]), // the same characters split differently
      hash([["led", 1], ["flash", 0]]), // one device with state fewer
    ]).size).toBe(6);
    // No image byte moves when a stateless device does: the count in the header still ties the device list.
    expect(hash([["flash", 0], ["led", 1], ["bme280", 4]])).toBe(base);
    expect(hash([["led", 1], ["bme280", 4], ["spi", 0]])).toBe(base);
  });

  it("a header of another layout is IMAGE_OTHER_LAYOUT before the payload is read; its own layout passes", () => {
    const payload = new Uint8Array(32);
    const header = new Uint8Array(IMAGE_HEADER_BYTES);
    writeHeader(new Crc32(), header, 3, 0xdeadbeef, 1, payload, payload.length);
    expect(checkHeader(header, 3, payload.length, 0xdeadbeef)).toBe(IMAGE_OK);
    expect(checkHeader(header, 3, payload.length, 0xdeadbeee)).toBe(IMAGE_OTHER_LAYOUT);
  });
});
