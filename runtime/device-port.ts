// The runtime's side of a DevicePort: one per device, made at seal, forwarding to the power manager's narrow host interface.
import type { DevicePort } from "./port";
import type { RequestQueue } from "./queue";
import type { StateArena, BlockPool } from "./pools";
import type { Attempt } from "./attempt";
import type { PmStats } from "./stats";
import type { IrqController } from "./irq";
import type { Recovery } from "./recovery";
import type { IdleGovernor } from "./governor";
import { LOCK_DEVICE, type PmLocks } from "./locks";
import { P_IDLE, P_RESUMING, P_SUSPENDING, P_SLEEPING } from "./phase";
import { WAKE_NONE, OK, INVALID, FAILED, D_FAILED, isIndex } from "./status";
import { checkListener } from "./limits";
import { TOKEN_STRIDE } from "./in-flight";
import { type RuntimePm, RPM_TOKEN } from "./runtime-pm";

/** What a port needs from the power manager, and no more. */
export interface PortHost {
  complete(token: number, status: number): void;
  holds(token: number): boolean;
  suspend(target: number, test: number): number;
  registerQueue(queue: RequestQueue): void;
  /** Device `d`'s state (D_*): a queue registered while it is failed starts failed. */
  deviceState(d: number): number;
  /** The device names and the arena: the storage port's `imageLayout` (read at boot only). */
  readonly graph: { readonly names: readonly string[] };
  readonly arena: StateArena;
}

/** The runtime parts every port reads, made once at seal. */
export interface PortParts {
  readonly host: PortHost;
  readonly attempt: Attempt;
  readonly stats: PmStats;
  readonly irq: IrqController;
  readonly arena: StateArena;
  readonly blocks: BlockPool;
  readonly locks: PmLocks;
  readonly governor: IdleGovernor;
  readonly rpm: RuntimePm;
  /** Devices registered (the image's layout count) and the storage device's id. */
  readonly devices: number;
  readonly storage: number;
  /** The empty view every device but the storage one sees as `image` (one for all, made at seal). */
  readonly noImage: Uint8Array;
}

/**
 * The state view is made once here (a view over the arena, so a hibernate image restored into the
 * arena is what the driver reads back); the storage device's port also sees the whole arena. The
 * give-up listener is one function registered at boot, called with numbers only.
 */
export class RuntimePort implements DevicePort {
  readonly id: number;
  readonly name: string;
  readonly state: Uint8Array;
  readonly image: Uint8Array;
  readonly imageDevices: number;
  readonly blockSize: number;
  private readonly host: PortHost;
  private readonly attempt: Attempt;
  private readonly stats: PmStats;
  private readonly irq: IrqController;
  private readonly wakeLine: number;
  private readonly blocks: BlockPool;
  private readonly locks: PmLocks;
  private readonly governor: IdleGovernor;
  private readonly rpm: RuntimePm;
  /** This device's PM lock (made here, at seal). */
  readonly lockId: number;
  private listener: ((stage: number, status: number) => void) | null = null;
  /** The queues this device registered: failed with it, revived with it. */
  private readonly queues: RequestQueue[] = [];

  constructor(parts: PortParts, id: number, name: string, wakeLine: number) {
    const arena = parts.arena;
    const storage = parts.storage === id;
    this.host = parts.host;
    this.attempt = parts.attempt;
    this.stats = parts.stats;
    this.irq = parts.irq;
    this.wakeLine = wakeLine;
    this.id = id;
    this.name = name;
    this.state = new Uint8Array(arena.buffer, arena.offset[id], arena.size[id]);
    // Every other device sees the one empty view made at seal (a module-level one would be frozen by preload).
    this.image = storage ? new Uint8Array(arena.buffer, 0, arena.used) : parts.noImage;
    this.imageDevices = storage ? parts.devices : 0;
    this.blocks = parts.blocks;
    this.blockSize = parts.blocks.blockSize;
    this.locks = parts.locks;
    this.governor = parts.governor;
    this.rpm = parts.rpm;
    this.lockId = parts.locks.create(name, LOCK_DEVICE);
  }

  lock(): number {
    return this.locks.acquire(this.lockId);
  }

  unlock(): number {
    return this.locks.release(this.lockId);
  }

  get(): number {
    return this.rpm.get(this.id);
  }

  put(): number {
    return this.rpm.put(this.id, false);
  }

  putAutosuspend(): number {
    return this.rpm.put(this.id, true);
  }

  get usage(): number {
    return this.rpm.usage[this.id];
  }

  get runtimeState(): number {
    return this.rpm.state[this.id];
  }

  nextDeadline(atUs: number): number {
    return this.governor.setDeadline(this.id, atUs);
  }

  constrainLatency(us: number): number {
    return this.governor.constrain(this.id, us);
  }

  get target(): number {
    return this.attempt.target;
  }

  get fromImage(): boolean {
    return this.attempt.fromImage;
  }

  get systemIdle(): boolean {
    return this.attempt.phase === P_IDLE;
  }

  get governed(): boolean {
    return this.governor.enabled;
  }

  get testLevel(): number {
    return this.attempt.test;
  }

  /** Only while resuming: R1 also runs as S3's rollback mirror, where no wake ended a sleep. */
  get wakeCause(): number {
    return this.attempt.phase === P_RESUMING ? this.stats.lastWakeCause : WAKE_NONE;
  }

  /** A wake on the device's line only while a suspend can still be aborted or a sleep ended. */
  wakeEvent(): void {
    if (!(this instanceof RuntimePort)) return detached();
    const phase = this.attempt.phase;
    if (this.wakeLine >= 0 && (phase === P_SUSPENDING || phase === P_SLEEPING)) this.irq.raise(this.wakeLine);
  }

