// The storage role's image on the W25Q, step by step: erase the image sectors (S1), program header + arena (S2), zero the magic (R2, re-probe, boot).
import type { Platform } from "../../runtime/platform";
import { FlashPort, PAGE_BYTES, SECTOR_BYTES, PP_MAX_US } from "./flash";
import {
  Crc32, IMAGE_HEADER_BYTES, IMAGE_MAGIC, IMAGE_OK, IMAGE_NOT_CONSUMED, attemptOf, countView, get32, headerLayout, headerVersion,
  imageByte, readImage, writeHeader,
} from "./image";
import { waitIdle } from "./chip-wake";

export const JOB_NONE = 0;
/** S1 (hibernate): erase the image sectors; tSE is far too long for S2/S3. */
export const JOB_ERASE = 1;
/** S2 (hibernate): program the image pages. */
export const JOB_WRITE = 2;
/** R2 after a rolled-back write, or a re-probe that found a magic: zero it. */
export const JOB_INVALIDATE = 3;

/**
 * One job at a time, a step per flash command (one sector erase or one page program); the driver
 * polls BUSY between steps. The image is read through `imageByte`, so a page is copied from the
 * header and the arena without a view per page. Every buffer is made here, at boot.
 *
 * Invalidation order: the erase's first step is the sector holding the header (so the old magic is
 * gone before anything new is programmed), and the write's first page is the header's, whose CRC
 * covers the whole payload: a write cut short leaves a header whose CRC fails, never a valid image.
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
  /** The header version of the last image `load` read (what boot names when it is another one). */
  lastVersion = 0;
  /** The layout fingerprint of the last image `load` read (what boot names when it is another one). */
  lastLayout = 0;
  private readonly flash: FlashPort;
  private readonly crc = new Crc32();
  private readonly header = new Uint8Array(IMAGE_HEADER_BYTES);
  private readonly magic: Uint8Array;
  private readonly page = new Uint8Array(PAGE_BYTES);
  private readonly zero4 = new Uint8Array(4);
  /** The flight recorder's count at the front of the arena (attach), for the header's attempt. */
  private count: Float64Array | null = null;

  constructor(flash: FlashPort, address: number, sectors: number) {
    this.flash = flash;
    this.address = address;
    this.sectors = sectors;
    this.magic = this.header.subarray(0, 4);
  }

  /** Attach: the arena the image holds. @boot */
  bind(image: Uint8Array): void {
    this.count = countView(image);
  }

  begin(kind: number, steps: number): void {
    this.kind = kind;
    this.step = 0;
    this.steps = steps;
    this.started = false;
  }

  /** S2: header for `image` (the whole arena, laid out as `layout`) and the attempt in progress; returns the pages to program. */
  prepareWrite(image: Uint8Array, devices: number, layout: number): number {
    writeHeader(this.crc, this.header, devices, layout, attemptOf(this.count), image, image.length);
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

  /** 1 if the image's magic is on flash, 0 if not, -1 if the flash did not answer. */
  magicOnFlash(): number {
    if (!this.flash.read(this.address, this.magic)) return -1;
    return get32(this.magic, 0) === IMAGE_MAGIC ? 1 : 0;
  }

  /**
   * Boot after a hibernate wake: IMAGE_OK or why not (image.ts); anything else zeroes `image`. A valid
   * image is consumed before it is used: its magic is programmed to zero (tPP, polled up to its 3 ms
   * maximum), so neither a failed resume nor a later hibernate that never reaches the flash can bring
   * it back. If that program fails the image is not used either (IMAGE_NOT_CONSUMED). @boot
   */
  load(image: Uint8Array, devices: number, layout: number, platform: Platform): number {
    const result = readImage(this.flash, this.address, this.header, this.crc, image, image.length, devices, layout);
    this.lastVersion = headerVersion(this.header);
    this.lastLayout = headerLayout(this.header);
    if (result !== IMAGE_OK) return result;
    if (this.flash.program(this.address, this.zero4) && waitIdle(this.flash, platform, PP_MAX_US) && this.magicOnFlash() === 0) return IMAGE_OK;
    image.fill(0);
    return IMAGE_NOT_CONSUMED;
  }
}
