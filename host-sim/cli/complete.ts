// Tab completion for the interactive shell: firmware commands, shell verbs, their arguments and the board's device names.
import { FAULT_MODES, FAULT_STAGES, WAKE_SOURCES } from "./scenario";

/** The firmware console's commands (drivers/uart-console words) and the shell's own verbs. */
const COMMANDS = ["help", "status", "devices", "stats", "trace", "suspend", "recover", "locks", "policy", "rpm", "press", "wake", "fault", "time", "quit"];

/**
 * Words that complete the last (possibly empty) word of `line`, in a fixed order. Arguments follow
 * each command's grammar: `fault DEVICE STAGE MODE`, `wake SOURCE`, `suspend [target] [test=...]`.
 */
export function completions(line: string, devices: readonly string[], hasButton = true): string[] {
  const words = line.split(" ");
  const last = words[words.length - 1];
  const before = words.slice(0, -1).filter((w) => w !== "");
  let options: readonly string[];
  if (before.length === 0) options = hasButton ? COMMANDS : COMMANDS.filter((c) => c !== "press");
  else {
    const cmd = before[0];
    const n = before.length;
    if (cmd === "fault") options = n === 1 ? devices : n === 2 ? FAULT_STAGES : n === 3 ? FAULT_MODES : [];
    else if (cmd === "wake") options = n === 1 ? WAKE_SOURCES.filter((w) => hasButton || w !== "button") : [];
    else if (cmd === "suspend") options = ["standby", "hibernate", "test=devices", "test=platform"].filter((w) => before.indexOf(w) < 0);
    else if (cmd === "trace") options = n === 1 ? ["all", "dump"] : [];
    else if (cmd === "recover") options = n === 1 ? devices : [];
    else options = [];
  }
  return options.filter((o) => o.startsWith(last));
}
