// A driver conformance case: the simulated board to run on, the device, what a cycle must restore, how to load it with work and requests.
import { SimBoard, type SimBoardOptions } from "../board/sim-board";
import type { SimBoardWiring } from "../boards/esp32-devkitc";

/** A board the suite can drive: the simulated board plus where it keeps its suspend outcomes. */
export interface CaseBoard {
  /** The booted simulated board. */
  sim: SimBoard;
  /** Every suspend outcome (status), in order. */
  outcomes: number[];
  /** Final statuses of the requests `DriverCase.submit` issued, in completion order. */
  completed: number[];
}

/** One driver under test: how to make its board, what a cycle must restore, how to load it. */
export interface DriverCase {
  /** Device name on the board. */
  device: string;
  /** A fresh booted board, settled (init done). */
  make(): CaseBoard;
  /** Puts the device to work before a suspend (so S2 has something to finish). */
  exercise?(b: CaseBoard): void;
  /** Observable state of the chip/driver that a full cycle must restore exactly. */
  snapshot(b: CaseBoard): number[];
  /** Chip power-cycle while the board is suspended (models' reset), if the device has a chip model. */
  chipReset?: boolean;
  /** Submits one request on the device's queue (its completion lands in `completed`); absent for devices without one. */
  submit?(b: CaseBoard): number;
  /**
   * Uses a device that has no request queue (a brightness write): what wakes it from runtime suspend in
   * the runtime-PM checks, which then compare `snapshot` with the state before.
   */
  use?(b: CaseBoard): void;
  /** A "nak" chip fault on the device's model makes its re-probe fail (the driver can see the chip is gone). */
  brokenChip?: boolean;
}

/**
 * A booted SimBoard on `wiring`, its outcomes recorded, advanced 10 ms (drivers' boot work done). Pass
 * your own driver table in `options.drivers` when the board names a driver quiesce does not ship.
 */
export function makeCaseBoard(wiring: SimBoardWiring, options: SimBoardOptions = {}): CaseBoard {
  const sim = new SimBoard(wiring, Object.assign({ seed: 1 }, options));
  const outcomes: number[] = [];
  sim.onDone((s) => outcomes.push(s));
  sim.advance(10_000);
  return { sim, outcomes, completed: [] };
}
