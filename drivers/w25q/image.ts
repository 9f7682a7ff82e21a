// The hibernate state image on flash: a 24-byte header (magic, version, device count, length, attempt, layout, CRC-32) + the state arena.
import { IMAGE_LOADED } from "../common/image-store";

/**
 * Layout (little-endian):
 *   0  u32 magic "QSCI"     4  u16 version     6  u16 device count
 *   8  u32 payload length  12  u32 attempt: the suspend attempt that wrote it (the flight recorder's sequence)
 *  16  u32 layout: the runtime's fingerprint of the arena layout (DevicePort.imageLayout: FNV-1a over
 *      the name, state offset and size of each device with state, in registration order)
 *  20  u32 CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) of bytes 0..19 + payload
 *  24  payload: the runtime's state arena bytes [0, length)
 * The device count, length and layout tie the image to one board layout: a firmware whose devices or
 * arena sizes changed rejects an old image instead of restoring bytes into the wrong areas. Count and
 * length alone missed a firmware that reorders devices, renames them or moves stateBytes from one to
 * another with the same total: every area would have received another device's bytes. The layout is
 * computed once at boot (runtime/pools.ts StateArena.fingerprint, read at attach); S2 only copies the number.
 * The attempt ties it to the one flight record it continues: the arena starts with the recorder's count
 * of finished attempts (runtime/flight.ts), so a valid image's attempt is that count + 1, the record
 * begun and never ended because the board deep-slept.
 *
 * Never two lives (Linux swsusp_check resets the swap signature as soon as it reads a valid image):
 * boot zeroes the magic of an image before the runtime resumes from it, S1 of every hibernate erases
 * the header's sector before the new image is programmed, R2 after a rolled-back write and a re-probe
 * of the flash zero a magic left behind. So no image older than the newest hibernate can be restored.
 *
 * Which state is in it: the storage device writes the image in its S2, which the runtime orders after
 * the S2 of every device that saves state (DeviceGraph storage edges). State saved in S3 would come
 * after the image was written, so the rule is: a driver that must survive hibernate saves its state by
 * S2 (led, bme280 do). Writing in the storage's S3 instead would mean page programs (0.4..3 ms each,
 * busy-polled with IRQs masked) inside the critical section; S2 keeps S3 short and asynchronous.
 * The sector erase (tSE 45 ms typ, 400 ms max) cannot wait until then: it runs in S1 for hibernate.
 */
export const IMAGE_MAGIC = 0x49435351; // "QSCI" as bytes Q S C I
/** 3: the layout field (version 2 had a 20-byte header without it, version 1 a 16-byte one without the attempt). */
export const IMAGE_VERSION = 3;
export const IMAGE_HEADER_BYTES = 24;
/** Header bytes the CRC covers before the payload: all but the CRC itself. */
const HEADER_CRC_AT = 20;

// loadImage outcomes; IMAGE_OK is the storage role's "loaded" (drivers/common/image-store.ts), the others are why not.
export const IMAGE_OK = IMAGE_LOADED;
export const IMAGE_NONE = 1;
export const IMAGE_CORRUPT = 2;
export const IMAGE_MISMATCH = 3;
export const IMAGE_UNREADABLE = 4;
/** Another header version: `describeImage` names both versions. */
export const IMAGE_OTHER_VERSION = 5;
/** The flash did not answer JEDEC ID at wake (or stayed BUSY past tBE max): nothing was read. */
export const IMAGE_NO_FLASH = 6;
/** The header's attempt is not the flight record its payload continues. */
export const IMAGE_STALE = 7;
/** Valid, but its magic could not be zeroed: restoring it could happen twice, so it is not used. */
export const IMAGE_NOT_CONSUMED = 8;
/** Same device count and length, another layout fingerprint: devices reordered, renamed or resized. `describeImage` names both. */
export const IMAGE_OTHER_LAYOUT = 9;
export const IMAGE_RESULT_TEXT: readonly string[] = Object.freeze([
  "resumed from hibernate",
  "cold boot: no hibernate image on flash",
  "cold boot: hibernate image corrupt (CRC-32 mismatch); ignored",
  "cold boot: hibernate image is from another board layout (device count or arena size differ); ignored",
  "cold boot: flash did not answer while reading the hibernate image",
  "cold boot: hibernate image of another version; ignored",
  "cold boot: the flash did not answer JEDEC ID 9Fh at wake; no hibernate image read",
  "cold boot: hibernate image belongs to another attempt than the flight record it carries; ignored",
  "cold boot: hibernate image could not be marked used (page program of its magic failed); ignored",
  "cold boot: hibernate image is from another device layout (devices reordered, renamed or their stateBytes changed); ignored",
]);

/**
 * The boot log line for a `load` result. Another version or layout names both sides (the image's, read
 * from its header, and this firmware's), so a firmware update that changed the layout says so. @boot
 */
