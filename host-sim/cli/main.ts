// Simulator CLI (Node only): boots the simulated ESP32 DevKitC and attaches the terminal, or runs scenarios for CI.
import { Observable, interval, map } from "rxjs";
import { USAGE, UsageError, npmUserDir, parseArgs, resolveUserPaths, type CliOptions } from "./args";
import { bootShellBoard } from "./devkitc";
import { runInteractive } from "./interactive";
import { COLOUR, PLAIN } from "./progress";
import { EXIT_BAD_FILE, EXIT_OUTPUT, runScenarioFiles } from "./scenario-cli";
import { Session } from "./session";
import { BoardError, loadBoard } from "./board-module";
import type { SimBoardWiring } from "../boards/esp32-devkitc";
import { SerialLog } from "./serial-log";
import { type FlagPath, outputPathError, sameFileError } from "./output-paths";
import { attachVizToBoard, type VizHandle } from "../viz/collect";
import { writeHtml } from "../viz/html";
import { writePerfetto } from "../viz/perfetto";

/** Real milliseconds between virtual-time ticks while interactive. */
const TICK_MS = 20;

/** The timeline of the latest session, when --html or --perfetto asked for one. */
let viz: VizHandle | null = null;

/** --serial-log: one file for the run (every scenario's session in turn). */
let serialLog: SerialLog | null = null;
let lastSession: Session | null = null;
/** --board, loaded once before anything runs. */
let wiring: SimBoardWiring | undefined;

function session(o: CliOptions): Session {
  let board: ReturnType<typeof bootShellBoard>;
  try {
    board = bootShellBoard({ seed: o.seed, timerWakeUs: o.timerWakeUs, wiring });
  } catch (e) {
    throw new BoardError("the board did not boot: " + (e instanceof Error ? e.message : String(e)));
  }
  if (o.html !== null || o.perfetto !== null) {
    viz = attachVizToBoard(board.sim, { energy: board.sim.energy, wakeName: (c) => board.wakeName(c), title: board.name });
  }
  const s = new Session(board, o.batteryMah);
  if (serialLog !== null) serialLog.attach(s);
  lastSession = s;
  return s;
}

/** Closes the --serial-log with its capture; false (named on stderr, as a timeline that could not be written) when a write failed. */
function closeSerialLog(write: (s: string) => void): boolean {
  if (serialLog === null || lastSession === null) return true;
  const note = serialLog.closeWithCapture(lastSession);
  if (serialLog.error === null) {
    write("[sim] " + note + "\n");
    return true;
  }
  process.stderr.write("quiesce: could not write the serial log to " + serialLog.path + " (" + serialLog.error + "): give a writable path in an existing folder\n");
  return false;
}

/** The run's output files, in the order of the checks (a --serial-log that cannot be opened is found at its open, main()). */
function outputs(o: CliOptions): FlagPath[] {
  const out: FlagPath[] = [];
  if (o.serialLog !== null) out.push({ flag: "--serial-log", path: o.serialLog });
  if (o.html !== null) out.push({ flag: "--html", path: o.html });
  if (o.perfetto !== null) out.push({ flag: "--perfetto", path: o.perfetto });
  return out;
}

/** The files the run reads: the scenarios and a board module given by path (a shipped board's name is no file). */
function inputs(o: CliOptions): FlagPath[] {
  const out = o.scenarios.map((path) => ({ flag: "--scenario", path }));
  if (o.board !== null && /[/\\.]/.test(o.board)) out.push({ flag: "--board", path: o.board });
  return out;
}

/** Writes the requested timeline files; false (named on stderr) when one could not be written. */
function writeViz(o: CliOptions, write: (s: string) => void): boolean {
  if (viz === null) return true;
  const model = viz.finish();
  for (const [file, what, put, hint] of [[o.html, "timeline", writeHtml, ""], [o.perfetto, "perfetto trace", writePerfetto, " (open in ui.perfetto.dev)"]] as const) {
    if (file === null) continue;
    try {
      put(model, file);
      write(what + ": " + file + hint + "\n");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      process.stderr.write("quiesce: could not write the " + what + " to " + file + " (" + (code ?? (e instanceof Error ? e.message : String(e))) + "): give a writable path in an existing folder\n");
      return false;
    }
  }
  return true;
}

