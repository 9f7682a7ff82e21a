// Interactive shell: keyboard events to the firmware console or shell verbs, ticks to virtual time, session streams to the screen.
import { type Observable, Subscription } from "rxjs";
import { completions } from "./complete";
import { KEY_PRESS, type KeyEvent, keyEvents, keyHelp, keyName } from "./keys";
import type { Paint } from "./progress";
import { Screen } from "./screen";
import { type Session, asleepNotice, backlogNotice } from "./session";
import { firmwareThrew } from "./firmware-threw";
import { isShellVerb, shellHelp } from "./shell-verbs";
import { P_IDLE, P_SLEEPING } from "../../runtime/phase";

/** The same firmware exception again within this much virtual time is counted, not shown again. */
const THROWN_REPEAT_US = 1_000_000;
/** Firmware exceptions one tick of virtual time goes on past. */
const MAX_THROWS_PER_TICK = 64;

export interface InteractiveIo {
  /** Keyboard bytes (process.stdin, or a Subject in tests). Completion means end of input. */
  input$: Observable<string | Uint8Array>;
  /** Raw mode: keys one by one (TTY); otherwise whole lines. */
  raw: boolean;
  /** Virtual microseconds to run per tick (real elapsed time in the CLI; scripted in tests). */
  ticks$: Observable<number>;
  write(s: string): void;
  paint: Paint;
  trace: "off" | "on" | "all";
  /** Byte of the button key (default Ctrl-B, tmux's prefix: --button-key changes it). */
  buttonKey?: number;
}

/** The firmware's help (about 700 bytes) takes ~60 ms at 115200 baud. */
const HELP_DELAY_US = 150_000;
/** Line mode: virtual time between piped lines, and console quiet required before the next. */
const LINE_GAP_US = 50_000;

export interface InteractiveEnd {
  code: number;
  why: string;
  virtualUs: number;
}

export function banner(session: Session, buttonKey = KEY_PRESS): string[] {
  const b = session.board;
  return [
    "quiesce simulator: " + b.name + ", " + session.deviceNames().length + " devices (" + session.deviceNames().join(", ") + ")",
    "Type firmware console commands (help, status, devices, suspend, stats, trace). Shell commands:",
    ...shellHelp(session).map((l) => "  " + l),
    ...keyHelp(buttonKey, b.hasButton).map((l) => "  " + l),
    "Virtual time runs with real time; battery estimates assume " + session.batteryMah + " mAh.",
  ];
}

/**
 * Resolves when the user quits (verb, Ctrl-C/Ctrl-D, end of input). Shell verbs are matched on the
 * first word before the firmware sees the line; everything else goes to the firmware's RX byte for
 * byte (bad input is the firmware's to answer, and it does: unknown command, line too long, byte
 * refused), so the shell never loses or rewrites what was typed.
 */
