// Stats: outcome counts, failures per stage, the last K failures (device, stage, status), wake cause, durations.
import { STAGE_COUNT } from "./status";

/**
 * Everything a firmware engineer asks after a failed suspend (Linux's suspend_stats): which device,
 * which stage, what status, and how long each device spent in each stage. Fixed tables sized at boot.
 */
export class PmStats {
  attempts = 0;
  successes = 0;
  failures = 0;
  busyRefusals = 0;
  wakeAborts = 0;
  timeouts = 0;
  lateCompletions = 0;
  resumeFailures = 0;
  /**
   * Interrupt events the board could not post because its event queue was full (Moddable's
   * task.queueLength): the board's IRQ source adds them here, since a full queue silences a pin.
   */
  irqQueueOverflows = 0;
  /** Deepest the board's event queue has been, in entries (reported by the board's IRQ source). */
  irqQueueMaxDepth = 0;
  readonly failuresPerStage: Uint32Array;
  /** Last wake cause: IRQ line (>= 0) or a WAKE_* code; and when (us). */
  lastWakeCause = -1;
  lastWakeTime = 0;
  /** Driver give-up listeners and request completion callbacks that threw (caught at the runtime's boundary). */
  listenerFaults = 0;
  /** Hook answers (or completions) that were no status of the table, and the last one: device, stage, kind (BAD_*), value. */
  protocolErrors = 0;
  badAnswerDevice = -1;
  badAnswerStage = -1;
  badAnswerKind = 0;
  badAnswerNumber = 0;
  badAnswerTime = 0;
  /** Outcome of the last attempt: OK or the failing status. */
  lastOutcome = 0;
  readonly historySize: number;
  readonly failDevice: Int16Array;
  readonly failStage: Int8Array;
  readonly failStatus: Int16Array;
  readonly failTime: Float64Array;
  failTotal = 0;
  /** Per device per stage (index device * STAGE_COUNT + stage), microseconds (a hook never runs 35 minutes). */
  readonly lastDuration: Int32Array;
  readonly maxDuration: Int32Array;
  /** Duration of each stage as a whole in the last attempt. */
  readonly stageDuration: Float64Array;

  constructor(maxDevices: number, historySize: number) {
    this.failuresPerStage = new Uint32Array(STAGE_COUNT);
    this.historySize = historySize;
    this.failDevice = new Int16Array(historySize);
    this.failStage = new Int8Array(historySize);
    this.failStatus = new Int16Array(historySize);
    this.failTime = new Float64Array(historySize);
    this.lastDuration = new Int32Array(maxDevices * STAGE_COUNT);
    this.maxDuration = new Int32Array(maxDevices * STAGE_COUNT);
    this.stageDuration = new Float64Array(STAGE_COUNT);
  }

  recordFailure(time: number, device: number, stage: number, status: number): void {
    const slot = this.failTotal % this.historySize;
    this.failDevice[slot] = device;
    this.failStage[slot] = stage;
    this.failStatus[slot] = status;
    this.failTime[slot] = time;
    this.failTotal++;
    this.failuresPerStage[stage]++;
  }

  recordDuration(device: number, stage: number, us: number): void {
    const i = device * STAGE_COUNT + stage;
    this.lastDuration[i] = us;
    if (us > this.maxDuration[i]) this.maxDuration[i] = us;
  }

  /** Slot of the i-th most recent failure (0 = newest), or -1. */
  failureSlot(i: number): number {
    if (i >= this.failTotal || i >= this.historySize) return -1;
    return (this.failTotal - 1 - i) % this.historySize;
  }
}
