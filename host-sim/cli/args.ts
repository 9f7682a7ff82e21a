// Command-line options of the simulator shell, with an error naming the bad option and the fix.
import { KEY_PRESS, parseButtonKey } from "./keys";
import { MAX_DURATION_US, parseDuration } from "./scenario";
import { dirname, resolve } from "path";

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
  /** wokwi-cli's run checks, applied to every scenario (or to a plain boot when no scenario is given). */
  expectText: string | null;
  failText: string | null;
  /** Virtual time limit per run, us (Infinity: none). */
  timeoutUs: number;
  /** Raw UART0 output of the run (closed with status, devices and a trace dump for viz:convert). */
  serialLog: string | null;
  /** Board: null for the DevKitC, else "moddable-two" or a board definition module's path. */
  board: string | null;
  /** Byte of the key that presses the BOOT button while interactive. */
  buttonKey: number;
  help: boolean;
}

export const USAGE = [
  "usage: npm start -- [options]                      interactive simulator (ESP32 DevKitC)",
  "       npm start -- --scenario FILE [--scenario FILE ...]   run scenarios, exit 0 pass / 1 fail / 2 bad file or flag / 3 output not written",
  "options:",
  "  --scenario FILE     run a scenario (YAML subset, see host-sim/scenarios/README.md); repeatable",
  "  --expect-text TEXT  pass once the output contains TEXT (after the steps, if any); without --scenario: boot and wait",
  "  --fail-text TEXT    fail as soon as the output contains TEXT (both: firmware serial output and [sim] lines)",
  "  --timeout T         fail a run that takes longer than T virtual (e.g. 30s, 500ms)",
  "  --battery-mah N     battery capacity for the life estimate (default 2000)",
  "  --trace [all]       also print the host-side trace view (all: every record)",
  "  --speed X           virtual seconds per real second while interactive (default 1)",
  "  --color / --no-color   force colours on or off (default: on when stdout is a TTY)",
  "  --quiet             scenarios: only steps and results, no serial output",
  "  --timer-wake T      arm the RTC timer wake before every sleep (e.g. 10s): a duty cycle for battery estimates",
  "  --button-key KEY    key that presses the BOOT button (default ctrl-b, tmux's prefix; e.g. ctrl-g)",
  "  --seed N            seed of the simulation's random source (button bounce); default 1",
  "  --board B           moddable-two, esp32-devkitc (default), or a module exporting a SimBoardWiring",
  "                      (docs/adding-a-board.md, section 4; e.g. examples/custom-driver/sim.ts)",
  "  --serial-log FILE   write UART0's output to FILE, closed with status/devices/trace dump for npm run viz:convert",
  "  --html FILE         write the run's timeline as one self-contained HTML page (last scenario if several)",
  "  --perfetto FILE     write the run's trace as Chrome trace JSON for ui.perfetto.dev",
  "  --help",
];

export class UsageError extends Error {}

/**
 * A run-wide check's text: empty text is in every output (an unset CI variable would make
 * --expect-text pass at once and --fail-text fail at once), and a second one would silently replace
 * the first, so both are refused.
 */