export function runInteractive(session: Session, io: InteractiveIo): Promise<InteractiveEnd> {
  const screen = new Screen(io.write, { paint: io.paint, trace: io.trace, summaries: true, redraw: io.raw });
  screen.attach(session);
  const buttonKey = io.buttonKey ?? KEY_PRESS;
  for (const l of banner(session, buttonKey)) screen.line(io.paint.dim(l));
  const subs = new Subscription();
  subs.add(session.asleep$.subscribe((s) => {
    const w = session.board.wakers();
    const how = (w.indexOf("button") >= 0 && session.board.hasButton ? "press " + keyName(buttonKey) + " or " : "") + "type `wake " + w.join("|") + "`";
    screen.asleepNotice(asleepNotice(s, how), s.atUs, backlogNotice(s));
  }));
  return new Promise<InteractiveEnd>((resolve) => {
    let done = false;
    let helpAt = -1;
    let lastLineAt = -Infinity;
    const queue: KeyEvent[] = [];
    const finish = (why: string, code: number): void => {
      if (done) return;
      done = true;
      session.drainUart();
      session.flushSummaries();
      screen.setEditing("");
      // Queued before `end`, which prints everything still waiting: a notice queued after it could wait forever for a quiet console.
      screen.notice("quit (" + why + ") at virtual time " + (session.now() / 1e6).toFixed(6) + " s", false);
      screen.end();
      subs.unsubscribe();
      screen.detach();
      resolve({ code, why, virtualUs: session.now() });
    };
    /**
     * Piped input arrives all at once; a terminal user waits for the reply. So in line mode the next
     * line waits until the previous one is typed out, the runtime is idle or asleep (a line while
     * suspending would be a wake), and the console has been quiet a moment.
     */
    const ready = (): boolean => {
      if (io.raw) {
        // Keys are taken as they come, but a shell verb acts at once while a line typed before it is still on
        // the wire: it waits until the firmware has that line, so a paste runs in the order it was typed.
        const head = queue[0];
        return !(head.kind === "line" && isShellVerb(head.text)) || session.board.serialPending() === 0;
      }
      const phase = session.board.pm.phase;
      return session.board.serialPending() === 0 && (phase === P_IDLE || phase === P_SLEEPING) &&
        session.now() - lastLineAt >= LINE_GAP_US && session.quietFor(LINE_GAP_US);
    };
    const handle = (e: KeyEvent): void => {
      switch (e.kind) {
        case "edit":
          screen.setEditing(e.display);
          return;
        case "press": {
          const err = session.press();
          if (err !== null) screen.notice(keyName(buttonKey) + " presses the button, but " + err, true);
          else screen.notice("button pressed (" + keyName(buttonKey) + ")", false);
          return;
        }
        case "clear":
          screen.clear();
          return;
        case "candidates":
          screen.notice(e.words.join("  "), false);
          return;
        case "quit":
          finish(e.why, 0);
          return;
        case "line":
          lastLineAt = session.now();
          if (isShellVerb(e.text)) {
            if (io.raw) screen.commit(e.text);
            const r = session.verb(e.text);
            if (r.text !== null) screen.notice(r.text, r.error);
            if (r.quit === true) finish("quit", 0);
            return;
          }
          session.sendLine(e.text);
          // The shell's own verbs follow the firmware's help once it has had time to print it.
          if (e.text.trim() === "help") helpAt = session.now() + HELP_DELAY_US;
          return;
      }
    };
    // A firmware callback that throws (a driver's timer, an IRQ handler) is named and the session goes on (firmware-threw.ts).
    // One that throws again and again (a timer re-armed for 0 us forever) is shown once a second of virtual time:
    // the same text within THROWN_REPEAT_US of its line is counted, and the count shown when that second is over.
    let thrownText = "", thrownAt = 0, thrownAgain = 0;
    const showRepeats = (): void => {
      if (thrownAgain > 0) screen.notice(thrownText + " (and " + thrownAgain + " more times in the second of virtual time after it)", true);
      thrownAgain = 0;
      thrownText = "";
    };
    const threw = (e: unknown): void => {
      const text = firmwareThrew(e);
      if (text === thrownText && session.now() - thrownAt < THROWN_REPEAT_US) {
        thrownAgain++;
        return;
      }
      showRepeats();
      screen.notice(text, true);
      thrownText = text;
      thrownAt = session.now();
    };
    // Time goes on past a throw to the tick's end (a throw stops the clock at the timer that threw), at most
    // MAX_THROWS_PER_TICK times: a callback re-armed for 0 us that always throws holds time where it is.
    const advance = (us: number): void => {
      const target = session.now() + us;
      for (let k = 0; k < MAX_THROWS_PER_TICK; k++) {
        try {
          session.advanceTo(target);
          return;
        } catch (e) {
          threw(e);
        }
      }
    };
    const pump = (): void => {
      while (!done && queue.length > 0 && ready()) {
        try {
          handle(queue.shift() as KeyEvent);
        } catch (e) {
          threw(e);
        }
        advance(0);
      }
      if (!done) screen.flush();
    };
    subs.add(io.ticks$.subscribe((us) => {
      if (done) return;
      advance(us);
      if (thrownAgain > 0 && session.now() - thrownAt >= THROWN_REPEAT_US) showRepeats();
      if (helpAt >= 0 && session.now() >= helpAt) {
        helpAt = -1;
        // One notice for the block, so the prompt comes back once below it, not after every line.
        screen.notice(shellHelp(session).concat(keyHelp(buttonKey, session.board.hasButton)).map((l) => "shell: " + l).join("\n[sim] "), false);
      }
      pump();
    }));
    subs.add(io.input$.pipe(keyEvents(io.raw, { buttonKey, complete: (l) => completions(l, session.deviceNames(), session.board.hasButton) })).subscribe({
      next: (e) => {
        if (done) return;
        queue.push(e);
        pump();
      },
      error: (err: unknown) => finish("input error: " + String(err), 1),
    }));
  });
}
