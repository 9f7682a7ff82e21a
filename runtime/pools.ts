// Static pools reserved in S1: the state-save arena (fixed per-device areas) and the per-request block pool.
import type { DeviceGraph } from "./graph";
import type { PmConfig } from "./driver";

/** Boot (seal): the devices' declared needs fit the board's pools, or an error naming the fix. @boot */
export function checkPools(config: PmConfig, g: DeviceGraph): void {
  let blocks = 0;
  let bytes = 0;
  for (let d = 0; d < g.count; d++) {
    blocks += g.requestBlocks[d];
    bytes += g.stateBytes[d];
  }
  if (bytes > config.stateArenaBytes) {
    throw new Error("state arena too small: devices declare " + bytes + " bytes of state, the arena has " +
      config.stateArenaBytes + ": raise stateArenaBytes in " + config.board);
  }
  if (blocks > config.blockCount) {
    throw new Error("request block pool too small: devices reserve " + blocks + " blocks, the pool has " +
      config.blockCount + ": raise blockCount in " + config.board);
  }
}

const FNV_BASIS = 0x811c9dc5;

/** FNV-1a step over the four bytes of `v`, low byte first. */
function fnv32(h: number, v: number): number {
  for (let i = 0; i < 32; i += 8) h = Math.imul(h ^ ((v >>> i) & 0xff), 0x01000193);
  return h >>> 0;
}

/**
 * One ArrayBuffer holds every device's state-save area. Offsets are fixed when the registry is sealed
 * (so a hibernate image has a stable layout); S1 reserves an area (zeroed), R2 or rollback releases it.
 * `reservedBytes` is what a trace counter track shows.
 */
export class StateArena {
  /** The arena's storage: the flight record's header, then every device's area (the hibernate image). */ readonly buffer: ArrayBuffer;
  /** Byte view of `buffer`. */ readonly bytes: Uint8Array;
  /** Byte offset of each device's area in `buffer`. */ readonly offset: Int32Array;
  /** Size of each device's area, in bytes. */ readonly size: Int32Array;
  /** 1 while a device's area is reserved (S1 to R2); read-only outside this class. */
  readonly reserved: Uint8Array;
  /** Bytes of the areas reserved now. */ reservedBytes = 0;
  /** Bytes laid out so far, header included. */ used = 0;

  /** First byte of the device areas; the bytes before it hold the runtime's own record (flight recorder). */
  readonly headerBytes: number;

  constructor(capacity: number, maxDevices: number, headerBytes: number) {
    this.headerBytes = headerBytes;
    this.buffer = new ArrayBuffer(headerBytes + capacity);
    this.bytes = new Uint8Array(this.buffer);
    this.offset = new Int32Array(maxDevices);
    this.size = new Int32Array(maxDevices);
    this.reserved = new Uint8Array(maxDevices);
    this.used = headerBytes;
  }

  /** Boot: lays out `bytes` for `device`. Returns false if the arena is too small. */
  layout(device: number, bytes: number): boolean {
    if (this.used + bytes > this.bytes.length) return false;
    this.offset[device] = this.used;
    this.size[device] = bytes;
    this.used += bytes;
    return true;
  }

  /** S1: reserves `device`'s area and zeroes it (no-op if already reserved). */
  reserve(device: number): void {
    if (this.reserved[device] !== 0) return;
    this.reserved[device] = 1;
    this.bytes.fill(0, this.offset[device], this.offset[device] + this.size[device]);
    this.reservedBytes += this.size[device];
  }

  /** Marks an area reserved without clearing it: boot from a hibernate image already filled it. */
  adopt(device: number): void {
    if (this.reserved[device] !== 0) return;
    this.reserved[device] = 1;
    this.reservedBytes += this.size[device];
  }

  /** R2 or rollback: gives `device`'s area back (its bytes are left as they are). */
  release(device: number): void {
    if (this.reserved[device] === 0) return;
    this.reserved[device] = 0;
    this.reservedBytes -= this.size[device];
  }

  /** Whether `device`'s area is reserved (S1 to R2). */
  isReserved(device: number): boolean {
    return this.reserved[device] === 1;
  }

