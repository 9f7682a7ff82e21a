// Winbond W25Q SPI NOR flash (ROLE_STORAGE): queued read/program/erase with BUSY polling; writes the hibernate image.
import { type PowerManager, P_IDLE } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, BUSY, IO, INVALID, TIMEOUT, ROLE_STORAGE, T_HIBERNATE } from "../../runtime/status";
import { type BoardDriver, type DriverContext, numberOption, parentOf } from "../common/io";
import { RequestTable } from "../common/request-table";
import { isSpiBus, type SpiBus } from "../spi-bus/spi-bus";
import { FlashPort, PAGE_BYTES, SECTOR_BYTES, STATUS_BUSY } from "./flash";
import type { ImageStore } from "../common/image-store";
import { Crc32, IMAGE_HEADER_BYTES, IMAGE_RESULT_TEXT, imageByte, readImage, writeHeader } from "./image";

// Request kinds.
const R_READ = 1;
const R_PROGRAM = 2;
const R_ERASE = 3;
// Who owns the BUSY poll.
const BY_NONE = 0;
const BY_QUEUE = 1;
const BY_JOB = 2;
// PM jobs.
const JOB_NONE = 0;
const JOB_ERASE = 1; // S1 (hibernate): erase the image sectors
const JOB_WRITE = 2; // S2 (hibernate): program the image pages
const JOB_INVALIDATE = 3; // R2 after the image was used or a rollback: zero the magic

// Datasheet section 9.6 (W25Q64JV): typical and maximum tPP / tSE, us. First poll at typical, then every typ/8.
const PP_TYP = 400;
const PP_MAX = 3000;
const SE_TYP = 45_000;
const SE_MAX = 400_000;

// Float64Array slots.
const POLL_BY = 0;
const DEADLINE = 1;
const INTERVAL = 2;
const JOB = 3;
const JOB_STEP = 4;
const JOB_STEPS = 5;
const JOB_TOKEN = 6;
const JOB_STARTED = 7;
const S2_TOKEN = 8; // S2 waiting for the queue's in-flight op before the image write
const IMAGE_WRITTEN = 9;
const IMAGE_LENGTH = 10;
const POLLS = 11;

/**
 * One queue serialises user requests; PM jobs (image erase/write/invalidate) take the chip between
 * requests: while a job runs, `serve` answers BUSY so the head waits, and `retry` follows the job.
 * Program and erase answer PENDING and finish when status polling (05h, BUSY bit) sees the chip
 * ready, or fail at the datasheet maximum (a stuck chip). S2 therefore finishes an operation in
 * flight before the flash goes to deep power-down (B9h) in S3; R1 releases it (ABh + tRES1).
 */
