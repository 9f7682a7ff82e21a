// Shared output pieces of the console: device names, statuses, stages, wake causes, times, quoted input bytes.
import { answerNote } from "./answer-note";
import type { PowerManager } from "../runtime/pm";
import { OK, STATUS_COUNT, STAGE_COUNT, WAKE_NONE, WAKE_TIMER, WAKE_TEST_HOLD, WAKE_RESET, D_FAILED } from "../runtime/status";
import { TxRing } from "../drivers/uart-console/tx-ring";
import { Words, makeBytes } from "./words";

/** Longest piece of user input quoted back in a reply; longer input is cut with "...". */
export const QUOTE_MAX = 40;
/** Characters of a thrown Error's name and message, or a thrown string, printed beside its THREW failure. */
export const THROWN_MAX = 60;
const CHAR_CODE_AT = String.prototype.charCodeAt;

/**
 * Device names become byte arrays once the registry is sealed (names are only final then); until
 * `bootNames` ran, a device prints as its number. Everything else writes table bytes and numbers.
 */
export class Printer {
  readonly ring: TxRing;
  readonly words: Words;
  readonly pm: PowerManager;
  names: Uint8Array[] = [];
  /** PM lock names (application locks), encoded when `locks` or `policy` first sees them (at boot in practice). */
  lockNames: Uint8Array[] = [];
  nameWidth = 8;
  /** Devices the attempt in progress left out because they were failed at its start (progress marks, outcome names). */
  skipped: Uint8Array = new Uint8Array(0);
  private readonly unknownName = makeBytes("?");

  constructor(ring: TxRing, words: Words, pm: PowerManager) {
    this.ring = ring;
    this.words = words;
    this.pm = pm;
  }

  /** Boot, after pm.seal(): encodes every device name and sizes the name column. */
  bootNames(): void {
    const g = this.pm.graph;
    const names: Uint8Array[] = [];
    let width = 8;
    for (let d = 0; d < g.count; d++) {
      names.push(makeBytes(g.names[d]));
      if (g.names[d].length + 1 > width) width = g.names[d].length + 1;
    }
    this.names = names;
    this.nameWidth = width;
    this.skipped = new Uint8Array(g.count);
    this.encodeLockNames();
  }

  /** Encodes the names of PM locks made since the last call (an application makes its locks at boot). */
  encodeLockNames(): void {
    const l = this.pm.locks;
    while (this.lockNames.length < l.created) this.lockNames.push(makeBytes(l.names[this.lockNames.length]));
  }

  /** After "failed": when the runtime re-probes it next (", next re-probe in N us", ", re-probe due now"). */
  reprobeDue(d: number): void {
    const pm = this.pm;
    const r = this.ring;
    if (pm.deviceState(d) !== D_FAILED) return;
    const us = pm.recovery.dueIn(d, pm.platform.now());
    if (us < 0) return;
    if (us === 0) {
      r.bytes(this.words.reprobeNow);
      return;
    }
    r.bytes(this.words.reprobeIn);
    r.dec(us);
    r.bytes(this.words.us);
  }

  get namesReady(): boolean {
    return this.names.length === this.pm.graph.count && this.pm.graph.count > 0;
  }

  /** Device name (or "system" for -1), padded to `width` when width > 0. */
  device(d: number, width: number): void {
    const r = this.ring;
    let src = this.unknownName;
    if (d < 0) src = this.words.system;
    else if (d < this.names.length) src = this.names[d];
    if (src === this.unknownName && d >= 0) {
      // Names not encoded yet: the id is still unambiguous.
      r.byte(0x23);
      r.dec(d);
      if (width > 0) r.spaces(width > 4 ? width - 4 : 1);
      return;
    }
    if (width > 0) r.padded(src, width);
    else r.bytes(src);
  }

  status(s: number): void {
    if (s >= 0 && s < STATUS_COUNT) this.ring.bytes(this.words.status[s]);
    else this.ring.dec(s);
  }

  stageName(s: number): void {
    if (s >= 0 && s < STAGE_COUNT) this.ring.bytes(this.words.stage[s]);
    else this.ring.bytes(this.words.dash);
  }

  /** "S2 suspend       " : tag, name, padded for the progress columns. */
  stageColumn(s: number): void {
    const r = this.ring;
    if (s >= 0 && s < STAGE_COUNT) {
      r.bytes(this.words.stageTag[s]);
      r.byte(0x20);
      r.padded(this.words.stage[s], 14);
    } else {
      r.spaces(18);
    }
  }

  target(t: number): void {
    if (t >= 0 && t < this.words.target.length) this.ring.bytes(this.words.target[t]);
    else this.ring.dec(t);
  }

  /** A wake cause: "line 41 (console)", "timer", "test hold", "reset" or "none". */
  cause(c: number): void {
    const r = this.ring;
    const w = this.words;
    if (c >= 0) {
      r.bytes(w.line);
      r.dec(c);
      const g = this.pm.graph;
      for (let d = 0; d < g.count; d++) {
        if (g.wakeLine[d] !== c) continue;
        r.byte(0x20);
        r.byte(0x28);
        this.device(d, 0);
        r.byte(0x29);
        break;
      }
    } else if (c === WAKE_TIMER) r.bytes(w.causeTimer);
    else if (c === WAKE_TEST_HOLD) r.bytes(w.causeHold);
    else if (c === WAKE_RESET) r.bytes(w.causeReset);
    else if (c === WAKE_NONE) r.bytes(w.none);
    else r.dec(c);
  }

