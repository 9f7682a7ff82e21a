// A random run of the simulated ESP32-DevKitC: hook faults, chip faults, button/UART wakes, requests and suspends on the virtual clock.
import { SimBoard } from "../../host-sim/board/sim-board";
import { F_FAIL, F_HANG, F_LATE, F_THROW, HOOK_NAMES } from "../../host-sim/board/faults";
import type { FaultKind } from "../../host-sim/models/common";
import type { BoardDriver, DriverContext } from "../../drivers/common/io";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import type { W25q } from "../../drivers/w25q/w25q";
import type { BoardConsole } from "../../boards/boot";
import type { RequestQueue } from "../../runtime/queue";
import { OK, T_STANDBY, TEST_NONE, TEST_DEVICES, TEST_PLATFORM } from "../../runtime/status";
import { SLEEP_LIGHT } from "../../host-sim/board/sim-platform";
import { ESP32_DEVKITC, DEVKITC_CONSOLE_WAKE_LINE } from "../../boards/esp32-devkitc/board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { DRIVERS } from "../../boards/drivers";
import { P_IDLE } from "../../runtime/pm";

/** UART0's IRQ line (uartBase + port 0): RX *and* TX events, so it is not a wake line. */
const CONSOLE_LINE = ESP32_DEVKITC.irq.uartBase + 0;
/** The console's RX-input wake line (the console raises it; the platform reports it for a UART wake). */
const CONSOLE_WAKE_LINE = DEVKITC_CONSOLE_WAKE_LINE;

/** Devices of the DevKitC a fault can hit (the console too: its hooks are as fallible as any). */
export const BOARD_DEVICES = ["i2c0", "vspi", "bme280", "flash", "led", "button", "telemetry", "console"] as const;
export const FAULT_MODES = [F_FAIL, F_HANG, F_LATE, F_THROW] as const;
export const TESTS = [TEST_NONE, TEST_DEVICES, TEST_PLATFORM] as const;

export interface HookFault { device: number; hook: number; mode: number; lateUs: number }
export interface ChipFault { at: number; chip: "bme280" | "flash"; kind: FaultKind; clearAfter: number }
export interface Wake { at: number; kind: "button" | "uart"; holdUs: number; byte: number }
export interface Req { at: number; kind: "sample" | "record" | "program"; size: number }
export interface Trigger { at: number; test: number }

export interface BoardSpec {
  seed: number;
  hookFaults: HookFault[];
  chipFaults: ChipFault[];
  wakes: Wake[];
  requests: Req[];
  suspends: Trigger[];
  /** RTC timer wake armed for every sleep, us (always on: a sleep with no wake at all never ends). */
  timerWakeUs: number;
}

export interface TraceRec { t: number; d: number; s: number; e: number; st: number }

export interface BoardObserved {
  outcomes: number[];
  suspendCalls: number[];
  submitted: number;
  refused: number;
  /** token -> completions. */
  completions: Map<number, number>;
  accepted: Set<number>;
  contextErrors: string[];
  /** Per IRQ line: raises that reached the runtime unmasked. */
  raisedUnmasked: Uint32Array;
  wakesWhileBusy: number;
  uartWakes: number;
  uartBytes: number;
  buttonPresses: number;
  trace: TraceRec[];
  thrown: string[];
}

const HOOK_IS_NOIRQ = [false, false, true, true, false];
const RECORD = new Uint8Array(62).map((_, i) => 0x30 + (i % 40));
const PAGE = new Uint8Array(256).fill(0x5a);
/** User flash region: far below the hibernate image at the top 64 KB. */
const FLASH_BASE = 0x100000;

/**
 * Boots the board with a driver table whose drivers check their own context on every hook call (IRQs
 * masked exactly in S3/R1), then schedules every stimulus of the spec on the board's clock.
 */
export class BoardWorld {
  readonly sim: SimBoard;
  readonly obs: BoardObserved;
  readonly spec: BoardSpec;
  readonly console: BoardConsole;
  private token = 1;

