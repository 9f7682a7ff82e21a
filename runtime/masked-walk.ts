// The walk of a masked stage (S3, R1): every hook answers at once, so one pass over the order with nothing set aside.
import { StageRun } from "./stage-run";
import { NO_HOOK } from "./in-flight";
import { OK } from "./status";

/**
 * With IRQs masked a hook may not answer PENDING (protocol.ts: a masked row never pends), so no
 * device is ever held and `blocked[d]` is non-zero only for a non-member: the walk needs neither the
 * queue of set-aside devices, nor S1's reservations, nor the PENDING branch of engine.ts `pass`. What
 * is left is the per-device step the IRQ-masked window pays for (bench/results.md "masked window":
 * the budget is 400 XS instructions per device for S3 and R1 together). Every answer but a synchronous
 * OK, a hook's own completion made inside its call, and a throw go to stage-run.ts as in `pass`. Nothing
 * else can arrive during a call: no device is awaited (so no other completion), and a wake is latched while
 * IRQs are masked (`stopStarting` stops only stages that may pend).
 */
export abstract class MaskedWalk extends StageRun {
  protected walkMasked(from: number): void {
    // Declarations at the top: XS pays for a block-scoped declaration on every pass through its block.
    const ready = this.ready, order = ready.order, n = order.length, blocked = ready.blocked;
    const reaches = this.row.reaches, recv = this.hooks.byStage[this.stageId], name = this.row.hook;
    // Who advanced is counted; a member's state says which (members.ts `selectAdvanced`).
    const m = this.members, states = m.stateOf;
    const flight = this.flight, base = flight.base, inbox = this.inbox, platform = this.platform;
    const last = this.last, max = this.max, tr = this.rec.hookTrace, doneTag = this.doneTag, traced = tr !== null;
    const ring = tr ?? this.rec.trace, cap = ring.capacity, times = ring.time, codes = ring.code, durations = ring.duration;
    let i = ready.cursor, ac = m.advancedCount, prev = from;
    let d = 0, status = OK, us = 0, slot = 0;
    while (!this.failedFlag) {
      try {
        while (i < n) {
          d = order[i];
          i = i + 1;
          // A typed array's entry tested for non-zero: two XS instructions less than `!== 0`, per device.
          if (blocked[d]) continue; // a non-member
          flight.inHook = d;
          status = recv[d][name](base | d);
          // The common step, a synchronous OK with nothing arrived during the call, passes this one test (inbox.ts `ok`).
          if (status !== inbox.ok) {
            // inHook is cleared before a slow path or a listener and when the walk ends, not per call (engine.ts `pass`).
            flight.inHook = NO_HOOK;
            if (inbox.notes) {
              // Its own completion, made inside the call: its answer (stage-run.ts `takeInbox`).
              this.sync(ac);
              status = this.takeInbox(status, d);
              ac = m.advancedCount;
            }
            if (status !== OK) {
              // An error, or PENDING (a protocol error here): stage-run.ts records it.
              this.sync(ac);
              this.answered(d, status, prev);
              ac = m.advancedCount;
              if (this.failedFlag) break;
              prev = platform.now();
              continue;
            }
          }
          // OK. The engine alone records the state, after the answer; stats and the hook's trace record inline.
          states[d] = reaches; // before the clock is read (engine.ts `pass`)
          ac = ac + 1;
          us = -(prev - (prev = platform.now())); // the clock read once, into `prev`; `-`, not `+`: a clock answering strings still subtracts
          last[d] = us;
          if (us > max[d]) max[d] = us;
          if (traced) {
            slot = tr.total % cap;
            times[slot] = prev;
            codes[slot] = doneTag + d;
            durations[slot] = us;
            tr.total++;
            // Unlike in `pass`, a listener cannot change the walk here: nothing is awaited, so it has no
            // token to complete, and a wake it raises is latched until the unmask.
            if (tr.listener) {
              flight.inHook = NO_HOOK;
              tr.tell(slot);
            }
          }
        }
        break;
      } catch (e) {
        this.sync(ac);
        ready.cursor = i;
        prev = this.threw(e, prev);
        ac = m.advancedCount;
      }
    }
    flight.inHook = NO_HOOK;
    // sync(ac), inline: once per walk.
    this.remaining -= ac - m.advancedCount;
    m.advancedCount = ac;
    ready.cursor = i;
  }
}
