// Console test rig: the real SimBoard and boards/boot.ts with the console on UART0 and a terminal, beside allocation-free fake devices.
import { SimBoard } from "../../host-sim/board/sim-board";
import type { SimPlatform } from "../../host-sim/board/sim-platform";
import { SLEEP_NONE } from "../../host-sim/board/sim-sleep";
import type { SimTime } from "../../host-sim/board/sim-time";
import type { SimBoardIo } from "../../host-sim/core/board-io";
import type { UartTerminal } from "../../host-sim/models/uart-terminal";
import type { PowerManager } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import type { DevicePort } from "../../runtime/port";
import type { PmConfig, PmHooks } from "../../runtime/driver";
import { OK, PENDING, ROLE_STORAGE, ROLE_WAKE } from "../../runtime/status";
import type { BoardDriver, DriverContext } from "../../drivers/common/io";
import type { UartConsole } from "../../drivers/uart-console/uart-console";
import type { ConsoleApp } from "../../console/console-app";
import { DRIVERS } from "../../boards/drivers";
import { DEVKITC_CONSOLE_WAKE_LINE } from "../../boards/esp32-devkitc/board";
import type { BoardDefinition } from "../../boards/types";
import type { SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";

/** UART0 of the ESP32 DevKitC (TX GPIO1, RX GPIO3); its IRQ line in host-sim is gpioCount + 0 = 40. */
export const UART_LINE = 40;
/** The console's RX-activity wake line, as on the DevKitC board (raiseWakeOnRx). */
export const CONSOLE_WAKE_LINE = DEVKITC_CONSOLE_WAKE_LINE;
export const BUTTON_LINE = 0;

export const K_OK = 0;
export const K_FAIL = 1;
export const K_PENDING = 2;
export const K_HANG = 3;
/** The hook throws `thrown[hook]`. */
export const K_THROW = 4;
/** The hook answers `thrown[hook]`, whatever it is (a bad answer: undefined, true, 1.5, a Promise). */
export const K_ANSWER = 5;

// Hook indices for FakeDevice.script: the five device hooks in call order (the platform stage has no hook), then the re-probe.
export const H_PREPARE = 0;
export const H_SUSPEND = 1;
export const H_POWER_OFF = 2;
export const H_POWER_ON = 3;
export const H_RESUME = 4;
/** Between attempts, for a failed device only: OK (the default) brings it back. */
export const H_REPROBE = 5;

/** A fake driver whose hooks answer as scripted (per hook index 0..5), allocation-free so the XS fixture can use it. */
export class FakeDevice implements PmHooks, BoardDriver {
  readonly kind = new Uint8Array(6);
  readonly status = new Int16Array(6);
  readonly delayUs = new Float64Array(6);
  readonly calls = new Uint32Array(6);
  /** What a K_THROW hook throws or a K_ANSWER hook answers, per hook. */
  readonly thrown: unknown[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  private token = -1;
  private doneStatus = OK;
  private readonly timer: number;
  private port: DevicePort | null = null;
  private readonly platform: Platform;

  constructor(platform: Platform) {
    this.platform = platform;
    const self = this;
    this.timer = platform.createTimer(function fakeDone(): void {
      const t = self.token;
      self.token = -1;
      (self.port as DevicePort).complete(t, self.doneStatus);
    });
  }
  attach(port: DevicePort): void {
    this.port = port;
  }
  /** hook: H_PREPARE .. H_REPROBE. */
  script(hook: number, kind: number, status: number, delayUs: number): void {
    this.kind[hook] = kind;
    this.status[hook] = status;
    this.delayUs[hook] = delayUs;
  }
  private act(hook: number, token: number): number {
    this.calls[hook]++;
    const k = this.kind[hook];
    if (k === K_FAIL) return this.status[hook];
    if (k === K_THROW) throw this.thrown[hook];
    if (k === K_ANSWER) return this.thrown[hook] as number;
    if (k === K_HANG) return PENDING;
    if (k === K_PENDING) {
      this.token = token;
      this.doneStatus = this.status[hook];
      this.platform.schedule(this.timer, this.delayUs[hook]);
      return PENDING;
    }
    return OK;
  }
  prepare(t: number): number { return this.act(0, t); }
  suspend(t: number): number { return this.act(1, t); }
  powerOffNoIrq(t: number): number { return this.act(2, t); }
  powerOnNoIrq(t: number): number { return this.act(3, t); }
  resume(t: number): number { return this.act(4, t); }
  reprobe(t: number): number { return this.act(5, t); }
}

export const CONFIG: Omit<PmConfig, "board"> = {
  maxDevices: 12, stateArenaBytes: 512, blockCount: 8, blockSize: 32,
  irqLines: 48, traceRecords: 256, defaultBudgetUs: 50_000, testHoldUs: 5_000, failureHistory: 4,
};

export interface RigOptions {
  lineBytes?: number;
  txRingBytes?: number;
  echo?: boolean;
  config?: Partial<PmConfig>;
  /** Terminal receive ring (what the console printed); default 1 MiB. Full: further bytes are counted, dropped. */
  terminalBytes?: number;
}

/** DevKitC-like device set: buses, a sensor, the flash (storage), button, LED and the console. */
export const DEVICE_NAMES = ["i2c0", "bme280", "spi2", "flash", "button", "led"];

/** The rig's `status` reply while idle with every device active; `outcome` is the last attempt's status name. */
export function statusReply(outcome: string): string {
  return [
    "phase idle, 7 devices, last outcome " + outcome,
    "  i2c0    active", "  bme280  active", "  spi2    active", "  flash   active",
    "  button  active", "  led     active", "  console active", "> ",
  ].join("\r\n");
}

/** The rig as a board definition: fake devices by name, the real console as on the DevKitC (UART0, line 43). */
export function rigDefinition(options: RigOptions = {}): BoardDefinition {
  return {
    name: "console test rig", file: "boards/console-test",
    pm: { ...CONFIG, ...(options.config ?? {}) },
    pins: {},
    devices: [
      { name: "i2c0", driver: "fake" },
      { name: "bme280", driver: "fake", parent: "i2c0", stateBytes: 16 },
      { name: "spi2", driver: "fake" },
      { name: "flash", driver: "fake", parent: "spi2", roles: ROLE_STORAGE },
      { name: "button", driver: "fake", roles: ROLE_WAKE, irq: BUTTON_LINE },
      { name: "led", driver: "fake", stateBytes: 4 },
      {
        name: "console", driver: "uart-console", irq: CONSOLE_WAKE_LINE,
        options: {
          port: 0, transmit: 1, receive: 3, baud: 115200, raiseWakeOnRx: true,
          lineBytes: options.lineBytes ?? 128, txRingBytes: options.txRingBytes ?? 4096, echo: options.echo ?? false,
        },
      },
    ],
    wakeSources: [
      { device: "button", line: BUTTON_LINE, hibernate: true },
      { device: "console", line: CONSOLE_WAKE_LINE, hibernate: false },
    ],
    irq: { gpioBase: 0, uartBase: UART_LINE },
  };
}

const RIG_DRIVERS = {
  ...DRIVERS,
  fake: (ctx: DriverContext): BoardDriver => new FakeDevice(ctx.platform),
};

/**
 * SimBoard does what a board does: boots the console (banner, trace listener, done report), paces the
 * terminal at 115200 baud, and while asleep drops the byte that wakes the chip (cause: line 43).
 * now() costs no CPU time here: fake hooks never spin, so stage durations come out exact.
 */
export class Rig {
  readonly sim: SimBoard;
  readonly clock: SimTime;
  readonly board: SimBoardIo;
  readonly platform: SimPlatform;
  readonly pm: PowerManager;
  readonly terminal: UartTerminal;
  /** The command shell (console/) the board booted on the console driver. */
  readonly console: ConsoleApp;
  /** The console driver underneath (drivers/uart-console). */
  readonly uart: UartConsole;
  readonly devices: Record<string, FakeDevice> = {};
  readonly outcomes: number[] = [];

  constructor(options: RigOptions = {}) {
    const wiring: SimBoardWiring = {
      definition: rigDefinition(options),
      models: [{ kind: "terminal", device: "console", port: 0, baud: 115200, rxBytes: options.terminalBytes ?? 1 << 20 }],
      externalPullUps: [],
    };
    // 24 timer slots cover the runtime, six fakes and the console; the virtual clock scans the slots
    // made, so fewer keeps the XS fixture's 20 rounds of lines (~675 M instructions) under one crank's 1e9.
    this.sim = new SimBoard(wiring, { drivers: RIG_DRIVERS, nowCostUs: 0, xsUnitsPerUs: 0, timerSlots: 24 });
    this.clock = this.sim.time;
    this.board = this.sim.io;
    this.platform = this.sim.platform;
    this.pm = this.sim.pm;
    this.terminal = this.sim.terminal("console");
    this.uart = this.sim.driver<UartConsole>("console");
    this.console = this.sim.booted?.console as ConsoleApp;
    for (let i = 0; i < DEVICE_NAMES.length; i++) this.devices[DEVICE_NAMES[i]] = this.sim.driver<FakeDevice>(DEVICE_NAMES[i]);
    const outcomes = this.outcomes;
    this.sim.onDone(function rigDone(s: number): void {
      outcomes.push(s);
    });
    this.settle();
    this.banner = this.take();
  }

  /** What the console printed at boot. */
  readonly banner: string;

  /** Asleep: light sleep, or the platform test hold (a real light sleep on ESP32). */
  get asleep(): boolean {
    return this.platform.sleeping !== SLEEP_NONE;
  }

  /** Bytes that arrived while asleep and were lost (the ESP32 UART wake byte). */
  get lostBytes(): number {
    return this.sim.uartRxLost;
  }

  /** Runs the virtual clock until nothing is armed (bounded). */
  settle(maxUs = 20_000_000): void {
    if (!this.clock.runUntilIdle(maxUs)) throw new Error("rig did not go idle within " + maxUs + " us");
  }

  /**
   * Types text and runs the clock `us` further (for a rig with a failed device: its re-probe timer
   * stays armed, so it never idles); returns everything the terminal received meanwhile.
   */
  sendFor(text: string | Uint8Array, us: number): string {
    this.terminal.type(text);
    this.clock.runUntil(this.clock.now() + us);
    return this.terminal.takeAll();
  }

  /** Types text and runs until idle; returns everything the terminal received meanwhile. */
  send(text: string | Uint8Array): string {
    this.terminal.type(text);
    this.settle();
    return this.terminal.takeAll();
  }

  /** Output lines (CR LF split), prompts kept as "> ". */
  lines(text: string): string[] {
    return text.split("\r\n");
  }

  take(): string {
    return this.terminal.takeAll();
  }
}
