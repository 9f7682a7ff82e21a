// Request queue: fixed ring, open/gated, parks while gated, refuses only at submit when full, replays FIFO.
import { OK, PENDING, FULL, BUSY, THREW, INVALID, PROTOCOL, isStatus } from "./status";
import { QUEUE_CAPACITY, checkSize, checkListener } from "./limits";

/** Serves one request: OK (done now), PENDING (call `done` later), FULL/BUSY (no buffer yet: retry later), or an error (completed with it); a throw completes it THREW, an answer that is no status PROTOCOL. */
export type ServeFn = (token: number) => number;
/** Called exactly once per accepted request with its final status; a throw is caught and counted (`callbackFaults`). */
export type CompleteFn = (token: number, status: number) => void;

/** A final error status: what a failed queue refuses with and waiting requests complete with (OK would say an unserved request was served). */
function isError(s: number): boolean { return isStatus(s) && s !== OK && s !== PENDING; }
/** `early` while `serve` runs and has not called `done`; DROPPED(_DONE): its request was completed meanwhile (`abandonServed`), (after) a `done`. */
const IN_SERVE = -2, DROPPED = -3, DROPPED_DONE = -4;
/** Queue state: serving requests. */ export const Q_OPEN = 0;
/** Queue state: gated by S2; new requests park and replay in order at R2. */ export const Q_GATED = 1;
/** Its device failed: nothing is served, submissions are refused with the failure status until `revive`. */ export const Q_FAILED = 2;
/** A hibernate committed to its deep sleep (its requests aborted, RAM about to be lost): submissions are refused ABORTED until `open`. */ export const Q_CLOSED = 3;

/**
 * The "no request lost" rule lives here: `submit` either accepts (then `complete` runs exactly once
 * for that token) or answers FULL and keeps nothing. While gated (S2..R2) requests are parked in the
 * same ring and replayed in order when reopened. One request is in flight at a time: the peripherals
 * behind it (one I2C chip, one UART) serialise anyway, and it keeps the ring the only state. It is `idle` when none is in
 * flight or being served: an S2 run from inside a `serve` (a suspend it asked for) waits for that request too.
 * When its device fails the runtime marks it failed (`fail`): it serves nothing and refuses new
 * requests with the failure status; `drainFailed` completes the requests that were waiting with it
 * (the runtime does that once IRQs are on again); `revive` reopens it after the device recovered.
 * Before a hibernate's deep sleep the runtime completes parked requests, one whose `serve` is still running (it asked
 * for the hibernate) and a failed device's one in flight (answers that would come after a reboot that loses RAM) with
 * ABORTED, a failed queue's with its failure status (`abandonServed`), after it closed the gated ones (`close`): what is submitted
 * from then on, IRQs masked, is refused ABORTED (a completion then would run masked; parked, it would be lost with RAM).
 * Invariant: submitted === refused + completed + length (a request leaves the ring, counted, before its callback runs).
 *
 * Faults stay here, counted, never thrown through: a throwing completion callback (the application's) in `callbackFaults`,
 * a throwing `serve` (the driver's) completes its request THREW (`serveFaults`); `lastFault` keeps the value. Let through,
 * it would charge the device with the application's bug or skip the caller's bookkeeping (`open` in R2, `done`).
 *
 * Bad input: the constructor throws naming the argument and the fix; `fail`, `completeWaiting` and `abandonServed` take a
 * final error status only (not OK, PENDING or no status: an unserved request completed OK would break the rule above).
 */
