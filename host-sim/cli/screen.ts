// The terminal view: firmware output by whole lines (coloured on a TTY), shell notices, trace lines and summaries, around the line being typed.
import { Subscription } from "rxjs";
import { type Paint, ProgressFormatter } from "./progress";
import type { Session } from "./session";
import { P_SLEEPING } from "../../runtime/phase";
import { formatSummary } from "./summary";

/** A partial serial line unchanged this long (virtual) is printed without waiting for its newline. */
const PARTIAL_STABLE_US = 200_000;
/** Console quiet time before host lines are printed: longer than the gap between two lines of a report. */
const HOST_QUIET_US = 10_000;

export interface ScreenOptions {
  paint: Paint;
  /** Host-side trace view: off (the firmware's own progress lines suffice), on, or all records. */
  trace: "off" | "on" | "all";
  /** Print a summary after each suspend attempt. */
  summaries: boolean;
  /** A terminal: a prompt is erased and redrawn below host lines rather than repeated. */
  redraw?: boolean;
}

/** Colours a firmware progress/reply line by what it says (the bytes are the firmware's; only SGR is added). */
export function colourLine(line: string, p: Paint): string {
  if (/\b(failed|FAILED|TIMEOUT|rollback|refused|unknown command|unknown argument|too long|error)\b/.test(line)) return p.bad(line);
  if (/\b(pending|late|wake source|BUSY|dropped)\b/.test(line)) return p.warn(line);
  if (/^suspend ok|\bok( \d+ us)?$/.test(line)) return p.ok(line);
  if (/-- platform|suspend begins|suspending:/.test(line)) return p.bold(line);
  return line;
}

/**
 * Output goes through `write` only. Serial text is held until its line ends so a whole line can be
 * coloured; `flush` prints a held partial line (the prompt, echoed keys) at the end of each batch of
 * virtual time. Host lines (notices, trace view, summaries, scenario steps) never split firmware
 * output: while the firmware is mid-line or still printing (a report, a dump), they wait until the
 * console has been quiet for HOST_QUIET_US; a prompt is redrawn after them so it stays last. The line
 * the user is typing (raw mode) is taken off the screen before anything else is printed and put back after.
 */
export class Screen {
  private held = "";
  /** Virtual time the held partial line last grew; a partial that stops growing is shown anyway. */
  private heldSince = 0;
  private now: () => number = () => 0;
  /** Partial serial text on the screen's current line (no newline printed yet), "" if none. */
  private shown = "";
  /** The shown prompt was left for a new line (a shell verb was entered after it): redraw it, do not erase it. */
  private promptLeft = false;
  private editing = "";
  /** Host lines waiting for the firmware to finish its line or report. */
  private readonly waiting: string[] = [];
  /** The first `sleepLines` waiting lines end with an `asleepNotice`: due before the firmware's first line from after that sleep. */
  private sleepLines = 0;
  /** When that sleep began, board µs rounded as the firmware prints "[ t us]". */
  private sleepAt = 0;
  /** A line to add below the sleep notice if it is printed while the board still sleeps ("" none). */
  private sleepDetail = "";
  private lastSerialAt = -Infinity;
  private asleep: () => boolean = () => false;
  /** The sleep the board is in (standby, hibernate) or null: what a line cut off by it is told. */
  private sleepKind: () => string | null = () => null;
  private promptReady: () => boolean = () => true;
  private readonly subs = new Subscription();

  constructor(private readonly write: (s: string) => void, private readonly options: ScreenOptions) {}

