// The board-supplied platform: time, the one runtime timer, real interrupt masking and platform sleep.

/**
 * What the runtime needs from a board. On ESP32 a native module implements it (critical section,
 * esp_light_sleep_start); in host-sim the virtual clock does. Every method is called with numbers
 * only, so implementations can stay allocation-free.
 */
export interface Platform {
  /** Monotonic time in microseconds. */
  now(): number;
  /** Creates a one-shot timer bound to `callback` once, at boot. Returns a handle for schedule/cancel. */
  createTimer(callback: () => void): number;
  /** (Re)arms timer `handle` to fire once after `delayUs`. Must not allocate (Timer.schedule on XS). */
  schedule(handle: number, delayUs: number): void;
  /** Disarms timer `handle` (no-op if it is not armed). */
  cancel(handle: number): void;
  /** Masks real interrupts (ESP32: enters the critical section). */
  maskInterrupts(): void;
  /** Unmasks real interrupts (ESP32: leaves the critical section). */
  unmaskInterrupts(): void;
  /** Holds the other CPU so NoIrq stages run on one core (ESP32: esp_ipc_isr_stall_other_cpu). */
  enterSingleCpu(): void;
  /** Releases the other CPU held by `enterSingleCpu`. */
  leaveSingleCpu(): void;
  /**
   * Enters platform sleep with IRQs masked. `target` is T_STANDBY or T_HIBERNATE; `test` is TEST_PLATFORM
   * to hold `holdUs` instead of sleeping. Returns the wake cause (>= 0 IRQ line, or a WAKE_* code) if it
   * woke synchronously (ESP32 light sleep), or -1 (WAKE_NONE) if it will call the wake callback later.
   */
  sleep(target: number, test: number, holdUs: number): number;
  /** Registered once at boot: the platform calls it when an asynchronous sleep ends. */
  setWakeCallback(callback: (cause: number) => void): void;
  /**
   * Optional: the earliest armed timer made with `createTimer` (absolute µs), or -1 when none is armed.
   * The idle governor takes it as a deadline (host-sim: the virtual clock's slots; ESP32: the due times
   * the platform keeps for its timers). Timers the application makes elsewhere register through `pm.nextDeadline`.
   */
  nextDeadline?(): number;
  /**
   * Optional: the next sleep (standby or hibernate) wakes by timer at absolute time `timeUs` (-1: no
   * such wake; the board's own timer wake, if any, applies). Used once by that sleep; the governor sets it.
   */
  wakeAt?(timeUs: number): void;
}
