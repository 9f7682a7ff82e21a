// The storage role's PM jobs on the W25Q: erase the image sectors (S1), program header + arena page by page (S2), zero the magic (R2).
import { FlashPort, PAGE_BYTES, SECTOR_BYTES } from "./flash";
import { Crc32, IMAGE_HEADER_BYTES, imageByte, readImage, writeHeader } from "./image";

export const JOB_NONE = 0;
/** S1 (hibernate): erase the image sectors; tSE is far too long for S2/S3. */
export const JOB_ERASE = 1;
/** S2 (hibernate): program the image pages. */
export const JOB_WRITE = 2;
/** R2 after the image was used or a rollback: zero the magic. */
export const JOB_INVALIDATE = 3;

/**
 * One job at a time, a step per flash command (one sector erase or one page program); the driver
 * polls BUSY between steps. The image is read through `imageByte`, so a page is copied from the
 * header and the arena without a view per page. Every buffer is made here, at boot.
 */
export class ImageJob {
  readonly address: number;
  readonly sectors: number;
  kind = JOB_NONE;
  step = 0;
  steps = 0;
  /** False while the job waits for the queue's operation in flight to clear BUSY. */
  started = false;
  /** A complete image is on flash: R2 invalidates it. */
  written = false;
  /** Header + payload bytes of the image being written. */
  length = 0;
  private readonly flash: FlashPort;
  private readonly crc = new Crc32();
  private readonly header = new Uint8Array(IMAGE_HEADER_BYTES);
  private readonly page = new Uint8Array(PAGE_BYTES);
  private readonly zero4 = new Uint8Array(4);

  constructor(flash: FlashPort, address: number, sectors: number) {
    this.flash = flash;
    this.address = address;
    this.sectors = sectors;
  }

  begin(kind: number, steps: number): void {
    this.kind = kind;
    this.step = 0;
    this.steps = steps;
    this.started = false;
  }

  /** S2: header for `image` (the whole arena); returns the pages to program. */
  prepareWrite(image: Uint8Array, devices: number): number {
    writeHeader(this.crc, this.header, devices, image, image.length);
    this.length = IMAGE_HEADER_BYTES + image.length;
    return Math.ceil(this.length / PAGE_BYTES);
  }

  /** Issues the current step's command; false if the flash did not take it. */
  issue(image: Uint8Array): boolean {
    this.started = true;
    if (this.kind === JOB_ERASE) return this.flash.eraseSector(this.address + this.step * SECTOR_BYTES);
    if (this.kind === JOB_WRITE) {
      const base = this.step * PAGE_BYTES;
      const length = this.length;
      for (let i = 0; i < PAGE_BYTES; i++) {
        this.page[i] = base + i < length ? imageByte(this.header, image, base + i) : 0xff;
      }
      return this.flash.program(this.address + base, this.page);
    }
    return this.flash.program(this.address, this.zero4);
  }

  /** Boot after a hibernate wake: IMAGE_OK or why not (image.ts); anything else zeroes `image`. @boot */
  load(image: Uint8Array, devices: number): number {
    return readImage(this.flash, this.address, this.header, this.crc, image, image.length, devices);
  }
}
