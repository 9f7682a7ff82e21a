// Winbond W25Q SPI NOR flash (ROLE_STORAGE): queued read/program/erase with BUSY polling; writes the hibernate image.
import { type DevicePort, PendingStage } from "../../runtime/port";
import type { Platform } from "../../runtime/platform";
import { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, BUSY, IO, INVALID, ROLE_STORAGE, T_HIBERNATE } from "../../runtime/status";
import { type BoardDriver, type DriverContext, numberOption, parentOf } from "../common/io";
import { RequestTable } from "../common/request-table";
import { isSpiBus, type SpiBus } from "../spi-bus/spi-bus";
import { FlashPort, PAGE_BYTES, SECTOR_BYTES, STATUS_BUSY, PP_TYP_US, PP_MAX_US, SE_TYP_US, SE_MAX_US } from "./flash";
import type { ImageStore } from "../common/image-store";
import { IMAGE_HEADER_BYTES, IMAGE_RESULT_TEXT } from "./image";
import { BusyPoll, BY_QUEUE, BY_JOB } from "./busy-poll";
import { ImageJob, JOB_NONE, JOB_ERASE, JOB_WRITE, JOB_INVALIDATE } from "./image-job";

// Request kinds.
const R_READ = 1;
const R_PROGRAM = 2;
const R_ERASE = 3;

/**
 * One queue serialises user requests; PM jobs (image erase/write/invalidate) take the chip between
 * requests: while a job runs, `serve` answers BUSY so the head waits, and `retry` follows the job.
 * Program and erase answer PENDING and finish when status polling (05h, BUSY bit) sees the chip
 * ready, or fail at the datasheet maximum (a stuck chip). S2 therefore finishes an operation in
 * flight before the flash goes to deep power-down (B9h) in S3; R1 releases it (ABh + tRES1).
 * Each job serves the one stage in flight (S1, S2 or R2), held in `stage`.
 */
