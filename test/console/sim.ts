// Console test rig: virtual clock, simulated ESP32 UART + terminal, a sleeping platform, allocation-free fake devices.
import { VirtualClock, SimBoardIo, createProvider } from "../../host-sim/core";
import { UartTerminal } from "../../host-sim/models/uart-terminal";
import { PowerManager } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import type { PmConfig, PmHooks } from "../../runtime/driver";
import { OK, PENDING, TEST_PLATFORM, WAKE_NONE, WAKE_TEST_HOLD, ROLE_STORAGE, ROLE_WAKE } from "../../runtime/status";
import type { DriverContext, IoProvider } from "../../drivers/common/io";
import { UartConsole } from "../../drivers/uart-console/uart-console";

/** UART0 of the ESP32 DevKitC (TX GPIO1, RX GPIO3); IRQ line of UART0 in host-sim is gpioCount + 0 = 40. */
export const UART_LINE = 40;
/** The console's RX-activity wake line (raised by the console on RX: raiseWakeOnRx). */
export const CONSOLE_WAKE_LINE = 44;
export const BUTTON_LINE = 0;

/**
 * A light-sleeping platform on the virtual clock. While asleep, the first byte on the console's RX
 * wakes the chip and is lost (ESP32 UART wakeup by edge count); TEST_PLATFORM holds for holdUs.
 */
export class SleepyPlatform implements Platform {
  readonly clock: VirtualClock;
  asleep = false;
  sleeps = 0;
  lostBytes = 0;
  maskDepth = 0;
  private wake: ((cause: number) => void) | null = null;
  private readonly holdTimer: number;

  constructor(clock: VirtualClock) {
    this.clock = clock;
    const self = this;
    this.holdTimer = clock.createTimer(function platformHold(): void {
      self.wakeNow(WAKE_TEST_HOLD);
    });
  }
  now(): number { return this.clock.now(); }
  createTimer(cb: () => void): number { return this.clock.createTimer(cb); }
  schedule(h: number, us: number): void { this.clock.schedule(h, us); }
  cancel(h: number): void { this.clock.cancel(h); }
  maskInterrupts(): void { this.maskDepth++; }
  unmaskInterrupts(): void { this.maskDepth--; }
  enterSingleCpu(): void {}
  leaveSingleCpu(): void {}
  sleep(target: number, test: number, holdUs: number): number {
    this.sleeps++;
    this.asleep = true;
    if (test === TEST_PLATFORM) this.clock.schedule(this.holdTimer, holdUs);
    return WAKE_NONE;
  }
  setWakeCallback(cb: (cause: number) => void): void { this.wake = cb; }
  wakeNow(cause: number): void {
    if (!this.asleep) return;
    this.asleep = false;
    this.clock.cancel(this.holdTimer);
    (this.wake as (cause: number) => void)(cause);
  }
}

export const K_OK = 0;
export const K_FAIL = 1;
export const K_PENDING = 2;
export const K_HANG = 3;

/** A fake driver whose hooks answer as scripted (per hook index 0..4), allocation-free so the XS fixture can use it. */
export class FakeDevice implements PmHooks {
  readonly kind = new Uint8Array(5);
  readonly status = new Int16Array(5);
  readonly delayUs = new Float64Array(5);
  readonly calls = new Uint32Array(5);
  private token = -1;
  private doneStatus = OK;
  private readonly timer: number;
  private readonly pm: PowerManager;
  private readonly platform: Platform;

