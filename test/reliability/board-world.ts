// A random run of the simulated ESP32-DevKitC: hook/re-probe/chip faults set and cleared, wakes, requests, console lines, suspends and hibernates.
import type { TraceRing } from "../../runtime/trace";
import { SimBoard } from "../../host-sim/board/sim-board";
import { HOOK_NAMES, type HookName } from "../../host-sim/board/faults";
import type { FaultKind } from "../../host-sim/models/common";
import type { BoardDriver, DriverContext } from "../../drivers/common/io";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import type { W25q } from "../../drivers/w25q/w25q";
import type { Led } from "../../drivers/led/led";
import type { BootedBoard } from "../../boards/boot";
import type { ConsoleApp } from "../../console/console-app";
import type { RequestQueue } from "../../runtime/queue";
import { IO, OK, T_HIBERNATE, T_STANDBY, TEST_NONE, TEST_DEVICES, TEST_PLATFORM } from "../../runtime/status";
import { E_SUSPEND_BEGIN, E_SUSPEND_END } from "../../runtime/trace";
import { SLEEP_DEEP, SLEEP_LIGHT } from "../../host-sim/board/sim-sleep";
import { DEVKITC_CONSOLE_WAKE_LINE } from "../../boards/esp32-devkitc/board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { DRIVERS } from "../../boards/drivers";
import type { PowerManager } from "../../runtime/pm";
import { P_IDLE } from "../../runtime/phase";
import { F_FAIL, F_HANG, F_LATE, F_THROW } from "../../host-sim/board/faults";
import { ALL_HOOKS, H_REPROBE, ReprobeFaults, checkedDriver } from "./board-hooks";
import { ImageWatch } from "./board-image";
import { ConsoleTyping } from "./board-console";

/** Devices of the DevKitC a fault can hit (the console too: its hooks are as fallible as any). */
export const BOARD_DEVICES = ["i2c0", "vspi", "bme280", "flash", "led", "button", "telemetry", "console"] as const;
export const FAULT_MODES = [F_FAIL, F_HANG, F_LATE, F_THROW] as const;
export const TESTS = [TEST_NONE, TEST_DEVICES, TEST_PLATFORM] as const;
export const REQ_KINDS = ["sample", "record", "program", "read", "erase", "led"] as const;

/** A hook fault (hook 0..4 as FaultTable, 5 = reprobe) set at `at` (else at boot) and cleared `holdUs` later (else when the run goes quiet). */
export interface HookFault { at?: number; device: number; hook: number; mode: number; lateUs: number; holdUs?: number }
export interface ChipFault { at: number; chip: "bme280" | "flash"; kind: FaultKind; clearAfter: number }
export interface Wake { at: number; kind: "button" | "uart"; holdUs: number; byte: number }
export interface Req { at: number; kind: (typeof REQ_KINDS)[number]; size: number }
/** A direct pm.suspend call (target T_STANDBY when left out). */
export interface Trigger { at: number; target?: number; test: number }
export interface Line { at: number; kind: number; arg: number }

export interface BoardSpec {
  seed: number;
  hookFaults: HookFault[];
  chipFaults: ChipFault[];
  wakes: Wake[];
  requests: Req[];
  suspends: Trigger[];
  /** Console lines (none when left out). */
  lines?: Line[];
  /** RTC timer wake armed for every sleep, us (always on: a sleep with no wake at all never ends). */
  timerWakeUs: number;
}

export interface TraceRec { t: number; d: number; s: number; e: number; st: number }

/** What one firmware lifetime (a boot, until the next deep-sleep reboot) did. */
export interface Epoch {
  boot: number;
  resumed: boolean;
  outcomes: number[];
  trace: TraceRec[];
  /** Per IRQ line: raises that reached the runtime unmasked (plus what was delivered before we wrapped). */
  raisedUnmasked: Uint32Array;
  /** Accepted request tokens of this firmware still waiting when it was replaced by a reboot. */
  diedWithRam: number[];
  consoleFaults: number;
}

export interface BoardObserved {
  epochs: Epoch[];
  /** Every boot's suspend outcomes, in order. */
  readonly outcomes: number[];
  submitted: number;
  refused: number;
  /** token -> completions; token -> status of the first one. */
  completions: Map<number, number>;
  statuses: Map<number, number>;
  /** token -> the epoch that accepted it. */
  accepted: Map<number, number>;
  contextErrors: string[];
  ledLast: number;
  ledEpoch: number;
  /** The last LED set came while an attempt was in progress. */
  ledMidAttempt: boolean;
  buttonPresses: number;
  uartBytes: number;
  uartWakes: number;
}

const RECORD = new Uint8Array(62).map((_, i) => 0x30 + (i % 40));
const PAGE = new Uint8Array(256).fill(0x5a);
const READ = new Uint8Array(256);
/** User flash region: far below the hibernate image at the top 64 KB. */
const FLASH_BASE = 0x100000;

