// Simulated Moddable Two: virtual clock, SimBoardIo with the ILI9341/FT6206 models wired to the board's pins, drivers booted from board.ts.
import { PowerManager } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import type { PmConfig } from "../../runtime/driver";
import { ROLE_WAKE, WAKE_TEST_HOLD } from "../../runtime/status";
import { VirtualClock } from "../../host-sim/core/clock";
import { SimBoardIo } from "../../host-sim/core/board-io";
import { createProvider, type SimDevice } from "../../host-sim/core/provider";
import type { SpiTarget, ViolationSink } from "../../host-sim/core/contracts";
import { Ili9341 as Ili9341Model } from "../../host-sim/models/ili9341";
import { Ft6206 as Ft6206Model } from "../../host-sim/models/ft6206";
import type { BoardDriver, DriverContext, IoProvider } from "../../drivers/common/io";
import { SpiBus } from "../../drivers/spi-bus/spi-bus";
import { I2cBus } from "../../drivers/i2c-bus/i2c-bus";
import { Button } from "../../drivers/button/button";
import { Ili9341 } from "../../drivers/ili9341/ili9341";
import { Ft6206 } from "../../drivers/ft6206/ft6206";
import { Backlight } from "../../drivers/backlight/backlight";
import { MODDABLE_TWO_CONFIG, MODDABLE_TWO_DEVICES, MODDABLE_TWO_PINS, type ModdableTwoDevice } from "./board";

const FACTORIES: { readonly [driver: string]: new (ctx: DriverContext) => BoardDriver } = {
  "spi-bus": SpiBus, "i2c-bus": I2cBus, button: Button, ili9341: Ili9341, ft6206: Ft6206, backlight: Backlight,
};

/** Platform over the virtual clock: masking is the IRQ controller's (no real interrupts here); sleep holds `holdUs`. */
export class ClockPlatform implements Platform {
  readonly clock: VirtualClock;
  masks = 0;
  sleeps = 0;
  private wake: ((cause: number) => void) | null = null;
  private readonly wakeTimer: number;
  constructor(clock: VirtualClock) {
    this.clock = clock;
    const self = this;
    this.wakeTimer = clock.createTimer(function simWake(): void {
      if (self.wake !== null) self.wake(WAKE_TEST_HOLD);
    });
  }
  now(): number { return this.clock.now(); }
  createTimer(callback: () => void): number { return this.clock.createTimer(callback); }
  schedule(handle: number, delayUs: number): void { this.clock.schedule(handle, delayUs); }
  cancel(handle: number): void { this.clock.cancel(handle); }
  maskInterrupts(): void { this.masks++; }
  unmaskInterrupts(): void {}
  enterSingleCpu(): void {}
  leaveSingleCpu(): void {}
  sleep(_target: number, _test: number, holdUs: number): number {
    this.sleeps++;
    this.clock.schedule(this.wakeTimer, holdUs);
    return -1;
  }
  setWakeCallback(callback: (cause: number) => void): void { this.wake = callback; }
  /** A wake source fires while asleep (cancels the hold). */
  wakeNow(cause: number): void {
    this.clock.cancel(this.wakeTimer);
    if (this.wake !== null) this.wake(cause);
  }
}

/** Collects model timing violations (tests assert the list stays empty). */
export class ViolationLog implements ViolationSink {
  readonly list: string[] = [];
  violation(chip: string, rule: string): void { this.list.push(chip + ": " + rule); }
}

/** Records every ILI9341 command byte with its time and parameters, then forwards to the model. */
export class CommandRecorder implements SpiTarget {
  readonly log: { t: number; op: number; params: number[] }[] = [];
  constructor(private readonly model: Ili9341Model, private readonly clock: VirtualClock, private readonly dc: () => number) {}
  spiSelect(): void { this.model.spiSelect(); }
  spiDeselect(): void { this.model.spiDeselect(); }
  spiTransfer(tx: Uint8Array | null, rx: Uint8Array | null, length: number): void {
    if (tx !== null) {
      if (this.dc() === 0) {
        for (let i = 0; i < length; i++) this.log.push({ t: this.clock.now(), op: tx[i], params: [] });
      } else if (this.log.length > 0) {
        const last = this.log[this.log.length - 1];
        // Pixel data is not kept; command parameters are (at most 4 bytes each).
        if (last.op !== 0x2c) for (let i = 0; i < length && last.params.length < 4; i++) last.params.push(tx[i]);
      }
    }
    this.model.spiTransfer(tx, rx, length);
  }
  /** "OP" or "OP(p1,p2)" strings in hex, from index `from`. */
  ops(from = 0): string[] {
    return this.log.slice(from).map((e) => e.op.toString(16).padStart(2, "0") + (e.params.length ? "(" + e.params.map((p) => p.toString(16)).join(",") + ")" : ""));
  }
}

