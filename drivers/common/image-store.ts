// The storage role as boot sees it: load the hibernate image into the state arena and say what happened, in the store's own words.

/** `loadImage` loaded the image: the arena holds it and the runtime may resume from it. */
export const IMAGE_LOADED = 0;

// Why a platform-kept image (BoardPlatform.loadImage: ESP32 RTC memory) was not loaded: the native
// module's codes (boards/esp32/native.ts IMAGE_*), plus one for an image of another length and one
// for an image of another device layout (boot's own check, boards/boot.ts).
/** No image kept (a cold power-on, or it was consumed). */
export const PLATFORM_IMAGE_NONE = -1;
/** The kept image's checksum does not match (a torn write). */
export const PLATFORM_IMAGE_BAD_CHECKSUM = -2;
/** The kept image is larger than the arena it would be copied into. */
export const PLATFORM_IMAGE_TOO_LARGE = -3;
/** Only the header is kept: the image itself is on a storage device. */
export const PLATFORM_IMAGE_IN_FLASH = -4;
/** The kept image has another length than this firmware's arena (another firmware wrote it). */
export const PLATFORM_IMAGE_OTHER_LAYOUT = -5;
/**
 * The kept image has this firmware's length but another layout stamp (the flight record header's,
 * runtime/flight.ts): devices reordered, renamed or their stateBytes changed. Found by boot, not the platform.
 */
export const PLATFORM_IMAGE_OTHER_DEVICES = -6;

/**
 * A driver that holds the hibernate image (drivers/w25q). Boot finds it by `loadImage`, resumes when
 * the answer is IMAGE_LOADED and logs `describeImage`; the image format stays the driver's business.
 */
export interface ImageStore {
  /**
   * Boot after a hibernate wake: validate the image and copy it into the state arena. IMAGE_LOADED,
   * or the store's own non-zero code for why not (then the arena is zeroed: a cold boot).
   * @boot
   */
  loadImage(): number;
  /** The boot log line for a `loadImage` result. */
  describeImage(result: number): string;
}
