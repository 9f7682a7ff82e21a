// Console command parser and dispatcher: tokens are byte ranges of the line buffer compared against preencoded names.
import { T_STANDBY, T_HIBERNATE, TEST_NONE, TEST_DEVICES, TEST_PLATFORM, OK } from "../runtime/status";
import type { Printer } from "./printer";
import { Reports, J_HELP, J_STATUS, J_DEVICES, J_STATS, J_TRACE, J_TRACE_ALL, J_DUMP, J_LOCKS, J_POLICY, J_RPM } from "./reports";

/** What the console does after a line ran. */
export const X_PROMPT = 0;
/** A report started: the prompt follows its last line. */
export const X_REPORT = 1;
/** A suspend was requested: the prompt follows its outcome. */
export const X_WAIT = 2;

/** Tokens looked at per line; a longer line is answered by its first surplus token. */
const MAX_TOKENS = 4;
/** Default `trace` record count. */
export const TRACE_DEFAULT = 16;

/** What the console is busy with, for commands that must not overlap it. */
export const BUSY_NONE = 0;
/** A suspend is starting (the settle delay) or running: its outcome line and prompt follow. */
export const BUSY_SUSPEND = 1;
/** Failed devices are being re-probed (or a `recover` waits for its re-probe): a prompt follows. */
export const BUSY_REPROBE = 2;

/** The console side a command can ask for (the suspend is started by the console, after the line's CR LF). */
export interface CommandHost {
  requestSuspend(target: number, test: number): void;
  /** `recover` asked the runtime to re-probe device d: the console reports the outcome when the re-probe ends. */
  recovering(d: number): void;
  /** BUSY_NONE, BUSY_SUSPEND or BUSY_REPROBE. */
  busy(): number;
}

/**
 * Parsing never makes a string: a token is (start, end) in the line buffer, matched byte by byte
 * against the names in Words, and a number is accumulated from digits. Replies to bad input copy the
 * offending bytes out of the buffer into the TX ring and name the fix.
 */
export class Commands {
  private readonly p: Printer;
  private readonly reports: Reports;
  private readonly host: CommandHost;
  private readonly start = new Int16Array(MAX_TOKENS + 1);
  private readonly end = new Int16Array(MAX_TOKENS + 1);
  private count = 0;
  private line: Uint8Array;
  /** Lines run and lines answered with an error (tests and stats read these). */
  ran = 0;
  errors = 0;

  constructor(printer: Printer, reports: Reports, host: CommandHost, line: Uint8Array) {
    this.p = printer;
    this.reports = reports;
    this.host = host;
    this.line = line;
  }

  /** Runs the printable line in line[0..length). Returns X_PROMPT, X_REPORT or X_WAIT. */
  execute(length: number): number {
    this.ran++;
    this.tokenize(length);
    if (this.count === 0) return X_PROMPT;
    const w = this.p.words;
    if (this.is(0, w.cmdHelp)) return this.noArgs(w.cmdHelp, J_HELP);
    if (this.is(0, w.cmdStatus)) return this.noArgs(w.cmdStatus, J_STATUS);
    if (this.is(0, w.cmdDevices)) return this.noArgs(w.cmdDevices, J_DEVICES);
    if (this.is(0, w.cmdStats)) return this.noArgs(w.cmdStats, J_STATS);
    if (this.is(0, w.cmdTrace)) return this.trace();
    if (this.is(0, w.cmdSuspend)) return this.suspend();
    if (this.is(0, w.cmdRecover)) return this.recover();
    if (this.is(0, w.cmdLocks)) {
      this.p.encodeLockNames();
      return this.noArgs(w.cmdLocks, J_LOCKS);
    }
    if (this.is(0, w.cmdPolicy)) return this.policy();
    if (this.is(0, w.cmdRpm)) return this.noArgs(w.cmdRpm, J_RPM);
    this.errors++;
    const r = this.p.ring;
    r.bytes(w.unknownCommand);
    this.p.quote(this.line, this.start[0], this.end[0]);
    r.bytes(w.typeHelp);
    r.newline();
    return X_PROMPT;
  }

