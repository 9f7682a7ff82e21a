// ILI9341 SPI display driver: frame-write queue, staged sleep-in/sleep-out honouring the datasheet's 5 ms and 120 ms waits.
import type { PowerManager } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, FULL, INVALID, IO } from "../../runtime/status";
import { type BoardDriver, type DigitalIo, type DriverContext, type SpiIo, numberOption, parentOf } from "../common/io";
import { type SpiBus, isSpiBus } from "../spi-bus/spi-bus";
import {
  SWRESET, SLPIN, SLPOUT, INVON, DISPOFF, DISPON, CASET, PASET, RAMWR, MADCTL, COLMOD, SETTLE_US, SLEEP_GAP_US,
  COLMOD_RGB565, ST_MADCTL, ST_COLMOD, ST_INVERT, ST_VALID, ILI9341_STATE_BYTES, CHUNK_BYTES,
} from "./ili9341-spec";

// What the one timer is waiting for.
const W_NONE = 0;
const W_INIT = 1;
const W_CHUNK = 2;
const W_S2 = 3;
const W_R2 = 4;

// Flags (Uint8Array indices).
const F_READY = 0; // boot init finished
const F_ASLEEP = 1; // SLPIN sent, no SLPOUT since
const F_DISPLAY_ON = 2;
const F_RESTORED = 3; // MADCTL/COLMOD rewritten since the last SLPIN
const F_INIT_STEP = 4;
const F_WAIT = 5;
const F_S2_WAITING = 6;
const F_R2_WAITING = 7;

// Times (Float64Array indices), platform microseconds.
const T_SLPIN = 0;
const T_SLPOUT = 1;

/** Per-request fields (Int32Array stride). */
const R_X = 0;
const R_Y = 1;
const R_W = 2;
const R_H = 3;
const R_COLOR = 4;
const R_STRIDE = 5;

/**
 * Stages (DESIGN.md protocol; datasheet V1.11 8.2.11/8.2.12):
 * - S2 gates the frame queue and waits (PENDING) for a frame in flight to finish its last DMA chunk,
 *   and for 120 ms since the last SLPOUT (SLPIN may not follow sooner). It saves MADCTL/COLMOD here.
 * - S3 sends DISPOFF then SLPIN and records the time. SLPIN starts a 5 ms window in which no command
 *   may follow, and a 120 ms window before SLPOUT. S3 cannot wait (IRQs masked), so the waits are paid
 *   by whoever comes next, from the recorded time, never by busy-waiting:
 * - R1 (IRQs masked, synchronous) restores MADCTL/COLMOD only if 5 ms have passed since SLPIN (register
 *   writes are accepted in sleep-in), and sends SLPOUT only if 120 ms have passed. After a real sleep
 *   both hold; after a rollback or a short test hold R1 leaves them to R2.
 * - R2 (timers allowed) finishes what R1 could not: waits out SLPIN+120 ms, sends SLPOUT, then waits
 *   SLPOUT+120 ms before DISPON. The 120 ms after SLPOUT cannot be spent in R1 (a masked 120 ms busy-wait
 *   would stall every interrupt on the board), so R1 sends SLPOUT and R2 answers PENDING until the
 *   panel's self-diagnostics and supplies are settled (8.2.12), then sends DISPON (0x29) and reopens
 *   the queue, replaying parked frame writes in order. The backlight resumes only after this (it needs
 *   the display), so nobody sees the panel before DISPON.
 */
