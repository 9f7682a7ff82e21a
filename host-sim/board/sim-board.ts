// The simulated ESP32 board: its hardware (sim-hardware.ts) plus the firmware booted on it, thrown away and booted again by a reboot.
import { bootBoard, type BootedBoard, type BootOptions, type ConsoleFactory } from "../../boards/boot";
import { DRIVERS } from "../../boards/drivers";
import { DRIVER_TABLE_FIELD } from "../../boards/driver-check";
import type { DriverTable } from "../../boards/types";
import { ConsoleApp } from "../../console/console-app";
import type { SimBoardWiring } from "../boards/esp32-devkitc";
import type { BoardDriver, IoProvider } from "../../drivers/common/io";
import type { PowerManager } from "../../runtime/pm";
import { WAKE_NONE, WAKE_RESET } from "../../runtime/status";
import { SOC_ACTIVE } from "../models/energy";
import { FaultTable } from "./faults";
import { SimHardware, type SimHardwareOptions } from "./sim-hardware";
import { type Closable, trackingProvider } from "./tracking-provider";

/** How a SimBoard is made: the hardware's options, the driver table, the console, whether it boots at once. */
export interface SimBoardOptions extends SimHardwareOptions {
  /** Boot right away (default true). */
  boot?: boolean;
  /** Driver table for every boot (default the wiring's, else boards/drivers.ts DRIVERS: every shipped driver). */
  drivers?: DriverTable;
  /** The console made when a device offers one (default the shipped shell, console/console-app.ts). */
  makeConsole?: ConsoleFactory;
  /** false: boot leaves the console to the caller (console.boot(false), its own trace/done wiring). Default true. */
  console?: boolean;
}

/**
 * One simulated board. Hardware (clock, IO, models, energy, platform timer pool) is made once; the
 * firmware (PowerManager + drivers) is made by `boot` and thrown away by a deep-sleep wake, which
 * closes every IO instance the old firmware opened (peripheral reset), forgets its timers, keeps the
 * flash array and the other chips' state (they stay powered), writes the wake cause to "RTC memory"
 * and boots again: boards/boot.ts then finds the image and resumes from it.
 */
export class SimBoard extends SimHardware {
  /** Faults injected into the drivers' hooks (kept across reboots: every boot wraps its drivers with it). */
  readonly faults: FaultTable;
  /** The running firmware (runtime, drivers, console), null between a reboot's teardown and its boot. */
  booted: BootedBoard | null = null;
  /** Boots so far (the first included). */
  boots = 0;
  private readonly tracked: Closable[] = [];
  private readonly provider: IoProvider;
  private readonly rebootTimer: number;
  private rebootCause = WAKE_NONE;
  private readonly driverTable: DriverTable;
  /** Where `driverTable` came from, as boot's errors name it (the field a simulator user sets, not BootOptions.drivers). */
  private readonly driversField: string;
  private readonly makeConsole: ConsoleFactory;
  /** Boot listeners added through `onBoot`: the application's main, run again after every reboot. */
  private readonly bootListeners: ((booted: BootedBoard) => void)[] = [];
  private readonly startConsole: boolean;
  /** Done listeners added through `onDone`: every boot (a reboot too) adds them to its fan-out. */
  private readonly doneListeners: ((status: number) => void)[] = [];

  constructor(wiring: SimBoardWiring, options: SimBoardOptions = {}) {
    super(wiring, options);
    const self = this;
    this.rebootTimer = this.time.createTimer(function simReboot(): void {
      self.reboot(self.rebootCause);
    });
    this.platform.onDeepWake = function deepWake(cause: number): void {
      self.rebootCause = cause;
      self.time.schedule(self.rebootTimer, 0);
    };
    this.provider = trackingProvider(this.device, this.tracked);
    this.faults = new FaultTable(wiring.definition.pm.maxDevices);
    this.driverTable = options.drivers ?? wiring.drivers ?? DRIVERS;
    // With neither given the default (every shipped driver) is missing one: the wiring is where a board's own table goes.
    this.driversField = options.drivers !== undefined ? "SimBoardOptions.drivers" : "SimBoardWiring.drivers";
    if (wiring.onBoot !== undefined) this.bootListeners.push(wiring.onBoot);
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
      // A table passed here is BootOptions.drivers itself (unless the caller names it otherwise).
      driversField: options.drivers !== undefined ? DRIVER_TABLE_FIELD : this.driversField,
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
}