  private noArgs(name: Uint8Array, kind: number): number {
    if (this.count > 1) return this.badArgument(1, name, this.p.words.noArgsHint);
    this.reports.start(kind, 0);
    return X_REPORT;
  }

  /** `trace [n]` power-management records, `trace all [n]` every record, `trace dump` the ring in hex. */
  private trace(): number {
    const w = this.p.words;
    if (this.count === 2 && this.is(1, w.argDump)) {
      // A suspend's progress would land between the record lines, and its records overwrite the ring.
      if (this.host.busy() === BUSY_SUSPEND) return this.refuse(w.dumpBusy);
      this.reports.start(J_DUMP, 0);
      return X_REPORT;
    }
    const all = this.count > 1 && this.is(1, w.argAll);
    const at = all ? 2 : 1;
    if (this.count > at + 1) return this.badArgument(at + 1, w.cmdTrace, w.traceArgsHint);
    let n = TRACE_DEFAULT;
    if (this.count > at) {
      // Exactly the range the hint announces: 1..capacity.
      n = this.number(at);
      if (n < 1 || n > this.p.pm.trace.capacity) return this.digits(at) ? this.outOfRange(at, w.cmdTrace) : this.badArgument(at, w.cmdTrace, w.traceArgsHint);
    }
    this.reports.start(all ? J_TRACE_ALL : J_TRACE, n);
    return X_REPORT;
  }

  private suspend(): number {
    const w = this.p.words;
    let target = -1;
    let test = -1;
    for (let i = 1; i < this.count; i++) {
      let t = -1;
      let level = -1;
      if (this.is(i, w.argStandby)) t = T_STANDBY;
      else if (this.is(i, w.argHibernate)) t = T_HIBERNATE;
      else if (this.is(i, w.argTestDevices)) level = TEST_DEVICES;
      else if (this.is(i, w.argTestPlatform)) level = TEST_PLATFORM;
      else return this.badArgument(i, w.cmdSuspend, w.suspendArgsHint);
      if ((t >= 0 && target >= 0) || (level >= 0 && test >= 0)) return this.badArgument(i, w.cmdSuspend, w.conflicts);
      if (t >= 0) target = t;
      if (level >= 0) test = level;
    }
    if (target < 0) target = T_STANDBY;
    if (test < 0) test = TEST_NONE;
    // One at a time: a second line never replaces the target or test level of one already starting.
    const busy = this.host.busy();
    if (busy === BUSY_SUSPEND) return this.refuse(w.suspendBusyStarting);
    if (busy === BUSY_REPROBE) return this.refuse(w.suspendBusyReprobe);
    const r = this.p.ring;
    r.bytes(w.suspending);
    this.p.target(target);
    if (test !== TEST_NONE) {
      r.bytes(w.testEq);
      r.bytes(w.testNames[test]);
    }
    r.newline();
    this.host.requestSuspend(target, test);
    return X_WAIT;
  }

  /** `policy`: the governor's policy and last decisions; `policy on|off` switches the governor. */
  private policy(): number {
    const w = this.p.words;
    const gov = this.p.pm.governor;
    this.p.encodeLockNames();
    if (this.count === 1) return this.noArgs(w.cmdPolicy, J_POLICY);
    const on = this.is(1, w.argOn);
    if (!on && !this.is(1, w.argOff)) return this.badArgument(1, w.cmdPolicy, w.policyArgsHint);
    if (this.count > 2) return this.badArgument(2, w.cmdPolicy, w.policyArgsHint);
    gov.enable(on);
    this.p.ring.bytes(w.policyNow[on ? 1 : 0]);
    this.p.ring.newline();
    return X_PROMPT;
  }

