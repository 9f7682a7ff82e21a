// What a hibernate adds to a standby: which devices the image holds, the stage times it cannot know, the requests it cannot keep.
import type { Recorder } from "./recorder";
import type { RuntimePort } from "./device-port";
import type { StateArena } from "./pools";
import { STAGES, isSuspendStage, type StageRow } from "./protocol";
import { ABORTED, D_FAILED, D_OFF, WAKE_RESET } from "./status";
import { MAX_TIME_US } from "./governor";

/**
 * The image is the arena (device areas after the flight record): a reboot restores every area, but an
 * area holds state saved by *this* attempt only for the attempt's members. A device left out (failed,
 * or runtime-suspended behind a supplier that failed) keeps whatever an older attempt saved, and
 * restoring that would resurrect state the chip no longer has. So the image carries one bit per device,
 * in the arena's header: set for the members when a hibernate starts (all of them pass S1 before the
 * storage device copies the image in S2). After the reboot a device without its bit is cold: failed,
 * and re-probed from scratch like any failed device. Invariant: after `mark`, bit d is 1 exactly when
 * device d is a member of the hibernating attempt.
 */
export class HibernateImage {
  private readonly bits: Uint8Array;
  /**
   * Restored already in this boot (RAM only: a reboot starts unspent). The areas have been live since,
   * so restoring them a second time would resurrect state as old as that image. A hibernate started in this
   * boot spends it too (pm.ts `start`: S1 zeroes the areas it then fills): rolled back, at a test level, or back
   * from a sleep the platform refused or kept RAM through, it leaves live areas; only the next boot is unspent.
   */
  spent = false;

  /** `resumeFromImage`'s arguments are bad: a cause that is no IRQ line below `lines` nor a WAKE_* code, or a sleep length that is neither -1 nor 0 .. 2^52 µs. */
  static badResume(cause: number, sleptUs: number, lines: number): boolean {
    const causeOk = typeof cause === "number" && (cause | 0) === cause && cause >= WAKE_RESET && cause < lines;
    return !causeOk || typeof sleptUs !== "number" || !(sleptUs === -1 || (sleptUs >= 0 && sleptUs <= MAX_TIME_US));
  }

  /** Header bytes for `maxDevices` bits, rounded to 8 so the device areas after it stay 8-byte aligned. */
  static bytesFor(maxDevices: number): number {
    return ((maxDevices + 63) >> 6) << 3;
  }

  constructor(buffer: ArrayBuffer, offset: number, maxDevices: number) {
    this.bits = new Uint8Array(buffer, offset, HibernateImage.bytesFor(maxDevices));
  }

  /** A hibernate starts over `member` (1 per member): the image will hold exactly their state. */
  mark(member: Uint8Array, count: number): void {
    this.bits.fill(0);
    for (let d = 0; d < count; d++) if (member[d] !== 0) this.bits[d >> 3] |= 1 << (d & 7);
  }

  /** Whether the image holds device d's state (it was a member of the attempt that hibernated). */
  has(d: number): boolean {
    return (this.bits[d >> 3] & (1 << (d & 7))) !== 0;
  }

  /**
   * After the reboot: `states` gets D_OFF (its area adopted) for each device the image holds, D_FAILED
   * for the others and for one already failed in this boot (its chip did not start). Returns how many failed.
   */
  adopt(states: Uint8Array, count: number, arena: StateArena): number {
    this.spent = true;
    let failed = 0;
    for (let d = 0; d < count; d++) {
      if (states[d] === D_FAILED || !this.has(d)) {
        states[d] = D_FAILED;
        failed++;
        continue;
      }
      states[d] = D_OFF;
      arena.adopt(d);
    }
    return failed;
  }

  /**
   * A hibernate's suspend stage `row` ended OK. The image is copied during S2: its copy of the later
   * suspend stages' durations reads "unknown" (in RAM the real values overwrite these as those stages
   * end). Before the stages that mask for good, parked requests complete ABORTED with IRQs still on:
   * they cannot survive the reboot (RAM is lost), and the application submits them again after the wake.
   */
  stageEnded(row: StageRow, sleeps: boolean, rec: Recorder, ports: readonly RuntimePort[]): void {
    for (let s = row.next; isSuspendStage(s); s = STAGES[s].next) rec.stageUnknown(s);
    // Once, as the window opens: a completion after that would run with IRQs masked (what is submitted then is refused).
    if (!sleeps || row.masked || !STAGES[row.next].masked) return;
    for (let d = 0; d < ports.length; d++) ports[d].abortParked(ABORTED);
  }
}