  constructor(spec: BoardSpec) {
    this.spec = spec;
    const obs: BoardObserved = {
      outcomes: [], suspendCalls: [], submitted: 0, refused: 0, completions: new Map(), accepted: new Set(),
      contextErrors: [], raisedUnmasked: new Uint32Array(64), wakesWhileBusy: 0, uartWakes: 0, uartBytes: 0, buttonPresses: 0, trace: [], thrown: [],
    };
    this.obs = obs;
    const checked: { [name: string]: (ctx: DriverContext) => BoardDriver } = {};
    for (const name of Object.keys(DRIVERS)) {
      const make = DRIVERS[name];
      checked[name] = (ctx) => contextChecked(make(ctx), ctx.name, () => this.sim.pm.irq.masked, obs.contextErrors);
    }
    this.sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: spec.seed, drivers: checked, timerSlots: 64, console: false });
    const sim = this.sim;
    const pm = sim.pm;
    this.console = sim.booted?.console as BoardConsole;
    const con = this.console;
    pm.trace.setListener((slot) => {
      const tr = pm.trace;
      obs.trace.push({ t: tr.time[slot], d: tr.device[slot], s: tr.stage[slot], e: tr.event[slot], st: tr.status[slot] });
      con.traceListener(slot);
    });
    // The board leaves its console to us (console: false): we own the one trace listener and done callback.
    con.boot(false);
    pm.setDoneCallback((s) => {
      obs.outcomes.push(s);
      con.onSuspendDone(s);
    });
    // Count what reaches the runtime unmasked: the rest must be latched once and delivered at unmask.
    const irq = pm.irq;
    const raise = irq.raise.bind(irq);
    irq.raise = (line: number) => {
      if (!irq.masked) obs.raisedUnmasked[line]++;
      raise(line);
    };
    const done = (token: number) => { obs.completions.set(token, (obs.completions.get(token) ?? 0) + 1); };
    sim.driver<Bme280>("bme280").setClient(new Int32Array(3), null, done);
    sim.driver<Telemetry>("telemetry").setClient(done);
    sim.driver<W25q>("flash").setClient(done);
    sim.setTimerWake(spec.timerWakeUs);
    for (const f of spec.hookFaults) sim.faults.set(BOARD_DEVICES[f.device], HOOK_NAMES[f.hook], f.mode, 4, f.lateUs);
  }

  /** The queues whose "no request lost" counters must balance. */
  queues(): RequestQueue[] {
    const s = this.sim;
    return [s.driver<Bme280>("bme280").queue, s.driver<Telemetry>("telemetry").queue, s.driver<W25q>("flash").queue];
  }

  /** Runs every stimulus in time order, then lets the board go quiet. Throws if anything escapes into the event loop. */
  run(): void {
    const sim = this.sim;
    sim.advance(10_000); // bme280 init (t_startup) before the first request
    const start = sim.now();
    const events: { at: number; seq: number; fn: () => void }[] = [];
    let seq = 0;
    const add = (at: number, fn: () => void) => events.push({ at: start + at, seq: seq++, fn });
    for (const r of this.spec.requests) add(r.at, () => this.submit(r));
    for (const s of this.spec.suspends) add(s.at, () => { this.obs.suspendCalls.push(sim.pm.suspend(T_STANDBY, s.test)); });
    for (const w of this.spec.wakes) {
      add(w.at, () => this.wake(w));
      // Press and release as two events of our own list: SimBoard.pressAt makes two clock timers per call.
      if (w.kind === "button") add(w.at + w.holdUs, () => sim.release());
    }
    for (const c of this.spec.chipFaults) {
      add(c.at, () => sim.chipFault(c.chip, c.kind));
      add(c.at + c.clearAfter, () => sim.chipFault(c.chip, "none"));
    }
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const e of events) {
      if (e.at > sim.now()) sim.advance(e.at - sim.now());
      e.fn();
    }
    // Quiet: no new stimulus; every budget, hold and timer wake runs out.
    sim.advance(3_000_000);
    sim.settle(20_000_000);
  }

  private submit(r: Req): void {
    const s = this.sim;
    const token = this.token++;
    let st: number;
    if (r.kind === "sample") st = s.driver<Bme280>("bme280").sample(token);
    else if (r.kind === "record") st = s.driver<Telemetry>("telemetry").send(token, RECORD, 1 + (r.size % 62));
    else st = s.driver<W25q>("flash").program(token, FLASH_BASE + token * 256, PAGE.subarray(0, 1 + (r.size % 256)));
    this.obs.submitted++;
    if (st === OK) this.obs.accepted.add(token);
    else this.obs.refused++;
  }

  private wake(w: Wake): void {
    const sim = this.sim;
    if (sim.pm.phase !== P_IDLE) this.obs.wakesWhileBusy++;
    if (w.kind === "button") { this.obs.buttonPresses++; sim.press(); }
    // ESP32 UART wake from light sleep: the RX edges wake the chip and that byte is lost.
    else if (sim.platform.sleeping === SLEEP_LIGHT) { this.obs.uartWakes++; sim.platform.wakeNow(CONSOLE_WAKE_LINE); }
    // A byte that is not CR/LF never completes a console line, so it wakes without running a command.
    else { this.obs.uartBytes++; sim.io.uartInject(0, w.byte); }
  }
}

/** Wraps a driver's hooks in place: each call checks the IRQ context its stage requires. */
function contextChecked(driver: BoardDriver, device: string, masked: () => boolean, errors: string[]): BoardDriver {
  const d = driver as unknown as { [hook: string]: ((token: number) => number) | undefined };
  for (let h = 0; h < 5; h++) {
    const name = HOOK_NAMES[h];
    const hook = d[name];
    // A hook the driver leaves out is never called: nothing runs in a wrong context.
    if (hook === undefined) continue;
    const inner = hook.bind(driver);
    const noIrq = HOOK_IS_NOIRQ[h];
    d[name] = (token: number) => {
      const m = masked();
      if (m !== noIrq) errors.push(device + "." + name + (m ? " ran masked" : " ran unmasked"));
      return inner(token);
    };
  }
  return driver;
}

export { CONSOLE_LINE, CONSOLE_WAKE_LINE };
