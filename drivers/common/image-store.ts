// The storage role as boot sees it: load the hibernate image into the state arena and say what happened, in the store's own words.

/** `loadImage` loaded the image: the arena holds it and the runtime may resume from it. */
export const IMAGE_LOADED = 0;

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
