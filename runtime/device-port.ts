// The runtime's side of a DevicePort: one per device, made at seal, forwarding to the power manager's narrow host interface.
import type { DevicePort } from "./port";
import type { RequestQueue } from "./queue";
import type { StateArena, BlockPool } from "./pools";
import { P_IDLE, P_RESUMING } from "./phase";
import { WAKE_NONE } from "./status";

/** What a port needs from the power manager, and no more. */
export interface PortHost {
  readonly phase: number;
  readonly target: number;
  readonly test: number;
  readonly fromImage: boolean;
  readonly lastWakeCause: number;
  wakeEvent(device: number): void;
  complete(token: number, status: number): void;
  holds(token: number): boolean;
  suspend(target: number, test: number): number;
  registerQueue(queue: RequestQueue): void;
}

const NO_BYTES = new Uint8Array(0);

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
  private readonly blocks: BlockPool;
  private listener: ((stage: number, status: number) => void) | null = null;

  constructor(host: PortHost, id: number, name: string, arena: StateArena, blocks: BlockPool, storage: boolean, devices: number) {
    this.host = host;
    this.id = id;
    this.name = name;
    this.state = new Uint8Array(arena.buffer, arena.offset[id], arena.size[id]);
    this.image = storage ? new Uint8Array(arena.buffer, 0, arena.used) : NO_BYTES;
    this.imageDevices = storage ? devices : 0;
    this.blocks = blocks;
    this.blockSize = blocks.blockSize;
  }

  get target(): number {
    return this.host.target;
  }

  get fromImage(): boolean {
    return this.host.fromImage;
  }

  get systemIdle(): boolean {
    return this.host.phase === P_IDLE;
  }

  get testLevel(): number {
    return this.host.test;
  }

  /** Only while resuming: R1 also runs as S3's rollback mirror, where no wake ended a sleep. */
  get wakeCause(): number {
    return this.host.phase === P_RESUMING ? this.host.lastWakeCause : WAKE_NONE;
  }

  wakeEvent(): void {
    this.host.wakeEvent(this.id);
  }

  complete(token: number, status: number): void {
    this.host.complete(token, status);
  }

  holds(token: number): boolean {
    return this.host.holds(token);
  }

  /** @boot */
  onGiveUp(listener: (stage: number, status: number) => void): void {
    if (this.listener !== null) throw new Error("device \"" + this.name + "\": onGiveUp registered twice: register one listener at attach");
    this.listener = listener;
  }

  /** The power manager gave up on a stage of this device or marked it failed. */
  gaveUp(stage: number, status: number): void {
    if (this.listener !== null) this.listener(stage, status);
  }

  registerQueue(queue: RequestQueue): void {
    this.host.registerQueue(queue);
  }

  requestSuspend(target: number, test: number): number {
    return this.host.suspend(target, test);
  }

  acquireBlock(): number {
    return this.blocks.acquire(this.id);
  }

  releaseBlock(block: number): void {
    this.blocks.release(block);
  }

  block(block: number): Uint8Array {
    return this.blocks.views[block];
  }
}
