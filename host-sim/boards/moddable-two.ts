// Simulated Moddable Two: the board definition booted by boards/boot.ts on host-sim's SimBoard, with ILI9341/FT6206 models on its pins.
import type { PmConfig } from "../../runtime/driver";
import type { PowerManager } from "../../runtime/pm";
import type { BoardDriver } from "../../drivers/common/io";
import type { Clock, SpiTarget, ViolationSink } from "../core/contracts";
import type { SimBoardIo } from "../core/board-io";
import type { SimDevice } from "../core/provider";
import type { EnergyMeter } from "../models/energy";
import type { UartTerminal } from "../models/uart-terminal";
import type { FaultKind } from "../models/common";
import { Ili9341 as Ili9341Model } from "../models/ili9341";
import { Ft6206 as Ft6206Model } from "../models/ft6206";
import { SimBoard } from "../board/sim-board";
import type { ViolationLog } from "../board/recorders";
import type { SimPlatform } from "../board/sim-platform";
import type { SimTime } from "../board/sim-time";
import type { BoardDefinition, BoardDevice } from "../../boards/types";
import type { SimBoardWiring, SimModelContext } from "./esp32-devkitc";
import { MODDABLE_TWO, MODDABLE_TWO_PINS } from "../../boards/moddable-two/board";

const P = MODDABLE_TWO_PINS;

