// Every fixed word the console prints, encoded once at boot into byte arrays (no string work after boot).
import { STATUS_NAMES, STAGE_NAMES, STATE_NAMES, TARGET_NAMES } from "../runtime/status";
import { STAGES } from "../runtime/protocol";
import { EVENT_NAMES } from "../runtime/trace";

/** ASCII text to bytes. Boot only: it allocates, and a non-ASCII character is a programming error. */
export function makeBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e) throw new Error("uart-console: word \"" + text + "\" has a non-ASCII character at " + i + ": console words are ASCII");
    out[i] = c;
  }
  return out;
}

/** A table of words (status names, stage names...) encoded at boot. */
export function makeTable(texts: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < texts.length; i++) out.push(makeBytes(texts[i]));
  return out;
}

/** Two-letter stage tags for progress lines: S1..S3 suspend, R1..R2 resume, "--" for the rest (sleep, release, reprobe). */
function stageTags(): string[] {
  const out: string[] = [];
  for (let s = 0; s < STAGES.length; s++) out.push(STAGES[s].short.length === 2 ? STAGES[s].short : "--");
  return out;
}

/**
 * Why one object of preencoded arrays: the reply and progress writers only copy bytes, so the text
 * of every message is fixed at boot and no string is built on the suspend path (DESIGN.md, XS
 * template strings and concatenation allocate). Variable parts are numbers (decimal writer) or bytes
 * copied from the line buffer or from these tables.
 */
export class Words {
  readonly status = makeTable(STATUS_NAMES);
  readonly stage = makeTable(STAGE_NAMES);
  readonly stageTag = makeTable(stageTags());
  readonly state = makeTable(STATE_NAMES);
  readonly target = makeTable(TARGET_NAMES);
  readonly event = makeTable(EVENT_NAMES);

  // Command names and arguments, compared byte by byte against the line buffer.
  readonly cmdHelp = makeBytes("help");
  readonly cmdStatus = makeBytes("status");
  readonly cmdDevices = makeBytes("devices");
  readonly cmdSuspend = makeBytes("suspend");
  readonly cmdStats = makeBytes("stats");
  readonly cmdTrace = makeBytes("trace");
  readonly cmdRecover = makeBytes("recover");
  readonly cmdLocks = makeBytes("locks");
  readonly cmdRpm = makeBytes("rpm");
  readonly cmdPolicy = makeBytes("policy");
  readonly argOn = makeBytes("on");
  readonly argOff = makeBytes("off");
  readonly argStandby = makeBytes("standby");
  readonly argHibernate = makeBytes("hibernate");
  readonly argTestDevices = makeBytes("test=devices");
  readonly argTestPlatform = makeBytes("test=platform");
  readonly argDump = makeBytes("dump");
  readonly argAll = makeBytes("all");

  readonly banner = makeBytes("quiesce console: type help for the list of commands");
  readonly prompt = makeBytes("> ");
  readonly erase = makeBytes("\b \b");
  readonly us = makeBytes(" us");
  readonly comma = makeBytes(", ");
  readonly quoteOpen = makeBytes(" '");
  readonly quoteClose = makeBytes("'");
  readonly ellipsis = makeBytes("...");
  readonly none = makeBytes("none");
  readonly system = makeBytes("system");

  // Bad input.
  readonly unknownCommand = makeBytes("unknown command");
  readonly typeHelp = makeBytes(": type help for the list of commands");
  readonly unknownArgument = makeBytes("unknown argument");
  readonly forWord = makeBytes(" for ");
  readonly suspendArgsHint = makeBytes(": use standby, hibernate, test=devices or test=platform (type help)");
  readonly traceArgsHint = makeBytes(": use a record count 1..");
  readonly countOutOfRange = makeBytes("record count");
  readonly outOfRangeFor = makeBytes(" out of range for ");
  readonly traceArgsHint2 = makeBytes(", all [n] or dump (type help)");
  readonly noArgsHint = makeBytes(": it takes no arguments (type help)");
  readonly conflicts = makeBytes(": give one target and at most one test level (type help)");
  readonly recoverArgsHint = makeBytes(": give one device name (type help)");
  readonly recoverNeedsName = makeBytes("recover needs a device name: recover DEVICE re-probes a failed device (type status for the names)");
  readonly unknownDevice = makeBytes("unknown device");
  readonly deviceNamesHint = makeBytes(": type status for the device names");
  readonly tooLong1 = makeBytes("line too long: limit is ");
  readonly tooLong2 = makeBytes(" bytes, line discarded");
  readonly refused1 = makeBytes("line refused: byte 0x");
  readonly refused2 = makeBytes(" at column ");
  readonly refused3 = makeBytes(" is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)");
  readonly internalError = makeBytes("console: internal error, line discarded (type help)");
  readonly rxDiscarded1 = makeBytes("input discarded: ");
  readonly rxDiscarded2 = makeBytes(" bytes arrived while the console was busy and its input buffer was full; type the line again");
  readonly dropped1 = makeBytes("(console: ");
  readonly dropped2 = makeBytes(" output lines dropped: TX ring full)");

