// ILI9341 frame writes: fixed request slots behind a RequestQueue, each a solid rectangle sent as RAMWR in timed DMA chunks.
import type { DevicePort } from "../../runtime/port";
import { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, BUSY, FULL, INVALID, IO } from "../../runtime/status";
import type { SpiIo } from "../common/io";
import type { SpiBus } from "../spi-bus/spi-bus";
import { CASET, PASET, RAMWR, CHUNK_BYTES } from "./ili9341-spec";
import type { Ili9341Panel } from "./ili9341-panel";

/** Per-request fields (Int32Array stride). */
const R_X = 0;
const R_Y = 1;
const R_W = 2;
const R_H = 3;
const R_COLOR = 4;
const R_STRIDE = 5;

/**
 * A request is five numbers in a slot of `req`; free slots are a stack. A frame is CASET/PASET/RAMWR,
 * then the pixels in chunks of one 1 KB buffer filled with the colour (refilled only when the colour
 * changes), each chunk followed by its DMA time on the driver's timer (`waitChunk`) before the next.
 */
export class Ili9341Frames {
  readonly queue: RequestQueue;
  /** Slot of the last accepted request (the application's handle for its completion). */
  lastSlot = -1;
  /** Frames completed since boot. */
  completed = 0;
  /** Accepted frame requests completed with an error (IO, FAILED, ABORTED) since boot; refusals are the queue's `refused`. */
  failures = 0;
  private readonly bus: SpiBus;
  private readonly spi: SpiIo;
  private readonly panel: Ili9341Panel;
  private readonly hz: number;
  private readonly waitChunk: (us: number) => void;
  private readonly req: Int32Array;
  private readonly free: Int16Array;
  private freeTop: number;
  private readonly chunk = new Uint8Array(CHUNK_BYTES);
  /** views[k] is chunk[0 .. 2^(k+1)): any even length is written as a sum of these, without allocating. */
  private readonly views: Uint8Array[];
  private remaining = 0;
  private chunkColor = -1;
  private onFrame: ((slot: number, status: number) => void) | null = null;
  /** The driver's port, set at attach: each accepted frame holds a runtime-PM get until it completes. */
  port: DevicePort | null = null;

  constructor(capacity: number, bus: SpiBus, spi: SpiIo, panel: Ili9341Panel, hz: number, waitChunk: (us: number) => void) {
    this.bus = bus;
    this.spi = spi;
    this.panel = panel;
    this.hz = hz;
    this.waitChunk = waitChunk;
    this.req = new Int32Array(capacity * R_STRIDE);
    this.free = new Int16Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeTop = capacity;
    this.views = [];
    for (let n = 2; n <= CHUNK_BYTES; n *= 2) this.views.push(this.chunk.subarray(0, n));
    const self = this;
    this.queue = new RequestQueue(capacity,
      function serveFrame(slot: number): number { return self.serve(slot); },
      function frameDone(slot: number, status: number): void { self.finished(slot, status); });
  }

  setListener(listener: (slot: number, status: number) => void): void {
    this.onFrame = listener;
  }

  /** Ili9341.fill: OK (slot in `lastSlot`), FULL (nothing kept) or INVALID (outside the panel). */
  fill(x: number, y: number, w: number, h: number, color: number): number {
    if (!(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 320 && y + h <= 320)) return INVALID;
    if (this.freeTop === 0) {
      // No free slot: counted as the queue counts its own FULL, so submitted = refused + completed + length holds.
      this.queue.refused++;
      this.queue.submitted++;
      return FULL;
    }
    const slot = this.free[--this.freeTop];
    const b = slot * R_STRIDE;
    this.req[b + R_X] = x;
    this.req[b + R_Y] = y;
    this.req[b + R_W] = w;
    this.req[b + R_H] = h;
    this.req[b + R_COLOR] = color & 0xffff;
    // A runtime-suspended panel wakes first; the frame waits in the gated queue until its DISPON.
    if (this.port !== null) this.port.get();
    const status = this.queue.submit(slot);
    if (status !== OK) {
      this.free[this.freeTop++] = slot;
      if (this.port !== null) this.port.putAutosuspend();
      return status;
    }
    this.lastSlot = slot;
    return OK;
  }

  /** Sends the next chunk, then lets the DMA time (bytes * 8 / hz) pass on the timer before the next one. */
  nextChunk(): void {
    if (this.remaining === 0) {
      this.spi.flush(true);
      this.queue.done(OK);
      return;
    }
    const n = this.remaining < CHUNK_BYTES ? this.remaining : CHUNK_BYTES;
    if (n === CHUNK_BYTES) {
      this.spi.write(this.chunk);
    } else {
      for (let k = this.views.length - 1; k >= 0; k--) {
        if ((n & (2 << k)) !== 0) this.spi.write(this.views[k]);
      }
    }
    this.remaining -= n;
    this.waitChunk(Math.ceil((n * 8 * 1e6) / this.hz));
  }

  private serve(slot: number): number {
    if (!this.bus.ready()) return IO;
    // A re-probe's init still running (SLPOUT/DISPON pending): the head waits, the init's end reopens.
    if (!this.panel.ready) return BUSY;
    const panel = this.panel;
    const b = slot * R_STRIDE;
    const x = this.req[b + R_X];
    const y = this.req[b + R_Y];
    const w = this.req[b + R_W];
    const h = this.req[b + R_H];
    panel.command(CASET);
    panel.data4(x >> 8, x & 0xff, (x + w - 1) >> 8, (x + w - 1) & 0xff);
    panel.command(PASET);
    panel.data4(y >> 8, y & 0xff, (y + h - 1) >> 8, (y + h - 1) & 0xff);
    panel.command(RAMWR);
    const color = this.req[b + R_COLOR];
    if (color !== this.chunkColor) {
      for (let i = 0; i < CHUNK_BYTES; i += 2) {
        this.chunk[i] = color >> 8;
        this.chunk[i + 1] = color & 0xff;
      }
      this.chunkColor = color;
    }
    this.remaining = w * h * 2;
    this.nextChunk();
    return PENDING;
  }

  private finished(slot: number, status: number): void {
    if (status === OK) this.completed++;
    else this.failures++;
    this.free[this.freeTop++] = slot;
    if (this.onFrame !== null) this.onFrame(slot, status);
    if (this.port !== null) this.port.putAutosuspend();
  }
}