export function imageResultText(result: number, imageVersion: number, imageLayout: number, layout: number): string {
  if (result === IMAGE_OTHER_VERSION) return "hibernate image version " + imageVersion + ", this firmware reads " + IMAGE_VERSION + ": cold boot";
  if (result === IMAGE_OTHER_LAYOUT) {
    return "hibernate image of device layout " + hex8(imageLayout) + ", this firmware's is " + hex8(layout) +
      " (devices reordered, renamed or their stateBytes changed): cold boot";
  }
  return IMAGE_RESULT_TEXT[result];
}

/** A layout fingerprint as boot names it: 0x and eight hex digits. @boot */
function hex8(v: number): string {
  return "0x" + ("0000000" + (v >>> 0).toString(16)).slice(-8);
}

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

/** Fills `header` (IMAGE_HEADER_BYTES) for `payload[0, length)` of layout `layout`, written by suspend attempt `attempt`. */
export function writeHeader(crc: Crc32, header: Uint8Array, devices: number, layout: number, attempt: number, payload: Uint8Array, length: number): void {
  put32(header, 0, IMAGE_MAGIC);
  header[4] = IMAGE_VERSION & 0xff;
  header[5] = IMAGE_VERSION >> 8;
  header[6] = devices & 0xff;
  header[7] = devices >> 8;
  put32(header, 8, length);
  put32(header, 12, attempt);
  put32(header, 16, layout);
  let c = crc.update(0xffffffff, header, 0, HEADER_CRC_AT);
  c = crc.update(c, payload, 0, length);
  put32(header, HEADER_CRC_AT, ~c >>> 0);
}

/** The version field of a header read back (what another firmware wrote). */
export function headerVersion(header: Uint8Array): number {
  return header[4] | (header[5] << 8);
}

/** The attempt field of a header read back. */
export function headerAttempt(header: Uint8Array): number {
  return get32(header, 12);
}

/** The layout field of a header read back. */
export function headerLayout(header: Uint8Array): number {
  return get32(header, 16);
}

/** Checks a header read back against this firmware's layout; IMAGE_OK means the payload must still pass `checkPayload`. */
export function checkHeader(header: Uint8Array, devices: number, length: number, layout: number): number {
  const magic = get32(header, 0);
  if (magic !== IMAGE_MAGIC) return IMAGE_NONE;
  if (headerVersion(header) !== IMAGE_VERSION) return IMAGE_OTHER_VERSION;
  if ((header[6] | (header[7] << 8)) !== devices || get32(header, 8) !== length) return IMAGE_MISMATCH;
  if (headerLayout(header) !== layout >>> 0) return IMAGE_OTHER_LAYOUT;
  return IMAGE_OK;
}

export function checkPayload(crc: Crc32, header: Uint8Array, payload: Uint8Array, length: number): number {
  let c = crc.update(0xffffffff, header, 0, HEADER_CRC_AT);
  c = crc.update(c, payload, 0, length);
  return (~c >>> 0) === get32(header, HEADER_CRC_AT) ? IMAGE_OK : IMAGE_CORRUPT;
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
 * Boot: reads the header at `address`, checks it against this firmware's layout (`devices`, `length`,
 * the `layout` fingerprint), reads the payload straight into `arena[0, length)` and checks the CRC.
 * Anything but IMAGE_OK zeroes the arena.
 * @boot
 */
export function readImage(flash: ImageSource, address: number, header: Uint8Array, crc: Crc32, arena: Uint8Array, length: number, devices: number, layout: number): number {
  let result = IMAGE_UNREADABLE;
  if (flash.read(address, header)) {
    result = checkHeader(header, devices, length, layout);
    if (result === IMAGE_OK) {
      const payload = new Uint8Array(arena.buffer, arena.byteOffset, length);
      if (length === 0 || flash.read(address + IMAGE_HEADER_BYTES, payload)) result = checkPayload(crc, header, arena, length);
      else result = IMAGE_UNREADABLE;
      if (result === IMAGE_OK && headerAttempt(header) !== attemptOf(countView(arena))) result = IMAGE_STALE;
    }
  }
  if (result !== IMAGE_OK) arena.fill(0);
  return result;
}

/**
 * The attempt an image belongs to: the flight recorder's finished-attempt count (a Float64 at the
 * arena's offset 0, runtime/flight.ts) + 1, the record in progress; 0 when the arena cannot hold it.
 */
export function attemptOf(count: Float64Array | null): number {
  return count === null ? 0 : (count[0] + 1) >>> 0;
}

/** A one-element view over the arena's first 8 bytes (the recorder's count), or null if it is shorter. @boot */
export function countView(arena: Uint8Array): Float64Array | null {
  return arena.length < 8 || arena.byteOffset % 8 !== 0 ? null : new Float64Array(arena.buffer, arena.byteOffset, 1);
}
