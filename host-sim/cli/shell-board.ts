// What the Node shell needs from a simulated board: time, the console UART, the button, wakes, faults, energy.
import type { PowerManager } from "../../runtime/pm";
import type { FaultMode, FaultStage, WakeSource } from "./scenario";

/** The virtual clock as the shell drives it (host-sim/core VirtualClock satisfies it). */
export interface ShellClock {
  now(): number;
  /** Earliest armed deadline (absolute us) or Infinity. */
  nextDeadline(): number;
  /** Fires every timer due up to `target` (absolute us), then sets now() to it. */
  runUntil(target: number): number;
}

export interface ShellEnergy {
  /** Charge drawn since boot, microcoulombs. */
  chargeUc(): number;
  averageUa(): number;
  presentUa(): number;
  batteryLifeHours(capacityMah: number): number;
  elapsedUs(): number;
}

/**
 * The seam between the shell and host-sim/board: the shell (interactive and scenarios) only talks to
 * this, so the same code path runs in the CLI and in tests. Methods that can be refused answer a
 * message naming the problem and the fix, or null when done.
 */
export interface ShellBoard {
  readonly name: string;
  readonly clock: ShellClock;
  readonly pm: PowerManager;
  readonly energy: ShellEnergy | null;
  /** Longest line the firmware console accepts (bytes, without the newline); 0 if unknown. */
  readonly consoleLineMax: number;
  /** Whether a button model sits behind the board's "button" device (`press` and the button key need one). */
  readonly hasButton: boolean;
  /** How long a `suspend test=...` hold lasts before the board resumes by itself (pm.testHoldUs), us. */
  readonly testHoldUs: number;
  /**
   * Bytes the firmware's console holds in its own TX buffer, not yet handed to the UART: from the
   * console's S3 to its R1 its output waits there (the UART is off), so at a sleep these are the lines
   * the terminal has not seen yet.
   */
  consoleBacklog(): number;
  /** Bytes in the console UART's TX FIFO or on the wire: handed to the hardware, not yet at the terminal. */
  serialInFlight(): number;
  /** Bytes into the firmware console's RX (through the simulated UART). */
  typeSerial(data: string | Uint8Array): void;
  /** Typed bytes not yet delivered into the UART (the terminal paces them at the baud rate). */
  serialPending(): number;
  /** What the firmware transmitted since the last call (UTF-8 decoded). */
  takeSerial(): string;
  /** Closes the button's contact; only when `hasButton`. */
  pressButton(): void;
  releaseButton(): void;
  wake(source: WakeSource): string | null;
  /** The sleep the board is in ("standby", "hibernate"), or null while awake. */
  asleep(): string | null;
  /** A wake was raised and the chip is in its wake latency: asleep() still names the sleep, but it ends by itself. */
  waking(): boolean;
  /** The wake sources that can end the present sleep (the board definition's, hibernate-capable ones in deep sleep). */
  wakers(): WakeSource[];
  fault(device: string, stage: FaultStage, mode: FaultMode): string | null;
  /**
   * Level of a GPIO given by number or by a device's name (its `pin` option, e.g. `led`): 0 or 1,
   * or a message naming the pins and devices there are.
   */
  pinLevel(pin: string): number | string;
  /** Name of a wake cause (IRQ line or WAKE_* code) as `expect-wake` spells it: button, uart, timer, or another word. */
  wakeName(cause: number): string;
}