  // Suspend command and its outcome.
  readonly suspending = makeBytes("suspending: ");
  readonly testEq = makeBytes(" test=");
  readonly testNames = makeTable(["none", "devices", "platform"]);
  readonly suspendBusy = makeBytes("suspend refused: BUSY, one is already in progress");
  readonly suspendBusyStarting = makeBytes("suspend refused: BUSY, one is already starting or running; its outcome follows");
  readonly suspendBusyReprobe = makeBytes("suspend refused: BUSY, failed devices are being re-probed; type suspend again after it");
  readonly suspendRefused = makeBytes("suspend refused: ");
  readonly suspendInvalid = makeBytes(", the runtime does not take that target or test level (type help)");
  readonly suspendFailedDevice = makeBytes(", a device it needs is failed: recover it first (type status)");
  readonly hibernateStorageFailed1 = makeBytes(", the storage device ");
  readonly hibernateStorageFailed2 = makeBytes(" is failed and would lose the image: recover ");
  readonly hibernateStorageFailed3 = makeBytes(" first, or use standby");
  readonly skippedFailed = makeBytes("skipped (failed)");
  readonly skippedSummary = makeBytes("; skipped (failed): ");
  readonly suspendOk = makeBytes("suspend ok");
  readonly suspendFailed = makeBytes("suspend failed: ");
  readonly resumedHibernate = makeBytes("resumed from hibernate");
  readonly wokeBy = makeBytes(", woke by ");
  readonly withFailure = makeBytes(", with a failure: ");

  // recover, re-probes and failed devices.
  readonly recovering = makeBytes(": re-probing");
  readonly recoverActive = makeBytes(": ok, active again");
  readonly recoverStill = makeBytes(": still failed ");
  readonly recoverBusy = makeBytes("recover refused: BUSY, a suspend is starting or running; recover after its outcome");
  readonly recoverBusyReprobe = makeBytes("recover refused: BUSY, a re-probe is running; its lines follow, then recover again if still failed");
  readonly recoverNotFailed1 = makeBytes(" refused: INVALID, it is ");
  readonly recoverNotFailed2 = makeBytes(", not failed; recover re-probes failed devices only (type status)");
  readonly reprobeIn = makeBytes(", next re-probe in ");
  readonly reprobeNow = makeBytes(", re-probe due now");
  readonly reprobeOk = makeBytes("ok, active again");
  readonly reprobeFailed = makeBytes(", still failed");
  readonly failedTag = makeBytes(" [failed");
  readonly reprobes1 = makeBytes("re-probes: ");
  readonly reprobes2 = makeBytes(" run, ");
  readonly reprobes3 = makeBytes(" devices recovered, ");
  readonly reprobes4 = makeBytes(" failed");

  // UART wake (ESP32 loses the byte that wakes it; see drivers/uart-console/wake-resync.ts).
  readonly uartWake1 = makeBytes("woke on UART input: the waking byte is lost; discarded");
  readonly uartWake2 = makeBytes(", type the command again");
  readonly uartWakeQuiet = makeBytes("woke on UART input (the waking byte is lost); ready");

  // Wake causes.
  readonly line = makeBytes("line ");
  readonly causeTimer = makeBytes("timer");
  readonly causeHold = makeBytes("test hold");
  readonly causeReset = makeBytes("reset");

