// What the stage engine tells its owner (the sequencer): one call per stage end, one per device given up on.

/** What the stage engine reports to (the power manager): the end of a stage, through one method. */
export interface EngineOwner {
  /**
   * `stage` ended. Suspend direction: `device` and `status` name the first failure (-1, OK if none).
   * Resume direction: the first device that failed and its status (the rest resumed).
   */
  stageEnded(stage: number, device: number, status: number): void;
  /** The engine stopped waiting for `device` in `stage` (TIMEOUT) or marked it failed (its resume error). */
  gaveUp(device: number, stage: number, status: number): void;
}
