// The UART driver's face to the application on top of it: what the app writes to, reads from and is called back on.
import type { TxRing } from "../uart-console/tx-ring";
import type { LineInput } from "../uart-console/line-input";

/**
 * What a console application (console/) implements. The driver calls it only from its own service
 * loop and timers, never from inside a PM hook, and only while the console is open (between its R2
 * and its next S2): an application never runs while the runtime is in a stage on this device.
 */
export interface ConsoleClient {
  /** One unit of application work (read a line, reply, step a report); false when it must wait for TX room or input. */
  step(): boolean;
  /** The settle delay asked for with `settle()` passed: the rest of the line ending has been read. */
  settled(): void;
  /**
   * A UART wake's broken line was dropped (wake-resync.ts): `fragment[0..length)` is what it held,
   * `cut` says more was dropped. Ended by CR/LF or by `resyncQuietUs` of silence (then often empty).
   */
  wakeDiscarded(fragment: Uint8Array, length: number, cut: boolean): void;
  /** Something threw inside `step`: the driver dropped the line in progress; the app drops its own work and says so. */
  recover(): void;
}

/**
 * What the application uses of the driver (implemented by `UartConsole`). Output: bytes written to
 * `ring` reach the UART as its FIFO has room, and wait in the ring while the UART is off (S3 to R1).
 * Input: `input` holds one complete line at a time. Nothing here exposes the serial port, the power
 * hooks or the runtime's port.
 */
export interface ConsoleIo {
  /** The TX ring: the only place the application writes. */
  readonly ring: TxRing;
  /** Complete input lines (the line discipline (echo, erase, wake resync) is the driver's). */
  readonly input: LineInput;
  /** True while a UART wake's broken line is being dropped: the driver's client prints the prompt when it ends. */
  readonly resyncing: boolean;
  /** Boot: the application, once. */
  bind(client: ConsoleClient): void;
  /** Runs the service loop now (from an application callback that is not inside a runtime call). */
  service(): void;
  /** Runs the service loop from a 0 µs timer (from inside a runtime callback: the done report). */
  kick(): void;
  /** Output was added outside the service loop (a trace listener, inside the runtime): hand what fits to the UART now. */
  flush(): void;
  /** Calls the client's `settled` once `settleUs` (board option) has passed, so a line's trailing LF is read first. */
  settle(): void;
  /** Exceptions caught at the driver's boundary (service loop, timers). */
  readonly faults: number;
}
