// Stats: outcome counts, failures per stage, the last K failures (device, stage, status), wake cause, durations.
import { STAGE_COUNT, THREW, PROTOCOL, isIndex } from "./status";

/** What a bad answer was (stats.badAnswerKind): the console words it ("led suspend answered undefined"). */
export const BAD_UNDEFINED = 1;
export const BAD_BOOLEAN = 2;
/** A number that is not an integer (1.5, NaN, Infinity). */
export const BAD_FRACTION = 3;
/** An integer that is no status of the table (70000, -1). */
export const BAD_RANGE = 4;
/** A string, an object, a Promise (an async hook). */
export const BAD_OTHER = 5;
/** PENDING from a stage that must answer at once (S3, R1: IRQs masked). */
export const BAD_PENDING = 6;
/** It completed its own token inside the call, then answered a status instead of PENDING (`badAnswerNumber` is that status). */
export const BAD_COMPLETED = 7;

/**
 * Everything a firmware engineer asks after a failed suspend (Linux's suspend_stats): which device,
 * which stage, what status, and how long each device spent in each stage. Fixed tables sized at boot.
 */
export class PmStats {
  // Written per hook: first, since XS finds a property by walking the slots in order.
  /**
   * Each hook's last duration, µs (a hook never runs 35 minutes), by stage then device: `lastByStage[stage][device]`.
   * One view per stage over `lastDuration` (index stage * maxDevices + device), made at boot: the walk takes
   * its stage's view once and indexes it by device, one multiply less per hook than a device-major table.
   */
  readonly lastByStage: readonly Int32Array[];
  /** Longest duration seen, µs: `maxByStage[stage][device]`, views over `maxDuration`. */ readonly maxByStage: readonly Int32Array[];
  /** The table under `lastByStage` (index stage * maxDevices + device). */ readonly lastDuration: Int32Array;
  /** The table under `maxByStage`. */ readonly maxDuration: Int32Array;
  /** Suspend attempts started (a boot from a hibernate image counts its attempt again). */ attempts = 0;
  /** Attempts that ended OK. */ successes = 0;
  /** Attempts that failed in a suspend stage (a hook's error or a wake) and rolled back. */ failures = 0;
  /** `suspend` calls refused with BUSY because an attempt was in progress. */ busyRefusals = 0;
  /** Attempts a wake aborted before the platform slept. */ wakeAborts = 0;
  /** Hooks that outlived their budget (TIMEOUT). */ timeouts = 0;
  /** Completions that arrived after a timeout, twice, or with a stale token (ignored). */ lateCompletions = 0;
  /** Resume-direction hooks that failed (the device was marked failed, the rest resumed). */ resumeFailures = 0;
  /**
   * Interrupt events the board could not post because its event queue was full (Moddable's
   * task.queueLength): the board's IRQ source adds them here, since a full queue silences a pin.
   */
  irqQueueOverflows = 0;
  /** Deepest the board's event queue has been, in entries (reported by the board's IRQ source). */
  irqQueueMaxDepth = 0;
  /** Failures per stage (index: stage), rollbacks and resume failures alike. */ readonly failuresPerStage: Uint32Array;
  /** Last wake cause: IRQ line (>= 0) or a WAKE_* code; and when (us). */
  lastWakeCause = -1;
  /** Platform time of the last wake (µs). */ lastWakeTime = 0;
  /** Application callbacks that threw (each caught where it is called): driver give-up listeners (the port), completion callbacks of queues registered through a port (the queue), IRQ handlers (`irq.handlerFaults`). */
  listenerFaults = 0;
  /** Hook answers (or completions) that were no status of the table, and the last one: device, stage, kind (BAD_*), value. */
  protocolErrors = 0;
  /** Device of the last bad answer, -1 none. */ badAnswerDevice = -1;
  /** Stage of the last bad answer, -1 none. */ badAnswerStage = -1;
  /** What the last bad answer was: a BAD_* code. */ badAnswerKind = 0;
  /** The last bad answer as a number (booleans as 1/0, non-numbers 0). */ badAnswerNumber = 0;
  /** When the last bad answer came (platform µs). */ badAnswerTime = 0;
  /** The failure history entry the last bad answer became (`failTotal` then), -1 until it is. */ badAnswerFailure = -1;
  /** Outcome of the last attempt: OK or the failing status. */
  lastOutcome = 0;
  /** Slots in the failure history ring (`failDevice` … `failTime`). */ readonly historySize: number;
  /** Failure history, by slot (see `failureSlot`): device. */ readonly failDevice: Int16Array;
  /** Failure history: stage. */ readonly failStage: Int8Array;
  /** Failure history: status. */ readonly failStatus: Int16Array;
  /** Failure history: when (platform µs). */ readonly failTime: Float64Array;
  /** Failures recorded since boot (the ring keeps the last `historySize`). */ failTotal = 0;
  /** Duration of each stage as a whole in the last attempt. */
  readonly stageDuration: Float64Array;
  /**
   * The last stage hook that threw: what it threw, kept as thrown (a reference: nothing is copied or
   * made), so the console can print an Error's name and message beside its THREW failure; it stays
   * alive until the next throw replaces it. Device -1: none yet.
   */
  thrownValue: unknown = undefined;
  /** Device of the last hook that threw, -1 none. */ thrownDevice = -1;
  /** Stage of the last hook that threw, -1 none. */ thrownStage = -1;
  /** The failure history entry that throw became (`failTotal` when it was recorded), -1 until it is. */ thrownFailure = -1;