  /** `recover DEVICE`: re-probe a failed device now; the outcome line follows when its re-probe ends. */
  private recover(): number {
    const p = this.p;
    const w = p.words;
    const r = p.ring;
    if (this.count > 2) return this.badArgument(2, w.cmdRecover, w.recoverArgsHint);
    if (this.count < 2) {
      this.errors++;
      r.bytes(w.recoverNeedsName);
      r.newline();
      return X_PROMPT;
    }
    let d = -1;
    for (let k = 0; k < p.names.length && d < 0; k++) if (this.is(1, p.names[k])) d = k;
    if (d < 0) {
      this.errors++;
      r.bytes(w.unknownDevice);
      p.quote(this.line, this.start[1], this.end[1]);
      r.bytes(w.forWord);
      r.bytes(w.cmdRecover);
      r.bytes(w.deviceNamesHint);
      r.newline();
      return X_PROMPT;
    }
    // A re-probe starting in a suspend's settle delay would make that suspend answer BUSY.
    const busy = this.host.busy();
    if (busy === BUSY_SUSPEND) return this.refuse(w.recoverBusy);
    // The re-probe running now would reschedule the device after it, losing this request.
    if (busy === BUSY_REPROBE) return this.refuse(w.recoverBusyReprobe);
    r.bytes(w.cmdRecover);
    r.byte(0x20);
    p.device(d, 0);
    if (p.pm.recover(d) !== OK) {
      this.errors++;
      r.bytes(w.recoverNotFailed1);
      r.bytes(w.state[p.pm.deviceState(d)]);
      r.bytes(w.recoverNotFailed2);
      r.newline();
      return X_PROMPT;
    }
    r.bytes(w.recovering);
    r.newline();
    this.host.recovering(d);
    return X_WAIT;
  }

  /** A refusal while the console is busy: one line; the prompt follows what it is busy with. */
  private refuse(message: Uint8Array): number {
    this.errors++;
    this.p.ring.bytes(message);
    this.p.ring.newline();
    return X_WAIT;
  }

  /** "unknown argument 'x' for trace: <hint>" (a surplus token counts as an unknown argument). */
  private badArgument(token: number, command: Uint8Array, hint: Uint8Array): number {
    return this.refuseToken(token, this.p.words.unknownArgument, this.p.words.forWord, command, hint);
  }

  /** "record count '0' out of range for trace: use a record count 1..N, ..." (a count, but not one the ring holds). */
  private outOfRange(token: number, command: Uint8Array): number {
    return this.refuseToken(token, this.p.words.countOutOfRange, this.p.words.outOfRangeFor, command, this.p.words.traceArgsHint);
  }

  /** `lead` 'token' `mid` `command` `hint` (the trace hint completed with the ring's capacity). */
  private refuseToken(token: number, lead: Uint8Array, mid: Uint8Array, command: Uint8Array, hint: Uint8Array): number {
    this.errors++;
    const p = this.p;
    const r = p.ring;
    const w = p.words;
    r.bytes(lead);
    p.quote(this.line, this.start[token], this.end[token]);
    r.bytes(mid);
    r.bytes(command);
    r.bytes(hint);
    if (hint === w.traceArgsHint) {
      r.dec(p.pm.trace.capacity);
      r.bytes(w.traceArgsHint2);
    }
    r.newline();
    return X_PROMPT;
  }

  /** Whether token `token` is all decimal digits (any length). */
  private digits(token: number): boolean {
    for (let i = this.start[token]; i < this.end[token]; i++) if (this.line[i] < 0x30 || this.line[i] > 0x39) return false;
    return true;
  }

  /** Splits on spaces; at most MAX_TOKENS + 1 tokens are kept (the extra one is what gets reported). */
  private tokenize(length: number): void {
    const b = this.line;
    let n = 0;
    let i = 0;
    while (i < length && n <= MAX_TOKENS) {
      while (i < length && b[i] === 0x20) i++;
      if (i === length) break;
      this.start[n] = i;
      while (i < length && b[i] !== 0x20) i++;
      this.end[n] = i;
      n++;
    }
    this.count = n;
  }

  private is(token: number, word: Uint8Array): boolean {
    const s = this.start[token];
    if (this.end[token] - s !== word.length) return false;
    const b = this.line;
    for (let i = 0; i < word.length; i++) if (b[s + i] !== word[i]) return false;
    return true;
  }

  /** Decimal token as a number, or -1 if it is not 1..7 digits. */
  private number(token: number): number {
    const s = this.start[token];
    const e = this.end[token];
    if (e - s > 7) return -1;
    let v = 0;
    for (let i = s; i < e; i++) {
      const c = this.line[i];
      if (c < 0x30 || c > 0x39) return -1;
      v = v * 10 + (c - 0x30);
    }
    return v;
  }
}