export interface SimModdableTwoOptions {
  /** Board entries to override (e.g. give the touch a reset line for the hibernate path). */
  touchOptions?: { [key: string]: number };
  config?: Partial<PmConfig>;
  /** Wire FT6206 RSTN to this GPIO (a board rework; the stock Moddable Two has none). */
  touchResetPin?: number;
}

export interface SimModdableTwo {
  clock: VirtualClock;
  board: SimBoardIo;
  device: SimDevice;
  platform: ClockPlatform;
  pm: PowerManager;
  violations: ViolationLog;
  display: Ili9341Model;
  touch: Ft6206Model;
  recorder: CommandRecorder;
  drivers: { [name: string]: BoardDriver };
  ids: { [name: string]: number };
  /** Backlight pin level changes: [time, level]. */
  backlightLevels: [number, number][];
  outcomes: number[];
}

/** Boots the simulated Moddable Two: models on the buses, drivers from the board data, IRQ lines wired. */
export function bootSimModdableTwo(options: SimModdableTwoOptions = {}): SimModdableTwo {
  const P = MODDABLE_TWO_PINS;
  const clock = new VirtualClock(48, 1);
  const board = new SimBoardIo(clock, { queueLength: 10 });
  const device = createProvider(board, { pins: { button: P.button, backlight: P.backlight, displayDC: P.displayDC, displaySelect: P.displaySelect } });
  const platform = new ClockPlatform(clock);
  const config: PmConfig = { ...MODDABLE_TWO_CONFIG, ...options.config };
  const pm = new PowerManager(config, platform);
  const violations = new ViolationLog();
  const dcLevel = (): number => board.level(P.displayDC);
  const display = new Ili9341Model({ clock, violations, dcLevel });
  const recorder = new CommandRecorder(display, clock, dcLevel);
  board.attachSpi(P.displaySelect, recorder);
  const touch = new Ft6206Model({ clock, violations });
  board.attachI2c(P.i2cData, P.i2cClock, touch);
  touch.setIntListener((level) => board.driveInput(P.touchInterrupt, level));
  // INT idles high (the FT6206 drives it); the pad must see that level before the first falling edge.
  board.driveInput(P.touchInterrupt, 1);
  if (options.touchResetPin !== undefined) board.setLevelListener(options.touchResetPin, (level) => touch.setResetLevel(level));
  const backlightLevels: [number, number][] = [];
  board.setLevelListener(P.backlight, (level) => backlightLevels.push([clock.now(), level]));

  const drivers: { [name: string]: BoardDriver } = {};
  const ids: { [name: string]: number } = {};
  for (const entry of MODDABLE_TWO_DEVICES) {
    const e: ModdableTwoDevice = entry.name === "touch" && options.touchOptions
      ? { ...entry, options: { ...entry.options, ...options.touchOptions } }
      // No PWM class in the simulated IO: the backlight runs as a GPIO there.
      : entry.name === "backlight" ? { ...entry, options: { ...entry.options, pwm: 0 } } : entry;
    const ctx: DriverContext = {
      name: e.name, board: config.board, pm, platform, device: device as unknown as IoProvider, options: e.options,
      parent: e.parent !== undefined ? drivers[e.parent] : null, irqLine: -1,
    };
    const d = new FACTORIES[e.driver](ctx);
    const wake = (d.roles ?? 0) & ROLE_WAKE;
    const id = pm.register({
      name: e.name, hooks: d, parent: e.parent, needs: e.needs, roles: d.roles, wakeLine: wake ? e.options.pin : undefined,
      budgetUs: e.budgetUs, stageBudgetUs: e.stageBudgetUs, stateBytes: d.stateBytes, requestBlocks: d.requestBlocks,
    });
    d.attach(id);
    drivers[e.name] = d;
    ids[e.name] = id;
  }
  pm.seal();
  for (let line = 0; line < board.lineCount; line++) pm.irq.register(line, board.deliver, line === P.button);
  board.setSink(pm.irq);
  const outcomes: number[] = [];
  pm.setDoneCallback((s) => outcomes.push(s));
  return { clock, board, device, platform, pm, violations, display, touch, recorder, drivers, ids, backlightLevels, outcomes };
}