  constructor(pm: PowerManager, platform: Platform) {
    this.pm = pm;
    this.platform = platform;
    const self = this;
    this.timer = platform.createTimer(function fakeDone(): void {
      const t = self.token;
      self.token = -1;
      self.pm.complete(t, self.doneStatus);
    });
  }
  /** hook: 0 prepare, 1 suspend, 2 powerOffNoIrq, 3 powerOnNoIrq, 4 resume. */
  script(hook: number, kind: number, status: number, delayUs: number): void {
    this.kind[hook] = kind;
    this.status[hook] = status;
    this.delayUs[hook] = delayUs;
  }
  private act(hook: number, token: number): number {
    this.calls[hook]++;
    const k = this.kind[hook];
    if (k === K_FAIL) return this.status[hook];
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
}

export const CONFIG: PmConfig = {
  board: "boards/console-test", maxDevices: 12, stateArenaBytes: 512, blockCount: 8, blockSize: 32,
  irqLines: 48, traceRecords: 256, defaultBudgetUs: 50_000, testHoldUs: 5_000, failureHistory: 4,
};

export interface RigOptions {
  lineBytes?: number;
  txRingBytes?: number;
  echo?: boolean;
  config?: Partial<PmConfig>;
  /** Paced terminal (bytes one frame apart) or instantaneous. */
  paced?: boolean;
  /** Terminal receive ring (what the console printed); default 1 MiB. Full: further bytes are counted, dropped. */
  terminalBytes?: number;
}

/** DevKitC-like device set: buses, a sensor, the flash (storage), button, LED and the console. */
export const DEVICE_NAMES = ["i2c0", "bme280", "spi2", "flash", "button", "led"];

export class Rig {
  readonly clock = new VirtualClock(64, 1);
  readonly board: SimBoardIo;
  readonly platform: SleepyPlatform;
  readonly pm: PowerManager;
  readonly terminal: UartTerminal;
  readonly console: UartConsole;
  readonly devices: Record<string, FakeDevice> = {};
  readonly outcomes: number[] = [];

  constructor(options: RigOptions = {}) {
    this.board = new SimBoardIo(this.clock, { queueLength: 10 });
    this.platform = new SleepyPlatform(this.clock);
    this.pm = new PowerManager({ ...CONFIG, ...(options.config ?? {}) }, this.platform);
    for (let l = 0; l < this.board.lineCount; l++) this.pm.irq.register(l, this.board.deliver, l === BUTTON_LINE);
    this.board.setSink(this.pm.irq);
    const device = createProvider(this.board, { pins: {}, serial: { default: { port: 0, transmit: 1, receive: 3, baud: 115200 } } });
    const rig = this;
    this.terminal = new UartTerminal({
      deliver(byte: number): void {
        // ESP32 light sleep: the UART wakes the chip on RX edges; that character is never received.
        if (rig.platform.asleep) {
          rig.platform.lostBytes++;
          rig.platform.wakeNow(CONSOLE_WAKE_LINE);
          return;
        }
        rig.board.uartInject(0, byte);
      },
      clock: options.paced === false ? undefined : this.clock,
      baud: 115200,
      rxCapacity: options.terminalBytes ?? 1 << 20,
      txCapacity: 1 << 16,
    });
    this.board.attachUart(0, this.terminal);
    const add = (name: string, extra: { parent?: string; roles?: number; wakeLine?: number; stateBytes?: number }): void => {
      const dev = new FakeDevice(this.pm, this.platform);
      this.devices[name] = dev;
      this.pm.register({ name, hooks: dev, ...extra });
    };
    add("i2c0", {});
    add("bme280", { parent: "i2c0", stateBytes: 16 });
    add("spi2", {});
    add("flash", { parent: "spi2", roles: ROLE_STORAGE });
    add("button", { roles: ROLE_WAKE, wakeLine: BUTTON_LINE });
    add("led", { stateBytes: 4 });
    const ctx: DriverContext = {
      name: "console", board: "boards/console-test", pm: this.pm, platform: this.platform,
      device: device as unknown as IoProvider,
      options: {
        serial: device.Serial.default, raiseWakeOnRx: true, wakeLine: CONSOLE_WAKE_LINE,
        lineBytes: options.lineBytes ?? 128, txRingBytes: options.txRingBytes ?? 4096, echo: options.echo ?? false,
      },
      parent: null, irqLine: UART_LINE,
    };
    this.console = new UartConsole(ctx);
    this.console.attach(this.pm.register(this.console.buildSpec()));
    this.pm.seal();
    this.pm.setDoneCallback((s) => {
      this.outcomes.push(s);
      this.console.onSuspendDone(s);
    });
    this.console.boot(true);
    this.settle();
    this.banner = this.take();
  }

  /** What the console printed at boot. */
  readonly banner: string;

  /** Runs the virtual clock until nothing is armed (bounded). */
  settle(maxUs = 20_000_000): void {
    if (!this.clock.runUntilIdle(maxUs)) throw new Error("rig did not go idle within " + maxUs + " us");
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
