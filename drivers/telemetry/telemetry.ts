// Telemetry over UART2: per-request frames in runtime BlockPool blocks, fed to the TX FIFO; S2 drains TX to the wire.
import { type PowerManager, P_IDLE } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, FULL, INVALID } from "../../runtime/status";
import { type BoardDriver, type DriverContext, type SerialIo, numberOption } from "../common/io";
import { RequestTable } from "../common/request-table";

// Float64Array slots.
const WRITABLE = 0; // TX FIFO free space as last reported, minus bytes written since
const IN_FIFO = 1; // bytes estimated still in the TX FIFO
const S2_TOKEN = 2; // token + 1 while S2 waits for the drain, 0 otherwise
const FRAMES = 3;
const BYTES = 4;
const WAITS = 5; // serve found no block (request waited at the queue head)
const PIPE_HEAD = 6;
const PIPE_LEN = 7;
const POS = 8; // bytes of the head frame already in the FIFO
const MAX_BLOCKS = 9; // most blocks this driver held at once

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
  id = -1;
  readonly requestBlocks: number;
  readonly queue: RequestQueue;
  readonly s = new Float64Array(10);
  readonly fifoBytes: number;
  readonly byteUs: number;
  private readonly pm: PowerManager;
  private readonly platform: Platform;
  private readonly io: SerialIo;
  private readonly pipe: Int16Array;
  private readonly pipeLength: Int16Array;
  private readonly req: RequestTable;
  private readonly retryTimer: number;
  private readonly drainTimer: number;
  private held = 0;
  private onSent: ((token: number, status: number) => void) | null = null;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
    this.platform = ctx.platform;
    this.requestBlocks = numberOption(ctx, "requestBlocks", 2);
    // ESP32 UART FIFOs are 128 bytes (TRM, UART chapter); 8N1 is 10 bit times per byte.
    this.fifoBytes = numberOption(ctx, "fifoBytes", 128);
    const baud = numberOption(ctx, "baud", 115200);
    this.byteUs = 10_000_000 / baud;
    const capacity = numberOption(ctx, "queueCapacity", 16);
    const blocks = ctx.pm.config.blockCount;
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
    // Parked records count in pm.stats, the flight recorder and the console's stats.
    ctx.pm.registerQueue(this.queue);
    this.io = new ctx.device.io.Serial({
      port: numberOption(ctx, "port", 2),
      transmit: numberOption(ctx, "transmit"),
      receive: numberOption(ctx, "receive"),
      baud,
      format: "number",
      onWritable: function telemetryWritable(count: number): void {
        self.writable(count);
      },
    });
  }

  attach(id: number): void {
    this.id = id;
  }

  /** Boot: who hears each record's completion (it is in a block and on its way). */
  setClient(onSent: (token: number, status: number) => void): void {
    this.onSent = onSent;
  }

  /** Queues `record[0, length)`. The buffer is read when the request is served: keep it until onSent. */
  send(token: number, record: Uint8Array, length: number): number {
    if (length <= 0 || length > this.pm.blocks.blockSize - 2 || length > 255) return INVALID;
    const slot = this.req.take(0, token, 0, record, length);
    if (slot < 0) return this.queue.submit(-1); // the queue is full too: FULL, counted there
    const status = this.queue.submit(slot);
    if (status !== OK) this.req.put(slot);
    return status;
  }

  get frames(): number {
    return this.s[FRAMES];
  }

  get waits(): number {
    return this.s[WAITS];
  }

  get maxBlocksHeld(): number {
    return this.s[MAX_BLOCKS];
  }

  get pipelineLength(): number {
    return this.s[PIPE_LEN];
  }

  private serve(slot: number): number {
    const block = this.pm.blocks.acquire(this.id);
    if (block < 0) {
      this.s[WAITS]++;
      this.platform.schedule(this.retryTimer, this.pm.blocks.blockSize * this.byteUs);
      return FULL;
    }
    const view = this.pm.blocks.views[block];
    const record = this.req.buffer[slot] as Uint8Array;
    const length = this.req.length[slot];
    let x = 0;
    view[0] = length;
    for (let i = 0; i < length; i++) {
      view[1 + i] = record[i];
      x ^= record[i];
    }
    view[1 + length] = x;
    const at = (this.s[PIPE_HEAD] + this.s[PIPE_LEN]) % this.pipe.length;
    this.pipe[at] = block;
    this.pipeLength[at] = length + 2;
    this.s[PIPE_LEN]++;
    if (++this.held > this.s[MAX_BLOCKS]) this.s[MAX_BLOCKS] = this.held;
    this.pump();
    return OK;
  }

  /** Moves frame bytes into the TX FIFO while it has room; frees each block once fully in. */
  private pump(): void {
    while (this.s[PIPE_LEN] > 0 && this.s[WRITABLE] > 0) {
      const head = this.s[PIPE_HEAD];
      const view = this.pm.blocks.views[this.pipe[head]];
      const pos = this.s[POS];
      this.io.write(view[pos]);
      this.s[WRITABLE]--;
      this.s[IN_FIFO]++;
      this.s[BYTES]++;
      if (pos + 1 < this.pipeLength[head]) {
        this.s[POS] = pos + 1;
        continue;
      }
      this.s[POS] = 0;
      this.pm.blocks.release(this.pipe[head]);
      this.held--;
      this.s[FRAMES]++;
      this.s[PIPE_HEAD] = (head + 1) % this.pipe.length;
      this.s[PIPE_LEN]--;
      this.queue.retry();
    }
    this.checkDrain();
  }

  private writable(count: number): void {
    this.s[WRITABLE] = count;
    this.s[IN_FIFO] = this.fifoBytes - count;
    this.pump();
  }

  /** When the ring is empty, the bytes still in the FIFO leave at the baud rate: time that, then S2 is done. */
  private checkDrain(): void {
    if (this.s[S2_TOKEN] === 0 || this.s[PIPE_LEN] > 0) return;
    this.platform.schedule(this.drainTimer, (this.s[IN_FIFO] + 1) * this.byteUs);
  }

  private drained(): void {
    const waiting = this.s[S2_TOKEN];
    if (waiting === 0) return;
    this.s[S2_TOKEN] = 0;
    this.s[IN_FIFO] = 0;
    this.pm.complete(waiting - 1, OK);
    if (this.pm.phase === P_IDLE) this.queue.open();
  }

  prepare(_token: number): number {
    return OK;
  }

  /** S2: gate (new records park; one waiting for a block stays at the head), drain every frame to the wire. */
  suspend(token: number): number {
    this.queue.gate();
    this.platform.cancel(this.retryTimer);
    if (this.s[PIPE_LEN] === 0 && this.s[IN_FIFO] === 0) return OK;
    this.s[S2_TOKEN] = token + 1;
    this.checkDrain();
    return PENDING;
  }

  powerOffNoIrq(_token: number): number {
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    return OK;
  }

  resume(_token: number): number {
    this.s[S2_TOKEN] = 0;
    this.queue.open();
    this.pump();
    return OK;
  }
}
