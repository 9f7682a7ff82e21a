// The shell verbs the CLI handles itself (press, wake, fault, time, quit): parsing a line into a Session call and the answer to show.
import { phaseName } from "./progress";
import {
  FAULT_MODES, SYNC_STAGES, WAKE_SOURCES, faultStage, faultStageHelp, lateCannotApply, type FaultMode, type WakeSource,
} from "./scenario";
import { show } from "./scenario-yaml";
import type { Session } from "./session";

/** How long `press` holds the button: past the driver's 20 ms debounce, well short of its 1 s long press. */
export const PRESS_HOLD_US = 100_000;

/** Answer of a shell verb: a message for the screen (null: nothing to say) and whether it was an error. */
export interface VerbResult {
  text: string | null;
  error: boolean;
  quit?: boolean;
}

/** Shell verbs the CLI intercepts before the firmware sees the line (also listed in the banner); shellHelp() fits them to a board. */
export const SHELL_HELP = [
  "press                         press and release the BOOT button (bounce included)",
  "wake button|uart|timer        raise a wake source",
  "fault DEVICE STAGE MODE       inject a hook fault; STAGE a hook or its label (prepare|S1, suspend|S2,",
  "                              powerOffNoIrq|S3, powerOnNoIrq|R1, resume|R2, runtime PM: runtimeSuspend|RS,",
  "                              runtimeResume|RR), MODE fail|hang|late|throw (none clears)",
  "time                          virtual time and board phase",
  "quit                          leave (Ctrl-D / Ctrl-C too)",
];

const SHELL_VERBS = ["press", "wake", "fault", "time", "quit", "exit"];

/**
 * SHELL_HELP for `session`'s board: without a button, `press` is marked unavailable and `wake` lists
 * the sources the board has.
 */
export function shellHelp(session: Session): string[] {
  if (session.board.hasButton) return SHELL_HELP;
  const wakers = session.board.wakers().filter((w) => w !== "button").join("|");
  return SHELL_HELP.map((l) => l.startsWith("press ") ? "press                         (unavailable: this board has no button; type `suspend`)" :
    l.startsWith("wake ") ? ("wake " + wakers).padEnd(30) + l.slice(30) : l);
}

/** What an armed fault will do, as the confirmation says it. */
const FAULT_EFFECT: { [mode: string]: string } = {
  fail: "will fail with IO (the driver is not called)",
  hang: "will hang (answers PENDING, never completes: the stage budget expires)",
  late: "will answer late (after the stage budget expires); a hook that answers PENDING anyway is unchanged",
  throw: "will throw (the runtime catches it as THREW)",
};

/** True if the line starts with a shell verb (the CLI handles it; the firmware never sees it). */
export function isShellVerb(line: string): boolean {
  const w = line.trim().split(/\s+/)[0];
  return SHELL_VERBS.indexOf(w) >= 0;
}

/** Runs a shell verb line on `session`. */
export function runVerb(session: Session, line: string): VerbResult {
  // The typed line keeps its bytes as latin1 (for the firmware's RX): read back as UTF-8 for names and messages.
  const words = Buffer.from(line.trim(), "latin1").toString("utf8").split(/\s+/);
  const v = words[0];
  const args = words.slice(1);
  switch (v) {
    case "press":
      if (args.length > 0) return usage("press takes no arguments (it presses the one BOOT button)");
      {
        const err = session.press();
        if (err !== null) return usage(err);
      }
      return { text: "button pressed (released in " + PRESS_HOLD_US / 1000 + " ms virtual)", error: false };
    case "wake": {
      if (args.length !== 1 || (WAKE_SOURCES as readonly string[]).indexOf(args[0]) < 0) {
        const sources = session.board.hasButton ? WAKE_SOURCES : WAKE_SOURCES.filter((w) => w !== "button");
        return usage("usage: wake " + sources.join("|") + (args.length > 0 ? " (not " + show(args.join(" ")) + ")" : ""));
      }
      const err = session.wake(args[0] as WakeSource);
      return err !== null ? usage(err) : { text: "wake " + args[0] + " raised", error: false };
    }
    case "fault":
      return faultVerb(session, args);
    case "time":
      if (args.length > 0) return usage("time takes no arguments (it prints the virtual time and the board phase)");
      return { text: "virtual time " + (session.now() / 1e6).toFixed(6) + " s, phase " + phaseName(session.board.pm.phase), error: false };
    case "quit":
    case "exit":
      return { text: null, error: false, quit: true };
    default:
      return usage("unknown shell command " + show(v));
  }
}

function faultVerb(session: Session, args: string[]): VerbResult {
  const use = "usage: fault DEVICE STAGE MODE, STAGE " + faultStageHelp() + ", MODE " + FAULT_MODES.join("|");
  if (args.length !== 3) return usage(use);
  const stage = faultStage(args[1]);
  if (stage === null) return usage("stage " + show(args[1]) + " is unknown; " + use);
  if ((FAULT_MODES as readonly string[]).indexOf(args[2]) < 0) return usage("mode " + show(args[2]) + " is unknown; " + use);
  const mode = args[2] as FaultMode;
  if (mode === "late" && SYNC_STAGES.indexOf(stage) >= 0) return usage(lateCannotApply(stage));
  const err = session.fault(args[0], stage, mode);
  if (err !== null) return usage(err);
  return { text: mode === "none" ? "fault cleared: " + args[0] + " " + stage : "fault armed: " + args[0] + " " + stage + " " + FAULT_EFFECT[mode], error: false };
}

function usage(text: string): VerbResult {
  return { text, error: true };
}