  /** "[      1234 us] " */
  time(t: number): void {
    this.ring.bytes(this.words.open);
    this.ring.decRight(t, 10);
    this.ring.bytes(this.words.usClose);
  }

  /** " 'bytes'" copied from the input line, cut at QUOTE_MAX. */
  quote(src: Uint8Array, start: number, end: number): void {
    const r = this.ring;
    r.bytes(this.words.quoteOpen);
    if (end - start > QUOTE_MAX) {
      r.range(src, start, start + QUOTE_MAX);
      r.bytes(this.words.ellipsis);
    } else {
      r.range(src, start, end);
    }
    r.bytes(this.words.quoteClose);
  }

  /** "<device> <stage> <status>" of the failure in history slot `slot`; the last hook's throw adds " (<name>: <message>)". */
  failure(slot: number): void {
    const st = this.pm.stats;
    this.device(st.failDevice[slot], 0);
    this.ring.byte(0x20);
    this.stageName(st.failStage[slot]);
    this.ring.byte(0x20);
    this.status(st.failStatus[slot]);
    if (st.isLastThrow(slot)) this.thrownNote(st.thrownValue);
    else if (st.isLastBadAnswer(slot)) answerNote(this, st.badAnswerKind, st.badAnswerNumber);
  }

  /** " (<name>: <message>)": what a hook threw, beside its THREW (`failure`, the `rpm` reply). */
  thrownNote(v: unknown): void {
    this.ring.byte(0x20);
    this.ring.byte(0x28);
    this.thrown(v);
    this.ring.byte(0x29);
  }

  /**
   * What a hook threw, as text without making any: an Error's name and message (the name alone when the
   * message is empty), a string, an integer of 32 bits; an object with neither (or a getter that throws)
   * as "no Error", and other values by their kind. Read char by char (no string is built).
   */
  private thrown(v: unknown): void {
    let name: unknown = undefined, message: unknown = undefined;
    if ((typeof v === "object" && v !== null) || typeof v === "function") {
      try {
        name = (v as { name?: unknown }).name;
        message = (v as { message?: unknown }).message;
      } catch {
        name = message = undefined;
      }
    } else if (typeof v === "string") message = v;
    else if (typeof v === "number" && (v | 0) === v) {
      if (v < 0) this.ring.byte(0x2d);
      return this.ring.dec(v < 0 ? -v : v);
    } else return this.text(v === null ? "null" : v === undefined ? "undefined" : v === true ? "true" : v === false ? "false"
      : typeof v === "number" ? "a number" : typeof v === "bigint" ? "a bigint" : "a symbol");
    if (typeof name === "string") {
      this.text(name);
      // ": " only before a message that has a first character.
      if (typeof message === "string" && CHAR_CODE_AT.call(message, 0) === CHAR_CODE_AT.call(message, 0)) {
        this.ring.byte(0x3a);
        this.ring.byte(0x20);
      }
    }
    if (typeof message === "string") this.text(message);
    else if (typeof name !== "string") this.text("no Error");
  }

  /**
   * `s` as ASCII, cut at THROWN_MAX characters (the name and the message each); anything else prints as
   * "?". Read through String.prototype.charCodeAt called on the primitive, up to the NaN past its end:
   * `s.charCodeAt(i)` and `s.length` make XS wrap `s` in a String object (2 slots) every time.
   */
  text(s: string): void {
    let i = 0;
    for (; i < THROWN_MAX; i++) {
      const c = CHAR_CODE_AT.call(s, i);
      if (c !== c) return; // NaN: the end
      this.ring.byte(c >= 0x20 && c < 0x7f ? c : 0x3f);
    }
    if (CHAR_CODE_AT.call(s, i) === CHAR_CODE_AT.call(s, i)) this.ring.bytes(this.words.ellipsis);
  }

  /** The suspend report line: "suspend ok, woke by ...", "suspend failed: <device> <stage> <status>", "resumed from hibernate". */
  outcome(status: number, fromImage: boolean): void {
    const r = this.ring;
    const w = this.words;
    const st = this.pm.stats;
    const slot = st.failureSlot(0);
    if (r.lastByte !== 0x0a) r.newline();
    if (fromImage) {
      r.bytes(w.resumedHibernate);
      if (status !== OK && slot >= 0) {
        r.bytes(w.withFailure);
        this.failure(slot);
      }
    } else if (status === OK) {
      r.bytes(w.suspendOk);
      r.bytes(w.testOutcome[this.pm.test]);
      r.bytes(w.wokeBy);
      this.cause(st.lastWakeCause);
    } else {
      r.bytes(w.suspendFailed);
      if (slot >= 0) this.failure(slot);
      else this.status(status);
    }
    this.skippedSummary();
    r.newline();
  }

  /** "; skipped (failed): a, b" for the devices the attempt left out; clears the marks. */
  private skippedSummary(): void {
    const r = this.ring;
    const sk = this.skipped;
    let n = 0;
    for (let d = 0; d < sk.length; d++) {
      if (sk[d] === 0) continue;
      r.bytes(n === 0 ? this.words.skippedSummary : this.words.comma);
      this.device(d, 0);
      sk[d] = 0;
      n++;
    }
  }
}
