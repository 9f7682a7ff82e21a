// Telemetry over UART2: per-request frames in runtime BlockPool blocks, fed to the TX FIFO; S2 drains TX to the wire.
import { type DevicePort, PendingStage } from "../../runtime/port";
import type { Platform } from "../../runtime/platform";
import { RequestQueue } from "../../runtime/queue";
import { OK, FULL, INVALID } from "../../runtime/status";
import { type BoardDriver, type DriverContext, type SerialIo, numberOption } from "../common/io";
import { RequestTable } from "../common/request-table";

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const TELEMETRY_OPTIONS: readonly string[] = Object.freeze(["port", "transmit", "receive", "baud", "requestBlocks", "fifoBytes", "queueCapacity"]);

/**
 * A record is framed as [length, payload..., XOR of payload] (a block holds blockSize - 2 payload
 * bytes). Serving a request takes a block from the runtime's BlockPool (Linux USB's per-URB buffer),
 * copies the record into it and completes the request: the caller's buffer is free again. Frames then
 * wait in a ring until the 128-byte TX FIFO has room, and each block goes back to the pool once its
 * last byte is in the FIFO. With no block free, `serve` answers FULL: the request waits at the head
 * (RequestQueue.retry on the next block release, or a frame-time timer if another device holds them),
 * so requests serialise and none is lost. S1 reserves `requestBlocks` so S2's drain never starves.
 *
 * The Serial is opened in "number" format and fed one byte per write: Moddable's write(number) copies
 * nothing, where writing part of a block would need a fresh view per call.
 */