  /** Only this device's own tokens: another device's token from this port is ignored as late, as is one that is no number (a BigInt). */
  complete(token: number, status: number): void {
    if (!(this instanceof RuntimePort)) return detached();
    // `&` throws for a BigInt: no number is no token, counted late by the engine like any forged one.
    if (typeof token !== "number") return this.host.complete(-1, status);
    // A runtime hook's token (RPM_TOKEN set) is the runtime PM's; every other one the stage engine's.
    if ((token & RPM_TOKEN) === 0) this.host.complete((token & (TOKEN_STRIDE - 1)) === this.id ? token : -1, status);
    else this.rpm.complete((token & (TOKEN_STRIDE - 1)) === this.id ? token : -1, status);
  }

  holds(token: number): boolean {
    return typeof token === "number" && ((token & RPM_TOKEN) !== 0 ? this.rpm.holds(token) : this.host.holds(token));
  }

  /** Throws for what is no function (null: none), and for a second listener. @boot */
  onGiveUp(listener: (stage: number, status: number) => void): void {
    checkListener("device \"" + this.name + "\": onGiveUp: the listener", listener, "(stage, status) => void", true);
    if (this.listener !== null) throw new Error("device \"" + this.name + "\": onGiveUp registered twice: register one listener at attach");
    this.listener = listener;
  }

  /** The power manager gave up on a stage of this device or marked it failed. A listener that throws is counted, never let through. */
  gaveUp(stage: number, status: number): void {
    if (this.listener === null) return;
    try {
      this.listener(stage, status);
    } catch (e) {
      this.stats.listenerFaults++;
    }
  }

  registerQueue(queue: RequestQueue): void {
    this.host.registerQueue(queue); // first: it refuses what is no RequestQueue
    this.queues.push(queue);
    // Its completion callbacks are the application's: one that throws is caught in the queue and counted here too.
    queue.countFaultsIn(this.stats);
    if (this.host.deviceState(this.id) === D_FAILED) queue.fail(FAILED);
  }

  /** The device failed: its queues serve nothing more and refuse new requests with `status`. */
  failQueues(status: number): void {
    for (let i = 0; i < this.queues.length; i++) this.queues[i].fail(status);
  }

  /** IRQs on again: the requests that waited on the failed device complete with the failure status. */
  drainFailedQueues(): void {
    this.completeQueues(0);
  }

  /** A hibernate commits to deep sleep (IRQs still on): parked requests complete with `status` (ABORTED). */
  abortParked(status: number): void {
    // Closed first: what a completion callback submits again is refused ABORTED, not parked to be lost with RAM.
    for (let i = 0; i < this.queues.length; i++) this.queues[i].close(status);
    this.completeQueues(status);
  }

  /** `status` 0: failed queues' waiting requests with their failure status; else every queue's, with `status`. */
  private completeQueues(status: number): void {
    for (let i = 0; i < this.queues.length; i++) {
      const q = this.queues[i];
      if (status !== 0) q.abandonServed(status); // with the request whose serve asked for this hibernate
      // A completion callback that submits again adds a waiting request: taken too, at most capacity rounds (a throw is the queue's, counted).
      for (let tries = 0; tries < q.capacity && q.waiting > 0 && (status !== 0 || q.waitingFailed()); tries++) {
        if (status === 0) q.drainFailed();
        else q.completeWaiting(status);
      }
    }
  }

  /** Runtime PM (rpm-state.ts `cutOff`): behind a failed supplier its queues refuse FAILED and drain; resumed, they reopen (unless the device itself failed). */
  cutOff(on: boolean): void {
    if (on) return this.failQueues(FAILED), this.drainFailedQueues();
    if (this.host.deviceState(this.id) !== D_FAILED) for (let i = 0; i < this.queues.length; i++) this.queues[i].revive();
  }

  /** The device's re-probe brought it back: its backoff resets, its queues reopen. */
  revived(recovery: Recovery): void {
    recovery.succeeded(this.id);
    for (let i = 0; i < this.queues.length; i++) this.queues[i].revive();
  }

  requestSuspend(target: number, test: number): number {
    return this.host.suspend(target, test);
  }

  acquireBlock(): number {
    return this.blocks.acquire(this.id);
  }

  /** Only a block this device holds: any other index (out of range, NaN, a free block, another device's) is INVALID and changes nothing. */
  releaseBlock(block: number): number {
    const blocks = this.blocks;
    if (typeof block !== "number" || !(block >= 0 && block < blocks.count) || (block | 0) !== block || blocks.owner[block] !== this.id) return INVALID;
    blocks.release(block);
    return OK;
  }

  /** The block's view; the empty view (length 0) for a `block` that is no integer 0 .. blocks - 1. */
  block(block: number): Uint8Array {
    return isIndex(block, this.blocks.count) ? this.blocks.views[block] : this.blocks.none;
  }

  /**
   * A getter, last in the class: no field on every port (seal stays as cheap) and no slot ahead of
   * the hot methods (XS walks a prototype's slots in order). Only the storage port has a layout. @boot
   */
  get imageLayout(): number {
    return this.imageDevices === 0 ? 0 : this.host.arena.fingerprint(this.host.graph.names, this.imageDevices);
  }
}

/**
 * What `wakeEvent` and `complete` throw when called without their port (passed as a callback): it says
 * what to write instead. Made at the throw, so its stack shows the call: only a driver's mistake gets
 * here, never a suspend or a resume.
 */
function detached(): never {
  // alloc-lint-allow new-error: a driver's programming error, named with its stack; no correct call allocates
  throw new TypeError("port.wakeEvent() or port.complete(token, status) was called without its port (passed as a callback?): " +
    "call it on the port, e.g. onReadable() { port.wakeEvent(); } (an ECMA-419 callback's this is its IO object)");
}
