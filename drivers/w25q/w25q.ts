// Winbond W25Q SPI NOR flash (ROLE_STORAGE): queued read/program/erase with BUSY polling; writes the hibernate image.
import { type DevicePort, PendingStage } from "../../runtime/port";
import type { Platform } from "../../runtime/platform";
import type { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, BUSY, IO, ROLE_STORAGE, T_HIBERNATE } from "../../runtime/status";
import { type BoardDriver, type DriverContext, numberOption, parentOf } from "../common/io";
import { isSpiBus, type SpiBus } from "../spi-bus/spi-bus";
import { FlashPort, SECTOR_BYTES, STATUS_BUSY, SE_TYP_US } from "./flash";
import { FlashRequests } from "./flash-requests";
import type { ImageStore } from "../common/image-store";
import { IMAGE_HEADER_BYTES, IMAGE_NO_FLASH, imageResultText } from "./image";
import { BusyPoll, BY_QUEUE, BY_JOB, BY_PROBE } from "./busy-poll";
import { ImageJob, JOB_ERASE, JOB_WRITE, JOB_INVALIDATE } from "./image-job";
import { JobRunner } from "./job-runner";
import { BE_MAX_US, CHIP_ABSENT, CHIP_READY, CHIP_STUCK, wakeChip } from "./chip-wake";

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const W25Q_OPTIONS: readonly string[] = Object.freeze(["select", "hz", "sizeBytes", "imageAddress", "queueCapacity"]);