  // Progress lines.
  readonly open = makeBytes("[");
  readonly usClose = makeBytes(" us] ");
  readonly ok = makeBytes("ok");
  readonly pending = makeBytes("pending");
  readonly failed = makeBytes("failed ");
  readonly markedFailed = makeBytes(", device marked failed");
  readonly timeout = makeBytes("TIMEOUT, budget ");
  readonly late = makeBytes("late completion ignored");
  readonly stageDone = makeBytes("stage done in ");
  readonly stageEnded = makeBytes("stage ended with ");
  readonly after = makeBytes(" after ");
  readonly suspendBegin = makeBytes("suspend begins: ");
  readonly sleepEnter = makeBytes("-- platform sleep: ");
  /** Per test level (runtime/status TEST_*): what the hold does instead of a sleep, as Linux pm_test levels are described. */
  readonly testHold = makeTable([
    "",
    "-- test=devices hold: platform not called, IRQs on, devices stay suspended",
    "-- test=platform hold: platform called, a timed light sleep stands in for ",
  ]);
  readonly testOutcome = makeTable(["", " (test=devices: devices only, nothing slept)", " (test=platform: held in the platform, target not entered)"]);
  readonly sleepExit = makeBytes("-- platform woke: ");
  readonly sleepUnknown = makeBytes(", sleep length unknown (hibernate: the clock restarted and the platform has no RTC reading)");
  readonly wakeSource = makeBytes("wake source: ");
  readonly rollback = makeBytes("rollback from ");
  readonly space = makeBytes(" ");

  // status / devices.
  readonly phase = makeBytes("phase ");
  readonly phaseNames = makeTable(["idle", "suspending", "sleeping", "resuming", "rollback", "re-probing"]);
  readonly devicesCount = makeBytes(" devices, last outcome ");
  readonly treeHeader = makeBytes(" devices (tree by parent; needs = other prerequisites):");
  readonly needs = makeBytes(" needs ");
  readonly roleStorage = makeBytes(" [storage]");
  readonly roleWake = makeBytes(" [wake line ");
  readonly close = makeBytes("]");
  readonly storageMark = makeBytes(" (storage)");

  // stats.
  readonly attempts = makeBytes("attempts ");
  readonly okCount = makeBytes(", ok ");
  readonly failedCount = makeBytes(", rolled back ");
  readonly busyCount = makeBytes(", busy ");
  readonly wakeAborts = makeBytes(", wake aborts ");
  readonly timeouts = makeBytes(", timeouts ");
  readonly lateCount = makeBytes(", late ");
  readonly resumeFailures = makeBytes(", resume failures ");
  readonly lastOutcome = makeBytes("last outcome ");
  readonly lastWake = makeBytes(", last wake cause ");
  readonly at = makeBytes(" at ");
  readonly perStage = makeBytes("failures per stage:");
  readonly durations = makeBytes("stage durations, last attempt:");
  readonly total = makeBytes(" total ");
  readonly lastFailures = makeBytes("last failures, newest first:");
  readonly lastFailuresNone = makeBytes("last failures: none");
  readonly deviceDurations = makeBytes("per-device durations, last/max us:");
  readonly slash = makeBytes("/");
  readonly irqQueue1 = makeBytes("irq queue: overflowed ");
  readonly irqQueue2 = makeBytes(", max depth ");
  readonly indent = makeBytes("  ");
  readonly flightHeader1 = makeBytes("flight recorder, last ");
  readonly flightHeader2 = makeBytes(" of ");
  readonly flightHeader3 = makeBytes(" attempts, newest first:");
  readonly flightNone = makeBytes("flight recorder: no attempts yet");
  readonly flightWake = makeBytes("wake ");
  readonly flightParked = makeBytes(", parked ");
  readonly flightSleep = makeBytes("sleep");