  attach(session: Session): void {
    this.now = () => session.now();
    this.asleep = () => session.board.pm.phase === P_SLEEPING;
    this.sleepKind = () => session.board.asleep();
    // The prompt waits for a pending summary, so the summary is never printed after it.
    this.promptReady = () => session.quietFor(0);
    const fmt = new ProgressFormatter(this.options.paint, (c) => session.board.wakeName(c), this.options.trace === "all");
    this.subs.add(session.serial$.subscribe((t) => this.serial(t)));
    this.subs.add(session.drained$.subscribe(() => this.release()));
    // A line the old firmware was sending when hibernate took the chip down never ends: close it before the new boot's banner.
    this.subs.add(session.reboot$.subscribe(() => this.cut("the rest of this line was still in the console's TX buffer when its UART powered off for hibernate: lost with the RAM")));
    if (this.options.trace !== "off") {
      this.subs.add(session.trace$.subscribe((r) => {
        const line = fmt.format(r);
        if (line !== null) this.line(this.options.paint.sim("[trace] ") + line);
      }));
    }
    if (this.options.summaries) this.subs.add(session.summary$.subscribe((s) => {
        const p = this.options.paint;
        this.line(formatSummary(s, p).split("\n").map((l) => p.sim("[sim] ") + l).join("\n"));
      }));
    this.subs.add(session.notice$.subscribe((n) => this.notice(n.text, n.error)));
  }

  detach(): void {
    this.subs.unsubscribe();
  }

  serial(text: string): void {
    this.held += text;
    this.heldSince = this.now();
    this.lastSerialAt = this.now();
    let nl = this.held.indexOf("\n");
    while (nl >= 0) {
      const raw = this.held.slice(0, nl + 1);
      this.held = this.held.slice(nl + 1);
      const body = raw.replace(/\r?\n$/, "");
      if (this.sleepLines > 0 && this.shown === "" && this.afterSleep(body)) this.out(this.takeSleepLines());
      this.out(this.shown === "" ? colourLine(body, this.options.paint) + "\n" : (this.promptLeft ? this.shown : "") + body + "\n");
      this.shown = "";
      this.promptLeft = false;
      nl = this.held.indexOf("\n");
    }
  }

  /**
   * Prints held partial serial text when it is a prompt with echoed input (once no summary is due),
   * or when it stopped growing while the board is awake. While the board sleeps the console's TX is
   * off mid-line: the partial stays held and is printed whole once the board wakes and finishes it.
   * `force` prints it whatever it is (end of run).
   */
  flush(force = false): void {
    if (this.held !== "" && (force || this.partialDue())) {
      this.out(this.held);
      this.shown += this.held;
      this.held = "";
    }
    this.release();
  }

  /** End of output: whatever is held or waiting is printed and the cursor left at the start of a line. */
  end(): void {
    if (this.asleep() && this.held !== "" && !this.held.startsWith("> ")) {
      // Not a simulator artefact: the console driver keeps its output from its S3 until its R1 (drivers/uart-console/console-power.ts).
      const lost = this.sleepKind() === "hibernate";
      this.cut("the rest of this line had not left the console's TX buffer when its UART powered off for the sleep: " +
        (lost ? "hibernate loses it" : "it prints after a wake, which this run did not reach"));
    }
    this.flush(true);
    if (this.shown !== "" && !this.promptLeft) this.out("\n");
    this.promptLeft = false;
    this.shown = "";
    this.release(true);
  }

  /** A shell message on its own line, marked `[sim]` (coloured on a TTY) so it never reads as firmware output. */
  notice(text: string, error: boolean): void {
    const p = this.options.paint;
    this.line((error ? p.bad("[sim] ") : p.sim("[sim] ")) + (error ? p.warn(text) : text));
  }

  /**
   * The board fell asleep at `atUs`. Like any host line the notice waits for the console to go quiet
   * (the UART FIFO still empties into the sleep; then the notice is the last thing on screen while it
   * lasts), but never past the sleep's end: it goes before the firmware's first line stamped later than
   * the sleep began ("-- platform woke"), or, once awake, its first unstamped one. Waiting for quiet
   * alone put it after the whole wake report and "suspend ok" when the sleep was shorter than that quiet
   * (`--timer-wake 1us`), as if the board had slept after it woke.
   */
  asleepNotice(text: string, atUs: number, whileAsleep: string | null = null): void {
    const mark = this.options.paint.sim("[sim] ");
    this.waiting.push(mark + text);
    this.sleepLines = this.waiting.length;
    this.sleepAt = Math.round(atUs);
    this.sleepDetail = whileAsleep === null ? "" : mark + whileAsleep;
    this.release();
  }

  /** A whole line (or lines) of the host's own: trace view, summary, notice, scenario step. */
  line(text: string): void {
    this.waiting.push(text);
    this.release();
  }