export class W25q implements BoardDriver, ImageStore {
  readonly name: string;
  readonly roles = ROLE_STORAGE;
  id = -1;
  readonly sizeBytes: number;
  readonly imageAddress: number;
  readonly imageSectors: number;
  readonly queue: RequestQueue;
  readonly flash: FlashPort;
  readonly s = new Float64Array(12);
  private readonly pm: PowerManager;
  private readonly platform: Platform;
  private readonly bus: SpiBus;
  private readonly crc = new Crc32();
  private readonly header = new Uint8Array(IMAGE_HEADER_BYTES);
  private readonly page = new Uint8Array(PAGE_BYTES);
  private readonly zero4 = new Uint8Array(4);
  private readonly pollTimer: number;
  private readonly req: RequestTable;
  private onDone: ((token: number, status: number) => void) | null = null;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
    this.platform = ctx.platform;
    this.bus = parentOf<SpiBus>(ctx, "SPI bus", isSpiBus);
    this.sizeBytes = numberOption(ctx, "sizeBytes", 8 * 1024 * 1024);
    const imageBytes = IMAGE_HEADER_BYTES + ctx.pm.config.stateArenaBytes;
    this.imageSectors = Math.ceil(imageBytes / SECTOR_BYTES);
    this.imageAddress = numberOption(ctx, "imageAddress", this.sizeBytes - 65536);
    if (this.imageAddress % SECTOR_BYTES !== 0 || this.imageAddress + this.imageSectors * SECTOR_BYTES > this.sizeBytes) {
      throw new Error(ctx.board + ": device \"" + ctx.name + "\" imageAddress 0x" + this.imageAddress.toString(16) +
        " must be sector-aligned with " + this.imageSectors + " sector(s) of flash after it: fix imageAddress or stateArenaBytes");
    }
    const io = this.bus.open(numberOption(ctx, "select"), numberOption(ctx, "hz", 20_000_000), 0);
    this.flash = new FlashPort(io, this.bus, ctx.platform);
    const capacity = numberOption(ctx, "queueCapacity", 8);
    this.req = new RequestTable(capacity);
    const self = this;
    this.pollTimer = ctx.platform.createTimer(function w25qPoll(): void {
      self.poll();
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
    // Parked reads/programs count in pm.stats, the flight recorder and the console's stats.
    ctx.pm.registerQueue(this.queue);
  }

  attach(id: number): void {
    this.id = id;
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

  get polls(): number {
    return this.s[POLLS];
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
   * Returns IMAGE_OK or why not (image.ts IMAGE_*); on failure the arena is zeroed (cold boot).
   * @boot
   */
  loadImage(): number {
    this.flash.release();
    return readImage(this.flash, this.imageAddress, this.header, this.crc, this.pm.arena.bytes, this.pm.arena.used, this.pm.graph.count);
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
    if (this.s[JOB] !== JOB_NONE) return BUSY;
    const kind = this.req.kind[slot];
    const buf = this.req.buffer[slot];
    const address = this.req.address[slot];
    if (kind === R_READ) return this.flash.read(address, buf as Uint8Array) ? OK : IO;
    const started = kind === R_PROGRAM ? this.flash.program(address, buf as Uint8Array) : this.flash.eraseSector(address);
    if (!started) return IO;
    if (kind === R_PROGRAM) this.startPoll(BY_QUEUE, PP_TYP, PP_MAX);
    else this.startPoll(BY_QUEUE, SE_TYP, SE_MAX);
    return PENDING;
  }

  private requestDone(slot: number, status: number): void {
    const token = this.req.put(slot);
    if (this.onDone !== null) this.onDone(token, status);
  }

  private startPoll(by: number, typUs: number, maxUs: number): void {
    this.s[POLL_BY] = by;
    this.s[DEADLINE] = this.platform.now() + maxUs;
    this.s[INTERVAL] = typUs / 8;
    this.platform.schedule(this.pollTimer, typUs);
  }

  private poll(): void {
    this.s[POLLS]++;
    let status = OK;
    if (!this.flash.readStatus()) status = IO;
    else if ((this.flash.status & STATUS_BUSY) !== 0) {
      if (this.platform.now() < this.s[DEADLINE]) {
        this.platform.schedule(this.pollTimer, this.s[INTERVAL]);
        return;
      }
      status = TIMEOUT;
    }
    const by = this.s[POLL_BY];
    this.s[POLL_BY] = BY_NONE;
    if (by === BY_QUEUE) {
      this.queue.done(status);
      this.startJobIfWaiting();
    } else if (by === BY_JOB) {
      this.jobStepDone(status);
    }
  }

  // ---- PM jobs: the image ----

  private startJob(job: number, token: number, steps: number): number {
    this.s[JOB] = job;
    this.s[JOB_TOKEN] = token;
    this.s[JOB_STEP] = 0;
    this.s[JOB_STEPS] = steps;
    this.s[JOB_STARTED] = 0;
    // A queue operation in flight owns the chip until its BUSY clears; the job starts right after.
    if (this.s[POLL_BY] === BY_QUEUE) return PENDING;
    return this.jobStep();
  }

  private startJobIfWaiting(): void {
    if (this.s[JOB] !== JOB_NONE && this.s[JOB_STARTED] === 0) {
      const status = this.jobStep();
      if (status !== PENDING) this.finishJob(status);
    }
  }

  /** Issues the next step of the job; PENDING while the chip works, else the job's outcome. */
  private jobStep(): number {
    this.s[JOB_STARTED] = 1;
    const job = this.s[JOB];
    const step = this.s[JOB_STEP];
    let ok: boolean;
    if (job === JOB_ERASE) {
      ok = this.flash.eraseSector(this.imageAddress + step * SECTOR_BYTES);
      if (ok) this.startPoll(BY_JOB, SE_TYP, SE_MAX);
    } else if (job === JOB_WRITE) {
      const base = step * PAGE_BYTES;
      const length = this.s[IMAGE_LENGTH];
      const payload = this.pm.arena.bytes;
      for (let i = 0; i < PAGE_BYTES; i++) {
        this.page[i] = base + i < length ? imageByte(this.header, payload, base + i) : 0xff;
      }
      ok = this.flash.program(this.imageAddress + base, this.page);
      if (ok) this.startPoll(BY_JOB, PP_TYP, PP_MAX);
    } else {
      ok = this.flash.program(this.imageAddress, this.zero4);
      if (ok) this.startPoll(BY_JOB, PP_TYP, PP_MAX);
    }
    return ok ? PENDING : IO;
  }

  private jobStepDone(status: number): void {
    if (status === OK && ++this.s[JOB_STEP] < this.s[JOB_STEPS]) {
      const next = this.jobStep();
      if (next === PENDING) return;
      status = next;
    }
    this.finishJob(status);
  }

  private finishJob(status: number): void {
    const job = this.s[JOB];
    const token = this.s[JOB_TOKEN];
    this.s[JOB] = JOB_NONE;
    if (job === JOB_WRITE && status === OK) this.s[IMAGE_WRITTEN] = 1;
    if (job === JOB_INVALIDATE) {
      this.s[IMAGE_WRITTEN] = 0;
      this.queue.open();
    } else {
      this.queue.retry();
    }
    this.pm.complete(token, status);
  }

  /** S1: for hibernate, erase the image sectors now (tSE is far too long for S2/S3). */
  prepare(token: number): number {
    if (this.pm.target !== T_HIBERNATE) return OK;
    return this.startJob(JOB_ERASE, token, this.imageSectors);
  }

  /** S2: gate; finish a program/erase in flight; for hibernate, program header + arena page by page. */
  suspend(token: number): number {
    this.queue.gate();
    this.s[IMAGE_WRITTEN] = 0;
    if (!this.queue.idle) {
      this.s[S2_TOKEN] = token + 1;
      return PENDING;
    }
    return this.suspendBody(token);
  }

  private suspendBody(token: number): number {
    if (this.pm.target !== T_HIBERNATE) return OK;
    const used = this.pm.arena.used;
    writeHeader(this.crc, this.header, this.pm.graph.count, this.pm.arena.bytes, used);
    this.s[IMAGE_LENGTH] = IMAGE_HEADER_BYTES + used;
    return this.startJob(JOB_WRITE, token, Math.ceil((IMAGE_HEADER_BYTES + used) / PAGE_BYTES));
  }

  private drained(): void {
    const waiting = this.s[S2_TOKEN];
    if (waiting === 0) return;
    this.s[S2_TOKEN] = 0;
    const token = waiting - 1;
    const status = this.suspendBody(token);
    if (status !== PENDING) this.pm.complete(token, status);
    if (this.pm.phase === P_IDLE) this.queue.open();
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
    this.s[S2_TOKEN] = 0;
    if (this.s[IMAGE_WRITTEN] === 1 || this.pm.fromImage) return this.startJob(JOB_INVALIDATE, token, 1);
    this.queue.open();
    return OK;
  }
}
