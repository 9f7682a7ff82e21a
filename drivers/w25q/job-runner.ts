// Runs the storage role's image jobs on the W25Q between queue requests: one flash command per step, BUSY polled in between.
import type { DevicePort, PendingStage } from "../../runtime/port";
import type { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, IO } from "../../runtime/status";
import { PP_TYP_US, PP_MAX_US, SE_TYP_US, SE_MAX_US } from "./flash";
import { type BusyPoll, BY_JOB, BY_QUEUE } from "./busy-poll";
import { type ImageJob, JOB_NONE, JOB_ERASE, JOB_WRITE, JOB_INVALIDATE } from "./image-job";

/**
 * PM jobs take the chip between user requests: while a job runs the queue's `serve` answers BUSY so
 * its head waits, and `retry` follows the job. A job serves the one stage in flight (S1, S2, R2 or a
 * re-probe), whose token `stage` holds until the last step ends.
 */
export class JobRunner {
  readonly job: ImageJob;
  private readonly poller: BusyPoll;
  private readonly queue: RequestQueue;
  private port!: DevicePort;
  private stage!: PendingStage;

  constructor(job: ImageJob, poller: BusyPoll, queue: RequestQueue) {
    this.job = job;
    this.poller = poller;
    this.queue = queue;
  }

  /** Attach: the port's image and the driver's one pending stage. @boot */
  bind(port: DevicePort, stage: PendingStage): void {
    this.port = port;
    this.stage = stage;
    this.job.bind(port.image);
  }

  get busy(): boolean {
    return this.job.kind !== JOB_NONE;
  }

  /** A hook's answer from a job's: PENDING holds the stage's token until the job ends. */
  answer(token: number, status: number): number {
    return status === PENDING ? this.stage.hold(token) : status;
  }

  start(kind: number, steps: number): number {
    this.job.begin(kind, steps);
    // A queue operation in flight owns the chip until its BUSY clears; the job starts right after.
    if (this.poller.by === BY_QUEUE) return PENDING;
    const status = this.step();
    // A job that could not even start must not hold the chip (serve would answer BUSY forever).
    if (status !== PENDING) this.end(status);
    return status;
  }

  /** The queue's operation cleared BUSY: a job that waited for it starts now. */
  startIfWaiting(): void {
    if (this.job.kind !== JOB_NONE && !this.job.started) {
      const status = this.step();
      if (status !== PENDING) this.finish(status);
    }
  }

  /** BusyPoll: the job's current command ended with `status`. */
  stepDone(status: number): void {
    if (status === OK && ++this.job.step < this.job.steps) {
      const next = this.step();
      if (next === PENDING) return;
      status = next;
    }
    this.finish(status);
  }

  /** The device failed: forget the job (the chip's BUSY is the re-probe's to wait out). */
  forget(): void {
    if (this.poller.by === BY_JOB) this.poller.cancel();
    this.job.kind = JOB_NONE;
    this.job.written = false;
  }

  /** Issues the job's next command; PENDING while the chip works, IO if it did not take it. */
  private step(): number {
    if (!this.job.issue(this.port.image)) return IO;
    if (this.job.kind === JOB_ERASE) this.poller.start(BY_JOB, SE_TYP_US, SE_MAX_US);
    else this.poller.start(BY_JOB, PP_TYP_US, PP_MAX_US);
    return PENDING;
  }

  private finish(status: number): void {
    this.end(status);
    this.stage.finish(status);
  }

  /** The chip is free again: an invalidated image reopens the queue (R2's last act), otherwise the head retries. */
  private end(status: number): void {
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
}
