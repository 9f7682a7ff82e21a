// Command-line options of the simulator shell, with an error naming the bad option and the fix.
import { KEY_PRESS, parseButtonKey } from "./keys";
import { parseDuration } from "./scenario";

export interface CliOptions {
  scenarios: string[];
  batteryMah: number;
  /** Host-side trace view in addition to the firmware's progress lines. */
  trace: "off" | "on" | "all";
  /** Virtual seconds per real second while interactive. */
  speed: number;
  /** "auto": colours when stdout is a TTY. */
  colour: "auto" | "always" | "never";
  /** Scenario mode: print only step results and failures, not the serial output. */
  quiet: boolean;
  seed: number;
  /** RTC timer wake armed before every sleep, us (0: off). */
  timerWakeUs: number;
  /** Write the timeline of the run as one self-contained HTML page / Chrome trace JSON (Perfetto). */
  html: string | null;
  perfetto: string | null;
  /** Byte of the key that presses the BOOT button while interactive. */
  buttonKey: number;
  help: boolean;
}

export const USAGE = [
  "usage: npm start -- [options]                      interactive simulator (ESP32 DevKitC)",
  "       npm start -- --scenario FILE [--scenario FILE ...]   run scenarios, exit 0 pass / 1 fail / 2 bad file",
  "options:",
  "  --scenario FILE     run a scenario (YAML subset, see host-sim/scenarios/README.md); repeatable",
  "  --battery-mah N     battery capacity for the life estimate (default 2000)",
  "  --trace [all]       also print the host-side trace view (all: every record)",
  "  --speed X           virtual seconds per real second while interactive (default 1)",
  "  --color / --no-color   force colours on or off (default: on when stdout is a TTY)",
  "  --quiet             scenarios: only steps and results, no serial output",
  "  --timer-wake T      arm the RTC timer wake before every sleep (e.g. 10s): a duty cycle for battery estimates",
  "  --button-key KEY    key that presses the BOOT button (default ctrl-b, tmux's prefix; e.g. ctrl-g)",
  "  --seed N            seed of the simulation's random source (button bounce); default 1",
  "  --html FILE         write the run's timeline as one self-contained HTML page (last scenario if several)",
  "  --perfetto FILE     write the run's trace as Chrome trace JSON for ui.perfetto.dev",
  "  --help",
];

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { scenarios: [], batteryMah: 2000, trace: "off", speed: 1, colour: "auto", quiet: false, seed: 1, timerWakeUs: 0, html: null, perfetto: null, buttonKey: KEY_PRESS, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (what: string): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(a + " needs " + what);
      return v;
    };
    const number = (what: string, min: number): number => {
      const v = value(what);
      const n = Number(v);
      if (!Number.isFinite(n) || n < min) throw new UsageError(a + " " + v + " is not a number >= " + min + "; e.g. " + a + " " + (min > 0 ? 2000 : 1));
      return n;
    };
    if (a === "--scenario") o.scenarios.push(value("a scenario file, e.g. host-sim/scenarios/suspend-console.yaml"));
    else if (a.startsWith("--scenario=")) o.scenarios.push(a.slice(11));
    else if (a === "--battery-mah") o.batteryMah = number("a capacity in mAh", 1);
    else if (a === "--trace") {
      o.trace = "on";
      if (argv[i + 1] === "all") {
        o.trace = "all";
        i++;
      }
    } else if (a === "--speed") o.speed = number("virtual seconds per real second", 0.000001);
    else if (a === "--color" || a === "--colour") o.colour = "always";
    else if (a === "--no-color" || a === "--no-colour") o.colour = "never";
    else if (a === "--quiet" || a === "-q") o.quiet = true;
    else if (a === "--seed") o.seed = number("an integer seed", 0);
    else if (a === "--timer-wake") {
      const v = value("a duration, e.g. 10s");
      const us = parseDuration(v);
      if (us === null || us <= 0) throw new UsageError("--timer-wake " + v + " is not a duration; write e.g. 500ms or 10s");
      o.timerWakeUs = us;
    } else if (a === "--html") o.html = value("an output file, e.g. out.html");
    else if (a === "--perfetto") o.perfetto = value("an output file, e.g. trace.json");
    else if (a === "--button-key") {
      try {
        o.buttonKey = parseButtonKey(value("a control key, e.g. ctrl-g"));
      } catch (e) {
        throw new UsageError("--button-key: " + (e as Error).message);
      }
    } else if (a === "--help" || a === "-h") o.help = true;
    else if (!a.startsWith("-") && /\.ya?ml$/.test(a)) o.scenarios.push(a);
    else throw new UsageError("unknown option `" + a + "`; see --help");
  }
  return o;
}