export class RequestQueue {
  /** Most requests the ring holds (accepted and not yet completed); `submit` answers FULL beyond. */
  readonly capacity: number;
  private readonly ring: Int32Array;
  /** 1 where the slot's request was parked (accepted while gated). */
  private readonly parkedSlot: Uint8Array;
  private head = 0;
  /** Requests accepted and not yet completed, the one in flight included. */ length = 0;
  /** Q_OPEN, Q_GATED, Q_FAILED or Q_CLOSED. */ state = Q_OPEN;
  private inFlight = false;
  /** In flight is an abandoned request (no longer in the ring): its `done` completes nothing. */ private orphan = false;
  private serving = false;
  /** Gated while a `serve` ran: an S2 that saw it busy waits for the drain listener, told when serve's request ends. */ private gatedInServe = false;
  /** IN_SERVE while `serve` runs, then the status of a `done` made inside it; -1 otherwise. */ private early = -1;
  private readonly serve: ServeFn; private readonly complete: CompleteFn;
  private drainListener: (() => void) | null = null;
  /** `submit` calls since boot. */ submitted = 0;
  /** Requests completed since boot (every status). */ completed = 0;
  /** Submissions refused (FULL, or the failure status) since boot. */ refused = 0;
  /** Requests accepted while gated since boot. */ parked = 0;
  /** Parked requests served after the queue reopened. */ replayed = 0;
  /** Requests that waited at the head for a buffer (pool exhausted). */ waited = 0;
  /** Requests accepted while gated and not yet replayed. */ parkedNow = 0;
  /** Requests refused at submit because the device had failed (also counted in `refused`). */ refusedFailed = 0;
  /** Waiting requests completed with the failure status when the device failed (also in `completed`). */ completedFailed = 0;
  /** Parked requests completed with ABORTED when a hibernate committed to deep sleep (also in `completed`). */ completedAborted = 0;
  /** Completion callbacks that threw (each request still completed once; the queue went on). */ callbackFaults = 0;
  /** `serve` calls that threw (that request completed with THREW). */ serveFaults = 0;
  /** The last value a completion callback or `serve` threw, null none. */ lastFault: unknown = null;
  private failStatus = OK;
  /** The runtime's stats, where completion-callback faults are counted too (`countFaultsIn`), or null. */ private faultSink: { listenerFaults: number } | null = null;
  /** `done` calls with nothing in flight (a driver answering twice). */ lateDones = 0;
  /** `serve`/`done` answers that were no final status, and `serve`s that called `done` then answered a status (PROTOCOL). */ badAnswers = 0;

  constructor(capacity: number, serve: ServeFn, complete: CompleteFn) {
    checkSize("new RequestQueue: capacity", capacity, QUEUE_CAPACITY, "pass the most requests the ring holds");
    checkListener("new RequestQueue: serve", serve, "(token) => status", false);
    checkListener("new RequestQueue: complete", complete, "(token, status) => void", false);
    this.capacity = capacity;
    this.ring = new Int32Array(capacity);
    this.parkedSlot = new Uint8Array(capacity);
    this.serve = serve;
    this.complete = complete;
  }

  /** Registered once (the runtime, at registerQueue): completion-callback faults are counted in `sink.listenerFaults` too. */ countFaultsIn(sink: { listenerFaults: number }): void { this.faultSink = sink; }
  /** Registered once: told when the last in-flight request finishes while gated (S2's PENDING ends). */ setDrainListener(listener: () => void): void { this.drainListener = listener; }
  /** No request is in flight or being served (the S2 drain is over when gated). */ get idle(): boolean { return !this.inFlight && this.early === -1; }
  /** Gated by S2: new requests park. */ get gated(): boolean { return this.state === Q_GATED; }

  /**
   * Queues `token` (served now if open, parked if gated): OK accepted, FULL ring full, INVALID a token that
   * is not a 32-bit integer (the ring would hand back another: 1.5 as 1, 2^32 + 5 as 5), or the device's
   * failure status; refused requests are never completed.
   */
  submit(token: number): number {
    this.submitted++;
    if (typeof token !== "number" || (token | 0) !== token) {
      this.refused++;
      return INVALID;
    }
    if (this.state >= Q_FAILED) {
      this.refused++;
      if (this.state === Q_FAILED) this.refusedFailed++;
      return this.failStatus;
    }
    if (this.length === this.capacity) {
      this.refused++;
      return FULL;
    }
    const slot = (this.head + this.length) % this.capacity;
    this.ring[slot] = token;
    this.parkedSlot[slot] = this.state === Q_GATED ? 1 : 0;
    this.length++;
    if (this.state === Q_GATED) {
      this.parked++;
      this.parkedNow++;
      return OK;
    }
    this.pump();
    return OK;
  }

  /** The device failed: submissions are refused until `revive`. */ get failed(): boolean { return this.state === Q_FAILED; }

  /** Stops dispatch; in-flight work continues. A failed queue stays failed. */
  gate(): void { if (this.state < Q_FAILED) { this.state = Q_GATED; if (this.early !== -1) this.gatedInServe = true; } }

