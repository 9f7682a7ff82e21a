// Dependency order within one stage: an ordered pass over the devices; once a hook is pending, readiness is checked.
import type { DeviceGraph } from "./graph";

/**
 * Suspend direction: a device runs after every member that depends on it (children, users, the
 * storage device's savers); resume direction: after every member it depends on. While every hook of
 * the stage answers synchronously, walking the topological order (reversed for suspend) already
 * respects that: one loop step per device, nothing kept (the common case). Once a hook has answered
 * PENDING (`counting`), a device reached by the pass starts only if every member it waits on has
 * finished; otherwise it is set aside, and a finishing device looks only at the set-aside devices
 * that wait on it (its edges in this direction), so a completion costs its degree, whatever N. Each
 * member is handed out exactly once per run.
 */
export class ReadyQueue {
  private readonly g: DeviceGraph;
  private readonly ring: Int16Array;
  /** Serial of the run in which each device was set aside (and not yet queued). */
  private readonly skippedIn: Int32Array;
  /** Serial of the run in which each device finished. */
  readonly finishedIn: Int32Array;
  private fwdOrder: Int16Array = new Int16Array(0);
  private revOrder: Int16Array = new Int16Array(0);
  /** The run's walking order (the engine's hot loop walks it inline). */
  order: Int16Array = new Int16Array(0);
  private member: Uint8Array = new Uint8Array(0);
  private suspendDir = true;
  /** A hook of this run answered PENDING: devices reached from now on are checked before they start. */
  counting = false;
  cursor = 0;
  serial = 0;
  private head = 0;
  private length = 0;

  constructor(g: DeviceGraph) {
    this.g = g;
    this.ring = new Int16Array(g.maxDevices);
    this.skippedIn = new Int32Array(g.maxDevices);
    this.finishedIn = new Int32Array(g.maxDevices);
  }

  /** Boot (seal): both walking orders. @boot */
  bind(): void {
    const g = this.g;
    const n = g.count;
    this.fwdOrder = g.order;
    this.revOrder = new Int16Array(n);
    for (let k = 0; k < n; k++) this.revOrder[n - 1 - k] = g.order[k];
  }

  /** A run over `member` devices starts. */
  begin(member: Uint8Array, suspendDir: boolean): void {
    this.member = member;
    this.suspendDir = suspendDir;
    this.order = suspendDir ? this.revOrder : this.fwdOrder;
    this.counting = false;
    this.cursor = 0;
    this.head = 0;
    this.length = 0;
    this.serial++;
  }

  /** The next device to start, or -1 while every remaining one waits on a pending hook. */
  next(): number {
    const order = this.order;
    while (this.cursor < order.length) {
      const d = order[this.cursor++];
      if (this.member[d] === 0) continue;
      if (this.counting && !this.depsDone(d)) {
        this.skippedIn[d] = this.serial;
        continue;
      }
      return d;
    }
    if (this.length === 0) return -1;
    const d = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.length--;
    return d;
  }

  /** True if every member device d waits on (in this run's direction) has finished. */
  depsDone(d: number): boolean {
    const g = this.g;
    const member = this.member;
    const serial = this.serial;
    if (this.suspendDir) {
      for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) if (member[g.dep[i]] === 1 && this.finishedIn[g.dep[i]] !== serial) return false;
    } else {
      for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) if (member[g.pre[i]] === 1 && this.finishedIn[g.pre[i]] !== serial) return false;
    }
    return true;
  }

  /** The pass reached d before what it waits on finished: it starts when the last of those finishes. */
  skip(d: number): void {
    this.skippedIn[d] = this.serial;
  }

  /** Device d finished (synchronously or after PENDING): set-aside devices waiting on it may start now. */
  finished(d: number): void {
    this.finishedIn[d] = this.serial;
    if (!this.counting) return;
    const g = this.g;
    if (this.suspendDir) {
      for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) this.release(g.pre[i]);
    } else {
      for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) this.release(g.dep[i]);
    }
  }

  private release(d: number): void {
    if (this.skippedIn[d] !== this.serial || !this.depsDone(d)) return;
    this.skippedIn[d] = 0;
    this.ring[(this.head + this.length) % this.ring.length] = d;
    this.length++;
  }
}
