// Dependency order within one stage: how many members each device still waits for, and the ready ring.
import type { DeviceGraph } from "./graph";

/**
 * Suspend direction: a device waits for every member that depends on it (children, users, the
 * storage device's savers) to finish the stage; resume direction: for every member it depends on.
 * `seed` counts those waits for the members of a run and queues the free ones in topological order
 * (so runs are deterministic and children go first); `finished` frees the devices that waited on one.
 * The ring never holds more than the device count: each member is queued exactly once per run.
 */
export class ReadyQueue {
  private readonly g: DeviceGraph;
  private readonly waiting: Int32Array;
  private readonly ring: Int16Array;
  private head = 0;
  /** Devices queued and not yet taken. */
  length = 0;

  constructor(g: DeviceGraph) {
    this.g = g;
    this.waiting = new Int32Array(g.maxDevices);
    this.ring = new Int16Array(g.maxDevices);
  }

  /** Counts the waits of `member` devices for a run in `suspendDir`; returns how many members there are. */
  seed(member: Uint8Array, suspendDir: boolean): number {
    const g = this.g;
    this.head = 0;
    this.length = 0;
    let members = 0;
    for (let d = 0; d < g.count; d++) {
      if (member[d] === 0) continue;
      members++;
      let wait = 0;
      if (suspendDir) {
        for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) wait += member[g.dep[i]];
      } else {
        for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) wait += member[g.pre[i]];
      }
      this.waiting[d] = wait;
    }
    for (let k = 0; k < g.count; k++) {
      const d = suspendDir ? g.order[g.count - 1 - k] : g.order[k];
      if (member[d] === 1 && this.waiting[d] === 0) this.ring[this.length++] = d;
    }
    return members;
  }

  /** Next ready device (call only while `length > 0`). */
  take(): number {
    const d = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.length--;
    return d;
  }

  /** Device d finished the stage: members waiting on it in this direction may now be ready. */
  finished(d: number, member: Uint8Array, suspendDir: boolean): void {
    const g = this.g;
    if (suspendDir) {
      for (let i = g.preStart[d]; i < g.preStart[d + 1]; i++) this.free(g.pre[i], member);
    } else {
      for (let i = g.depStart[d]; i < g.depStart[d + 1]; i++) this.free(g.dep[i], member);
    }
  }

  private free(d: number, member: Uint8Array): void {
    if (member[d] === 1 && --this.waiting[d] === 0) {
      this.ring[(this.head + this.length) % this.ring.length] = d;
      this.length++;
    }
  }
}
