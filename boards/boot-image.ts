// Boot from a hibernate image: binds the image the platform keeps, loads it after a hibernate wake (the storage device's or the platform's) and resumes the runtime from it.
import type { PowerManager } from "../runtime/pm";
import { T_HIBERNATE, WAKE_NONE } from "../runtime/status";
import type { BoardDriver } from "../drivers/common/io";
import {
  IMAGE_LOADED, PLATFORM_IMAGE_BAD_CHECKSUM, PLATFORM_IMAGE_NONE, PLATFORM_IMAGE_OTHER_DEVICES, PLATFORM_IMAGE_OTHER_LAYOUT, type ImageStore,
} from "../drivers/common/image-store";
import type { BoardDefinition, BoardPlatform } from "./types";

/** BootedBoard.image when no device holds an image: not IMAGE_LOADED, so the board boots cold. */
const NO_IMAGE_STORE = 1;

/**
 * The storage device (`store`, or null), else boot itself, keeps the image: the platform's image is the
 * arena, its flight record header carrying the layout stamp. After a hibernate wake the image is
 * validated and, if it loaded, the runtime resumes every device from it. Answers BootedBoard.image:
 * the load result (IMAGE_LOADED: resumed), or -1 on a cold power-on.
 */
export function bootImage(def: BoardDefinition, pm: PowerManager, platform: BoardPlatform, store: ImageStore | null): number {
  const arenaImage = store === null && platform.bindImage !== undefined ? bindPlatformImage(def, pm, platform) : null;
  // The platform's image is the arena itself: it carries this layout stamp, checked when one is loaded.
  const layout = arenaImage === null ? 0 : pm.arena.fingerprint(pm.graph.names, pm.graph.count);
  if (arenaImage !== null) pm.flight.stampLayout(layout);
  let image = -1;
  const cause = platform.hibernateWakeCause();
  if (cause === WAKE_NONE && arenaImage !== null && platform.clearImage !== undefined) platform.clearImage();
  if (cause !== WAKE_NONE) {
    if (store !== null) {
      image = store.loadImage();
      platform.log(store.describeImage(image));
    } else if (arenaImage !== null && platform.loadImage !== undefined) {
      image = loadPlatformImage(def, pm, platform, arenaImage, layout);
    } else {
      image = NO_IMAGE_STORE;
      platform.log(def.file + ": cold boot: no storage device holds a hibernate image");
    }
    if (image === IMAGE_LOADED) pm.resumeFromImage(cause, platform.hibernateSleptUs !== undefined ? platform.hibernateSleptUs() : -1);
  }
  return image;
}

/** The storage device's driver as an image store, or null if it holds no image (a driver without `loadImage`). */
export function findStore(built: BoardDriver | null): ImageStore | null {
  const d = built as unknown as Partial<ImageStore> | null;
  return d !== null && typeof d.loadImage === "function" ? d as ImageStore : null;
}

/**
 * No storage device: the platform keeps the image (the arena as laid out: ESP32 RTC slow memory). A
 * board that lists hibernate for the governor must fit, or boot says how to; otherwise a hibernate
 * whose image does not fit is refused by the platform at run time (docs/guarantees.md).
 */
function bindPlatformImage(def: BoardDefinition, pm: PowerManager, platform: BoardPlatform): Uint8Array {
  const bytes = new Uint8Array(pm.arena.buffer, 0, pm.arena.used);
  const room = platform.imageBytes ?? bytes.length;
  let hibernate = false;
  const states = def.pm.states ?? [];
  for (let i = 0; i < states.length; i++) if (states[i].target === T_HIBERNATE) hibernate = true;
  if (hibernate && bytes.length > room) {
    throw new Error(def.file + ": pm.states lists hibernate and no device holds the image (ROLE_STORAGE), so the platform keeps it " +
      "(ESP32 RTC slow memory), but the image is " + bytes.length + " bytes and it holds " + room + ": lower pm.stateArenaBytes or " +
      "pm.flightRecords, raise the platform's rtcImageBytes (manifest defines.quiesce.rtcImageBytes, RTC slow memory is 8 KB), " +
      "or give the flash the storage role");
  }
  platform.bindImage!(bytes, -1);
  return bytes;
}

/**
 * Boot after a hibernate wake, the image kept by the platform: loads it into the arena and takes it
 * only if it carries this firmware's layout stamp (`layout`): the same length is not the same layout
 * (devices reordered, renamed or their stateBytes swapped keep the total). Anything but IMAGE_LOADED
 * leaves the arena zeroed and stamped again, a cold boot; the outcome goes to the boot log.
 */
function loadPlatformImage(def: BoardDefinition, pm: PowerManager, platform: BoardPlatform, arenaImage: Uint8Array, layout: number): number {
  let result = platform.loadImage!(arenaImage);
  const written = pm.flight.stampedLayout();
  if (result === IMAGE_LOADED && written !== layout) result = PLATFORM_IMAGE_OTHER_DEVICES;
  if (result !== IMAGE_LOADED) {
    arenaImage.fill(0);
    pm.flight.stampLayout(layout);
  }
  platform.log(def.file + ": " + platformImageText(result, arenaImage.length, written, layout));
  return result;
}

/** The boot log line for a platform image's load result; `written` is the loaded image's layout stamp, `layout` this firmware's. */
function platformImageText(result: number, length: number, written: number, layout: number): string {
  if (result === IMAGE_LOADED) return "resumed from the hibernate image in RTC memory (" + length + " bytes)";
  if (result === PLATFORM_IMAGE_NONE) return "cold boot: no hibernate image in RTC memory";
  if (result === PLATFORM_IMAGE_BAD_CHECKSUM) return "cold boot: the hibernate image in RTC memory has a bad checksum";
  if (result === PLATFORM_IMAGE_OTHER_LAYOUT) return "cold boot: the hibernate image in RTC memory has another length than this firmware's " + length + "-byte arena";
  if (result === PLATFORM_IMAGE_OTHER_DEVICES) {
    return "cold boot: the hibernate image in RTC memory was written by another device layout (" + hex8(written) + ", this firmware's is " +
      hex8(layout) + "): devices reordered, renamed or their stateBytes changed";
  }
  return "cold boot: the hibernate image in RTC memory was not loaded (" + result + ")";
}

/** A layout stamp as the boot log names it: 0x and eight hex digits (drivers/w25q names its own the same way). */
function hex8(v: number): string {
  return "0x" + ("0000000" + (v >>> 0).toString(16)).slice(-8);
}