  constructor(maxDevices: number, historySize: number) {
    this.failuresPerStage = new Uint32Array(STAGE_COUNT);
    this.historySize = historySize;
    this.failDevice = new Int16Array(historySize);
    this.failStage = new Int8Array(historySize);
    this.failStatus = new Int16Array(historySize);
    this.failTime = new Float64Array(historySize);
    this.lastDuration = new Int32Array(maxDevices * STAGE_COUNT);
    this.maxDuration = new Int32Array(maxDevices * STAGE_COUNT);
    // Sized once (no growth garbage at boot); views share the tables' buffers.
    const last = new Array<Int32Array>(STAGE_COUNT), max = new Array<Int32Array>(STAGE_COUNT);
    for (let s = 0; s < STAGE_COUNT; s++) {
      last[s] = this.lastDuration.subarray(s * maxDevices, (s + 1) * maxDevices);
      max[s] = this.maxDuration.subarray(s * maxDevices, (s + 1) * maxDevices);
    }
    this.lastByStage = last;
    this.maxByStage = max;
    this.stageDuration = new Float64Array(STAGE_COUNT);
  }

  /** Appends a failure to the history ring and counts it for its stage (`time` in platform µs). */
  recordFailure(time: number, device: number, stage: number, status: number): void {
    const slot = this.failTotal % this.historySize;
    this.failDevice[slot] = device;
    this.failStage[slot] = stage;
    this.failStatus[slot] = status;
    this.failTime[slot] = time;
    // The last throw's THREW failure (a suspend stage's is recorded when the stage ends, a resume stage's at once).
    if (status === THREW && this.thrownFailure < 0 && device === this.thrownDevice && stage === this.thrownStage) this.thrownFailure = this.failTotal;
    if (status === PROTOCOL && this.badAnswerFailure < 0 && device === this.badAnswerDevice && stage === this.badAnswerStage) this.badAnswerFailure = this.failTotal;
    this.failTotal++;
    this.failuresPerStage[stage]++;
  }

  /** A stage hook of `device` in `stage` threw `value`; the next THREW failure of that device and stage is its entry. */
  recordThrow(device: number, stage: number, value: unknown): void {
    this.thrownValue = value;
    this.thrownDevice = device;
    this.thrownStage = stage;
    this.thrownFailure = -1;
  }

  /** The failure in history slot `slot` is the last hook's throw (`thrownValue` is what it threw). */
  isLastThrow(slot: number): boolean { return this.holdsEntry(this.thrownFailure, slot); }
  /** The failure in history slot `slot` is the last bad answer's PROTOCOL (`badAnswerKind` says what it was). */
  isLastBadAnswer(slot: number): boolean { return this.holdsEntry(this.badAnswerFailure, slot); }
  /** Entry `k` (a `failTotal`) is still in the history, in slot `slot`. */
  private holdsEntry(k: number, slot: number): boolean { return k >= 0 && this.failTotal - k <= this.historySize && k % this.historySize === slot; }

  /**
   * A hook (or its completion) answered `value`, no status of the table, or `kind` (BAD_PENDING, BAD_COMPLETED) says
   * why it is a protocol error: counted and kept (`stage` -1: a runtime hook). Its next PROTOCOL failure is its entry.
   */
  recordBadAnswer(now: number, device: number, stage: number, value: unknown, kind: number): void {
    this.protocolErrors++;
    this.badAnswerDevice = device;
    this.badAnswerStage = stage;
    this.badAnswerKind = kind !== 0 ? kind : value === undefined ? BAD_UNDEFINED : typeof value === "boolean" ? BAD_BOOLEAN
      : typeof value !== "number" ? BAD_OTHER : (value | 0) !== value ? BAD_FRACTION : BAD_RANGE;
    this.badAnswerNumber = typeof value === "number" ? value : typeof value === "boolean" ? (value ? 1 : 0) : 0;
    this.badAnswerTime = now;
    this.badAnswerFailure = -1;
  }

  /** Keeps a hook's last and longest duration for `device` in `stage` (µs). */
  recordDuration(device: number, stage: number, us: number): void {
    const last = this.lastByStage[stage], max = this.maxByStage[stage];
    last[device] = us;
    if (us > max[device]) max[device] = us;
  }

  /** Slot of the i-th most recent failure (0 = newest), or -1 (also for an `i` that is no integer 0 .. held - 1). */
  failureSlot(i: number): number {
    if (!isIndex(i, this.failTotal < this.historySize ? this.failTotal : this.historySize)) return -1;
    return (this.failTotal - 1 - i) % this.historySize;
  }
}
