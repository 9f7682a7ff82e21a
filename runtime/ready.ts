// Dependency order within one stage: an ordered pass over the devices; what waits on a pending hook is set aside.
import type { DeviceGraph } from "./graph";

/**
 * In S1, added to `blocked` for each member S1 reserves something for: the walk's one test per device
 * (`blocked[d]`) then also finds who needs reservations, and no other device or stage pays a second test.
 * Above any count (pm.maxDevices is at most 4,096).
 */
export const RESERVE = 0x8000;

/**
 * Suspend direction: a device runs after every member that depends on it (children, users, the
 * storage device's savers); resume direction: after every member it depends on. While every hook of
 * the stage answers synchronously, walking the topological order (reversed for suspend) already
 * respects that, and the walk costs one array read per device: `blocked[d]` is 0.
 *
 * A device that answers PENDING, or that the walk sets aside, is *held*: each member waiting on it
 * (its edges in this direction) gets `blocked` + 1, so the walk sets those aside too when it reaches
 * them. When a held device finishes, its waiters get - 1; one that the walk set aside and reaches 0
 * is queued. So only held devices pay for their edges, whatever N. A non-member starts the run at
 * `blocked` 1 (the member set's `out` mask, copied in one `set`): the walk passes it by, and the
 * counts it gets and loses never bring it to 0. Invariant: for a member d of this run, `blocked[d]`
 * equals the number of held, unfinished devices among those it waits on, plus RESERVE in S1 until it
 * is reserved for or set aside. Each member is handed out exactly once per run. So a run whose every
 * member finished (`balanced`) ends with `blocked` equal to `out`: the next run of the same members
 * skips the copy (maxDevices entries, about 2 XS units each).
 */
export class ReadyQueue {
  // Read by the engine on every completion: first, since XS finds a property by walking the slots in order.
  /** Devices queued (set aside, now free to start) and not yet handed out. */
  queued = 0;
  /** Read by the engine, which skips `hold` and `finished` for a device nobody waits on (a leaf, resuming). */
  waitStart: Int32Array = new Int32Array(1);
  private readonly g: DeviceGraph;
  private readonly ring: Int16Array;
  /** Per device: held, unfinished devices it waits on this run (1 more for a non-member). The engine's walk reads it. */
  readonly blocked: Uint16Array;
  /** Serial of the run in which each device was set aside (and not yet queued). */
  private readonly skippedIn: Int32Array;
  /** Serial of the run in which each device was held (its waiters counted it). */
  private readonly heldIn: Int32Array;
  private fwdOrder: Int16Array = new Int16Array(0);
  private revOrder: Int16Array = new Int16Array(0);
  /** The run's walking order (the engine's hot loop walks it inline). */
  order: Int16Array = new Int16Array(0);
  /** The devices that wait on each device in this run's direction: `wait[waitStart[d] .. waitStart[d + 1])`. */
  private wait: Int16Array = new Int16Array(0);
  cursor = 0;
  /** Set by the engine when a run settles with every member finished: each count is then back at `out`. */
  balanced = false;
  /** The member selection (members.ts `selection`) whose `out` the counts were last copied from. */
  private copied = -1;
  private serial = 0;
  private head = 0;
  /** S1's starting counts: `out`, and RESERVE for each member S1 reserves for; rebuilt when the selection changes. */
  private readonly reserving: Uint16Array;
  private reservingOf = -1;
  /** The devices S1 reserves for (a state area or request blocks), set at seal. */
  private pooled: Int16Array = new Int16Array(0);
  private pooledCount = 0;

  constructor(g: DeviceGraph) {
    this.g = g;
    this.ring = new Int16Array(g.maxDevices);
    this.blocked = new Uint16Array(g.maxDevices);
    this.skippedIn = new Int32Array(g.maxDevices);
    this.heldIn = new Int32Array(g.maxDevices);
    this.reserving = new Uint16Array(g.maxDevices);
  }

