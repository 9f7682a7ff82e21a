// The simulated ESP32 board: virtual clock, simulated IO, chip models per host-sim/boards, energy, SimPlatform, boot and reboot.
import { bootBoard, type BootedBoard, type BootOptions, type ConsoleFactory } from "../../boards/boot";
import { DRIVERS } from "../../boards/drivers";
import type { DriverTable } from "../../boards/types";
import { ConsoleApp } from "../../console/console-app";
import type { SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";
import type { BoardDriver, IoProvider } from "../../drivers/common/io";
import type { PowerManager } from "../../runtime/pm";
import { WAKE_NONE, WAKE_TIMER, WAKE_TEST_HOLD, WAKE_RESET } from "../../runtime/status";
import { VirtualClock } from "../core/clock";
import { SimBoardIo } from "../core/board-io";
import type { UartPeer, ViolationSink } from "../core/contracts";
import { createProvider, type SimDevice } from "../core/provider";
import { Button } from "../models/button";
import { Led } from "../models/led";
import { Bme280 } from "../models/bme280";
import { W25q } from "../models/w25q";
import { UartTerminal } from "../models/uart-terminal";
import type { FaultKind } from "../models/common";
import { EnergyMeter, SOC_ACTIVE, SOC_DEEP_SLEEP, SOC_LIGHT_SLEEP } from "../models/energy";
import { ModuleFlash } from "../models/module-flash";
import { createPrng } from "../models/prng";
import { FaultTable } from "./faults";
import { SimPlatform, SLEEP_DEEP, SLEEP_LIGHT, SLEEP_NONE } from "./sim-platform";
import { SimTime } from "./sim-time";

/** Collects model timing violations; tests assert it stays empty. */
export class ViolationLog implements ViolationSink {
  /** Every violation so far, as "chip: rule". */
  readonly list: string[] = [];
  /** Appends "chip: rule" to `list`. */
  violation(chip: string, rule: string): void {
    this.list.push(chip + ": " + rule);
  }
}

/** The far end of a UART: keeps every byte the board transmitted. */
export class ByteSink implements UartPeer {
  /** The bytes received, `capacity` at most (later ones are dropped). */
  readonly bytes: Uint8Array;
  /** Bytes kept in `bytes`. */
  count = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  uartReceive(byte: number): void {
    if (this.count < this.bytes.length) this.bytes[this.count++] = byte;
  }
}

/** How a SimBoard is made: seed, timer slots, the driver table, the console, whether it boots at once. */
export interface SimBoardOptions {
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
  /** Boot right away (default true). */
  boot?: boolean;
  /** Driver table for every boot (default the wiring's, else boards/drivers.ts DRIVERS: every shipped driver). */
  drivers?: DriverTable;
  /** The console made when a device offers one (default the shipped shell, console/console-app.ts). */
  makeConsole?: ConsoleFactory;
  /** false: boot leaves the console to the caller (console.boot(false), its own trace/done wiring). Default true. */
  console?: boolean;
}

type Closable = { close(): void };

/**
 * One simulated board. Hardware (clock, IO, models, energy, platform timer pool) is made once; the
 * firmware (PowerManager + drivers) is made by `boot` and thrown away by a deep-sleep wake, which
 * closes every IO instance the old firmware opened (peripheral reset), forgets its timers, keeps the
 * flash array and the other chips' state (they stay powered), writes the wake cause to "RTC memory"
 * and boots again: boards/boot.ts then finds the image and resumes from it.
 */
export class SimBoard {
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
  /** Faults injected into the drivers' hooks (kept across reboots: every boot wraps its drivers with it). */
  readonly faults: FaultTable;
  /** Models by board device name. */
  readonly buttons: { [device: string]: Button } = {};
  /** LED models by device name. */
  readonly leds: { [device: string]: Led } = {};
  /** BME280 models by device name. */
  readonly bme280s: { [device: string]: Bme280 } = {};
  /** W25Q flash models by device name (their arrays survive reboots). */
  readonly flashes: { [device: string]: W25q } = {};
  /** Byte sinks (wiring kind "uart-peer") by UART port: what the firmware transmitted. */
  readonly uartPeers: { [port: number]: ByteSink } = {};
  /** Terminals (wiring kind "terminal") by device name: what the firmware printed, and typing into it. */
  readonly terminals: { [device: string]: UartTerminal } = {};
  /** Bytes that arrived on a UART RX while the SoC slept (never received; some of them woke it). */
  uartRxLost = 0;
  /** Custom models (wiring kind "custom") by device name. */
  readonly models: { [device: string]: unknown } = {};
  /** The running firmware (runtime, drivers, console), null between a reboot's teardown and its boot. */
  booted: BootedBoard | null = null;
  /** Boots so far (the first included). */
  boots = 0;
  private readonly tracked: Closable[] = [];
  private readonly provider: IoProvider;
  private readonly rebootTimer: number;
  private rebootCause = WAKE_NONE;
  private readonly driverTable: DriverTable;
  private readonly makeConsole: ConsoleFactory;
  /** Boot listeners added through `onBoot`: the application's main, run again after every reboot. */
  private readonly bootListeners: ((booted: BootedBoard) => void)[] = [];
  private readonly startConsole: boolean;
  /** Done listeners added through `onDone`: every boot (a reboot too) adds them to its fan-out. */
  private readonly doneListeners: ((status: number) => void)[] = [];
  /** Per UART port: the wake line a byte on its RX raises from light sleep (the console's), or -1. */
  private readonly uartWakeLines: Int16Array;

  constructor(wiring: SimBoardWiring, options: SimBoardOptions = {}) {
    this.wiring = wiring;
    const def = wiring.definition;
    const seed = options.seed ?? 1;
    this.vclock = new VirtualClock(256, seed);
    this.time = new SimTime(this.vclock);
    this.io = new SimBoardIo(this.time, { externalPullUps: wiring.externalPullUps });
    this.energy = new EnergyMeter({ clock: this.time });
    this.energy.add(this.moduleFlash);
    this.uartWakeLines = new Int16Array(this.io.uarts.length).fill(-1);
    // Models first: on equal deadlines their timers fire before the firmware's (lower slots).
    for (let i = 0; i < wiring.models.length; i++) this.buildModel(i, seed);
    // Wake lines beyond the SoC's (the console's RX line) are the runtime's: size by the larger.
    const lines = Math.max(this.io.lineCount, def.pm.irqLines);
    this.platform = new SimPlatform(this.time, options.timerSlots ?? 48, lines, def.wakeSources, options.nowCostUs ?? 0.25, options.xsUnitsPerUs, options.rtcImageBytes);
    const self = this;
    this.rebootTimer = this.time.createTimer(function simReboot(): void {
      self.reboot(self.rebootCause);
    });
    this.platform.onDeepWake = function deepWake(cause: number): void {
      self.rebootCause = cause;
      self.time.schedule(self.rebootTimer, 0);
    };
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
    this.provider = this.trackingProvider(this.device);
    this.faults = new FaultTable(def.pm.maxDevices);
    this.driverTable = options.drivers ?? wiring.drivers ?? DRIVERS;
    if (wiring.onBoot !== undefined) this.bootListeners.push(wiring.onBoot);
    if (wiring.timerWakeUs !== undefined && wiring.timerWakeUs > 0) this.platform.timerWakeUs = wiring.timerWakeUs;
    this.makeConsole = options.makeConsole ?? function shippedConsole(pm, io) {
      return new ConsoleApp(pm, io);
    };
    this.startConsole = options.console !== false;
    if (options.boot !== false) this.boot();
  }

  /** The running firmware's power manager (a new one after every reboot); throws if not booted. */
  get pm(): PowerManager {
    if (this.booted === null) throw new Error("SimBoard: not booted; call boot() first");
    return this.booted.pm;
  }

  /** The running firmware's driver of board device `name`; throws if there is none. */
  driver<T extends BoardDriver>(name: string): T {
    const b = this.booted;
    const d = b === null ? undefined : b.drivers[name];
    if (d === undefined) throw new Error("SimBoard: no device \"" + name + "\" on " + this.wiring.definition.file);
    return d as T;
  }

  /** Boots the firmware (boards/boot.ts; resumes from a hibernate image if there is one) and runs the `onBoot` listeners. */
  boot(options: Partial<BootOptions> = {}): BootedBoard {
    const faults = this.faults;
    const platform = this.platform;
    this.boots++;
    this.booted = bootBoard(this.wiring.definition, this.provider, platform, Object.assign({
      drivers: this.driverTable,
      makeConsole: this.makeConsole,
      console: this.startConsole,
      wrap: (name: string, driver: BoardDriver, pm: PowerManager) => faults.wrap(name, driver, pm, platform, platform.chargeDispatch),
      // In place before boot resumes from an image, which may end before bootBoard returns.
      onDone: this.doneListeners,
    }, options));
    this.io.queue.setStats(this.booted.pm.stats);
    const booted = this.booted;
    for (let i = 0; i < this.bootListeners.length; i++) this.bootListeners[i](booted);
    return booted;
  }

  /**
   * Runs `listener` on this boot (if booted) and after every later one: what a firmware's main does
   * at each start, a deep-sleep wake included (the old firmware's objects are gone by then).
   */
  onBoot(listener: (booted: BootedBoard) => void): void {
    this.bootListeners.push(listener);
    if (this.booted !== null) listener(this.booted);
  }

  /**
   * Calls `listener` with every suspend outcome, on this boot and on every later one (a reboot after a
   * deep-sleep wake makes a new runtime). After the console's report; never replaces it.
   */
  onDone(listener: (status: number) => void): void {
    this.doneListeners.push(listener);
    if (this.booted !== null) this.booted.onDone(listener);
  }

  /**
   * Deep-sleep wake or reset button: firmware RAM is gone, chips keep their state. The boot itself
   * (bootloader to the firmware, platform.appBootUs) passes at active current before the new firmware runs.
   */
  reboot(cause: number): BootedBoard {
    for (let i = 0; i < this.tracked.length; i++) this.tracked[i].close();
    this.tracked.length = 0;
    this.io.queue.clear();
    this.platform.reset();
    this.platform.rtcWakeCause = cause === WAKE_RESET ? WAKE_NONE : cause;
    this.energy.setSocMode(SOC_ACTIVE);
    this.moduleFlash.setPowered(true);
    if (this.platform.appBootUs > 0) this.time.spend(this.platform.appBootUs);
    this.booted = null;
    return this.boot();
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
    this.model(this.buttons, device, "button").press();
  }

  /** Opens the contact of button `device`. */
  release(device = "button"): void {
    this.model(this.buttons, device, "button").release();
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
    const line = mode === SLEEP_DEEP ? -1 : this.uartWakeLines[port];
    if (line >= 0) this.platform.wakeNow(line);
  }

  /** The terminal on the UART behind `device` (default the console). */
  terminal(device = "console"): UartTerminal {
    return this.model(this.terminals, device, "terminal");
  }

  /** Presses at absolute virtual time `atUs`, releases `holdUs` later (a wake event at a chosen time). */
  pressAt(atUs: number, holdUs: number, device = "button"): void {
    const b = this.model(this.buttons, device, "button");
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
    const m = this.bme280s[device] ?? this.flashes[device] ?? this.buttons[device] ?? this.leds[device] ?? this.customChip(device);
    if (m === undefined) throw new Error("SimBoard: no chip model behind \"" + device + "\"; models: " + this.modelNames());
    m.setFault(kind);
  }

  /** Power-cycles the chip behind `device` (registers to defaults), e.g. while the board is suspended. */
  chipReset(device: string): void {
    const m = this.bme280s[device] ?? this.flashes[device] ?? this.buttons[device] ?? this.leds[device] ?? this.customChip(device);
    if (m === undefined) throw new Error("SimBoard: no chip model behind \"" + device + "\"; models: " + this.modelNames());
    m.reset();
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

  /** A custom model (another board's chip) that can be faulted and power-cycled like the built-in ones. */
  private customChip(device: string): { setFault(kind: FaultKind): void; reset(): void } | undefined {
    const m = this.models[device] as Partial<{ setFault(kind: FaultKind): void; reset(): void }> | undefined;
    if (m === undefined || m === null || typeof m.setFault !== "function" || typeof m.reset !== "function") return undefined;
    return m as { setFault(kind: FaultKind): void; reset(): void };
  }

  private model<T>(table: { [k: string]: T }, device: string, kind: string): T {
    const m = table[device];
    if (m === undefined) throw new Error("SimBoard: no " + kind + " model behind \"" + device + "\" on " + this.wiring.definition.file);
    return m;
  }

  private modelNames(): string {
    return this.wiring.models.map((m) => m.device).join(", ");
  }

  private buildModel(i: number, seed: number): void {
    const w = this.wiring.models[i];
    const io = this.io;
    if (w.kind === "button") {
      const pin = w.pin as number;
      const b = new Button({ clock: this.time, random: createPrng(seed + i), name: w.device });
      // Contact closed pulls the pad to ground; open leaves it to the pull-ups.
      b.setLevelListener((level: number) => io.driveInput(pin, level === 0 ? 0 : -1));
      this.buttons[w.device] = b;
      this.energy.add(b);
    } else if (w.kind === "led") {
      const led = new Led({ name: w.device });
      io.setLevelListener(w.pin as number, (level: number) => led.setLevel(level));
      this.leds[w.device] = led;
      this.energy.add(led);
    } else if (w.kind === "bme280") {
      const m = new Bme280({ clock: this.time, violations: this.violations, address: w.address, name: w.device, timing: "max" });
      io.attachI2c(w.data as number, w.clock as number, m);
      this.bme280s[w.device] = m;
      this.energy.add(m);
    } else if (w.kind === "w25q") {
      const m = new W25q({ clock: this.time, violations: this.violations, name: w.device });
      io.attachSpi(w.select as number, m);
      this.flashes[w.device] = m;
      this.energy.add(m);
    } else if (w.kind === "terminal") {
      const port = w.port as number;
      const self = this;
      const t = new UartTerminal({
        deliver: function terminalDeliver(byte: number): void {
          self.uartRx(port, byte);
        },
        clock: this.time, baud: w.baud ?? 115200, rxCapacity: w.rxBytes ?? 1 << 18, txCapacity: 1 << 16, name: w.device,
      });
      io.attachUart(port, t);
      this.terminals[w.device] = t;
      const src = this.wiring.definition.wakeSources;
      for (let k = 0; k < src.length; k++) if (src[k].device === w.device) this.uartWakeLines[port] = src[k].line;
    } else if (w.kind === "custom") {
      if (w.attach === undefined) throw new Error("SimBoard: custom model \"" + w.device + "\" needs an attach function in its wiring");
      this.models[w.device] = w.attach({ io, clock: this.time, violations: this.violations, energy: this.energy, seed: seed + i });
    } else {
      const sink = new ByteSink(1 << 16);
      io.attachUart(w.port as number, sink);
      this.uartPeers[w.port as number] = sink;
    }
  }

  /** The provider the firmware sees: the same classes, but every instance is remembered for reboot. */
  private trackingProvider(device: SimDevice): IoProvider {
    const tracked = this.tracked;
    const io = device.io;
    const wrapClass = <C extends new (o: never) => Closable>(Base: C): C => {
      const Tracked = class extends (Base as unknown as new (o: unknown) => Closable) {
        constructor(o: unknown) {
          super(o);
          tracked.push(this);
        }
      };
      return Tracked as unknown as C;
    };
    return {
      io: {
        Digital: wrapClass(io.Digital as never),
        DigitalBank: wrapClass(io.DigitalBank as never),
        PWM: wrapClass(io.PWM as never),
        I2C: wrapClass(io.I2C as never),
        SPI: wrapClass(io.SPI as never),
        Serial: wrapClass(io.Serial as never),
      },
    } as unknown as IoProvider;
  }
}
