// One simulation session: advances virtual time, drains serial output and trace records into rxjs streams, answers the shell verbs.
import { Subject } from "rxjs";
import { STATE_NAMES, TARGET_NAMES } from "../../runtime/status";
import { E_SLEEP_ENTER, E_SUSPEND_BEGIN } from "../../runtime/trace";
import type { TraceRecord } from "./progress";
import type { FaultMode, FaultStage, WakeSource } from "./scenario";
import { PRESS_HOLD_US, runVerb, type VerbResult } from "./shell-verbs";
import { show } from "./scenario-yaml";
import type { ShellBoard } from "./shell-board";
import type { PowerManager } from "../../runtime/pm";
import { SummaryBuilder, type SuspendSummary } from "./summary";
import { SerialWait } from "./text-search";
import type { AsleepEvent } from "./sleep-notice";

export { type AsleepEvent, asleepNotice, backlogNotice } from "./sleep-notice";

/** Longest wait for the console UART's TX FIFO to empty at the end of a run (128 bytes at 9600 baud, with margin). */
const UART_DRAIN_MAX_US = 200_000;

/** Serial quiet time before a summary is printed: the firmware's closing line comes first. */
export const SUMMARY_QUIET_US = 20_000;

/**
 * Everything the interactive CLI and the scenario runner share. Time moves only in `advanceTo`, one
 * timer deadline at a time, so serial output and trace records reach the streams in the order the
 * simulated board produced them and `until` predicates are checked after every event.
 */
export class Session {
  /** Firmware output, as it leaves the simulated UART. */
  readonly serial$ = new Subject<string>();
  /** Every trace record the runtime wrote, copied out of the ring. */
  readonly trace$ = new Subject<TraceRecord>();
  /** One summary after each suspend attempt ends. */
  readonly summary$ = new Subject<SuspendSummary>();
  /** After every drain (virtual time moved): the screen prints host lines that waited for quiet. */
  readonly drained$ = new Subject<void>();
  /** The board went to sleep (or into a test hold standing in for a sleep): asleepNotice() words it. */
  readonly asleep$ = new Subject<AsleepEvent>();
  /**
   * A hibernate wake rebooted the firmware. Emitted before the new firmware's first output, so a
   * line the old one never finished (its end was lost with the RAM) can be closed first.
   */
  readonly reboot$ = new Subject<void>();
  /** Shell messages (verb answers, warnings), one line each. */
  readonly notice$ = new Subject<{ text: string; error: boolean }>();
  readonly board: ShellBoard;
  readonly batteryMah: number;
  /** All serial output since boot (for reports and tests: searching it again and again would cost the square of its length). */
  serialLog = "";
  /** `wait-serial`'s cursor, searched incrementally. */
  readonly serialWait = new SerialWait();
  /** Trace records lost because more than the ring's capacity arrived between two drains. */
  traceLost = 0;
  summaries: SuspendSummary[] = [];
  /** Virtual time of the last serial output (the shell waits for quiet before summaries and piped lines). */
  lastSerialAt = 0;
  private seen = 0;
  /** The PowerManager whose ring `seen` counts in: a hibernate wake reboots the firmware with a new one. */
  private tracePm: PowerManager;
  /** Summaries wait until the firmware's own final line is out (the UART is slower than the trace). */
  private readonly held: { summary: SuspendSummary; at: number }[] = [];
  private readonly builder: SummaryBuilder;
  private releaseAt = -1;

  constructor(board: ShellBoard, batteryMah: number) {
    this.board = board;
    this.batteryMah = batteryMah;
    this.builder = new SummaryBuilder((c) => board.wakeName(c));
    this.seen = board.pm.trace.total;
    this.tracePm = board.pm;
  }

  now(): number {
    return this.board.clock.now();
  }