export class W25q implements BoardDriver, ImageStore {
  readonly name: string;
  private readonly board: string;
  readonly roles = ROLE_STORAGE;
  readonly sizeBytes: number;
  readonly imageAddress: number;
  readonly imageSectors: number;
  readonly queue: RequestQueue;
  readonly flash: FlashPort;
  /** S2 waits for the queue's operation in flight before the image write. */
  private s2Draining = false;
  /** S2 gated the queue and R2 has not reopened it yet. */
  private suspended = false;
  private readonly platform: Platform;
  private readonly bus: SpiBus;
  private readonly job: ImageJob;
  private readonly poller: BusyPoll;
  private readonly reopenTimer: number;
  private readonly req: RequestTable;
  private port!: DevicePort;
  private stage!: PendingStage;
  private onDone: ((token: number, status: number) => void) | null = null;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.board = ctx.board;
    this.platform = ctx.platform;
    this.bus = parentOf<SpiBus>(ctx, "SPI bus", isSpiBus);
    this.sizeBytes = numberOption(ctx, "sizeBytes", 8 * 1024 * 1024);
    const imageBytes = IMAGE_HEADER_BYTES + ctx.limits.stateArenaBytes;
    this.imageSectors = Math.ceil(imageBytes / SECTOR_BYTES);
    this.imageAddress = numberOption(ctx, "imageAddress", this.sizeBytes - 65536);
    if (this.imageAddress % SECTOR_BYTES !== 0 || this.imageAddress + this.imageSectors * SECTOR_BYTES > this.sizeBytes) {
      throw new Error(ctx.board + ": device \"" + ctx.name + "\" imageAddress 0x" + this.imageAddress.toString(16) +
        " must be sector-aligned with " + this.imageSectors + " sector(s) of flash after it: fix imageAddress or stateArenaBytes");
    }
    const io = this.bus.open(numberOption(ctx, "select"), numberOption(ctx, "hz", 20_000_000), 0);
    this.flash = new FlashPort(io, this.bus, ctx.platform);
    this.job = new ImageJob(this.flash, this.imageAddress, this.imageSectors);
    const capacity = numberOption(ctx, "queueCapacity", 8);
    this.req = new RequestTable(capacity);
    const self = this;
    this.poller = new BusyPoll(this.flash, ctx.platform, function w25qChipDone(by: number, status: number): void {
      self.chipDone(by, status);
    });
    this.reopenTimer = ctx.platform.createTimer(function w25qReopen(): void {
      self.queue.open();
    });
    this.queue = new RequestQueue(capacity,
      function w25qServe(slot: number): number {
        return self.serve(slot);
      },
      function w25qDone(slot: number, status: number): void {
        self.requestDone(slot, status);
      });
    this.queue.setDrainListener(function w25qDrained(): void {
      self.drained();
    });
  }

  /** Boot, after seal: checks the image fits, keeps the port, registers the queue and the one give-up listener. @boot */
  attach(port: DevicePort): void {
    // The image is the whole arena, the runtime's own record at its front included: check it fits the erased sectors.
    if (IMAGE_HEADER_BYTES + port.image.length > this.imageSectors * SECTOR_BYTES) {
      throw new Error(this.board + ": device \"" + this.name + "\": the hibernate image is " + (IMAGE_HEADER_BYTES + port.image.length) +
        " bytes, more than its " + this.imageSectors + " sector(s): lower stateArenaBytes or flightRecords");
    }
    this.port = port;
    this.stage = new PendingStage(port);
    // Parked reads/programs count in the runtime's stats, the flight recorder and the console's stats.
    port.registerQueue(this.queue);
    const self = this;
    port.onGiveUp(function w25qGaveUp(): void {
      self.runtimeGaveUp();
    });
  }

  /** Boot: who hears each request's completion (token, status). */
  setClient(onDone: (token: number, status: number) => void): void {
    this.onDone = onDone;
  }

  read(token: number, address: number, into: Uint8Array): number {
    return this.submit(R_READ, token, address, into, into.length);
  }

  /** Programs `data` (1..256 bytes, not crossing a page) at `address`; bits only go 1 -> 0. */
  program(token: number, address: number, data: Uint8Array): number {
    if (data.length === 0 || (address & 0xff) + data.length > PAGE_BYTES) return INVALID;
    return this.submit(R_PROGRAM, token, address, data, data.length);
  }

  eraseSector(token: number, address: number): number {
    return this.submit(R_ERASE, token, address - (address % SECTOR_BYTES), null, SECTOR_BYTES);
  }

  /** Status polls made (program, erase and job steps). */
  get polls(): number {
    return this.poller.polls;
  }

  /** Cold boot: wake the chip (a previous hibernate left it in deep power-down) and identify it. @boot */
  start(): void {
    this.flash.release();
    if (!this.flash.identify()) {
      throw new Error(this.name + ": no Winbond flash answered JEDEC ID 9Fh on its chip select: check the SPI wiring and CS pin");
    }
  }

  /**
   * Boot after a hibernate wake: validates the image and copies its payload into the arena.
   * Returns IMAGE_LOADED or why not (image.ts IMAGE_*); on failure the arena is zeroed (cold boot).
   * @boot
   */
  loadImage(): number {
    this.flash.release();
    return this.job.load(this.port.image, this.port.imageDevices);
  }

  /** @boot */
  describeImage(result: number): string {
    return IMAGE_RESULT_TEXT[result];
  }

  private submit(kind: number, token: number, address: number, buf: Uint8Array | null, length: number): number {
    if (address < 0 || address + length > this.sizeBytes) return INVALID;
    const imageEnd = this.imageAddress + this.imageSectors * SECTOR_BYTES;
    if (kind !== R_READ && address < imageEnd && address + length > this.imageAddress) return INVALID;
    const slot = this.req.take(kind, token, address, buf, length);
    // No slot means the queue is full too: let it refuse (and count) the request.
    if (slot < 0) return this.queue.submit(-1);
    const status = this.queue.submit(slot);
    if (status !== OK) this.req.put(slot);
    return status;
  }

  private serve(slot: number): number {
    if (this.job.kind !== JOB_NONE) return BUSY;
    const kind = this.req.kind[slot];
    const buf = this.req.buffer[slot];
    const address = this.req.address[slot];
    if (kind === R_READ) return this.flash.read(address, buf as Uint8Array) ? OK : IO;
    const started = kind === R_PROGRAM ? this.flash.program(address, buf as Uint8Array) : this.flash.eraseSector(address);
    if (!started) return IO;
    if (kind === R_PROGRAM) this.poller.start(BY_QUEUE, PP_TYP_US, PP_MAX_US);
    else this.poller.start(BY_QUEUE, SE_TYP_US, SE_MAX_US);
    return PENDING;
  }

  private requestDone(slot: number, status: number): void {
    const token = this.req.put(slot);
    if (this.onDone !== null) this.onDone(token, status);
  }

  /** The operation `by` started ended (BusyPoll). */
  private chipDone(by: number, status: number): void {
    if (by === BY_QUEUE) {
      this.queue.done(status);
      this.startJobIfWaiting();
    } else if (by === BY_JOB) {
      this.jobStepDone(status);
    }
  }

  // ---- PM jobs: the image ----

  /** A hook's answer from a job's: PENDING holds the stage's token until `finishJob`. */
  private answer(token: number, status: number): number {
    return status === PENDING ? this.stage.hold(token) : status;
  }

  private startJob(kind: number, steps: number): number {
    this.job.begin(kind, steps);
    // A queue operation in flight owns the chip until its BUSY clears; the job starts right after.
    if (this.poller.by === BY_QUEUE) return PENDING;
    const status = this.step();
    // A job that could not even start must not hold the chip (serve would answer BUSY forever).
    if (status !== PENDING) this.endJob(status);
    return status;
  }

  private startJobIfWaiting(): void {
    if (this.job.kind !== JOB_NONE && !this.job.started) {
      const status = this.step();
      if (status !== PENDING) this.finishJob(status);
    }
  }

  /** Issues the job's next command; PENDING while the chip works, IO if it did not take it. */
  private step(): number {
    if (!this.job.issue(this.port.image)) return IO;
    if (this.job.kind === JOB_ERASE) this.poller.start(BY_JOB, SE_TYP_US, SE_MAX_US);
    else this.poller.start(BY_JOB, PP_TYP_US, PP_MAX_US);
    return PENDING;
  }

  private jobStepDone(status: number): void {
    if (status === OK && ++this.job.step < this.job.steps) {
      const next = this.step();
      if (next === PENDING) return;
      status = next;
    }
    this.finishJob(status);
  }

  private finishJob(status: number): void {
    this.endJob(status);
    this.stage.finish(status);
  }

  /** The chip is free again: an invalidated image reopens the queue (R2's last act), otherwise the head retries. */
  private endJob(status: number): void {
    const job = this.job;
    const kind = job.kind;
    job.kind = JOB_NONE;
    if (kind === JOB_WRITE && status === OK) job.written = true;
    if (kind === JOB_INVALIDATE) {
      job.written = false;
      this.queue.open();
    } else {
      this.queue.retry();
    }
  }

  /** S1: for hibernate, erase the image sectors now (tSE is far too long for S2/S3). */
  prepare(token: number): number {
    if (this.port.target !== T_HIBERNATE) return OK;
    return this.answer(token, this.startJob(JOB_ERASE, this.imageSectors));
  }

  /** S2: gate; finish a program/erase in flight; for hibernate, program header + arena page by page. */
  suspend(token: number): number {
    this.queue.gate();
    this.suspended = true;
    this.job.written = false;
    if (!this.queue.idle) {
      this.s2Draining = true;
      return this.stage.hold(token);
    }
    return this.answer(token, this.suspendBody());
  }

  private suspendBody(): number {
    if (this.port.target !== T_HIBERNATE) return OK;
    return this.startJob(JOB_WRITE, this.job.prepareWrite(this.port.image, this.port.imageDevices));
  }

  /** The operation S2 waited for is done: write the image, unless the runtime gave up on that S2 meanwhile. */
  private drained(): void {
    if (!this.s2Draining) return;
    this.s2Draining = false;
    // An abandoned S2 writes no image; its R2 mirror (a timed-out S2 counts as advanced) reopens the queue.
    if (!this.stage.waiting) return;
    const status = this.suspendBody();
    if (status !== PENDING) this.stage.finish(status);
  }

  /**
   * S3: deep power-down (B9h): ICC2 1 uA instead of 10 uA standby (section 9.4). A chip still BUSY
   * (an operation that never finished: S2 gave up at the datasheet maximum) would ignore B9h (7.1.1),
   * so that answers BUSY and the suspend rolls back rather than sleeping with the flash awake.
   */
  powerOffNoIrq(_token: number): number {
    if (!this.flash.readStatus()) return IO;
    if ((this.flash.status & STATUS_BUSY) !== 0) return BUSY;
    return this.flash.powerDown() ? OK : IO;
  }

  /** R1: release (ABh), wait tRES1, and confirm the chip answers before anything else uses it. */
  powerOnNoIrq(_token: number): number {
    if (!this.flash.release()) return IO;
    return this.flash.identify() ? OK : IO;
  }

  /** R2: a written image is stale once we are running again: zero its magic, then reopen the queue. */
  resume(token: number): number {
    this.suspended = false;
    this.s2Draining = false;
    this.stage.drop();
    if (this.job.written || this.port.fromImage) return this.answer(token, this.startJob(JOB_INVALIDATE, 1));
    this.queue.open();
    return OK;
  }

  /**
   * The runtime stopped waiting for this device. Work of our own still in flight (S2's drain, a job)
   * ends by itself: a job reopens or retries the queue, and a timed-out S2 gets its R2 mirror. What is
   * left is a failed resume stage with the queue still gated by S2 (R1 found no flash): the device
   * gets no R2, so the queue reopens here and parked requests complete (IO if the chip is gone)
   * instead of waiting forever. R1 runs with IRQs masked: the reopen waits for a timer.
   */
  private runtimeGaveUp(): void {
    if (!this.suspended || this.s2Draining || this.job.kind !== JOB_NONE) return;
    this.suspended = false;
    this.platform.schedule(this.reopenTimer, 0);
  }
}
