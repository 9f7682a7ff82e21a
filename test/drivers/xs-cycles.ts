// XS fixture: every DevKitC driver busy through standby cycles, S3 rollbacks and button sleep/wake (measured in a real XS engine).
import { BusyBoard } from "./busy-board";

const board = new BusyBoard({ seed: 3 });

export const commands: Record<string, (n: number) => number> = {
  /** n iterations; returns suspend outcomes OK so far * 1000 + failed (rolled back) so far. */
  cycles(n) {
    for (let k = 0; k < n; k++) board.cycle();
    return board.ok * 1000 + board.failed;
  },
  completions() {
    return board.completions;
  },
  violations() {
    return board.sim.violations.list.length;
  },
};
