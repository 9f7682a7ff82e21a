// The simulated ESP32 board's hardware, made once and kept across reboots: clock, IO, chip models, energy, platform, stimuli.
import type { SimBoardWiring } from "../boards/esp32-devkitc";
import { WAKE_NONE, WAKE_TIMER, WAKE_TEST_HOLD, WAKE_RESET } from "../../runtime/status";
import { VirtualClock } from "../core/clock";
import { SimBoardIo } from "../core/board-io";
import { createProvider, type SimDevice } from "../core/provider";
import type { Bme280 } from "../models/bme280";
import type { Button } from "../models/button";
import type { FaultKind } from "../models/common";
import { EnergyMeter, SOC_ACTIVE, SOC_DEEP_SLEEP, SOC_LIGHT_SLEEP } from "../models/energy";
import type { Led } from "../models/led";
import { ModuleFlash } from "../models/module-flash";
import type { UartTerminal } from "../models/uart-terminal";
import type { W25q } from "../models/w25q";
import { BoardModels } from "./board-models";
import { type ByteSink, ViolationLog } from "./recorders";
import { SimPlatform } from "./sim-platform";
import { SLEEP_DEEP, SLEEP_LIGHT } from "./sim-sleep";
import { SimTime } from "./sim-time";

/** How the hardware is made: seed, the platform's timer pool, its CPU costs, RTC memory. */
export interface SimHardwareOptions {
  /** Seed of the virtual clock's and the models' PRNGs (button bounce): same seed, same run. Default 1. */
  seed?: number;
  /** Runtime/driver timer slots (reused across reboots). Default 48. */
  timerSlots?: number;
  /** CPU time per platform.now() call, us. Default 0.25. */
  nowCostUs?: number;
  /**
   * ESP32 XS rate (metered instructions per us) at which the runtime's dispatch of each hook is
   * charged (host-sim/board/dispatch-cost.ts). Default ESP32_XS_UNITS_PER_US; 0 charges nothing.
   */
  xsUnitsPerUs?: number;
  /** RTC slow memory kept for the hibernate image of a board without a storage device, bytes (default 2,048, the native module's). */
  rtcImageBytes?: number;
}

/**
 * What stays powered, or at least stays put, when the firmware reboots: the chips keep their state, the
 * platform keeps its timer pool and RTC memory. SimBoard adds the firmware on top (boot and reboot).
 */
export class SimHardware {
  /** The board definition and the models on its pins. */
  readonly wiring: SimBoardWiring;
  /** The virtual clock under `time`: it moves only when the harness advances it. */
  readonly vclock: VirtualClock;
  /** The board's time (virtual clock plus CPU time spent): models, IO and platform all read it. */
  readonly time: SimTime;
  /** The IO hardware: pins, buses, UARTs, the event queue, IRQ lines. */
  readonly io: SimBoardIo;
  /** The ECMA-419 device object (IO classes, pins) behind the firmware's provider. */
  readonly device: SimDevice;
  /** The runtime's platform: timer pool, masking, sleeps (a deep-sleep wake reboots). */
  readonly platform: SimPlatform;
  /** Integrates the SoC's and every model's current over virtual time. */
  readonly energy: EnergyMeter;
  /** The module's own flash (VDD_SDIO): off in deep sleep, re-powered at the wake. */
  readonly moduleFlash = new ModuleFlash();
  /** Model timing violations; tests assert it stays empty. */
  readonly violations = new ViolationLog();
  /** Models by board device name. */
  readonly buttons: { [device: string]: Button };
  /** LED models by device name. */
  readonly leds: { [device: string]: Led };
  /** BME280 models by device name. */
  readonly bme280s: { [device: string]: Bme280 };
  /** W25Q flash models by device name (their arrays survive reboots). */
  readonly flashes: { [device: string]: W25q };
  /** Byte sinks (wiring kind "uart-peer") by UART port: what the firmware transmitted. */
  readonly uartPeers: { [port: number]: ByteSink };
  /** Terminals (wiring kind "terminal") by device name: what the firmware printed, and typing into it. */
  readonly terminals: { [device: string]: UartTerminal };
  /** Bytes that arrived on a UART RX while the SoC slept (never received; some of them woke it). */
  uartRxLost = 0;
  /** Custom models (wiring kind "custom") by device name. */
  readonly models: { [device: string]: unknown };
  private readonly chips: BoardModels;