  /**
   * The layout a hibernate image is tied to: 32-bit FNV-1a over each of the first `count` devices that
   * has state, in order: its name (length first, so names cannot run together), offset and size. A
   * firmware whose devices were reordered, renamed or resized (even to the same total) gets another
   * value and rejects the image instead of restoring bytes into the wrong devices' areas. A stateless
   * device owns no image byte, so moving one changes nothing. Computed when asked (the storage
   * driver's attach), not at seal: a board pays for it only when it writes images. @boot
   */
  fingerprint(names: readonly string[], count: number): number {
    let h = FNV_BASIS;
    for (let d = 0; d < count; d++) {
      if (this.size[d] === 0) continue;
      const name = names[d];
      h = fnv32(h, name.length);
      for (let i = 0; i < name.length; i++) h = fnv32(h, name.charCodeAt(i));
      h = fnv32(fnv32(h, this.offset[d]), this.size[d]);
    }
    return h;
  }
}

/**
 * Fixed blocks for drivers that need a buffer per request (the USB case in the protocol). Each block
 * is a view made once at boot. S1 reserves a device's quota so its S2 drain cannot starve; when no
 * block is free a request simply waits at the head of its queue (serialised), it is never refused.
 */
export class BlockPool {
  /** Bytes per block. */ readonly blockSize: number;
  /** Number of blocks. */ readonly count: number;
  /** One view per block, made at boot: `views[block]` is the request's buffer. */ readonly views: Uint8Array[];
  /** The empty view a port's `block` answers for no block: one for every port, not a field each. */ readonly none: Uint8Array;
  private readonly freeStack: Int16Array;
  private freeTop: number;
  /** Blocks S1 guarantees a device (its request-pool size) until R2 or rollback. */
  private readonly quota: Int16Array;
  /** Blocks each device holds now. */
  private readonly held: Int16Array;
  /** Guaranteed blocks not currently held: free blocks others may not take. */
  private outstanding = 0;
  /** Owner device of each block in use, -1 when free. */
  readonly owner: Int16Array;
  /** Blocks held now, by any device. */ inUse = 0;
  /** Acquire attempts that found nothing (the request waited). */
  exhausted = 0;

  constructor(count: number, blockSize: number, maxDevices: number) {
    this.blockSize = blockSize;
    this.count = count;
    const backing = new ArrayBuffer(count * blockSize);
    this.views = new Array(count);
    this.none = new Uint8Array(backing, 0, 0);
    this.freeStack = new Int16Array(count);
    this.owner = new Int16Array(count);
    for (let i = 0; i < count; i++) {
      this.views[i] = new Uint8Array(backing, i * blockSize, blockSize);
      this.freeStack[i] = count - 1 - i;
      this.owner[i] = -1;
    }
    this.freeTop = count;
    this.quota = new Int16Array(maxDevices);
    this.held = new Int16Array(maxDevices);
  }

  /** Blocks not held, guaranteed ones included. */
  get free(): number {
    return this.freeTop;
  }

  /** Free blocks nobody has a guarantee on. */
  get unreserved(): number {
    return this.freeTop - this.outstanding;
  }

  /** S1: guarantees `n` blocks to `device`. False if they are not there (prepare then fails with FULL). */
  reserve(device: number, n: number): boolean {
    if (n <= 0 || this.quota[device] > 0) return true;
    // Blocks the device already holds count toward its guarantee.
    if (this.freeTop - this.outstanding < n - this.held[device]) return false;
    this.quota[device] = n;
    const unheld = n - this.held[device];
    if (unheld > 0) this.outstanding += unheld;
    return true;
  }

  /** R2 or rollback: drops `device`'s guarantee (blocks it holds stay held until released). */
  unreserve(device: number): void {
    const unheld = this.quota[device] - this.held[device];
    if (unheld > 0) this.outstanding -= unheld;
    this.quota[device] = 0;
  }

  /** A block for `device`, from its guarantee first; -1 when none is free (the request waits its turn). */
  acquire(device: number): number {
    if (this.held[device] < this.quota[device]) {
      this.outstanding--;
    } else if (this.freeTop - this.outstanding <= 0) {
      this.exhausted++;
      return -1;
    }
    const block = this.freeStack[--this.freeTop];
    this.owner[block] = device;
    this.held[device]++;
    this.inUse++;
    return block;
  }

  /** Returns `block` to the pool (no-op if it is free). */
  release(block: number): void {
    const device = this.owner[block];
    if (device < 0) return;
    this.owner[block] = -1;
    this.freeStack[this.freeTop++] = block;
    this.inUse--;
    if (--this.held[device] < this.quota[device]) this.outstanding++;
  }
}