/**
 * One queue serialises user requests; PM jobs (image erase/write/invalidate, job-runner.ts) take the
 * chip between requests. Program and erase answer PENDING and finish when status polling (05h, BUSY
 * bit) sees the chip ready, or fail at the datasheet maximum (a stuck chip). S2 therefore finishes an
 * operation in flight before the flash goes to deep power-down (B9h) in S3; R1 releases it (ABh + tRES1).
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
  private readonly platform: Platform;
  private readonly bus: SpiBus;
  private readonly job: ImageJob;
  private readonly jobs: JobRunner;
  private readonly poller: BusyPoll;
  private readonly requests: FlashRequests;
  /** Boot found no flash at wake (the image could not be read): `start` reports instead of throwing. */
  private absentAtWake = false;
  /** The port's `imageLayout`, read once at attach: S2 writes it into the header, boot checks it. */
  private layout = 0;
  private port!: DevicePort;
  private stage!: PendingStage;

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
    const self = this;
    this.poller = new BusyPoll(this.flash, ctx.platform, function w25qChipDone(by: number, status: number): void {
      self.chipDone(by, status);
    });
    this.requests = new FlashRequests(numberOption(ctx, "queueCapacity", 8), this.flash, this.poller, this.sizeBytes,
      this.imageAddress, this.imageAddress + this.imageSectors * SECTOR_BYTES);
    this.queue = this.requests.queue;
    this.queue.setDrainListener(function w25qDrained(): void {
      self.drained();
    });
    const jobs = new JobRunner(this.job, this.poller, this.queue);
    this.jobs = jobs;
    this.requests.held = function w25qJobHolds(): boolean {
      return jobs.busy;
    };
  }

  /** Boot, after seal: checks the image fits, keeps the port, registers the queue and the one give-up listener. @boot */
  attach(port: DevicePort): void {
    // The image is the whole arena, the runtime's own record at its front included: check it fits the erased sectors.
    if (IMAGE_HEADER_BYTES + port.image.length > this.imageSectors * SECTOR_BYTES) {
      throw new Error(this.board + ": device \"" + this.name + "\": the hibernate image is " + (IMAGE_HEADER_BYTES + port.image.length) +
        " bytes, more than its " + this.imageSectors + " sector(s): lower stateArenaBytes or flightRecords");
    }
    this.port = port;
    this.layout = port.imageLayout;
    this.stage = new PendingStage(port);
    this.jobs.bind(port, this.stage);
    this.requests.bind(port);
    // Parked reads/programs count in the runtime's stats, the flight recorder and the console's stats.
    port.registerQueue(this.queue);
    const self = this;
    port.onGiveUp(function w25qGaveUp(): void {
      self.runtimeGaveUp();
    });
  }

  /** Boot: who hears each request's completion (token, status). */
  setClient(onDone: (token: number, status: number) => void): void {
    this.requests.setClient(onDone);
  }

  read(token: number, address: number, into: Uint8Array): number {
    return this.requests.read(token, address, into);
  }

  /** Programs `data` (1..256 bytes, not crossing a page) at `address`; bits only go 1 -> 0. */
  program(token: number, address: number, data: Uint8Array): number {
    return this.requests.program(token, address, data);
  }

  eraseSector(token: number, address: number): number {
    return this.requests.eraseSector(token, address);
  }

  /** Status polls made (program, erase and job steps). */
  get polls(): number {
    return this.poller.polls;
  }

  /**
   * Cold boot: wake the chip (deep power-down after a standby or hibernate, or still erasing when the
   * board was reset: chip-wake.ts) and identify it. No answer is a wiring fault, unless boot already
   * found the flash dead at a hibernate wake and said so: then the board boots without it. @boot
   */
  start(): void {
    const chip = wakeChip(this.flash, this.platform);
    if (chip === CHIP_STUCK) {
      throw new Error(this.name + ": the flash stayed BUSY longer than tBE max (" + BE_MAX_US / 1000 + " ms): a stuck chip, not a wiring fault");
    }
    if (chip === CHIP_ABSENT && !this.absentAtWake) {
      throw new Error(this.name + ": no Winbond flash answered JEDEC ID 9Fh on its chip select: check the SPI wiring and CS pin");
    }
  }

  /**
   * Boot after a hibernate wake: validates the image, consumes it (image-job.ts `load`) and copies its
   * payload into the arena. Returns IMAGE_LOADED or why not (image.ts IMAGE_*); on failure the arena
   * is zeroed (cold boot). A dead flash is a cold boot too, never a thrown error.
   * @boot
   */
  loadImage(): number {
    if (wakeChip(this.flash, this.platform) !== CHIP_READY) {
      this.absentAtWake = true;
      this.port.image.fill(0);
      return IMAGE_NO_FLASH;
    }
    return this.job.load(this.port.image, this.port.imageDevices, this.layout, this.platform);
  }

  /** @boot */
  describeImage(result: number): string {
    return imageResultText(result, this.job.lastVersion, this.job.lastLayout, this.layout);
  }

  /** The operation `by` started ended (BusyPoll). */
  private chipDone(by: number, status: number): void {
    if (by === BY_QUEUE) {
      this.queue.done(status);
      this.jobs.startIfWaiting();
    } else if (by === BY_JOB) {
      this.jobs.stepDone(status);
    } else if (by === BY_PROBE) {
      const next = status === OK ? this.probeChip() : status;
      if (next !== PENDING) this.stage.finish(next);
    }
  }

  // ---- hooks ----

  /** S1: for hibernate, erase the image sectors now (tSE is far too long for S2/S3); only the storage device holds the image. */
  prepare(token: number): number {
    if (this.port.target !== T_HIBERNATE || this.port.imageDevices === 0) return OK;
    return this.jobs.answer(token, this.jobs.start(JOB_ERASE, this.imageSectors));
  }

  /** S2: gate; finish a program/erase in flight; for hibernate, program header + arena page by page. */
  suspend(token: number): number {
    this.queue.gate();
    this.job.written = false;
    if (!this.queue.idle) {
      this.s2Draining = true;
      return this.stage.hold(token);
    }
    return this.jobs.answer(token, this.suspendBody());
  }

  private suspendBody(): number {
    // A flash the board did not give the storage role (its image is in RTC memory) only powers down in S3.
    if (this.port.target !== T_HIBERNATE || this.port.imageDevices === 0) return OK;
    return this.jobs.start(JOB_WRITE, this.job.prepareWrite(this.port.image, this.port.imageDevices, this.layout));
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
    return this.sleepChip();
  }

  /** R1: release (ABh), wait tRES1, and confirm the chip answers before anything else uses it. */
  powerOnNoIrq(_token: number): number {
    return this.wakeChipNow();
  }

  /**
   * Runtime PM, the system awake: no request holds the flash (usage 0) and its delay passed. Gate the
   * queue (a request from now on waits for runtimeResume), then S3's deep power-down (B9h, tDP 3 us):
   * 1 uA instead of 10 uA standby. A PM job or a chip still BUSY keeps it up (BUSY: tried again later).
   */
  runtimeSuspend(_token: number): number {
    if (this.jobs.busy || !this.queue.idle) return BUSY;
    this.queue.gate();
    const status = this.sleepChip();
    if (status !== OK) this.queue.open();
    return status;
  }

  /** Runtime PM: a request needs the flash. R1's release (ABh, tRES1 3 us) and identify, then the parked requests replay. */
  runtimeResume(_token: number): number {
    const status = this.wakeChipNow();
    if (status === OK) this.queue.open();
    return status;
  }

  /** S3 and runtimeSuspend: deep power-down, refused while BUSY (the chip would ignore B9h, 7.1.1). */
  private sleepChip(): number {
    if (!this.flash.readStatus()) return IO;
    if ((this.flash.status & STATUS_BUSY) !== 0) return BUSY;
    return this.flash.powerDown() ? OK : IO;
  }

  /** R1 and runtimeResume: release power-down and confirm the chip answers. */
  private wakeChipNow(): number {
    if (!this.flash.release()) return IO;
    return this.flash.identify() ? OK : IO;
  }

  /** R2: an image written by an attempt that rolled back is stale: zero its magic, then reopen the queue. */
  resume(token: number): number {
    this.s2Draining = false;
    this.stage.drop();
    if (this.job.written) return this.jobs.answer(token, this.jobs.start(JOB_INVALIDATE, 1));
    this.queue.open();
    return OK;
  }

  /**
   * Between attempts, while failed: from scratch. Release deep power-down (ABh + tRES1, section 9.6;
   * ignored harmlessly if the chip is still busy), wait out any program/erase it is still doing
   * (BUSY polled on the timer up to tBE max, PENDING), check the JEDEC id, and zero the magic of an
   * image still on flash: we are running, so any image there is stale (its R2 never came). The
   * runtime revives the queue on OK; an error keeps the device failed and it tries again later.
   */
  reprobe(token: number): number {
    // A user operation still in flight owns the chip until its poll ends; try again later.
    if (this.poller.by === BY_QUEUE) return BUSY;
    this.forget();
    if (!this.flash.release() || !this.flash.readStatus()) return IO;
    if ((this.flash.status & STATUS_BUSY) !== 0) {
      if (this.flash.status === 0xff) return IO; // MISO floating high: nobody answered
      this.poller.start(BY_PROBE, SE_TYP_US, BE_MAX_US);
      return this.stage.hold(token);
    }
    return this.jobs.answer(token, this.probeChip());
  }

  /** The chip is idle: identify it, then invalidate a leftover image (PENDING while that programs). */
  private probeChip(): number {
    if (!this.flash.identify()) return IO;
    if (this.port.imageDevices === 0) return OK;
    const magic = this.job.magicOnFlash();
    if (magic < 0) return IO;
    return magic === 0 ? OK : this.jobs.start(JOB_INVALIDATE, 1);
  }

  /**
   * The runtime stopped waiting for this device. A suspend-stage timeout (the queue is not failed):
   * work of our own still in flight ends by itself (a job reopens or retries the queue) and the
   * timed-out S2 gets its R2 mirror. A failed device: the runtime owns its failed queue; forget our
   * stage, job and suspend bookkeeping so the re-probe starts from scratch.
   */
  private runtimeGaveUp(): void {
    if (this.queue.failed) this.forget();
  }

  private forget(): void {
    this.s2Draining = false;
    this.stage.drop();
    this.jobs.forget();
    if (this.poller.by === BY_PROBE) this.poller.cancel();
  }
}