  /**
   * Raw mode: a shell verb was entered at the prompt. The firmware never sees it, so never echoes it:
   * the typed line stays on screen as typed, and the prompt comes back below the verb's answer.
   */
  commit(text: string): void {
    if (this.shown === "" || this.promptLeft) return;
    this.out(text + "\n");
    this.promptLeft = true;
  }

  /** Ctrl-L: clears the terminal, then puts back what was on the current line and the line being typed. */
  clear(): void {
    this.write("\x1b[2J\x1b[H" + this.shown + this.editing);
  }

  /** Raw-mode local echo: the line being typed, redrawn around output. */
  setEditing(text: string): void {
    const was = this.editing;
    if (text.startsWith(was)) this.write(text.slice(was.length));
    else this.write("\b \b".repeat(was.length) + text);
    this.editing = text;
  }

  /**
   * The firmware line in progress will not be finished on this screen (its end was lost, or the run
   * ends first): it is printed as far as it came, and `note` below it says why. A prompt alone is just
   * closed.
   */
  private cut(note: string): void {
    if (this.held !== "") {
      // Only the LF of the line's CR LF was left: the line itself is whole, and nothing of it is lost.
      const whole = this.held.endsWith("\r");
      const body = whole ? this.held.slice(0, -1) : this.held;
      this.held = "";
      const prompt = this.shown === "" && body.startsWith("> ");
      this.out((this.shown === "" ? colourLine(body, this.options.paint) : (this.promptLeft ? this.shown : "") + body) + "\n");
      this.shown = "";
      this.promptLeft = false;
      if (prompt || whole) return;
    } else if (this.shown !== "") {
      const prompt = this.shown.startsWith("> ");
      if (!this.promptLeft) this.out("\n");
      this.shown = "";
      this.promptLeft = false;
      if (prompt) return;
    } else return;
    this.out(this.options.paint.sim("[sim] ") + note + "\n");
  }

  /** Whether firmware line `body` tells of something after the waiting notice's sleep began. */
  private afterSleep(body: string): boolean {
    const stamp = /^\[ *(\d+) us\]/.exec(body);
    return stamp !== null ? Number(stamp[1]) > this.sleepAt : !this.asleep();
  }

  /** The waiting host lines up to and including the sleep notice, as text to print. */
  private takeSleepLines(): string {
    const text = this.waiting.splice(0, this.sleepLines).join("\n") + "\n";
    this.sleepLines = 0;
    this.sleepDetail = "";
    return text;
  }

  /** The waiting lines, the sleep notice's detail below it while the sleep lasts (once it is over, what it announced is already on screen). */
  private takeWaiting(): string {
    if (this.sleepLines > 0 && this.sleepDetail !== "" && this.asleep()) this.waiting.splice(this.sleepLines, 0, this.sleepDetail);
    const text = this.waiting.join("\n") + "\n";
    this.waiting.length = 0;
    this.sleepLines = 0;
    this.sleepDetail = "";
    return text;
  }

  private partialDue(): boolean {
    if (this.held.startsWith("> ")) return this.promptReady();
    return !this.asleep() && this.now() - this.heldSince >= PARTIAL_STABLE_US;
  }

  /**
   * Prints waiting host lines unless the firmware is mid-line or still printing. A prompt on the
   * current line is not firmware output in progress: the lines go above it and it is drawn again.
   */
  private release(all = false): void {
    if (this.waiting.length === 0) return;
    const prompt = this.shown.startsWith("> ");
    if (!all && ((this.shown !== "" && !prompt) || this.now() - this.lastSerialAt < HOST_QUIET_US)) return;
    const text = this.takeWaiting();
    if (this.shown === "") {
      this.out(text);
      return;
    }
    // The partial goes below the host lines: erased on a terminal, repeated on a new line otherwise.
    const redraw = this.options.redraw === true;
    const typing = this.editing;
    const before = this.promptLeft ? "" : redraw ? "\b \b".repeat(typing.length) + "\r\x1b[K" : "\n";
    this.write(before + text + this.shown + typing);
    this.promptLeft = false;
  }

  private out(s: string): void {
    if (this.editing === "") {
      this.write(s);
      return;
    }
    this.write("\b \b".repeat(this.editing.length) + s + this.editing);
  }
}
