// The devices a stage set aside behind a held one and has since freed: handed out after the walk has passed its order.
import { MaskedWalk } from "./masked-walk";
import { NO_HOOK } from "./in-flight";
import { POOLS_RESERVE } from "./protocol";
import { OK, PENDING, FULL } from "./status";

/**
 * A device the walk reaches while something it waits on is held (PENDING) is set aside; when the last
 * of those finishes it is queued (ready.ts). The walk (engine.ts `pass`) passes the order only, so its
 * hoisted locals are paid once per stage, not once per freed device: a completion that frees one starts
 * this loop instead, and the walk's end does too. Queued devices are few (those behind a pending hook),
 * so each step takes the general answer path (stage-run.ts `answered`, `finish`), except that a
 * synchronous OK is recorded before the clock is read, as in the walk: what throws after that is not
 * the device's (stage-run.ts `threw`). Invariant: each queued device is handed out once, and nothing
 * else starts while a failure or a stop is set.
 */
export abstract class QueuedWalk extends MaskedWalk {
  /** Per device: 1 if S1 reserves something for it (a state area or request blocks); set at seal. */
  protected pooled: Uint8Array = new Uint8Array(0);

  /** Runs the queued devices from `from` (a clock read just made); returns the clock read the next start would use. */
  protected runQueued(from: number): number {
    const ready = this.ready, flight = this.flight, m = this.members;
    let prev = from, d = 0, status = OK, now = 0;
    while (!this.failedFlag && ready.queued !== 0) {
      d = ready.next();
      try {
        if (this.row.pools === POOLS_RESERVE && this.pooled[d] !== 0 && !this.reserveFor(d)) {
          this.answered(d, FULL, prev);
          return prev;
        }
        flight.inHook = d;
        status = this.hooks.byStage[this.stageId][d][this.row.hook](flight.base | d);
        flight.inHook = NO_HOOK;
        if (this.inbox.notes) {
          status = this.takeInbox(status, d);
          // Stopped during the call: this device's answer still counts, nobody else starts.
          if (this.failedFlag) {
            this.lastAnswer(d, status, prev);
            return prev;
          }
        }
        if (status === OK) {
          // finish(OK), with the answer recorded and its waiters (it was held) counted down before the clock is
          // read: a platform exception there leaves the device advanced and its waiters free to start.
          m.stateOf[d] = this.row.reaches;
          m.advancedCount++;
          this.remaining--;
          ready.finished(d);
          now = this.platform.now();
          this.rec.hookDone(now, d, this.stageId, now - prev);
          prev = now;
        } else {
          // As the walk: a pending record's listener is taken first, and a failure that stops the stage reads no clock.
          this.answered(d, status, prev);
          if (status === PENDING && this.inbox.notes) this.takeInbox(-1, -1);
          if (this.failedFlag) return prev;
          prev = this.platform.now();
        }
        // What a record's listener completed is taken before anyone else starts.
        if (this.inbox.notes) this.takeInbox(-1, -1);
      } catch (e) {
        prev = this.threw(e, prev);
      }
    }
    return prev;
  }

  /**
   * S1's reservations for d, made just before its hook (state area zeroed, then request blocks): the
   * runtime's work, so what throws here is not the last device's. False: the block pool is full.
   */
  protected reserveFor(d: number): boolean {
    this.flight.inHook = NO_HOOK;
    this.arena.reserve(d);
    const k = this.g.requestBlocks[d];
    return k === 0 || this.blocks.reserve(d, k);
  }
}
