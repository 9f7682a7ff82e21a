// The timeline users see: the simulated ESP32 DevKitC driven through the shell's Session (three suspends: ok, S2 rollback, R2 failure).
import { bootShellBoard } from "../../host-sim/cli/devkitc";
import { Session } from "../../host-sim/cli/session";
import { attachVizToBoard } from "../../host-sim/viz/collect";
import type { TimelineModel } from "../../host-sim/viz/model";

/**
 * As a user would type it: `suspend standby` woken by the button, then `fault bme280 S2 fail` and a
 * suspend that rolls back, then `fault flash R2 fail` and a suspend whose resume marks flash failed.
 */
export function devkitcTimeline(): { model: TimelineModel; session: Session } {
  const board = bootShellBoard({ seed: 1 });
  const viz = attachVizToBoard(board.sim, { energy: board.sim.energy, wakeName: (c) => board.wakeName(c), title: board.name });
  const s = new Session(board, 2000);
  const outcomes = (): number => s.serialLog.split(/suspend (ok|failed)/).length;
  const attempt = (before: string | null, wake: boolean): void => {
    if (before !== null) s.verb(before);
    const seen = outcomes();
    s.sendLine("suspend standby");
    s.advance(3_000_000, () => s.board.asleep() !== null || outcomes() > seen);
    if (wake && s.board.asleep() !== null) {
      s.advance(300_000);
      s.wake("button");
    }
    s.advance(3_000_000, () => outcomes() > seen && s.serialLog.endsWith("> "));
    s.advance(200_000);
  };
  s.advance(100_000);
  attempt(null, true);
  attempt("fault bme280 S2 fail", false);
  s.verb("fault bme280 S2 none");
  attempt("fault flash R2 fail", true);
  return { model: viz.finish(), session: s };
}