export class Telemetry implements BoardDriver {
  readonly name: string;
  readonly requestBlocks: number;
  readonly queue: RequestQueue;
  readonly fifoBytes: number;
  readonly byteUs: number;
  /** Frames fully in the TX FIFO, and their bytes, since boot. */
  frames = 0;
  bytes = 0;
  /** Times `serve` found no block free (the request waited at the queue head). */
  waits = 0;
  /** Most blocks this driver held at once. */
  maxBlocksHeld = 0;
  /** Frames in the ring (blocks not yet fully in the FIFO). */
  pipelineLength = 0;
  /** TX FIFO free space as last reported, minus bytes written since. */
  private writable = 0;
  /** Bytes estimated still in the TX FIFO (at most), as of `fifoAt`. */
  private inFifo = 0;
  /** Platform µs at which `inFifo` was last set (a write or a FIFO report): the drain bound counts from there. */
  private fifoAt = 0;
  private pipeHead = 0;
  /** Bytes of the head frame already in the FIFO. */
  private pos = 0;
  private port!: DevicePort;
  private s2!: PendingStage;
  private readonly platform: Platform;
  private readonly io: SerialIo;
  private readonly pipe: Int16Array;
  private readonly pipeLength: Int16Array;
  private readonly req: RequestTable;
  private readonly retryTimer: number;
  private readonly drainTimer: number;
  private held = 0;
  /** The device's PM lock is held: a frame is in the ring or its bytes are still leaving the FIFO. */
  private locked = false;
  private onSent: ((token: number, status: number) => void) | null = null;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.platform = ctx.platform;
    this.requestBlocks = numberOption(ctx, "requestBlocks", 2);
    // ESP32 UART FIFOs are 128 bytes (TRM, UART chapter); 8N1 is 10 bit times per byte.
    this.fifoBytes = numberOption(ctx, "fifoBytes", 128);
    const baud = numberOption(ctx, "baud", 115200);
    this.byteUs = 10_000_000 / baud;
    const capacity = numberOption(ctx, "queueCapacity", 16);
    const blocks = ctx.limits.blockCount;
    this.pipe = new Int16Array(blocks);
    this.pipeLength = new Int16Array(blocks);
    this.req = new RequestTable(capacity);
    const self = this;
    this.retryTimer = ctx.platform.createTimer(function telemetryRetry(): void {
      self.queue.retry();
    });
    this.drainTimer = ctx.platform.createTimer(function telemetryDrained(): void {
      self.drained();
    });
    this.queue = new RequestQueue(capacity,
      function telemetryServe(slot: number): number {
        return self.serve(slot);
      },
      function telemetryDone(slot: number, status: number): void {
        const token = self.req.put(slot);
        if (self.onSent !== null) self.onSent(token, status);
      });
    this.io = new ctx.device.io.Serial({
      port: numberOption(ctx, "port", 2),
      transmit: numberOption(ctx, "transmit"),
      receive: numberOption(ctx, "receive"),
      baud,
      format: "number",
      onWritable: function telemetryWritable(count: number): void {
        self.fifoWritable(count);
      },
    });
  }

  /** Boot, after seal: keeps the port (blocks, S2's token) and registers the queue. @boot */
  attach(port: DevicePort): void {
    this.port = port;
    this.s2 = new PendingStage(port);
    // Parked records count in the runtime's stats, the flight recorder and the console's stats.
    port.registerQueue(this.queue);
    // No give-up listener: a timed-out S2 gets its R2 mirror, which reopens and pumps; R2 cannot fail.
  }

  /** Boot: who hears each record's completion (it is in a block and on its way). */
  setClient(onSent: (token: number, status: number) => void): void {
    this.onSent = onSent;
  }

  /** Queues `record[0, length)`. The buffer is read when the request is served: keep it until onSent. */
  send(token: number, record: Uint8Array, length: number): number {
    if (length <= 0 || length > this.port.blockSize - 2 || length > 255) return INVALID;
    const slot = this.req.take(0, token, 0, record, length);
    if (slot < 0) return this.queue.submit(-1); // the queue is full too: FULL, counted there
    const status = this.queue.submit(slot);
    if (status !== OK) this.req.put(slot);
    return status;
  }

  private serve(slot: number): number {
    const block = this.port.acquireBlock();
    if (block < 0) {
      this.waits++;
      this.platform.schedule(this.retryTimer, this.port.blockSize * this.byteUs);
      return FULL;
    }
    const view = this.port.block(block);
    const record = this.req.buffer[slot] as Uint8Array;
    const length = this.req.length[slot];
    let x = 0;
    view[0] = length;
    for (let i = 0; i < length; i++) {
      view[1 + i] = record[i];
      x ^= record[i];
    }
    view[1 + length] = x;
    const at = (this.pipeHead + this.pipelineLength) % this.pipe.length;
    this.pipe[at] = block;
    this.pipeLength[at] = length + 2;
    this.pipelineLength++;
    if (++this.held > this.maxBlocksHeld) this.maxBlocksHeld = this.held;
    // A frame on its way holds the device's PM lock until its last byte left the wire: a light sleep
    // stops the UART's clock (ESP32 TRM, UART chapter), so the idle governor must not sleep mid-frame.
    if (!this.locked) {
      this.locked = true;
      this.port.lock();
    }
    this.pump();
    return OK;
  }

  /** Moves frame bytes into the TX FIFO while it has room; frees each block once fully in. */
  private pump(): void {
    const before = this.bytes;
    while (this.pipelineLength > 0 && this.writable > 0) {
      const head = this.pipeHead;
      const view = this.port.block(this.pipe[head]);
      const pos = this.pos;
      this.io.write(view[pos]);
      this.writable--;
      this.inFifo++;
      this.bytes++;
      if (pos + 1 < this.pipeLength[head]) {
        this.pos = pos + 1;
        continue;
      }
      this.pos = 0;
      this.port.releaseBlock(this.pipe[head]);
      this.held--;
      this.frames++;
      this.pipeHead = (head + 1) % this.pipe.length;
      this.pipelineLength--;
      this.queue.retry();
    }
    if (this.bytes !== before) this.fifoAt = this.platform.now();
    this.checkDrain();
  }

  private fifoWritable(count: number): void {
    this.writable = count;
    this.inFifo = this.fifoBytes - count;
    this.fifoAt = this.platform.now();
    this.pump();
  }

  /**
   * When the ring is empty, the bytes still in the FIFO leave at the baud rate: time that, then S2 is
   * done and the lock is released. The UART shifts one byte per 10 bit times without a pause while its
   * FIFO holds any (ESP32 TRM, UART chapter), so `inFifo` bytes at `fifoAt` are all on the wire by
   * fifoAt + (inFifo + 1) byte times (one more for the shift register): a frame that has been going
   * out since before S2 is waited for only as long as it still takes.
   */
  private checkDrain(): void {
    // Someone waits for the wire: the lock (set only after attach) or S2 (gated only between S2 and R2).
    if (this.pipelineLength > 0 || (!this.locked && !(this.queue.gated && this.s2.waiting))) return;
    const left = this.fifoAt + (this.inFifo + 1) * this.byteUs - this.platform.now();
    this.platform.schedule(this.drainTimer, left > 0 ? left : 0);
  }

  /**
   * The last byte left the wire: the lock is released and S2 is done. A frame queued after the timer was
   * set keeps both until its own drain. If the runtime gave up on that S2 meanwhile, its R2 mirror (a
   * timed-out S2 counts as advanced) reopens the queue, after which `finish` finds nothing to end.
   */
  private drained(): void {
    if (this.pipelineLength > 0) return;
    this.inFifo = 0;
    if (this.locked) {
      this.locked = false;
      this.port.unlock();
    }
    if (this.queue.gated) this.s2.finish(OK);
  }

  /** S2: gate (new records park; one waiting for a block stays at the head), drain every frame to the wire. */
  suspend(token: number): number {
    this.queue.gate();
    this.platform.cancel(this.retryTimer);
    if (this.pipelineLength === 0 && this.inFifo === 0) return OK;
    const status = this.s2.hold(token);
    this.checkDrain();
    return status;
  }

  /** R2: reopen; parked records replay in order and the ring goes on filling the FIFO. */
  resume(_token: number): number {
    this.s2.drop();
    this.queue.open();
    this.pump();
    return OK;
  }

  /** After a failed resume: no chip state to rebuild; forget the S2 wait (the runtime revives the queue on OK). */
  reprobe(_token: number): number {
    this.s2.drop();
    this.pump();
    return OK;
  }
}
