// The driver contract: eight hooks (six protocol hooks, two runtime-PM hooks) that act and answer a status; the runtime owns the state machine.
import type { IdleState } from "./policy";
import type { GovernorConfig } from "./governor";

/**
 * A device's power-management hooks, named by the protocol table (runtime/protocol.ts). Each receives
 * a completion token; a hook that answers PENDING (only where the table allows: prepare, suspend,
 * resume, reprobe; and the runtime hooks runtimeSuspend, runtimeResume) must later call
 * `port.complete(token, status)` exactly once. A token names one stage run, so
 * a completion that arrives after a timeout is ignored safely. A hook a driver leaves out answers OK
 * and costs no call.
 *
 * Contract (Zephyr subsys/pm, Linux dpm): a hook only acts and answers; the runtime changes the
 * device's state, and only after OK. A hook that answers an error leaves its device as it was; the
 * runtime rolls back only devices that advanced. NoIrq hooks run with IRQs masked on one CPU and must
 * be synchronous. Nothing here may allocate after boot.
 */
export interface PmHooks {
  /** S1: reserve what suspend needs (the runtime reserves the declared state area and blocks first). */
  prepare?(token: number): number;
  /** S2: gate the request queue, finish in-flight I/O; may save state (a hibernate image is written in S2). */
  suspend?(token: number): number;
  /** S3, IRQs masked: lowest power state. Synchronous. */
  powerOffNoIrq?(token: number): number;
  /** R1, IRQs masked: power up, restore configuration, clear stale interrupt status. Synchronous. */
  powerOnNoIrq?(token: number): number;
  /** R2: reopen the queue, serve parked requests in order. */
  resume?(token: number): number;
  /**
   * Between attempts, only while the device is failed: re-initialise the chip from scratch (reset,
   * identify, configure). OK makes the device active again and reopens its queues; an error keeps it
   * failed and the runtime tries again later (capped backoff). May answer PENDING.
   */
  reprobe?(token: number): number;
  /**
   * Runtime PM, the system awake (docs/design.md "Device runtime PM"): the device is idle (usage 0, no
   * active consumer, its autosuspend delay over): gate its queue, enter its low-power state (share the
   * S2/S3 code). OK, PENDING (budget: the device's S2 budget) or an error (it stays active; tried
   * again after the delay). Implement both runtime hooks or neither; without them the device never runtime-suspends.
   */
  runtimeSuspend?(token: number): number;
  /** Runtime PM: someone needs the device (a get): power up, restore, reopen the queue (share the R1/R2 code). May answer PENDING; an error fails the device. Budget: its R2 budget. */
  runtimeResume?(token: number): number;
}

/**
 * A device as a board declares it (plain data plus its hooks). Read once by `register`, which refuses
 * (keeping nothing) a key not listed here, a name the console cannot type, a hook name on `hooks` that
 * is not a function, and a number out of range (runtime/spec-check.ts).
 */
export interface DeviceSpec {
  /** Unique device name (console, trace, errors; `parent` and `needs` refer to it): printable ASCII without spaces (0x21-0x7e). */
  name: string;
  /** The driver's hooks (usually the driver itself: other members are its own); missing ones answer OK, present ones must be functions. */
  hooks: PmHooks;
  /** The bus or device this one hangs off: it suspends after and resumes before this device. */
  parent?: string;
  /** Other devices this one does I/O through; same ordering as a parent. */
  needs?: readonly string[];
  /** ROLE_STORAGE | ROLE_WAKE. */
  roles?: number;
  /**
   * The device's IRQ line. With ROLE_WAKE it is marked wake-capable at seal and `port.wakeEvent()` raises
   * it; without, it only names this device as the waking one when a line the board made a wake source ends a suspend.
   */
  wakeLine?: number;
  /** Time budget in microseconds for each PENDING stage of this device; defaults from the board. */
  budgetUs?: number;
  /** Per-stage overrides of `budgetUs` (a display's sleep-out needs 120 ms, a flash erase 400 ms, a PIR's re-probe its 30 s stability time). */
  stageBudgetUs?: {
    /** S1 budget, µs. */ prepare?: number;
    /** S2 budget, µs. */ suspend?: number;
    /** R2 budget, µs. */ resume?: number;
    /** Re-probe budget, µs. */ reprobe?: number;
  };
  /** Bytes of state-save area reserved in S1 from the state arena. */
  stateBytes?: number;
  /** Request blocks reserved in S1 from the block pool (per-request buffers while suspending). */
  requestBlocks?: number;
  /** Runtime PM: after a putAutosuspend brings its usage to 0, the device runtime-suspends after this many ms (Linux autosuspend_delay_ms); absent: only `put` suspends it. */
  autosuspendMs?: number;
  /** What this device adds to a suspend and to a resume, microseconds (the idle governor adds them to each state's latency). */
  suspendCostUs?: number;
  /** What this device adds to a resume, microseconds (see `suspendCostUs`). */
  resumeCostUs?: number;
}

/** Board-level sizes: every table in the runtime is created once from these. */
export interface PmConfig {
  /** The board file, named in every boot-time error (e.g. "boards/esp32-devkitc"). */
  board: string;
  /** Most devices `register` accepts. */
  maxDevices: number;
  /** Bytes of the state arena for the devices' state-save areas: at least the sum of the drivers' `stateBytes`. The runtime's header (the flight record, the hibernate image's member bits) is added on top. */
  stateArenaBytes: number;
  /** Blocks in the request block pool. */
  blockCount: number;
  /** Bytes per request block. */
  blockSize: number;
  /** IRQ lines of the controller (lines 0 .. irqLines - 1). */
  irqLines: number;
  /** Records the trace ring holds (the oldest are overwritten). */
  traceRecords: number;
  /** Default per-device budget for PENDING stages, microseconds. */
  defaultBudgetUs: number;
  /** Hold time for TEST_DEVICES and TEST_PLATFORM, microseconds. */
  testHoldUs: number;
  /** How many recent failures stats keep. */
  failureHistory: number;
  /** How many past suspend attempts the flight recorder keeps (default 8); it heads the state arena's buffer, on top of `stateArenaBytes`: 16 bytes plus 136 per record (1,104 at 8). */
  flightRecords?: number;
  /** First re-probe of a failed device after this long (default 1 s; the first one runs at the next idle moment), doubling up to `reprobeCapUs` (default 5 min). */
  reprobeFirstUs?: number;
  /** What reaches the trace ring: 2 every hook (default, the timeline's lanes), 1 stages and failures only, 0 nothing. */
  traceLevel?: number;
  /** Longest delay between re-probes of a failed device, microseconds (default 5 min). */
  reprobeCapUs?: number;
  /** Application PM locks `pm.locks.create` may make (default 8); every device gets one more for `port.lock()`. */
  maxLocks?: number;
  /** Idle states the governor may enter, shallowest first, with the board's latencies and break-even (docs/idle-policy.md). */
  states?: readonly IdleState[];
  /** The idle governor: off unless `enabled` (docs/idle-policy.md). */
  governor?: GovernorConfig;
}
