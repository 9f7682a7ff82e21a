// The hibernate state image on flash: a 16-byte header (magic, version, device count, length, CRC-32) + the state arena.
import { IMAGE_LOADED } from "../common/image-store";

/**
 * Layout (little-endian):
 *   0  u32 magic "QSCI"     4  u16 version     6  u16 device count
 *   8  u32 payload length  12  u32 CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) of bytes 0..11 + payload
 *  16  payload: the runtime's state arena bytes [0, length)
 * The device count and length tie the image to one board layout: a firmware whose devices or arena
 * sizes changed rejects an old image instead of restoring bytes into the wrong areas.
 *
 * Which state is in it: the storage device writes the image in its S2, which the runtime orders after
 * the S2 of every device that saves state (DeviceGraph storage edges). State saved in S3 would come
 * after the image was written, so the rule is: a driver that must survive hibernate saves its state by
 * S2 (led, bme280 do). Writing in the storage's S3 instead would mean page programs (0.4..3 ms each,
 * busy-polled with IRQs masked) inside the critical section; S2 keeps S3 short and asynchronous.
 * The sector erase (tSE 45 ms typ, 400 ms max) cannot wait until then: it runs in S1 for hibernate.
 */
export const IMAGE_MAGIC = 0x49435351; // "QSCI" as bytes Q S C I
export const IMAGE_VERSION = 1;
export const IMAGE_HEADER_BYTES = 16;

// loadImage outcomes; IMAGE_OK is the storage role's "loaded" (drivers/common/image-store.ts), the others are why not.
export const IMAGE_OK = IMAGE_LOADED;
export const IMAGE_NONE = 1;
export const IMAGE_CORRUPT = 2;
export const IMAGE_MISMATCH = 3;
export const IMAGE_UNREADABLE = 4;
export const IMAGE_RESULT_TEXT: readonly string[] = Object.freeze([
  "resumed from hibernate",
  "cold boot: no hibernate image on flash",
  "cold boot: hibernate image corrupt (CRC-32 mismatch); ignored",
  "cold boot: hibernate image is from another board layout (device count or arena size differ); ignored",
  "cold boot: flash did not answer while reading the hibernate image",
]);

/** Table-driven CRC-32, table built once at construction; `update` allocates nothing. */
export class Crc32 {
  private readonly table = new Uint32Array(256);

  constructor() {
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      this.table[n] = c >>> 0;
    }
  }

  /** Continues a CRC (start with 0xFFFFFFFF, finish with `~crc >>> 0`). */
  update(crc: number, bytes: Uint8Array, from: number, to: number): number {
    let c = crc;
    const t = this.table;
    for (let i = from; i < to; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return c >>> 0;
  }
}

function put32(b: Uint8Array, i: number, v: number): void {
  b[i] = v & 0xff;
  b[i + 1] = (v >>> 8) & 0xff;
  b[i + 2] = (v >>> 16) & 0xff;
  b[i + 3] = (v >>> 24) & 0xff;
}

export function get32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** Fills `header` (16 bytes) for `payload[0, length)`. */
export function writeHeader(crc: Crc32, header: Uint8Array, devices: number, payload: Uint8Array, length: number): void {
  put32(header, 0, IMAGE_MAGIC);
  header[4] = IMAGE_VERSION & 0xff;
  header[5] = IMAGE_VERSION >> 8;
  header[6] = devices & 0xff;
  header[7] = devices >> 8;
  put32(header, 8, length);
  let c = crc.update(0xffffffff, header, 0, 12);
  c = crc.update(c, payload, 0, length);
  put32(header, 12, ~c >>> 0);
}

/** Checks a header read back; IMAGE_OK means the payload must still pass `checkPayload`. */
export function checkHeader(header: Uint8Array, devices: number, length: number): number {
  const magic = get32(header, 0);
  if (magic !== IMAGE_MAGIC) return IMAGE_NONE;
  if ((header[4] | (header[5] << 8)) !== IMAGE_VERSION) return IMAGE_MISMATCH;
  if ((header[6] | (header[7] << 8)) !== devices || get32(header, 8) !== length) return IMAGE_MISMATCH;
  return IMAGE_OK;
}

export function checkPayload(crc: Crc32, header: Uint8Array, payload: Uint8Array, length: number): number {
  let c = crc.update(0xffffffff, header, 0, 12);
  c = crc.update(c, payload, 0, length);
  return (~c >>> 0) === get32(header, 12) ? IMAGE_OK : IMAGE_CORRUPT;
}

/** Byte `i` of the image (header then payload): the page writer copies through this, no views made. */
export function imageByte(header: Uint8Array, payload: Uint8Array, i: number): number {
  return i < IMAGE_HEADER_BYTES ? header[i] : payload[i - IMAGE_HEADER_BYTES];
}

/** The reads `readImage` needs (drivers/w25q FlashPort). */
export interface ImageSource {
  read(address: number, into: Uint8Array): boolean;
}

/**
 * Boot: reads the header at `address`, checks it against this firmware's layout, reads the payload
 * straight into `arena[0, length)` and checks the CRC. Anything but IMAGE_OK zeroes the arena.
 * @boot
 */
export function readImage(flash: ImageSource, address: number, header: Uint8Array, crc: Crc32, arena: Uint8Array, length: number, devices: number): number {
  let result = IMAGE_UNREADABLE;
  if (flash.read(address, header)) {
    result = checkHeader(header, devices, length);
    if (result === IMAGE_OK) {
      const payload = new Uint8Array(arena.buffer, arena.byteOffset, length);
      if (length === 0 || flash.read(address + IMAGE_HEADER_BYTES, payload)) result = checkPayload(crc, header, arena, length);
      else result = IMAGE_UNREADABLE;
    }
  }
  if (result !== IMAGE_OK) arena.fill(0);
  return result;
}
