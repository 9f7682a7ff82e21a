// Dependency order within one stage: an ordered pass over the devices, and wait counts only once a hook is pending.
import type { DeviceGraph } from "./graph";

/**
 * Suspend direction: a device runs after every member that depends on it (children, users, the
 * storage device's savers); resume direction: after every member it depends on. While every hook of
 * the stage answers synchronously, walking the topological order (reversed for suspend) already
 * respects that, so no counts are kept: that is the common case and costs one loop step per device.
 * The first PENDING answer switches the run to counting: each device not yet started waits for its
 * unfinished member dependencies, and a device whose count reaches zero behind the pass's cursor
 * goes to the ready ring (ahead of the cursor the pass itself starts it). Each member is handed out
 * exactly once per run.
 */
export class ReadyQueue {
  private readonly g: DeviceGraph;
  private readonly waiting: Int32Array;
  private readonly ring: Int16Array;
  /** Serial of the run in which each device finished (counting mode reads it). */
  private readonly finishedIn: Int32Array;
  private fwdPos: Int16Array = new Int16Array(0);
  private revOrder: Int16Array = new Int16Array(0);
  private revPos: Int16Array = new Int16Array(0);
  private order: Int16Array = new Int16Array(0);
  private pos: Int16Array = new Int16Array(0);
  private member: Uint8Array = new Uint8Array(0);
  private suspendDir = true;
  private counting = false;
  private cursor = 0;
  private serial = 0;
  private head = 0;
  private length = 0;

  constructor(g: DeviceGraph) {
    this.g = g;
    this.waiting = new Int32Array(g.maxDevices);
    this.ring = new Int16Array(g.maxDevices);
    this.finishedIn = new Int32Array(g.maxDevices);
  }

  /** Boot (seal): both walking orders and each device's place in them. @boot */
  bind(): void {
    const g = this.g;
    const n = g.count;
    this.fwdPos = new Int16Array(n);
    this.revOrder = new Int16Array(n);
    this.revPos = new Int16Array(n);
    for (let k = 0; k < n; k++) {
      const d = g.order[k];
      this.fwdPos[d] = k;
      this.revOrder[n - 1 - k] = d;
      this.revPos[d] = n - 1 - k;
    }
  }

  /** A run over `member` devices starts. */
  begin(member: Uint8Array, suspendDir: boolean): void {
    this.member = member;
    this.suspendDir = suspendDir;
    this.order = suspendDir ? this.revOrder : this.g.order;
    this.pos = suspendDir ? this.revPos : this.fwdPos;
    this.counting = false;
    this.cursor = 0;
    this.head = 0;
    this.length = 0;
    this.serial++;
  }

  /** The next device to start, or -1 while every remaining one waits on a pending hook. */
  next(): number {
    const order = this.order;
    const member = this.member;
    const n = order.length;
    while (this.cursor < n) {
      const d = order[this.cursor++];
      if (member[d] === 0 || (this.counting && this.waiting[d] !== 0)) continue;
      return d;
    }
    if (this.length === 0) return -1;
    const d = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.length--;
    return d;
  }

  /** A hook answered PENDING: from now on devices not yet started wait for their unfinished dependencies. */
  pending(): void {
    if (this.counting) return;
    this.counting = true;
    const g = this.g;
    const order = this.order;
    const member = this.member;
    const serial = this.serial;
    for (let k = this.cursor; k < order.length; k++) {
      const d = order[k];
      if (member[d] === 0) continue;
      let wait = 0;
      if (this.suspendDir) {
        for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) if (member[g.dep[i]] === 1 && this.finishedIn[g.dep[i]] !== serial) wait++;
      } else {
        for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) if (member[g.pre[i]] === 1 && this.finishedIn[g.pre[i]] !== serial) wait++;
      }
      this.waiting[d] = wait;
    }
  }

  /** Device d finished the stage: while counting, members waiting on it may now be ready. */
  finished(d: number): void {
    this.finishedIn[d] = this.serial;
    if (!this.counting) return;
    const g = this.g;
    if (this.suspendDir) {
      for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) this.free(g.pre[i]);
    } else {
      for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) this.free(g.dep[i]);
    }
  }

  private free(d: number): void {
    if (this.member[d] === 0 || this.pos[d] >= this.cursor) {
      // Ahead of the cursor the pass starts it when its count is zero.
      if (this.member[d] === 1) this.waiting[d]--;
      return;
    }
    if (--this.waiting[d] === 0) {
      this.ring[(this.head + this.length) % this.ring.length] = d;
      this.length++;
    }
  }
}
