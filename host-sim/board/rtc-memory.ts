// RTC slow memory's share for the hibernate image of a simulated board without a storage device: survives the deep sleep's reboot.
import { IMAGE_LOADED, PLATFORM_IMAGE_NONE, PLATFORM_IMAGE_OTHER_LAYOUT } from "../../drivers/common/image-store";

/** RTC slow memory kept for the hibernate image: the native module's default (quiesce-native.c, manifests/esp32.json rtcImageBytes). */
export const RTC_IMAGE_BYTES = 2048;

/**
 * The ESP32 keeps 8 KB of RTC slow memory powered in deep sleep (TRM §1.3.2.2); the native module
 * gives the image 2,048 bytes of it by default (boards/esp32/quiesce-native.c
 * MODDEF_QUIESCE_RTCIMAGEBYTES). Made once, so it outlives the firmware as RTC memory does.
 */
export class RtcImageMemory {
  /** Bytes the image may take. */
  readonly capacity: number;
  /** Hibernates refused because the bound image did not fit (Esp32Platform.hibernateRefusals). */
  refusals = 0;
  private readonly bytes: Uint8Array;
  /** Bytes of `bytes` holding a valid image, 0 none. */
  private length = 0;
  /** The arena a hibernate copies in (`bind`), null: the board has a storage device. */
  private bound: Uint8Array | null = null;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.bytes = new Uint8Array(capacity);
  }

  /** A hibernate will copy `arena` in (the firmware's image arena; BoardPlatform.bindImage). */
  bind(arena: Uint8Array): void {
    this.bound = arena;
  }

  /** The firmware that bound an arena is gone (reboot): nothing is copied until the next boot binds one. */
  unbind(): void {
    this.bound = null;
  }

  /**
   * At hibernate entry: copies the bound arena in; false when it does not fit, so the deep sleep is
   * refused (the copy is a few µs at CPU speed and is not charged). True with no arena bound.
   */
  save(): boolean {
    const img = this.bound;
    if (img === null) return true;
    this.length = 0;
    if (img.length > this.capacity) {
      this.refusals++;
      return false;
    }
    this.bytes.set(img);
    this.length = img.length;
    return true;
  }

  /** BoardPlatform.loadImage: the image into `into`, consumed (a later boot never sees it again). */
  load(into: Uint8Array): number {
    const n = this.length;
    this.length = 0;
    if (n === 0) return PLATFORM_IMAGE_NONE;
    if (n !== into.length) return PLATFORM_IMAGE_OTHER_LAYOUT;
    into.set(this.bytes.subarray(0, n));
    return IMAGE_LOADED;
  }

  /** The memory as `other` left it, its image not consumed (another firmware booting on the same chip). */
  adopt(other: RtcImageMemory): void {
    const n = Math.min(other.length, this.bytes.length);
    this.bytes.set(other.bytes.subarray(0, n));
    this.length = n;
  }

  /** BoardPlatform.clearImage: a cold boot forgets the image. */
  clear(): void {
    this.length = 0;
  }
}
