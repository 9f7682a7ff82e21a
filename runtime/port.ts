// What a driver sees of the runtime: one DevicePort per device, handed over at attach; nothing else.
import type { RequestQueue } from "./queue";
import { PENDING } from "./status";

/**
 * The driver contract's runtime half (the other half is `PmHooks`, runtime/driver.ts). A driver keeps
 * the port it is given in `attach` and never sees the power manager: it cannot change device state,
 * read another device's area or guess the runtime's phase. Every member is a field read or a call on
 * an object made at boot: nothing allocates. Its methods are not bound: call them on the port. An
 * ECMA-419 callback runs with `this` set to its IO object, so write `onReadable() { port.wakeEvent(); }`,
 * not `onReadable: port.wakeEvent`; `wakeEvent` and `complete` called without their port throw a
 * TypeError that says so (on the device an exception no code catches in a callback aborts the XS machine;
 * the simulator names it at the scenario step, or in the shell, and goes on).
 */
export interface DevicePort {
  /** The device's id: its row in stats and traces. */
  readonly id: number;
  /** The device's name in the board (for messages made at boot). */
  readonly name: string;
  /**
   * This device's state-save area: a view made once at seal over the runtime's state arena. S1 zeroes
   * it; after a reboot from a hibernate image it holds what the device saved in S2 (the image is the arena).
   */
  readonly state: Uint8Array;
  /** T_STANDBY or T_HIBERNATE: the target of the attempt in progress (S2 decides whether to save for an image). */
  readonly target: number;
  /** True while R1/R2 restore this device after a reboot from a hibernate image. */
  readonly fromImage: boolean;
  /** True when no suspend or resume is in progress. */
  readonly systemIdle: boolean;
  /** True while the idle governor is on: a device whose activity it cannot see (a person typing) holds its lock. */
  readonly governed: boolean;
  /** TEST_NONE, or the pm_test level of the attempt in progress (a TEST_DEVICES hold never stops a clock or a UART). */
  readonly testLevel: number;
  /** While resuming, what ended the sleep: an IRQ line (>= 0) or a WAKE_* code; WAKE_NONE otherwise (R1 as a rollback mirror). */
  readonly wakeCause: number;
  /**
   * Activity on this device's wake line (Linux's pm_wakeup_event): while a suspend can still be
   * aborted or a sleep ended, the runtime takes it as a wake on the device's `wakeLine`; otherwise nothing.
   */
  wakeEvent(): void;
  /** A hook answered PENDING with `token`: report its status once. A token the runtime gave up on is ignored. */
  complete(token: number, status: number): void;
  /** True while `token` is this device's stage in flight (answered PENDING, not completed, not given up on). */
  holds(token: number): boolean;
  /**
   * Registered once at boot: called when the runtime gives up on one of this device's stages (its
   * budget expired: TIMEOUT) or marks the device failed (a resume stage answered an error). The
   * driver stops waiting for its own work there; a late `complete` would be ignored anyway. It may
   * run inside a masked stage (R1): defer I/O to a timer.
   */
  onGiveUp(listener: (stage: number, status: number) => void): void;
  /** Boot: the driver's request queue, counted in stats and the flight record (parked requests). */
  registerQueue(queue: RequestQueue): void;
  /**
   * The device's own PM lock (made at seal, named after the device; ESP-IDF esp_pm_lock semantics):
   * held while a transfer is in flight, the idle governor does not sleep. Recursive: each `lock` needs
   * an `unlock`. An explicit suspend ignores it (S2 still waits for in-flight I/O). `unlock` answers OK,
   * or PROTOCOL for a lock not held (counted; the count never goes negative).
   */
  lock(): number;
  /** Releases one count of the device's lock: OK, or PROTOCOL when not held. */
  unlock(): number;
  /** When this device next needs the CPU (absolute platform µs, -1 none): the governor's timer wake comes before it. OK, or INVALID, changing nothing (not a number, NaN, other negatives, beyond 2^52). */
  nextDeadline(atUs: number): number;
  /** The longest wake latency this device tolerates (µs, -1 none): the governor skips states slower than that. OK, or INVALID as nextDeadline. */
  constrainLatency(us: number): number;
  /**
   * Runtime PM (Linux pm_runtime_get, Zephyr pm_device_runtime_get): counts a user of the device and
   * makes sure it is powered. OK: active now; PENDING: its runtime resume is under way (or waits for the
   * system attempt to end): requests wait in the device's queue, which its runtimeResume reopens; FAILED:
   * the device failed. Each get needs one put. A device without runtime hooks is always active.
   */
  get(): number;
  /** pm_runtime_put_sync: one user less; at 0 (and no active consumer) the device runtime-suspends now. OK, or PROTOCOL at 0 (counted, never negative). */
  put(): number;
  /** pm_runtime_put_autosuspend / Zephyr put_async: as `put`, but the device suspends after its `autosuspendMs` of idleness (never without one). */
  putAutosuspend(): number;
  /** Users counted by get minus put. */
  readonly usage: number;
  /** The device's runtime state (RPM_ACTIVE, RPM_SUSPENDING, RPM_SUSPENDED, RPM_RESUMING: runtime/status.ts). */
  readonly runtimeState: number;
  /** A wake-capable input (a button) asks for a system suspend: OK, BUSY or INVALID as `PowerManager.suspend`. */
  requestSuspend(target: number, test: number): number;
  /** Request blocks (reserved for this device in S1): size in bytes, then acquire/release by index. */
  readonly blockSize: number;
  /** A free block's index, or -1 when none is free (the request waits; it is never refused). */
  acquireBlock(): number;
  /**
   * Returns a block this device got from `acquireBlock` to the pool: OK, or INVALID, changing nothing, for
   * any other index (not an integer, out of range, free, or held by another device).
   */
  releaseBlock(block: number): number;
  /** The block's bytes: a view made once at boot. */
  block(block: number): Uint8Array;
  /**
   * The storage role only (ROLE_STORAGE): the whole state arena, the bytes a hibernate image holds
   * (empty for every other device), and how many devices it was laid out for.
   */
  readonly image: Uint8Array;
  /** Storage role: devices the image's layout holds (0 for every other device). */
  readonly imageDevices: number;
  /**
   * Storage role: the fingerprint of the image's layout, each device's name, state offset and size in
   * order (0 for every other device). Computed when read, O(devices): read it once, at attach.
   */
  readonly imageLayout: number;
}

/**
 * "A stage of mine is waiting" in one place: the hook stores its token with `hold` (answering
 * PENDING), the work that ends it calls `finish`. `waiting` turns false by itself when the runtime
 * gives up on the stage (it no longer awaits the token), so a driver never completes a stage the
 * runtime has already rolled back.
 */
export class PendingStage {
  private readonly port: DevicePort;
  private token = -1;

  constructor(port: DevicePort) {
    this.port = port;
  }

  /** Remembers `token`; returns PENDING for the hook to answer. */
  hold(token: number): number {
    this.token = token;
    return PENDING;
  }

  /** A stage is held and the runtime still awaits it. */
  get waiting(): boolean {
    return this.token >= 0 && this.port.holds(this.token);
  }

  /** Completes the held stage with `status`; false if none was held or the runtime gave up on it. */
  finish(status: number): boolean {
    const token = this.token;
    this.token = -1;
    if (token < 0 || !this.port.holds(token)) return false;
    this.port.complete(token, status);
    return true;
  }

  /** Forgets the held token (the stage was completed another way). */
  drop(): void {
    this.token = -1;
  }
}