/** Records every ILI9341 command byte with its time and parameters, then forwards to the model. */
export class CommandRecorder implements SpiTarget {
  readonly log: { t: number; op: number; params: number[] }[] = [];
  constructor(readonly model: Ili9341Model, private readonly clock: Clock, private readonly dc: () => number) {}
  /** Chip controls pass through, so SimBoard.chipFault/chipReset reach the panel behind the recorder. */
  setFault(kind: FaultKind): void { this.model.setFault(kind); }
  reset(): void { this.model.reset(); }
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

/** Variations of the simulated Moddable Two: touch options, runtime sizes, a touch reset line, seed. */
export interface SimModdableTwoOptions {
  /** Board entries to override (e.g. give the touch a reset line for the hibernate path). */
  touchOptions?: { [key: string]: number };
  /** PmConfig fields to override (runtime sizes). */
  config?: Partial<PmConfig>;
  /** Wire FT6206 RSTN to this GPIO (a board rework; the stock Moddable Two has none). */
  touchResetPin?: number;
  /** Seed of the board's PRNGs (SimBoardOptions.seed); default 1. */
  seed?: number;
  /** Runtime PM: `autosuspendMs` per device name (the shipped board sets none). */
  autosuspendMs?: { [device: string]: number };
}

/** The simulated Moddable Two and handles on its parts (models, drivers, recorder, outcomes). */
export interface SimModdableTwo {
  /** The SimBoard underneath (stimuli, reboot, energy, faults). */
  sim: SimBoard;
  /** The board's time (`sim.time`). */
  clock: SimTime;
  /** The board's IO hardware (`sim.io`). */
  board: SimBoardIo;
  /** The ECMA-419 device object the firmware sees (`sim.device`). */
  device: SimDevice;
  /** The runtime's platform (`sim.platform`). */
  platform: SimPlatform;
  /** The first boot's power manager; after a reboot (hibernate wake) use `sim.pm`. */
  pm: PowerManager;
  /** Model timing violations; tests assert it stays empty. */
  violations: ViolationLog;
  /** The ILI9341 panel model. */
  display: Ili9341Model;
  /** The FT6206 touch controller model. */
  touch: Ft6206Model;
  /** Every command byte sent to the display, with its time and first parameters. */
  recorder: CommandRecorder;
  /** The console's terminal (UART 0). */
  terminal: UartTerminal;
  /** The first boot's drivers by board device name. */
  drivers: { readonly [name: string]: BoardDriver };
  /** The first boot's device ids by board device name. */
  ids: { readonly [name: string]: number };
  /** Backlight pin level changes: [time, level]. */
  backlightLevels: [number, number][];
  /** Status of every suspend outcome, in order (every boot's). */
  outcomes: number[];
}

/**
 * The board definition as the simulator runs it (the backlight on the simulated PWM, as on the
 * board); `touchOptions` patch the touch entry (a reset line), `config` the runtime sizes.
 */
export function simModdableTwoDefinition(options: SimModdableTwoOptions = {}): BoardDefinition {
  const devices: BoardDevice[] = MODDABLE_TWO.devices.map((d) => {
    if (d.name === "touch" && options.touchOptions !== undefined) d = { ...d, options: { ...d.options, ...options.touchOptions } };
    const ms = options.autosuspendMs?.[d.name];
    return ms === undefined ? d : { ...d, autosuspendMs: ms };
  });
  return { ...MODDABLE_TWO, pm: { ...MODDABLE_TWO.pm, ...options.config }, devices };
}

/** Which models sit on which pins: button, display (through a command recorder), touch, backlight probe, console terminal. */
export function simModdableTwoWiring(options: SimModdableTwoOptions = {}): SimBoardWiring {
  return {
    definition: simModdableTwoDefinition(options),
    externalPullUps: [P.button],
    models: [
      { kind: "button", device: "button", pin: P.button },
      {
        kind: "custom", device: "display", attach: (ctx: SimModelContext): CommandRecorder => {
          const io = ctx.io as SimBoardIo;
          const dcLevel = (): number => io.level(P.displayDC);
          const model = new Ili9341Model({ clock: ctx.clock as Clock, violations: ctx.violations as ViolationSink, dcLevel });
          const recorder = new CommandRecorder(model, ctx.clock as Clock, dcLevel);
          io.attachSpi(P.displaySelect, recorder);
          (ctx.energy as EnergyMeter).add(model);
          return recorder;
        },
      },
      {
        kind: "custom", device: "touch", attach: (ctx: SimModelContext): Ft6206Model => {
          const io = ctx.io as SimBoardIo;
          const touch = new Ft6206Model({ clock: ctx.clock as Clock, violations: ctx.violations as ViolationSink });
          io.attachI2c(P.i2cData, P.i2cClock, touch);
          touch.setIntListener((level: number) => io.driveInput(P.touchInterrupt, level));
          // INT idles high (the FT6206 drives it); the pad must see that level before the first falling edge.
          io.driveInput(P.touchInterrupt, 1);
          if (options.touchResetPin !== undefined) io.setLevelListener(options.touchResetPin, (level: number) => touch.setResetLevel(level));
          (ctx.energy as EnergyMeter).add(touch);
          return touch;
        },
      },
      {
        kind: "custom", device: "backlight", attach: (ctx: SimModelContext): [number, number][] => {
          const levels: [number, number][] = [];
          const clock = ctx.clock as Clock;
          (ctx.io as SimBoardIo).setLevelListener(P.backlight, (level: number) => levels.push([clock.now(), level]));
          return levels;
        },
      },
      { kind: "terminal", device: "console", port: 0, baud: 115200 },
    ],
  };
}

/**
 * Boots the simulated Moddable Two through SimBoard (boards/boot.ts: validation, drivers from
 * boards/drivers.ts, IRQ lines, the console). A standby sleeps until a wake source; the RTC timer
 * is armed for `testHoldUs` so an unattended standby ends like the board's test hold would.
 */
export function bootSimModdableTwo(options: SimModdableTwoOptions = {}): SimModdableTwo {
  // No driver here spins on now(): datasheet delays are timers, so now() costs no CPU time and
  // command timings come out exact.
  const sim = new SimBoard(simModdableTwoWiring(options), { seed: options.seed ?? 1, nowCostUs: 0 });
  sim.setTimerWake(sim.wiring.definition.pm.testHoldUs);
  const outcomes: number[] = [];
  sim.onDone((s) => outcomes.push(s));
  const recorder = sim.models.display as CommandRecorder;
  const booted = sim.booted as NonNullable<SimBoard["booted"]>;
  return {
    sim, clock: sim.time, board: sim.io, device: sim.device, platform: sim.platform, pm: sim.pm, violations: sim.violations,
    display: recorder.model, touch: sim.models.touch as Ft6206Model, recorder, terminal: sim.terminal("console"),
    drivers: booted.drivers, ids: booted.ids, backlightLevels: sim.models.backlight as [number, number][], outcomes,
  };
}