  /**
   * Runs virtual time up to `target` (absolute us), deadline by deadline, draining after each. Stops
   * early, answering true, as soon as `until` holds (time is then the instant it became true).
   */
  advanceTo(target: number, until?: () => boolean): boolean {
    const clock = this.board.clock;
    this.drain();
    if (until !== undefined && until()) return true;
    for (;;) {
      let next = clock.nextDeadline();
      if (this.releaseAt >= 0 && this.releaseAt < next) next = this.releaseAt;
      // A held summary is due once the serial output has been quiet: an idle board has no event then, and
      // without this stop it came out at the next event, maybe the end of --timeout (so --expect-text waited for it).
      const due = this.summaryDue();
      if (due > clock.now() && due < next) next = due;
      if (next > target) {
        if (target > clock.now()) clock.runUntil(target);
        this.drain();
        return until !== undefined && until();
      }
      clock.runUntil(Math.max(next, clock.now()));
      if (this.releaseAt >= 0 && clock.now() >= this.releaseAt) {
        this.releaseAt = -1;
        this.board.releaseButton();
      }
      this.drain();
      if (until !== undefined && until()) return true;
    }
  }

  advance(us: number, until?: () => boolean): boolean {
    return this.advanceTo(this.now() + us, until);
  }

  /** Pulls what the board produced since the last drain into the streams. */
  drain(): void {
    const pm = this.board.pm;
    if (pm !== this.tracePm) {
      // Rebooted (hibernate wake): the new firmware's ring starts at its boot; read it from there.
      this.tracePm = pm;
      this.seen = 0;
      this.reboot$.next();
    }
    const text = this.board.takeSerial();
    if (text !== "") {
      this.serialLog += text;
      this.serialWait.push(text);
      this.lastSerialAt = this.now();
      this.serial$.next(text);
    }
    const tr = pm.trace;
    let from = this.seen;
    if (tr.total - from > tr.capacity) {
      this.traceLost += tr.total - from - tr.capacity;
      from = tr.total - tr.capacity;
    }
    for (let i = from; i < tr.total; i++) {
      const slot = i % tr.capacity;
      const d = tr.deviceAt(slot);
      const r: TraceRecord = {
        time: tr.time[slot], device: d, name: d >= 0 && d < pm.graph.count ? pm.graph.names[d] : "",
        stage: tr.stageAt(slot), event: tr.eventAt(slot), status: tr.statusAt(slot), duration: tr.duration[slot],
      };
      this.trace$.next(r);
      if (r.event === E_SLEEP_ENTER) {
        const test = pm.test !== 0;
        this.asleep$.next({
          target: test ? "test=" + TEST_NAMES[pm.test] + " hold" : TARGET_NAMES[r.status] ?? "?", atUs: r.time,
          holdUs: test ? this.board.testHoldUs : 0, backlog: this.board.consoleBacklog(),
        });
      }
      if (r.event === E_SUSPEND_BEGIN) this.builder.test = pm.test;
      const s = this.builder.push(r, this.board.energy, this.batteryMah, this.now());
      if (s !== null) this.held.push({ summary: s, at: r.time });
    }
    this.seen = tr.total;
    const now = this.now();
    while (this.held.length > 0 && now - this.held[0].at >= SUMMARY_QUIET_US && now - this.lastSerialAt >= SUMMARY_QUIET_US) {
      this.emitSummary();
    }
    this.drained$.next();
  }

  /**
   * End of a run (a scenario's end, quit): the bytes the firmware already handed to the UART are on
   * their way and reach the terminal within ~11 ms (a 128-byte FIFO at 115200 baud); stopping before
   * they arrive would cut the last line short on the screen though it was sent. Virtual time runs on
   * until the FIFO is empty (bounded). What the console driver itself still holds is not sent.
   */
  drainUart(): void {
    if (this.board.serialInFlight() > 0) this.advance(UART_DRAIN_MAX_US, () => this.board.serialInFlight() === 0);
  }

  /** When the first held summary may be printed (SUMMARY_QUIET_US after it and after the last serial output), or -1. */
  private summaryDue(): number {
    return this.held.length === 0 ? -1 : Math.max(this.held[0].at, this.lastSerialAt) + SUMMARY_QUIET_US;
  }

  /** Emits held summaries now (end of a scenario, quit). */
  flushSummaries(): void {
    while (this.held.length > 0) this.emitSummary();
  }

