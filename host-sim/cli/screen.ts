// The terminal view: firmware output by whole lines (coloured on a TTY), shell notices, trace lines and summaries, around the line being typed.
import { Subscription } from "rxjs";
import { type Paint, ProgressFormatter } from "./progress";
import type { Session } from "./session";
import { formatSummary } from "./summary";

/** A partial serial line unchanged this long (virtual) is printed without waiting for its newline. */
const PARTIAL_STABLE_US = 200_000;

export interface ScreenOptions {
  paint: Paint;
  /** Host-side trace view: off (the firmware's own progress lines suffice), on, or all records. */
  trace: "off" | "on" | "all";
  /** Print a summary after each suspend attempt. */
  summaries: boolean;
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
 * virtual time. The line the user is typing (raw mode) is taken off the screen before anything else
 * is printed and put back after, so output never lands in the middle of it.
 */
export class Screen {
  private held = "";
  /** Virtual time the held partial line last grew; a partial that stops growing is shown anyway. */
  private heldSince = 0;
  private now: () => number = () => 0;
  /** The screen's current line holds raw partial serial text (no newline printed yet). */
  private midLine = false;
  private editing = "";
  private readonly subs = new Subscription();

  constructor(private readonly write: (s: string) => void, private readonly options: ScreenOptions) {}

  attach(session: Session): void {
    this.now = () => session.now();
    const fmt = new ProgressFormatter(this.options.paint, (c) => session.board.wakeName(c), this.options.trace === "all");
    this.subs.add(session.serial$.subscribe((t) => this.serial(t)));
    if (this.options.trace !== "off") {
      this.subs.add(session.trace$.subscribe((r) => {
        const line = fmt.format(r);
        if (line !== null) this.line(this.options.paint.dim("[trace] ") + line);
      }));
    }
    if (this.options.summaries) this.subs.add(session.summary$.subscribe((s) => this.line(formatSummary(s, this.options.paint))));
    this.subs.add(session.notice$.subscribe((n) => this.notice(n.text, n.error)));
  }

  detach(): void {
    this.subs.unsubscribe();
  }

  serial(text: string): void {
    this.held += text;
    this.heldSince = this.now();
    let nl = this.held.indexOf("\n");
    while (nl >= 0) {
      const raw = this.held.slice(0, nl + 1);
      this.held = this.held.slice(nl + 1);
      const body = raw.replace(/\r?\n$/, "");
      this.out(this.midLine ? body + "\n" : colourLine(body, this.options.paint) + "\n");
      this.midLine = false;
      nl = this.held.indexOf("\n");
    }
  }

  /**
   * Prints held partial serial text as it is when it is a prompt with echoed input, or when it stopped
   * growing (the console's TX is off while the board sleeps, cutting a progress line mid-way).
   * `force` prints it whatever it is (end of run).
   */
  flush(force = false): void {
    if (this.held === "") return;
    if (!force && !this.held.startsWith("> ") && this.now() - this.heldSince < PARTIAL_STABLE_US) return;
    this.out(this.held);
    this.midLine = true;
    this.held = "";
  }

  /** End of output: whatever is held is printed and the cursor left at the start of a line. */
  end(): void {
    this.flush(true);
    if (this.midLine) this.out("\n");
    this.midLine = false;
  }

  /** A shell message on its own line. */
  notice(text: string, error: boolean): void {
    const p = this.options.paint;
    this.line((error ? p.bad("[sim] ") : p.dim("[sim] ")) + (error ? p.warn(text) : text));
  }

  /** A whole line of the host's own (trace, summary, notice). */
  line(text: string): void {
    this.out((this.midLine ? "\n" : "") + text + "\n");
    this.midLine = false;
  }

  /** Ctrl-L: clears the terminal, then puts back a held prompt and the line being typed. */
  clear(): void {
    this.write("\x1b[2J\x1b[H");
    this.midLine = false;
    const editing = this.editing;
    this.editing = "";
    this.write("> " + editing);
    this.editing = editing;
    this.midLine = true;
  }

  /** Raw-mode local echo: the line being typed, redrawn around output. */
  setEditing(text: string): void {
    const was = this.editing;
    if (text.startsWith(was)) this.write(text.slice(was.length));
    else this.write("\b \b".repeat(was.length) + text);
    this.editing = text;
  }

  private out(s: string): void {
    if (this.editing === "") {
      this.write(s);
      return;
    }
    this.write("\b \b".repeat(this.editing.length) + s + this.editing);
  }
}