  /** Reopens and replays parked requests in FIFO order. A failed queue stays failed: only `revive` reopens it. */
  open(): void { if (this.state !== Q_FAILED) { this.state = Q_OPEN; this.pump(); } }

  /** The device failed: serve nothing more, refuse new requests with `status`. OK, or INVALID (nothing changed) for no final error status. */
  fail(status: number): number {
    if (!isError(status)) return INVALID;
    this.state = Q_FAILED;
    this.failStatus = status;
    return OK;
  }

  /** A hibernate commits to its deep sleep: a gated queue refuses `status` (ABORTED) at submit until R2's `open` (rolled back). */ close(status: number): void { if (this.state === Q_GATED) this.state = Q_CLOSED, this.failStatus = status; }

  /**
   * The device failed: its waiting requests complete with the failure status (see `completeWaiting`).
   * With one still in flight they wait for it, so completions keep the order the requests came in.
   */
  drainFailed(): void {
    if (this.waitingFailed()) this.completeWaiting(this.failStatus);
  }

  /**
   * Completes every waiting request (not the one in flight, which its driver still finishes) with
   * `status`, in FIFO order. Each request leaves the ring before its completion runs; one that throws is
   * counted and the rest still complete. OK, or INVALID (nothing completed) for no final error status.
   */
  completeWaiting(status: number): number {
    if (!isError(status)) return INVALID;
    // Only what waits now: a completion that submits again is not looped over here (the caller decides).
    // headHeld each pass: a completion that submits again may put the next request in flight.
    for (let n = this.waiting; n > 0 && this.length > (this.headHeld ? 1 : 0); n--) {
      let slot = this.head;
      if (this.headHeld) {
        // The in-flight request moves up one place, taking the first waiting one's slot.
        slot = (this.head + 1) % this.capacity;
        const token = this.ring[slot], parked = this.parkedSlot[slot];
        this.ring[slot] = this.ring[this.head];
        this.parkedSlot[slot] = this.parkedSlot[this.head];
        this.ring[this.head] = token;
        this.parkedSlot[this.head] = parked;
        slot = this.head;
      }
      this.head = (this.head + 1) % this.capacity;
      this.length--;
      if (this.parkedSlot[slot] !== 0) this.parkedSlot[slot] = 0, this.parkedNow--;
      this.completed++;
      if (status === this.failStatus && this.state === Q_FAILED) this.completedFailed++;
      else this.completedAborted++;
      this.deliver(this.ring[slot], status);
    }
    return OK;
  }

  /** The head is in flight or being served: a drain from inside `serve` (a runtime-PM get failed there, a hibernate it started) leaves it to `serve`'s answer. */
  private get headHeld(): boolean { return (this.inFlight && !this.orphan) || this.early === IN_SERVE || this.early >= 0; }

  /**
   * Before a deep sleep that loses RAM: the request whose `serve` is running, or the one in flight (a failed device's: no
   * S2 waited for it), and every waiting one complete with `status` (ABORTED), a failed queue's with its failure status;
   * that request's later answer or `done` is dropped. OK, or INVALID (nothing changed).
   */
  abandonServed(status: number): number {
    if (!isError(status)) return INVALID;
    if (this.state === Q_FAILED) status = this.failStatus; // its device failed, whatever the hibernate does
    const inServe = !this.inFlight && (this.early === IN_SERVE || this.early >= 0);
    if (inServe || (this.inFlight && !this.orphan)) {
      if (inServe) this.early = this.early >= 0 ? DROPPED_DONE : DROPPED;
      else this.orphan = true;
      if (this.parkedSlot[this.head] !== 0) this.parkedSlot[this.head] = 0, this.parkedNow--, this.replayed++;
      if (this.state === Q_FAILED) this.completedFailed++;
      else this.completedAborted++;
      this.finishHead(status);
    }
    return this.completeWaiting(status);
  }

  /** Requests still waiting (not the one in flight or being served). */ get waiting(): number { return this.length - (this.headHeld ? 1 : 0); }

  /** Failed, with requests still waiting to be completed with the failure status (none in flight or being served). */
  waitingFailed(): boolean {
    return this.state === Q_FAILED && !this.headHeld && this.length > 0;
  }