function checkText(flag: string, before: string | null, text: string, example: string): string {
  if (text === "") throw new UsageError(flag + " needs non-empty text (empty text is in every output); e.g. " + flag + " " + example);
  if (before !== null) {
    throw new UsageError(flag + " given twice (" + JSON.stringify(before) + ", then " + JSON.stringify(text) + "); a run checks one " + flag + ": give it once" +
      (flag === "--expect-text" ? ", and wait for the others with a scenario's wait-serial steps" : ""));
  }
  return text;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { scenarios: [], batteryMah: 2000, trace: "off", speed: 1, colour: "auto", quiet: false, seed: 1, timerWakeUs: 0, html: null, perfetto: null, buttonKey: KEY_PRESS, expectText: null, failText: null, timeoutUs: Infinity, serialLog: null, board: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    // wokwi-cli spells values with `=` too: --expect-text="ready".
    const eq = /^(--[a-z-]+)=(.*)$/s.exec(argv[i]);
    if (eq !== null && eq[1] !== "--scenario") {
      argv = argv.slice(0, i).concat([eq[1], eq[2]], argv.slice(i + 1));
    }
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
    else if (a === "--seed") {
      o.seed = number("an integer seed", 0);
      // The random source takes 32 bits: 1e30 or 1.5 would be a different seed than the one written.
      if (!Number.isInteger(o.seed) || o.seed > 0xffffffff) throw new UsageError("--seed " + argv[i] + " is not an integer 0..4294967295; e.g. --seed 7");
    }
    else if (a === "--serial-log") o.serialLog = value("an output file, e.g. uart0.log");
    else if (a === "--board") o.board = value("moddable-two, esp32-devkitc or a board definition module, e.g. host-sim/boards/my-board.ts");
    else if (a === "--expect-text") o.expectText = checkText(a, o.expectText, value("the text to wait for, e.g. \"suspend ok\""), "\"suspend ok\"");
    else if (a === "--fail-text") o.failText = checkText(a, o.failText, value("the text that fails the run, e.g. FAILED"), "FAILED");
    else if (a === "--timeout") {
      const v = value("a duration, e.g. 30s");
      const us = parseDuration(v);
      if (us === null || us <= 0) throw new UsageError("--timeout " + v + " is not a duration; write e.g. 30s or 500ms (virtual time)");
      if (us > MAX_DURATION_US) throw new UsageError("--timeout " + v + " is longer than a day; at most 86400s of virtual time, as a scenario's durations");
      o.timeoutUs = us;
    } else if (a === "--timer-wake") {
      const v = value("a duration, e.g. 10s");
      const us = parseDuration(v);
      if (us === null || us <= 0) throw new UsageError("--timer-wake " + v + " is not a duration; write e.g. 500ms or 10s");
      if (us > MAX_DURATION_US) throw new UsageError("--timer-wake " + v + " is longer than a day; at most 86400s");
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
  if (o.scenarios.length === 0 && o.failText !== null && o.expectText === null && o.timeoutUs === Infinity) {
    throw new UsageError("--fail-text without a scenario or --expect-text needs --timeout: how long to watch, e.g. --timeout 10s");
  }
  return o;
}

/**
 * The folder the user typed `npm start` in, or undefined when this process is no npm script of this
 * package: npm sets INIT_CWD, and it leaks into every process an npm script starts (a test runner, a
 * Makefile that changes folder), where it means nothing. npm runs a script in the folder of its
 * package.json (npm_package_json), so that is checked against the working folder.
 */
export function npmUserDir(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const pkg = env.npm_package_json;
  if (env.INIT_CWD === undefined || pkg === undefined || dirname(resolve(pkg)) !== resolve(cwd)) return undefined;
  return env.INIT_CWD;
}

/**
 * `npm start` runs in the package's folder whatever folder the user typed it in; npm gives that one
 * as INIT_CWD. The paths the user gave (--scenario, --board, --html, --perfetto, --serial-log) mean
 * that folder, so when it is another they are made absolute from it (and messages show where they
 * point). Run from the repository (or with node directly) they are left as typed.
 */
export function resolveUserPaths(o: CliOptions, userDir: string | undefined, cwd: string): CliOptions {
  if (userDir === undefined || userDir === "" || resolve(userDir) === resolve(cwd)) return o;
  const at = (p: string): string => resolve(userDir, p);
  const maybe = (p: string | null): string | null => (p === null || p.trim() === "" ? p : at(p));
  return {
    ...o, scenarios: o.scenarios.map(at), html: maybe(o.html), perfetto: maybe(o.perfetto), serialLog: maybe(o.serialLog),
    // A shipped board's name (moddable-two) is no path: scripts/start.js's rule.
    board: o.board !== null && /[/\\.]/.test(o.board) ? at(o.board) : o.board,
  };
}