/** Boots the board with context-checked drivers, follows every reboot, and schedules the spec's stimuli on the board's clock. */
export class BoardWorld {
  readonly sim: SimBoard;
  readonly obs: BoardObserved;
  readonly spec: BoardSpec;
  readonly reprobeFaults = new ReprobeFaults();
  readonly image: ImageWatch;
  readonly typing: ConsoleTyping;
  private token = 1;
  private bootPm: PowerManager | null = null;

  constructor(spec: BoardSpec) {
    this.spec = spec;
    const obs: BoardObserved = {
      get outcomes(): number[] { return this.epochs.flatMap((e) => e.outcomes); },
      epochs: [], submitted: 0, refused: 0, completions: new Map(), statuses: new Map(), accepted: new Map(), contextErrors: [], ledLast: -1, ledEpoch: -1, ledMidAttempt: false, buttonPresses: 0, uartBytes: 0, uartWakes: 0,
    };
    this.obs = obs;
    const table: { [name: string]: (ctx: DriverContext) => BoardDriver } = {};
    for (const name of Object.keys(DRIVERS)) {
      table[name] = (ctx) => checkedDriver(DRIVERS[name], ctx, () => this.bootPm !== null && this.bootPm.irq.masked,
        () => this.bootPm as PowerManager, this.reprobeFaults, obs.contextErrors);
    }
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: spec.seed, drivers: table, timerSlots: 64, boot: false });
    this.sim = sim;
    this.image = new ImageWatch(sim.flashes["flash"], 8 * 1024 * 1024 - 65536);
    this.typing = new ConsoleTyping(sim);
    // Every boot (the first and each deep-sleep reboot) goes through here: a new epoch, then its wiring.
    const boot = sim.boot.bind(sim);
    sim.boot = (options) => {
      this.beforeBoot();
      // The runtime being booted, known before bootBoard returns (a resume from the image runs inside it).
      const b = boot(Object.assign({
        wrap: (name: string, driver: BoardDriver, pm: PowerManager) => {
          this.bootPm = pm;
          return sim.faults.wrap(name, driver, pm, sim.platform);
        },
      }, options));
      this.afterBoot(b);
      return b;
    };
    sim.onDone((s) => { this.epoch.outcomes.push(s); this.image.end(); });
    sim.boot();
    sim.setTimerWake(spec.timerWakeUs);
    for (const f of spec.hookFaults) if (f.at === undefined) this.setFault(f, f.mode);
  }

  get epoch(): Epoch {
    return this.obs.epochs[this.obs.epochs.length - 1];
  }

  private beforeBoot(): void {
    const o = this.obs;
    const old = o.epochs.length > 0 ? this.epoch : null;
    if (old !== null) {
      // The old firmware is gone with its RAM: what it still owed is noted, never completed later.
      for (const [token, e] of o.accepted) if (e === o.epochs.length - 1 && !o.completions.has(token)) old.diedWithRam.push(token);
      old.consoleFaults = this.typing.faultsOf(this.sim.booted);
      this.image.beforeBoot(o.epochs.length);
    }
    o.epochs.push({ boot: o.epochs.length, resumed: false, outcomes: [], trace: [], raisedUnmasked: new Uint32Array(64), diedWithRam: [], consoleFaults: 0 });
  }

  private afterBoot(b: BootedBoard): void {
    const e = this.epoch;
    const pm = b.pm;
    e.resumed = b.resumed;
    if (this.image.restores.length > 0) this.image.restores[this.image.restores.length - 1].resumed = b.resumed;
    // Records written inside bootBoard (a resume from the image) are in the ring: take them, then chain after the console.
    const tr = pm.trace;
    for (let i = 0; i < tr.total; i++) this.note(pm, i % tr.capacity);
    const consoleTrace = tr.getListener();
    tr.setListener((slot) => {
      this.note(pm, slot);
      if (consoleTrace !== null) consoleTrace(slot);
    });
    const irq = pm.irq;
    for (let l = 0; l < irq.lines; l++) e.raisedUnmasked[l] = irq.deliveredCount[l] - irq.latchedCount[l];
    const raise = irq.raise.bind(irq);
    irq.raise = (line: number) => {
      if (!irq.masked) e.raisedUnmasked[line]++;
      return raise(line);
    };
    const done = (token: number, status: number) => {
      const o = this.obs;
      o.completions.set(token, (o.completions.get(token) ?? 0) + 1);
      if (!o.statuses.has(token)) o.statuses.set(token, status);
    };
    (b.drivers["bme280"] as Bme280).setClient(new Int32Array(3), null, done);
    (b.drivers["telemetry"] as Telemetry).setClient(done);
    (b.drivers["flash"] as W25q).setClient(done);
  }

  private note(pm: { trace: TraceRing; target: number; fromImage: boolean; flight: { total: number } }, slot: number): void {
    const tr = pm.trace;
    const r: TraceRec = { t: tr.time[slot], d: tr.deviceAt(slot), s: tr.stageAt(slot), e: tr.eventAt(slot), st: tr.statusAt(slot) };
    this.epoch.trace.push(r);
    if (r.e === E_SUSPEND_BEGIN && pm.target === T_HIBERNATE && !pm.fromImage) this.image.begin(this.obs.epochs.length - 1, pm.flight.total + 1, r.t);
    if (r.e === E_SUSPEND_END) this.image.end();
  }

  /** The queues whose "no request lost" counters must balance. */
  queues(): RequestQueue[] {
    const s = this.sim;
    return [s.driver<Bme280>("bme280").queue, s.driver<Telemetry>("telemetry").queue, s.driver<W25q>("flash").queue];
  }

  /** Every fault off: chips answer, hooks and re-probes call the drivers. */
  clearFaults(): void {
    this.sim.faults.clear();
    this.reprobeFaults.clear();
    this.sim.chipFault("bme280", "none");
    this.sim.chipFault("flash", "none");
  }

  /** Runs every stimulus in time order, clears every fault, then lets the board go quiet. Throws if anything escapes into the event loop. */
  run(): void {
    const sim = this.sim;
    sim.advance(10_000); // bme280 init (t_startup) before the first request
    const start = sim.now();
    const events: { at: number; seq: number; fn: () => void }[] = [];
    let seq = 0;
    const add = (at: number, fn: () => void) => events.push({ at: start + at, seq: seq++, fn });
    for (const r of this.spec.requests) add(r.at, () => this.submit(r));
    for (const s of this.spec.suspends) add(s.at, () => { sim.pm.suspend(s.target ?? T_STANDBY, s.test); });
    for (const l of this.spec.lines ?? []) add(l.at, () => this.typing.type(l.kind, l.arg));
    for (const w of this.spec.wakes) {
      add(w.at, () => this.wake(w));
      // Press and release as two events of our own list: SimBoard.pressAt makes two clock timers per call.
      if (w.kind === "button") add(w.at + w.holdUs, () => sim.release());
    }
    for (const c of this.spec.chipFaults) {
      add(c.at, () => sim.chipFault(c.chip, c.kind));
      add(c.at + c.clearAfter, () => sim.chipFault(c.chip, "none"));
    }
    for (const f of this.spec.hookFaults) {
      const from = f.at ?? 0;
      if (f.at !== undefined) add(from, () => this.setFault(f, f.mode));
      if (f.holdUs !== undefined) add(from + f.holdUs, () => this.setFault(f, 0));
    }
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const e of events) {
      if (e.at > sim.now()) sim.advance(e.at - sim.now());
      e.fn();
    }
    // Quiet: no new stimulus; the attempts under way end with the faults still set; then no fault, and
    // budgets, holds, timer wakes and re-probe backoffs (up to 5 min) run out.
    sim.release();
    sim.advance(3_000_000);
    this.clearFaults();
    sim.settle(700_000_000);
  }

  private setFault(f: HookFault, mode: number): void {
    const device = BOARD_DEVICES[f.device];
    if (f.hook === H_REPROBE) this.reprobeFaults.set(device, mode, f.lateUs);
    else this.sim.faults.set(device, ALL_HOOKS[f.hook] as HookName, mode, IO, f.lateUs);
  }

  private submit(r: Req): void {
    const s = this.sim;
    const o = this.obs;
    // In deep sleep no code runs (the CPU is off until the reboot): an application cannot submit then.
    if (s.platform.sleeping === SLEEP_DEEP) return;
    if (r.kind === "led") {
      s.driver<Led>("led").set(r.size & 1);
      o.ledLast = r.size & 1;
      o.ledMidAttempt = s.pm.phase !== P_IDLE;
      o.ledEpoch = o.epochs.length - 1;
      return;
    }
    const token = this.token++;
    let st: number;
    if (r.kind === "sample") st = s.driver<Bme280>("bme280").sample(token);
    else if (r.kind === "record") st = s.driver<Telemetry>("telemetry").send(token, RECORD, 1 + (r.size % 62));
    else if (r.kind === "program") st = s.driver<W25q>("flash").program(token, FLASH_BASE + token * 256, PAGE.subarray(0, 1 + (r.size % 256)));
    else if (r.kind === "read") st = s.driver<W25q>("flash").read(token, FLASH_BASE + (r.size % 64) * 256, READ.subarray(0, 1 + (r.size % 256)));
    else st = s.driver<W25q>("flash").eraseSector(token, FLASH_BASE + 0x80000 + (r.size % 16) * 4096);
    o.submitted++;
    if (st === OK) o.accepted.set(token, o.epochs.length - 1);
    else o.refused++;
  }

  private wake(w: Wake): void {
    const sim = this.sim;
    const o = this.obs;
    if (w.kind === "button") { o.buttonPresses++; sim.press(); return; }
    // ESP32 UART wake from light sleep: the RX edges wake the chip and that byte is lost.
    if (sim.platform.sleeping === SLEEP_LIGHT) { o.uartWakes++; sim.platform.wakeNow(DEVKITC_CONSOLE_WAKE_LINE); }
    // A letter never completes a console line, so it wakes without running a command (it joins the next line).
    else { o.uartBytes++; this.typing.strayByte(); sim.io.uartInject(0, 0x61 + (w.byte % 26)); }
  }
}

export type { ConsoleApp };
export { HOOK_NAMES, T_STANDBY, T_HIBERNATE, P_IDLE, TEST_NONE };
