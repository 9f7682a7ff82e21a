// What the attempt in progress is: its phase, target, test level, whether it resumes from an image, its outcome.
import { P_IDLE, P_SUSPENDING, P_SLEEPING, P_ROLLBACK } from "./phase";
import { OK, TEST_NONE, T_STANDBY, T_HIBERNATE } from "./status";
import { checkListener } from "./limits";

/**
 * Plain fields the sequencer writes and the ports read (a driver sees them as `port.target`,
 * `port.fromImage`, ...). The outcome is the first failure of the attempt: a later one (a mirror that
 * fails during rollback) does not replace it.
 */
export class Attempt {
  phase = P_IDLE;
  target = T_STANDBY;
  test = TEST_NONE;
  /** R1/R2 restore from a hibernate image (until the done listener returned). */
  fromImage = false;
  outcome = OK;
  /** A suspend stage failed, or a wake interrupted the way down. */
  failedOnTheWayDown = false;
  /**
   * The previous attempt is being told its outcome (done callback, runtime PM's resumes after it): a
   * suspend from there begins its attempt but leaves the stages to the ending attempt's `finish`, so a
   * callback that suspends every time does not nest one stack level per synchronous attempt.
   */
  ending = false;
  /** A suspend begun while `ending`: its stages start once the telling returned. */
  startLater = false;
  /** A `finish` runs the deferred starts: a finish inside one of them leaves its own to that loop. */
  draining = false;

  begin(target: number, test: number): void {
    this.target = target;
    this.test = test;
    this.fromImage = false;
    this.outcome = OK;
    this.failedOnTheWayDown = false;
    this.phase = P_SUSPENDING;
  }

  /** After a reboot from a hibernate image: the attempt that hibernated is asleep, about to resume. */
  beginFromImage(): void {
    this.begin(T_HIBERNATE, TEST_NONE);
    this.fromImage = true;
    this.phase = P_SLEEPING;
  }

  /** A stage's status: the first failure becomes the outcome. */
  note(status: number): void {
    if (status !== OK && this.outcome === OK) this.outcome = status;
  }

  /** The application's callback (`pm.setDoneCallback`), told each attempt's outcome once the system is active again. */
  private onDone: ((status: number) => void) | null = null;
  /** Throws for what is no function (42 would fault at every attempt's end, far from the mistake); null clears it. @boot */
  setDone(callback: (status: number) => void): void {
    checkListener("pm.setDoneCallback: the callback", callback, "(status) => void", true);
    this.onDone = callback;
  }

  /** Tells the application `outcome`: false when its callback threw (caught: it would unwind into the driver completion or timer that ended the attempt). */
  tell(outcome: number): boolean {
    if (this.onDone === null) return true;
    try {
      this.onDone(outcome);
      return true;
    } catch {
      return false;
    }
  }

  /** A suspend stage failed (or a wake arrived): rollback starts with `status` as the outcome. */
  abort(status: number): void {
    this.outcome = status;
    this.failedOnTheWayDown = true;
    this.phase = P_ROLLBACK;
  }
}