  constructor(wiring: SimBoardWiring, options: SimHardwareOptions = {}) {
    this.wiring = wiring;
    const def = wiring.definition;
    const seed = options.seed ?? 1;
    this.vclock = new VirtualClock(256, seed);
    this.time = new SimTime(this.vclock);
    this.io = new SimBoardIo(this.time, { externalPullUps: wiring.externalPullUps });
    this.energy = new EnergyMeter({ clock: this.time });
    this.energy.add(this.moduleFlash);
    // Models first: on equal deadlines their timers fire before the firmware's (lower slots).
    const chips = new BoardModels(wiring, this, seed);
    this.chips = chips;
    this.buttons = chips.buttons;
    this.leds = chips.leds;
    this.bme280s = chips.bme280s;
    this.flashes = chips.flashes;
    this.uartPeers = chips.uartPeers;
    this.terminals = chips.terminals;
    this.models = chips.models;
    // Wake lines beyond the SoC's (the console's RX line) are the runtime's: size by the larger.
    const lines = Math.max(this.io.lineCount, def.pm.irqLines);
    this.platform = new SimPlatform(this.time, options.timerSlots ?? 48, lines, def.wakeSources, options.nowCostUs ?? 0.25, options.xsUnitsPerUs, options.rtcImageBytes);
    const self = this;
    this.platform.onSleepChange = function sleepChange(mode: number): void {
      self.energy.setSocMode(mode === SLEEP_LIGHT ? SOC_LIGHT_SLEEP : mode === SLEEP_DEEP ? SOC_DEEP_SLEEP : SOC_ACTIVE);
      self.moduleFlash.setPowered(mode !== SLEEP_DEEP);
    };
    const io = this.io;
    const platform = this.platform;
    this.platform.irqSource = {
      lineCount: io.lineCount,
      deliver: io.deliver,
      setSink(sink: { raise(line: number): void } | null): void {
        platform.setSink(sink);
        io.setSink(sink === null ? null : platform.sinkProxy);
      },
    };
    this.device = createProvider(this.io, { pins: def.pins });
    if (wiring.timerWakeUs !== undefined && wiring.timerWakeUs > 0) this.platform.timerWakeUs = wiring.timerWakeUs;
  }

  // ---- time ----

  /** Runs the board for `us` of virtual time; returns how many timers fired. */
  advance(us: number): number {
    return this.time.advance(us);
  }

  /** Runs until no timer is armed (at most `maxUs`). */
  settle(maxUs = 5_000_000): boolean {
    return this.time.runUntilIdle(maxUs);
  }

  /** Board time, µs. */
  now(): number {
    return this.time.now();
  }

  // ---- stimuli ----

  /** Closes the contact of button `device` (with the model's seeded bounce). */
  press(device = "button"): void {
    this.chips.find(this.buttons, device, "button").press();
  }

  /** Opens the contact of button `device`. */
  release(device = "button"): void {
    this.chips.find(this.buttons, device, "button").release();
  }

  /**
   * A byte arriving on UART `port`'s RX pad. Awake: into the UART. Asleep, the UART receives nothing:
   * ESP32 light sleep wakes on RX edges (uart_set_wakeup_threshold) and the character carrying them
   * is lost; the wake cause is the line of the wake source behind that port (the console's RX line).
   * Deep sleep cannot be woken by a UART at all: the byte is just lost.
   */
  uartRx(port: number, byte: number): void {
    const mode = this.platform.sleeping;
    if (this.platform.peripheralsAwake) {
      this.io.uartInject(port, byte);
      return;
    }
    this.uartRxLost++;
    const line = mode === SLEEP_DEEP ? -1 : this.chips.uartWakeLines[port];
    if (line >= 0) this.platform.wakeNow(line);
  }

  /** The terminal on the UART behind `device` (default the console). */
  terminal(device = "console"): UartTerminal {
    return this.chips.find(this.terminals, device, "terminal");
  }

  /** Presses at absolute virtual time `atUs`, releases `holdUs` later (a wake event at a chosen time). */
  pressAt(atUs: number, holdUs: number, device = "button"): void {
    const b = this.chips.find(this.buttons, device, "button");
    const self = this;
    const press = this.time.createTimer(function scheduledPress(): void {
      b.press();
      self.time.schedule(release, holdUs);
    });
    const release = this.time.createTimer(function scheduledRelease(): void {
      b.release();
    });
    this.time.schedule(press, Math.max(0, atUs - this.now()));
  }

  /** Arms the RTC timer wake for every following sleep (0 disables). */
  setTimerWake(us: number): void {
    this.platform.timerWakeUs = us;
  }

  /** Chip fault on the model behind `device` ("nak", "stall", "none"). */
  chipFault(device: string, kind: FaultKind): void {
    this.chips.chip(device).setFault(kind);
  }

  /** Power-cycles the chip behind `device` (registers to defaults), e.g. while the board is suspended. */
  chipReset(device: string): void {
    this.chips.chip(device).reset();
  }

  /** Wake cause names as the shell spells them. */
  wakeName(cause: number): string {
    if (cause === WAKE_TIMER) return "timer";
    if (cause === WAKE_TEST_HOLD) return "test-hold";
    if (cause === WAKE_RESET) return "reset";
    if (cause === WAKE_NONE) return "none";
    const src = this.wiring.definition.wakeSources;
    for (let i = 0; i < src.length; i++) if (src[i].line === cause) return src[i].device;
    return "line " + cause;
  }
}