export class Ili9341 implements BoardDriver {
  readonly name: string;
  readonly stateBytes = ILI9341_STATE_BYTES;
  readonly select: number;
  readonly dcPin: number;
  readonly hz: number;
  id = -1;
  readonly queue: RequestQueue;
  /** Frame requests refused or failed (IO) since boot. */
  failures = 0;
  private readonly pm: PowerManager;
  private readonly platform: Platform;
  private readonly bus: SpiBus;
  private readonly spi: SpiIo;
  private readonly dc: DigitalIo;
  private readonly timer: number;
  private readonly f = new Uint8Array(8);
  private readonly t = new Float64Array(2);
  /** Current register values (what the panel holds while awake). */
  private readonly regs = new Uint8Array(3);
  private readonly req: Int32Array;
  private readonly free: Int16Array;
  private freeTop: number;
  private readonly one = new Uint8Array(1);
  private readonly four = new Uint8Array(4);
  private readonly chunk = new Uint8Array(CHUNK_BYTES);
  /** views[k] is chunk[0 .. 2^(k+1)): any even length is written as a sum of these, without allocating. */
  private readonly views: Uint8Array[];
  private current = -1;
  private remaining = 0;
  private chunkColor = -1;
  private s2Token = 0;
  private r2Token = 0;
  private onFrame: ((slot: number, status: number) => void) | null = null;
  /** Slot of the last accepted request (the application's handle for its completion). */
  lastSlot = -1;
  /** Frames completed since boot. */
  frames = 0;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
    this.platform = ctx.platform;
    this.bus = parentOf<SpiBus>(ctx, "SPI bus", isSpiBus);
    this.select = numberOption(ctx, "select");
    this.dcPin = numberOption(ctx, "dc");
    this.hz = numberOption(ctx, "hz", 40_000_000);
    this.regs[ST_MADCTL] = numberOption(ctx, "madctl", 0x48) & 0xff;
    this.regs[ST_COLMOD] = numberOption(ctx, "colmod", COLMOD_RGB565) & 0xff;
    this.regs[ST_INVERT] = numberOption(ctx, "invert", 0) ? 1 : 0;
    const capacity = numberOption(ctx, "queue", 4);
    if (!(capacity >= 1 && capacity <= 64)) {
      throw new Error(ctx.board + ": device \"" + ctx.name + "\" option \"queue\" is " + String(capacity) + ": use 1..64 frame requests");
    }
    const Digital = ctx.device.io.Digital;
    this.dc = new Digital({ pin: this.dcPin, mode: Digital.Output, initialValue: 1 });
    this.spi = this.bus.open(this.select, this.hz, 0);
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
    this.queue.setDrainListener(function frameDrained(): void { self.s2Continue(); });
    ctx.pm.registerQueue(this.queue);
    this.queue.gate();
    this.timer = ctx.platform.createTimer(function ili9341Timer(): void { self.fire(); });
    // Boot init runs on the timer: SWRESET, 5 ms, registers, SLPOUT at +120 ms, DISPON 120 ms later.
    this.f[F_WAIT] = W_INIT;
    this.platform.schedule(this.timer, 0);
  }

  attach(id: number): void {
    this.id = id;
  }

  /** Registered once: told `(slot, status)` when a frame request completes. */
  setFrameListener(listener: (slot: number, status: number) => void): void {
    this.onFrame = listener;
  }

  get ready(): boolean {
    return this.f[F_READY] === 1;
  }

  get asleep(): boolean {
    return this.f[F_ASLEEP] === 1;
  }

  get displayOn(): boolean {
    return this.f[F_DISPLAY_ON] === 1;
  }

  /** MADCTL/COLMOD/invert as the driver last wrote them. */
  register(index: number): number {
    return this.regs[index];
  }

  /**
   * Queues a solid rectangle (x, y, w, h, RGB565). OK: accepted (`lastSlot` names it; the frame
   * listener hears it exactly once); FULL: refused, nothing kept; INVALID: outside the panel.
   * While suspended the request is parked and drawn after DISPON.
   */
  fill(x: number, y: number, w: number, h: number, color: number): number {
    if (!(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 320 && y + h <= 320)) return INVALID;
    if (this.freeTop === 0) {
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
    const status = this.queue.submit(slot);
    if (status !== OK) {
      this.free[this.freeTop++] = slot;
      return status;
    }
    this.lastSlot = slot;
    return OK;
  }

  prepare(_token: number): number {
    return OK;
  }

  suspend(token: number): number {
    this.queue.gate();
    if (this.s2Blocked()) {
      this.s2Token = token;
      this.f[F_S2_WAITING] = 1;
      return PENDING;
    }
    this.saveState();
    return OK;
  }

  powerOffNoIrq(_token: number): number {
    if (!this.bus.ready()) return IO;
    this.command(DISPOFF);
    this.command(SLPIN);
    this.spi.flush(true);
    this.t[T_SLPIN] = this.platform.now();
    this.f[F_ASLEEP] = 1;
    this.f[F_DISPLAY_ON] = 0;
    this.f[F_RESTORED] = 0;
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    if (this.f[F_ASLEEP] === 0) return OK;
    if (!this.bus.ready()) return IO;
    const since = this.platform.now() - this.t[T_SLPIN];
    if (since >= SETTLE_US) this.restore();
    if (since >= SLEEP_GAP_US) this.sleepOut();
    this.spi.flush(true);
    return OK;
  }

  resume(token: number): number {
    this.r2Token = token;
    this.f[F_R2_WAITING] = 1;
    return this.r2Step(false);
  }

  // ---- stages' continuations ----

  private s2Blocked(): boolean {
    if (this.f[F_READY] === 0 || !this.queue.idle) return true;
    const gapEnd = this.t[T_SLPOUT] + SLEEP_GAP_US;
    const now = this.platform.now();
    if (this.f[F_ASLEEP] === 0 && now < gapEnd) {
      this.f[F_WAIT] = W_S2;
      this.platform.schedule(this.timer, gapEnd - now);
      return true;
    }
    return false;
  }

  private s2Continue(): void {
    if (this.f[F_S2_WAITING] === 0 || this.s2Blocked()) return;
    this.f[F_S2_WAITING] = 0;
    this.saveState();
    this.pm.complete(this.s2Token, OK);
  }

  /** Advances R2; answers PENDING while waiting, OK when done (completing asynchronously if `async`). */
  private r2Step(async: boolean): number {
    const now = this.platform.now();
    if (this.f[F_ASLEEP] === 1) {
      const at = this.t[T_SLPIN] + SLEEP_GAP_US;
      if (now < at) return this.r2Wait(at - now);
      this.restore();
      this.sleepOut();
      this.spi.flush(true);
    }
    if (this.f[F_DISPLAY_ON] === 0) {
      const at = this.t[T_SLPOUT] + SLEEP_GAP_US;
      if (now < at) return this.r2Wait(at - now);
      this.command(DISPON);
      this.spi.flush(true);
      this.f[F_DISPLAY_ON] = 1;
    }
    this.f[F_R2_WAITING] = 0;
    this.queue.open();
    if (async) this.pm.complete(this.r2Token, OK);
    return OK;
  }

  private r2Wait(us: number): number {
    this.f[F_WAIT] = W_R2;
    this.platform.schedule(this.timer, us);
    return PENDING;
  }

  private saveState(): void {
    const a = this.pm.arena;
    const o = a.offset[this.id];
    a.bytes[o + ST_MADCTL] = this.regs[ST_MADCTL];
    a.bytes[o + ST_COLMOD] = this.regs[ST_COLMOD];
    a.bytes[o + ST_INVERT] = this.regs[ST_INVERT];
    a.bytes[o + ST_VALID] = 1;
  }

  /** Rewrites the saved registers (accepted in sleep-in; needed when the panel lost them, e.g. a power cut in hibernate). */
  private restore(): void {
    if (this.f[F_RESTORED] === 1) return;
    const a = this.pm.arena;
    const o = a.offset[this.id];
    if (a.bytes[o + ST_VALID] === 1) {
      this.regs[ST_MADCTL] = a.bytes[o + ST_MADCTL];
      this.regs[ST_COLMOD] = a.bytes[o + ST_COLMOD];
      this.regs[ST_INVERT] = a.bytes[o + ST_INVERT];
    }
    this.writeRegisters();
    this.f[F_RESTORED] = 1;
  }

  private writeRegisters(): void {
    this.command(MADCTL);
    this.data1(this.regs[ST_MADCTL]);
    this.command(COLMOD);
    this.data1(this.regs[ST_COLMOD]);
    if (this.regs[ST_INVERT] === 1) this.command(INVON);
  }

  private sleepOut(): void {
    this.command(SLPOUT);
    this.t[T_SLPOUT] = this.platform.now();
    this.f[F_ASLEEP] = 0;
  }

  // ---- boot init ----

  private initStep(): void {
    const step = this.f[F_INIT_STEP]++;
    if (step === 0) {
      // SWRESET; 5 ms before the next command, and 120 ms before SLPOUT if it was awake (8.2.2).
      this.command(SWRESET);
      this.spi.flush(true);
      this.f[F_ASLEEP] = 1;
      this.f[F_DISPLAY_ON] = 0;
      this.wait(W_INIT, SETTLE_US);
    } else if (step === 1) {
      this.writeRegisters();
      this.spi.flush(true);
      this.wait(W_INIT, SLEEP_GAP_US - SETTLE_US);
    } else if (step === 2) {
      this.sleepOut();
      this.spi.flush(true);
      this.wait(W_INIT, SLEEP_GAP_US);
    } else {
      this.command(DISPON);
      this.spi.flush(true);
      this.f[F_DISPLAY_ON] = 1;
      this.f[F_READY] = 1;
      if (this.f[F_S2_WAITING] === 1) {
        this.s2Continue();
      } else {
        this.queue.open();
      }
    }
  }

  private wait(kind: number, us: number): void {
    this.f[F_WAIT] = kind;
    this.platform.schedule(this.timer, us);
  }

  private fire(): void {
    const kind = this.f[F_WAIT];
    this.f[F_WAIT] = W_NONE;
    if (kind === W_INIT) this.initStep();
    else if (kind === W_CHUNK) this.nextChunk();
    else if (kind === W_S2) this.s2Continue();
    else if (kind === W_R2 && this.f[F_R2_WAITING] === 1) this.r2Step(true);
  }

  // ---- frame writes ----

  private serve(slot: number): number {
    if (!this.bus.ready()) return IO;
    const b = slot * R_STRIDE;
    const x = this.req[b + R_X];
    const y = this.req[b + R_Y];
    const w = this.req[b + R_W];
    const h = this.req[b + R_H];
    this.command(CASET);
    this.data4(x >> 8, x & 0xff, (x + w - 1) >> 8, (x + w - 1) & 0xff);
    this.command(PASET);
    this.data4(y >> 8, y & 0xff, (y + h - 1) >> 8, (y + h - 1) & 0xff);
    this.command(RAMWR);
    const color = this.req[b + R_COLOR];
    if (color !== this.chunkColor) {
      for (let i = 0; i < CHUNK_BYTES; i += 2) {
        this.chunk[i] = color >> 8;
        this.chunk[i + 1] = color & 0xff;
      }
      this.chunkColor = color;
    }
    this.current = slot;
    this.remaining = w * h * 2;
    this.nextChunk();
    return PENDING;
  }

  /** Sends the next chunk, then lets the DMA time (bytes * 8 / hz) pass on the timer before the next one. */
  private nextChunk(): void {
    if (this.remaining === 0) {
      this.spi.flush(true);
      this.current = -1;
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
    this.wait(W_CHUNK, Math.ceil((n * 8 * 1e6) / this.hz));
  }

  private finished(slot: number, status: number): void {
    if (status === OK) this.frames++;
    else this.failures++;
    this.free[this.freeTop++] = slot;
    if (this.onFrame !== null) this.onFrame(slot, status);
  }

  // ---- wire ----

  private command(op: number): void {
    this.dc.write(0);
    this.one[0] = op;
    this.spi.write(this.one);
    this.dc.write(1);
  }

  private data1(v: number): void {
    this.one[0] = v;
    this.spi.write(this.one);
  }

  private data4(a: number, b: number, c: number, d: number): void {
    this.four[0] = a;
    this.four[1] = b;
    this.four[2] = c;
    this.four[3] = d;
    this.spi.write(this.four);
  }
}
