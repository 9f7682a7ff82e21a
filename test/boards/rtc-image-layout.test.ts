// A hibernate image in RTC memory is restored only by a firmware with the same device layout: reordered devices or swapped stateBytes are a cold boot.
import { describe, expect, it } from "vitest";
import { OK, T_HIBERNATE, TEST_NONE } from "../../runtime";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SLEEP_DEEP } from "../../host-sim/board/sim-sleep";
import type { SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";
import { simModdableTwoWiring } from "../../host-sim/boards/moddable-two";
import { MODDABLE_TWO_PINS } from "../../boards/moddable-two/board";
import type { BoardDevice } from "../../boards/types";
import { withDevices, swap, sized } from "./layout-edits";
import type { Backlight } from "../../drivers/backlight/backlight";
import { IMAGE_LOADED, PLATFORM_IMAGE_OTHER_DEVICES } from "../../drivers/common/image-store";

/** The simulated Moddable Two (no storage device: a hibernate keeps the arena in RTC memory) with its devices passed through `edit`. */
function firmware(edit: (devices: BoardDevice[]) => BoardDevice[] = (d) => d): SimBoardWiring {
  return withDevices(simModdableTwoWiring(), edit);
}

/** Sets the backlight (saved in its S2) and hibernates `sim` until it is in deep sleep, the arena in its RTC memory. */
function hibernate(sim: SimBoard, brightness: number): void {
  sim.driver<Backlight>("backlight").brightness = brightness;
  expect(sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
  for (let i = 0; i < 400 && sim.platform.sleeping !== SLEEP_DEEP; i++) sim.advance(5_000);
  expect(sim.platform.sleeping).toBe(SLEEP_DEEP);
}

/** Boots `wiring` and hibernates it with the backlight at `brightness`: the board in deep sleep. */
function hibernated(wiring: SimBoardWiring, brightness: number): SimBoard {
  const sim = new SimBoard(wiring, { seed: 1, nowCostUs: 0 });
  sim.advance(300_000);
  hibernate(sim, brightness);
  return sim;
}

/** Firmware `wiring` on the chip `asleep` sleeps on: its RTC memory kept, the wake by the button (GPIO0, ext0). */
function wakeWith(wiring: SimBoardWiring, asleep: SimBoard): SimBoard {
  const sim = new SimBoard(wiring, { seed: 1, nowCostUs: 0, boot: false });
  sim.platform.adoptRtcMemory(asleep.platform);
  sim.reboot(MODDABLE_TWO_PINS.button);
  sim.advance(600_000);
  return sim;
}

/** The layout fingerprint of `sim`'s arena (what boot stamps into the flight record's header). */
const layoutOf = (sim: SimBoard): number => sim.pm.arena.fingerprint(sim.pm.graph.names, sim.pm.graph.count);

const hex8 = (v: number): string => "0x" + v.toString(16).padStart(8, "0");

const otherLayout = (image: number, layout: number): string =>
  "boards/moddable-two: cold boot: the hibernate image in RTC memory was written by another device layout (" + hex8(image) +
  ", this firmware's is " + hex8(layout) + "): devices reordered, renamed or their stateBytes changed";

describe("the hibernate image in RTC memory carries the device layout (the flight record header's stamp)", () => {
  it("the same firmware restores its image: the backlight comes back at its brightness", () => {
    const asleep = hibernated(firmware(), 400);
    const sim = wakeWith(firmware(), asleep);
    expect(sim.platform.messages).toEqual(["boards/moddable-two: resumed from the hibernate image in RTC memory (" + sim.pm.arena.used + " bytes)"]);
    expect([sim.booted!.image, sim.booted!.resumed]).toEqual([IMAGE_LOADED, true]);
    expect(sim.driver<Backlight>("backlight").brightness).toBe(400);
    expect(sim.pm.flight.stampedLayout()).toBe(layoutOf(asleep));
  });

  it("reordered devices, same length: a cold boot naming both layouts; the new firmware's own image then restores", () => {
    const asleep = hibernated(firmware(), 400);
    const reordered = firmware((d) => swap(d, "touch", "backlight"));
    const sim = wakeWith(reordered, asleep);
    const [image, layout] = [layoutOf(asleep), layoutOf(sim)];
    expect(layout).not.toBe(image);
    // The check before the stamp passes: the image has this firmware's length.
    expect(sim.pm.arena.used).toBe(asleep.pm.arena.used);
    expect(sim.platform.messages).toEqual([otherLayout(image, layout)]);
    expect([sim.booted!.image, sim.booted!.resumed]).toEqual([PLATFORM_IMAGE_OTHER_DEVICES, false]);
    // Cold: the backlight at its board brightness, not the touch controller's bytes read as one.
    expect(sim.driver<Backlight>("backlight").brightness).toBe(1000);
    expect([sim.pm.stats.attempts, sim.pm.flight.total]).toEqual([0, 0]);
    // The rejected image left nothing behind: the arena is zeroed but for this firmware's stamp.
    expect(sim.pm.flight.stampedLayout()).toBe(layout);
    expect(Array.from(sim.pm.arena.bytes.subarray(16, sim.pm.arena.used)).every((b) => b === 0)).toBe(true);
    hibernate(sim, 700);
    sim.platform.messages.length = 0;
    sim.reboot(MODDABLE_TWO_PINS.button);
    sim.advance(600_000);
    expect(sim.platform.messages).toEqual(["boards/moddable-two: resumed from the hibernate image in RTC memory (" + sim.pm.arena.used + " bytes)"]);
    expect([sim.booted!.resumed, sim.driver<Backlight>("backlight").brightness]).toEqual([true, 700]);
  });

  it("stateBytes swapped between devices, same order and total: a cold boot; the same sizes restore", () => {
    const before = (): SimBoardWiring => firmware((d) => sized(d, { i2c: 3, button: 2 }));
    const after = firmware((d) => sized(d, { i2c: 2, button: 3 }));
    const asleep = hibernated(before(), 400);
    const sim = wakeWith(after, asleep);
    expect(sim.platform.messages).toEqual([otherLayout(layoutOf(asleep), layoutOf(sim))]);
    expect([sim.booted!.image, sim.booted!.resumed, sim.driver<Backlight>("backlight").brightness]).toEqual([PLATFORM_IMAGE_OTHER_DEVICES, false, 1000]);
    const same = wakeWith(before(), hibernated(before(), 400));
    expect([same.booted!.image, same.booted!.resumed, same.driver<Backlight>("backlight").brightness]).toEqual([IMAGE_LOADED, true, 400]);
  });
});