/** Keyboard bytes as an Observable; raw mode (key by key) only on a TTY, restored on the way out. */
function stdin$(raw: boolean): Observable<Uint8Array> {
  return new Observable<Uint8Array>((sub) => {
    const input = process.stdin;
    if (raw) input.setRawMode(true);
    const data = (b: Buffer): void => sub.next(b);
    const end = (): void => sub.complete();
    input.on("data", data);
    input.on("end", end);
    input.resume();
    return () => {
      input.off("data", data);
      input.off("end", end);
      if (raw) input.setRawMode(false);
      input.pause();
    };
  });
}

/** Virtual time follows real time: each tick advances the clock by the real time elapsed (times --speed). */
function realTicks$(speed: number): Observable<number> {
  let last = performance.now();
  return interval(TICK_MS).pipe(map(() => {
    const now = performance.now();
    const us = (now - last) * 1000 * speed;
    last = now;
    return us;
  }));
}

async function main(argv: readonly string[]): Promise<number> {
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write("quiesce: " + e.message + "\n" + USAGE.join("\n") + "\n");
    return EXIT_BAD_FILE;
  }
  o = resolveUserPaths(o, npmUserDir(process.env, process.cwd()), process.cwd());
  if (o.help) {
    process.stdout.write(USAGE.join("\n") + "\n");
    return 0;
  }
  // Before anything is opened: the serial log is truncated at its open, before the scenario is read.
  const badPath = sameFileError(inputs(o), outputs(o)) ?? outputPathError(outputs(o));
  if (badPath !== null) {
    process.stderr.write("quiesce: " + badPath + "\n");
    return EXIT_BAD_FILE;
  }
  try {
    if (o.board !== null) wiring = loadBoard(o.board);
    if (o.serialLog !== null) serialLog = new SerialLog(o.serialLog);
  } catch (e) {
    process.stderr.write("quiesce: " + (e instanceof Error ? e.message : String(e)) + "\n");
    return EXIT_BAD_FILE;
  }
  const colour = o.colour === "always" || (o.colour === "auto" && process.stdout.isTTY === true);
  const paint = colour ? COLOUR : PLAIN;
  const write = (s: string): void => {
    process.stdout.write(s);
  };
  const guard = { expectText: o.expectText, failText: o.failText, timeoutUs: o.timeoutUs };
  if (o.scenarios.length > 0 || o.expectText !== null || o.failText !== null) {
    const code = runScenarioFiles(o.scenarios, () => session(o), write, { paint, quiet: o.quiet, trace: o.trace, guard });
    // Both outputs are attempted (and named when they fail) before the exit code is decided.
    const logged = closeSerialLog(write);
    return (writeViz(o, write) && logged) || code !== 0 ? code : EXIT_OUTPUT;
  }
  const raw = process.stdin.isTTY === true;
  const end = await runInteractive(session(o), { input$: stdin$(raw), raw, ticks$: realTicks$(o.speed), write, paint, trace: o.trace, buttonKey: o.buttonKey });
  const logged = closeSerialLog(write);
  return (writeViz(o, write) && logged) || end.code !== 0 ? end.code : EXIT_OUTPUT;
}

// `npm start ... | head`: the reader left; that ends the run quietly, as it does for any Unix tool.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // stdin may keep the loop alive after quit; everything is flushed by now.
    setImmediate(() => process.exit(code));
  },
  (err: unknown) => {
    if (err instanceof BoardError) {
      process.stderr.write("quiesce: " + err.message + "\n");
      process.exit(EXIT_BAD_FILE);
    }
    process.stderr.write("quiesce: " + (err instanceof Error ? err.stack ?? err.message : String(err)) + "\n");
    process.exit(1);
  },
);