  /** The device recovered: reopen and serve what comes. */ revive(): void { if (this.state === Q_FAILED) { this.state = Q_OPEN; this.pump(); } }

  /** Completes the in-flight request (called inside `serve`, it is taken once `serve` answers PENDING). */
  done(status: number): void {
    // PENDING is no final status, nor anything that is no status: the request ends PROTOCOL (as a hook's would).
    if (status !== OK && (status === PENDING || !isStatus(status))) status = PROTOCOL, this.badAnswers++;
    if (this.early === IN_SERVE || this.early === DROPPED) return void (this.early = this.early === DROPPED ? DROPPED_DONE : status);
    if (!this.inFlight) return void (this.inFlight === false ? this.lateDones++ : detachedDone());
    this.inFlight = false;
    if (this.orphan) this.orphan = false; // an abandoned request's own done: completed already
    else this.finishHead(status);
    // Failed while this one was in flight: the ones behind it complete now, in order.
    if (this.state === Q_FAILED) return this.drainFailed();
    if (this.state === Q_GATED) {
      if (this.drainListener !== null) this.drainListener();
      return;
    }
    this.pump();
  }

  /** A buffer became free: try the head again. */ retry(): void { if (this.state === Q_OPEN) this.pump(); }
  /** Token of the request in flight or waiting at the head, -1 if empty. */ peek(): number { return this.length > 0 ? this.ring[this.head] : -1; }

  private finishHead(status: number): void {
    const token = this.ring[this.head];
    this.head = (this.head + 1) % this.capacity;
    this.length--;
    this.completed++;
    this.deliver(token, status);
  }

  /** Runs the completion callback; a throw is counted and kept, never let through (see the class comment). */
  private deliver(token: number, status: number): void {
    try {
      this.complete(token, status);
    } catch (e) {
      this.callbackFaults++;
      this.lastFault = e;
      if (this.faultSink !== null) this.faultSink.listenerFaults++;
    }
  }

  private pump(): void {
    // Re-entrancy guard: a synchronous completion inside serve() must not recurse into pump.
    if (this.serving) return;
    this.serving = true;
    while (this.length > 0 && !this.inFlight && this.state === Q_OPEN) {
      let status = THREW;
      this.early = IN_SERVE;
      try {
        status = this.serve(this.ring[this.head]);
      } catch (e) {
        // The driver's bug: this request ends with it (THREW), the next ones are still served.
        this.serveFaults++;
        this.lastFault = e;
      }
      // Completed while it ran (abandonServed): a PENDING answer's `done`, unless made already, is its own (not the next request's).
      if (this.early <= DROPPED) { this.inFlight = this.orphan = this.early === DROPPED && status === PENDING; this.early = -1; continue; }
      // undefined from a forgotten return, 1.5, true: no status, so the request ends PROTOCOL (as a hook's would);
      // a `done` made inside serve is its completion if serve answered PENDING, else a protocol error.
      if (status !== OK && status !== PENDING && !isStatus(status)) status = PROTOCOL, this.badAnswers++;
      if (this.early >= 0) status = status === PENDING ? this.early : (this.badAnswers++, PROTOCOL);
      this.early = -1;
      if (status === FULL || status === BUSY) { this.waited++; break; }
      if (this.parkedSlot[this.head] !== 0) {
        this.parkedSlot[this.head] = 0;
        this.parkedNow--;
        this.replayed++;
      }
      if (status === PENDING) this.inFlight = true;
      else this.finishHead(status);
    }
    this.serving = false;
    const told = this.gatedInServe && this.state === Q_GATED && !this.inFlight; // in flight: `done` tells it
    this.gatedInServe = false;
    // Failed while one was being served: the ones behind it complete now, in order (as `done` does for one in flight).
    if (this.state === Q_FAILED) this.drainFailed();
    else if (told && this.drainListener !== null) this.drainListener();
  }
}

/** `done` called on no queue (passed as a callback: an ECMA-419 IO object's `inFlight` is undefined, and it returned silently, losing the request). */
function detachedDone(): never {
  // alloc-lint-allow new-error: a driver's programming error, named with its stack; no correct call allocates
  throw new TypeError("queue.done(status) was called without its queue (passed as a callback?): call it on the queue, e.g. onWritable() { queue.done(OK); }");
}