  /** Boot (seal): both walking orders, and the devices S1 reserves for. @boot */
  bind(pooled: Int16Array, pooledCount: number): void {
    this.pooled = pooled;
    this.pooledCount = pooledCount;
    const g = this.g;
    const n = g.count;
    this.fwdOrder = g.order;
    this.revOrder = new Int16Array(n);
    for (let k = 0; k < n; k++) this.revOrder[n - 1 - k] = g.order[k];
  }

  /**
   * A run over the members starts; `out` is 1 for every device that is not one, `selection` names that
   * member set; `reserving`: S1, whose pooled members start flagged RESERVE.
   */
  begin(out: Uint8Array, selection: number, suspendDir: boolean, reserving: boolean): void {
    const g = this.g;
    if (reserving) {
      if (this.reservingOf !== selection) this.buildReserving(out, selection);
      // A finished S1 leaves the counts at `out`: each flag is cleared where the device is reserved for.
      this.blocked.set(this.reserving);
      this.copied = selection;
    } else if (!this.balanced || selection !== this.copied) {
      // Every hold of a finished run was matched by a `finished`: copied (maxDevices entries) only after a
      // run a failure or a stop ended with devices still held or set aside, or when the members changed.
      this.blocked.set(out);
      this.copied = selection;
    }
    this.balanced = false;
    // Suspend: a device's prerequisites (parent, what it needs) wait on it; resume: its dependents do.
    this.order = suspendDir ? this.revOrder : this.fwdOrder;
    this.wait = suspendDir ? g.pre : g.dep;
    this.waitStart = suspendDir ? g.preStart : g.depStart;
    this.cursor = 0;
    this.head = 0;
    this.queued = 0;
    this.serial++;
  }

  /** S1's starting counts for the member set `selection` (once per selection: a normal cycle reuses them). */
  private buildReserving(out: Uint8Array, selection: number): void {
    const r = this.reserving;
    r.set(out);
    for (let i = 0; i < this.pooledCount; i++) if (out[this.pooled[i]] === 0) r[this.pooled[i]] = RESERVE;
    this.reservingOf = selection;
  }

  /** A queued device (its last held prerequisite finished), or -1 while every remaining one waits. */
  next(): number {
    if (this.queued === 0) return -1;
    const d = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.queued--;
    return d;
  }

  /** The walk reached member d while something it waits on is held: it starts when the last of those finishes. */
  skip(d: number): void {
    // Its count alone decides when it is queued; whoever hands it out then reserves for it (queued-walk.ts).
    this.blocked[d] &= RESERVE - 1;
    this.skippedIn[d] = this.serial;
    this.hold(d);
  }

  /** Device d answered PENDING (or was set aside): its waiters count it until it finishes. */
  hold(d: number): void {
    if (this.heldIn[d] === this.serial) return;
    this.heldIn[d] = this.serial;
    const end = this.waitStart[d + 1];
    // Declared outside the loop: a `let` in the loop's head is a fresh binding XS copies on every pass.
    let i = this.waitStart[d];
    for (; i < end; i++) this.blocked[this.wait[i]]++;
  }

  /** Whether device d is held this run (it must then call `finished`). */
  isHeld(d: number): boolean {
    return this.heldIn[d] === this.serial;
  }

  /** Device d finished (after PENDING, after being set aside, or failing): set-aside waiters reaching 0 are queued. */
  finished(d: number): void {
    if (this.heldIn[d] !== this.serial) return;
    this.heldIn[d] = 0;
    // Fields read in the loop, not hoisted: a held device has one or two waiters, fewer reads than the hoists.
    const end = this.waitStart[d + 1];
    let w = 0, i = this.waitStart[d]; // hoisted: a block-scoped declaration costs XS on every pass
    for (; i < end; i++) {
      w = this.wait[i];
      if (--this.blocked[w] || this.skippedIn[w] !== this.serial) continue;
      this.skippedIn[w] = 0;
      this.ring[(this.head + this.queued) % this.ring.length] = w;
      this.queued++;
    }
  }
}