  /** True when serial output has been quiet for `us` and no summary is waiting. */
  quietFor(us: number): boolean {
    return this.held.length === 0 && this.now() - this.lastSerialAt >= us;
  }

  private emitSummary(): void {
    const h = this.held.shift() as { summary: SuspendSummary; at: number };
    this.summaries.push(h.summary);
    this.summary$.next(h.summary);
  }

  /** Offset in serialLog of `wait-serial`'s cursor: the end of its last match. */
  get serialCursor(): number {
    return this.serialWait.cursor;
  }

  /** Serial text after the cursor containing `text`: moves the cursor past it and answers true. */
  consumeSerial(text: string): boolean {
    return this.serialWait.consume(text);
  }

  /** Sends a line to the firmware console as a terminal would (CR ends it). */
  sendLine(line: string): void {
    this.board.typeSerial(encodeSerial(line + "\r"));
  }

  /**
   * Press now; release after PRESS_HOLD_US of virtual time (the release happens inside advanceTo).
   * On a board without a button: nothing happens, and the answer says why and what to use instead.
   */
  press(): string | null {
    if (!this.board.hasButton) return this.noButton();
    this.board.pressButton();
    this.releaseAt = this.now() + PRESS_HOLD_US;
    return null;
  }

  /** Why there is nothing to press on this board, and what starts and ends a sleep here instead. */
  noButton(): string {
    const wakers = this.board.wakers().filter((w) => w !== "button");
    return this.board.name + " has no button (no button model behind a \"button\" device): " +
      "type `suspend` to start a suspend, " + wakers.map((w) => "`wake " + w + "`").join(" or ") + " to end a sleep";
  }

  /** Device state by name, or an error naming the devices there are. */
  deviceState(name: string): { state: string } | { error: string } {
    const g = this.board.pm.graph;
    for (let d = 0; d < g.count; d++) {
      if (g.names[d] === name) return { state: STATE_NAMES[this.board.pm.deviceState(d)] ?? "?" };
    }
    return { error: "no device " + show(name) + " on " + this.board.name + "; devices are " + this.deviceNames().join(", ") };
  }

  deviceNames(): string[] {
    const g = this.board.pm.graph;
    const out: string[] = [];
    for (let d = 0; d < g.count; d++) out.push(g.names[d]);
    return out;
  }

  /** Runs a shell verb line (shell-verbs.ts). */
  verb(line: string): VerbResult {
    return runVerb(this, line);
  }

  /**
   * Raises a wake source, or says why it would not wake the board: the present sleep does not listen
   * to it (the UART in hibernate), or the board is awake (a button press would start a suspend).
   */
  wake(source: WakeSource): string | null {
    if (source === "button" && !this.board.hasButton) return this.noButton();
    const sleep = this.board.asleep();
    if (sleep !== null && this.board.wakers().indexOf(source) < 0) {
      return source + " cannot wake " + sleep + " on " + this.board.name + " (not a " + sleep + " wake source); use " +
        this.board.wakers().map((w) => "`wake " + w + "`").join(" or ");
    }
    if (sleep === null && source === "button" && this.board.pm.phase === 0) {
      return "the board is awake (phase idle): a button press now starts a suspend; use `press` for that, `wake` ends a sleep";
    }
    if (source === "button") return this.press();
    return this.board.wake(source);
  }

  fault(device: string, stage: FaultStage, mode: FaultMode): string | null {
    const known = this.deviceState(device);
    if ("error" in known) return known.error;
    return this.board.fault(device, stage, mode);
  }
}

const TEST_NAMES = ["none", "devices", "platform"];

/**
 * Characters U+0000..U+00FF go out as one byte each (so `\xff` in a scenario or a raw byte typed at
 * the keyboard reaches the firmware as that byte); anything above as UTF-8.
 */
export function encodeSerial(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) as number;
    if (c > 0xffff) i++;
    if (c <= 0xff) out.push(c);
    else for (const b of Buffer.from(String.fromCodePoint(c), "utf8")) out.push(b);
  }
  return Uint8Array.from(out);
}