  // trace.
  readonly traceHeader1 = makeBytes("trace: last ");
  readonly traceHeader2 = makeBytes(" of ");
  readonly traceHeader3 = makeBytes(" records (time, device, stage, event, detail)");
  readonly tracePmHeader2 = makeBytes(" power-management records of ");
  readonly tracePmHeader3 = makeBytes(" written (IRQ records hidden: trace all shows every record)");
  readonly dash = makeBytes("-");
  readonly overwritten = makeBytes("(record overwritten while the report waited)");
  readonly dumpBegin = makeBytes("trace dump begin: ");
  readonly dumpBegin2 = makeBytes(" records of ");
  readonly dumpBegin3 = makeBytes(" written, 18 bytes each, oldest first (f64le time us, i16le device, i8 stage, u8 event, i16le status, i32le duration us)");
  readonly dumpRecord = makeBytes("T ");
  readonly dumpEnd = makeBytes("trace dump end: ");
  readonly dumpCut1 = makeBytes("trace dump cut: ");
  readonly dumpCut2 = makeBytes(" records, a suspend started; run trace dump again after it");
  readonly dumpBusy = makeBytes("trace dump refused: BUSY, a suspend is starting or running; run it after the outcome");
  readonly records = makeBytes(" records");
  // locks, policy.
  readonly policyArgsHint = makeBytes(": use on or off, or nothing to show the policy (type help)");
  readonly policyNow = makeTable(["policy: governor off (explicit suspends still work)", "policy: governor on"]);
  readonly locksHeader = makeBytes("locks: ");
  readonly locksOf = makeBytes(" held of ");
  readonly locksBad = makeBytes(", releases of a free lock ");
  readonly locksNone = makeBytes("(none taken yet: a lock is listed once it has been acquired)");
  readonly lockHeld = makeBytes(" held ");
  readonly lockFree = makeBytes(" free");
  readonly lockAcquires1 = makeBytes(" (");
  readonly lockAcquires2 = makeBytes(" acquires)");
  readonly ms = makeBytes(" ms");
  readonly seconds = makeBytes(" s");
  readonly colon = makeBytes(": ");
  readonly semicolon = makeBytes("; ");
  readonly policyOn = makeBytes("policy: governor on, min idle ");
  readonly policyOff = makeBytes("policy: governor off (pm.governor.enabled; policy on), min idle ");
  readonly policyMargin = makeBytes(", wake margin ");
  readonly policyConstraint = makeBytes(", latency constraint ");
  readonly policyDeadline = makeBytes(", next deadline ");
  readonly inWord = makeBytes("in ");
  readonly policyLocks = makeBytes(", locks held ");
  readonly policyStates = makeBytes("states: ");
  readonly policyNoStates = makeBytes("none listed (pm.states)");
  readonly stateEntry = makeBytes(" entry ");
  readonly stateExit = makeBytes(" exit ");
  readonly stateBreakEven = makeBytes(" break-even ");
  readonly policyDevices = makeBytes("; devices add ");
  readonly decisions1 = makeBytes("decisions: ");
  readonly decisions2 = makeBytes(", standby ");
  readonly decisions3 = makeBytes(", hibernate ");
  readonly decisions4 = makeBytes("; newest first:");
  readonly decisionsNone = makeBytes("; none yet");
  readonly whyLock = makeBytes("lock ");
  readonly whyLockHeld = makeBytes(" held: stay awake");
  readonly whyLockAny = makeBytes("(name not in the trace)");
  readonly whyBusyAny = makeBytes("an attempt or a re-probe");
  readonly whyShortAny = makeBytes("'s break-even");
  readonly whyBusy = makeBytes("runtime busy (");
  readonly whyBusy2 = makeBytes("): stay awake");
  readonly whyNoState = makeBytes("no idle state listed (pm.states): stay awake");
  readonly whyNoDeadline = makeBytes("idle, no timer deadline");
  readonly whyIdle = makeBytes("idle ");
  readonly whyToNext = makeBytes(" to next timer");
  readonly whyBreakEven = makeBytes(", break-even ");
  readonly whyRuledOut1 = makeBytes("; ");
  readonly whyRuledOut2 = makeBytes(" ruled out by the latency constraint ");
  readonly whyShort = makeBytes(": stay awake, below ");
  readonly whyShort2 = makeBytes("'s break-even ");
  readonly whyLatency = makeBytes(": stay awake, ");
  readonly whyLatency2 = makeBytes("'s latency ");
  readonly whyLatency3 = makeBytes(" exceeds the constraint ");
  readonly whyRefused = makeBytes(" refused ");

  readonly help = makeTable([
    "commands:",
    "  help                     this list",
    "  status                   each device's power state",
    "  devices                  dependency tree: parent, needs, roles",
    "  suspend [standby|hibernate] [test=devices|test=platform]",
    "                           start a suspend (default standby); progress lines follow",
    "  stats                    counts, last failures, wake cause, stage durations, flight recorder",
    "  trace [n]                last n power-management trace records (default 16; IRQ records hidden)",
    "  trace all [n]            last n trace records of every kind, IRQ latch/deliver included",
    "  trace dump               the trace ring as hex records, for the host to decode",
    "  recover DEVICE           re-probe a failed device now (status shows failed devices)",
    "  locks                    PM locks: who holds one and for how long (a held lock keeps the governor awake)",
    "  policy [on|off]          the idle governor: its states, the last decisions and why; on/off switches it",
    "  rpm                      runtime PM per device: state, usage count, autosuspend delay, suspends/resumes/failures",
  ]);
}
