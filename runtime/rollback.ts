// The rollback walk: from the stage that failed down the cycle, the mirror of each suspend stage reached.
import type { StageEngine } from "./engine";
import { STAGES, NO_STAGE, previousStage, isStage, isSuspendStage } from "./protocol";

/**
 * Linux's dpm_resume of the devices that suspended, Zephyr's "undo what advanced": the failed stage
 * advanced only for its members that reached its state (members.ts; a stage where nothing advanced has nothing to
 * undo, and is skipped); every earlier suspend stage completed for every member. Each is undone by
 * its mirror from the protocol table, run as a stage of its own, in reverse order.
 */
export class RollbackWalk {
  private readonly engine: StageEngine;
  private stage = NO_STAGE;
  private partial = false;

  constructor(engine: StageEngine) {
    this.engine = engine;
  }

  /** The attempt failed at `stage` (or a wake interrupted the cycle before it). */
  begin(stage: number): void {
    this.stage = stage;
    this.partial = true;
  }

  /** Selects the members of the next mirror and returns its stage, or NO_STAGE when all is undone. */
  next(): number {
    while (isStage(this.stage)) {
      const stage = this.stage;
      const partial = this.partial;
      this.stage = previousStage(stage);
      this.partial = false;
      if (!isSuspendStage(stage)) continue;
      if (!partial) this.engine.members.selectAll();
      else if (this.engine.members.selectAdvanced(STAGES[stage].reaches) === 0) continue;
      return STAGES[stage].mirror;
    }
    return NO_STAGE;
  }
}
