// Board definitions as plain data: PM sizes, pin map, devices (driver, options, parent/needs/roles/budgets), wake sources.
import type { PmConfig } from "../runtime/driver";
import type { Platform } from "../runtime/platform";
import type { BoardDriver, DriverContext } from "../drivers/common/io";

/**
 * Makes one driver from its board entry (boot calls it once per device). `options` lists every key of
 * the entry's `options` the driver reads: boot refuses any other, since a misspelt one would otherwise
 * leave the driver on its default in silence. A plain function (no list) has its keys unchecked.
 */
export interface DriverFactory {
  (ctx: DriverContext): BoardDriver;
  /** The top-level option keys the driver reads: its exported `<DRIVER>_OPTIONS`, less any `<group>.<key>` entry. */
  readonly options?: readonly string[];
  /**
   * Its option groups, each with the keys it may hold: an option whose value is an object of options
   * and replaces the top-level ones of the same names (uart-console's `serial`: port, transmit,
   * receive, baud). Made by `driverFactory` from the list's `<group>.<key>` entries.
   */
  readonly groups?: { readonly [group: string]: readonly string[] };
  /** Its option keys beyond PIN_OPTIONS that are GPIO numbers (the PIR's `enable`): boot refuses two devices on one pin. */
  readonly pins?: readonly string[];
}

/**
 * A driver table entry that declares its driver's option keys: `driverFactory((ctx) => new Led(ctx), LED_OPTIONS)`.
 * An entry `<group>.<key>` ("serial.baud") is a key inside the option group `<group>`, which is listed
 * too. The list is split here, when the board module loads, so boot compares names without building
 * strings (the XS heap is sized for boot's garbage too). `pins` lists its option keys that are GPIO numbers
 * beyond PIN_OPTIONS (`driverFactory((ctx) => new Pir(ctx), PIR_OPTIONS, ["enable"])`), so a clash is refused. @boot
 */
export function driverFactory(make: (ctx: DriverContext) => BoardDriver, options: readonly string[], pins?: readonly string[]): DriverFactory {
  // Its own pin keys (a driver's `enable`, `alert`): checked with PIN_OPTIONS for clashes (validate.ts `claimPins`).
  if (pins !== undefined) Object.assign(make, { pins: Array.isArray(pins) ? Object.freeze(pins.slice()) : pins });
  // Not a list of strings ("pin"): kept as given, for boot to refuse naming the board and the device (boards/driver-check.ts).
  let strings = Array.isArray(options);
  for (let i = 0; strings && i < options.length; i++) if (typeof options[i] !== "string") strings = false;
  if (!strings) return Object.freeze(Object.assign(make, { options }));
  const top: string[] = [];
  const groups: { [group: string]: string[] } = {};
  let grouped = false;
  for (let i = 0; i < options.length; i++) {
    const dot = options[i].indexOf(".");
    if (dot < 0) {
      top.push(options[i]);
      continue;
    }
    const group = options[i].slice(0, dot);
    if (!Object.prototype.hasOwnProperty.call(groups, group)) groups[group] = [];
    groups[group].push(options[i].slice(dot + 1));
    grouped = true;
  }
  if (!grouped) return Object.freeze(Object.assign(make, { options: Object.freeze(options) }));
  const names = Object.keys(groups);
  for (let i = 0; i < names.length; i++) Object.freeze(groups[names[i]]);
  return Object.freeze(Object.assign(make, { options: Object.freeze(top), groups: Object.freeze(groups) }));
}

/** Driver name -> factory: what a board's `driver` fields name. A board module exports the table of the drivers it uses. */
export type DriverTable = { readonly [name: string]: DriverFactory };

/** One device on the board. `driver` names an entry of the driver table boot is given (BootOptions.drivers). */
export interface BoardDevice {
  /** Unique device name (console, traces, errors, `parent` and `needs`). */
  readonly name: string;
  /** Key of its factory in the driver table. */
  readonly driver: string;
  /** Read by the driver's constructor (pins, address, oversampling...). Pins are GPIO numbers. */
  readonly options?: { readonly [key: string]: unknown };
  /** The bus it hangs off: constructed first, suspends after it, resumes before it. */
  readonly parent?: string;
  /** Other devices it does I/O through. */
  readonly needs?: readonly string[];
  /** ROLE_STORAGE | ROLE_WAKE; default: what the driver declares. */
  readonly roles?: number;
  /** IRQ line its interrupts arrive on (the wake line for ROLE_WAKE). */
  readonly irq?: number;
  /** Every number here is checked at boot against runtime/limits.ts (`device.<field>`): budgets 1..2e9 µs. */
  readonly budgetUs?: number;
  /** Per-stage overrides of `budgetUs`, µs. */
  readonly stageBudgetUs?: {
    /** S1 budget, µs. */ readonly prepare?: number;
    /** S2 budget, µs. */ readonly suspend?: number;
    /** R2 budget, µs. */ readonly resume?: number;
    /** Re-probe budget, µs. */ readonly reprobe?: number;
  };
  /** Defaults: what the driver declares. */
  readonly stateBytes?: number;
  /** Request blocks reserved in S1 (see `stateBytes`). */
  readonly requestBlocks?: number;
  /** What the device adds to a suspend and a resume (µs), for the idle governor; default: what the driver declares, else 0. */
  readonly suspendCostUs?: number;
  /** Resume cost, µs (see `suspendCostUs`). */
  readonly resumeCostUs?: number;
  /** Runtime PM: idle this many ms after its last putAutosuspend, the device powers down by itself (its driver needs runtime hooks); default: what the driver declares, else never. */
  readonly autosuspendMs?: number;
}

/** A line that can wake the SoC: from light sleep (standby) always; from deep sleep only if `hibernate`. */
export interface WakeSource {
  /** Name of the device the line belongs to. */
  readonly device: string;
  /** The IRQ line that wakes. */
  readonly line: number;
  /** Also wakes deep sleep. ESP32: RTC GPIOs only, armed as ext0 + ext1 (boards/esp32-wake.ts), never a UART; boot refuses what the chip cannot arm. */
  readonly hibernate: boolean;
  /** A GPIO source: the level that wakes (0: active low, a button to ground, the default; 1: active high, a PIR output). */
  readonly level?: number;
}

/** A board as data: runtime sizes, pins, devices, wake sources, IRQ numbering. Boot validates every field. */
export interface BoardDefinition {
  /** Display name. */
  readonly name: string;
  /** The board's folder, named in every error, e.g. "boards/esp32-devkitc". */
  readonly file: string;
  /** Runtime sizes (the board name is `file`). */
  readonly pm: Omit<PmConfig, "board">;
  /** Named GPIOs (Moddable's `device.pin`): documentation, and what the simulated provider exposes. */
  readonly pins: { readonly [name: string]: number };
  /** Every device on the board, in any order (boot constructs parents first). */
  readonly devices: readonly BoardDevice[];
  /** Lines armed as wake sources during a sleep. */
  readonly wakeSources: readonly WakeSource[];
  /** IRQ numbering: GPIO n is line gpioBase + n; UART port p is line uartBase + p. */
  readonly irq: {
    /** Line of GPIO 0. */ readonly gpioBase: number;
    /** Line of UART port 0. */ readonly uartBase: number;
  };
}

/** Where a board's interrupts come from (host-sim: SimBoardIo; ESP32: the native module's dispatcher). */
export interface IrqSource {
  /** IRQ lines it numbers (0 .. lineCount - 1). */
  readonly lineCount: number;
  /** Bound once: runs the IO class's handler for `line` (the runtime registers it for every line). */
  readonly deliver: (line: number) => void;
  /** Where raised lines go: the runtime's IrqController (`raise`), or null to deliver straight to the handlers. */
  setSink(sink: { raise(line: number): void } | null): void;
}

/** The runtime Platform plus what boot needs from the board's platform binding. */
export interface BoardPlatform extends Platform {
  /** Interrupt source; absent on a platform whose drivers raise lines themselves. */
  readonly irqSource?: IrqSource;
  /** At boot: the wake cause if this boot is the wake from hibernate (deep sleep), else WAKE_NONE. */
  hibernateWakeCause(): number;
  /** At a hibernate wake: how long the deep sleep lasted by the RTC clock (µs), -1 if the platform cannot tell. */
  hibernateSleptUs?(): number;
  /** Boot-time messages ("resumed from hibernate", why a cold boot). */
  log(message: string): void;
  /**
   * Optional: bytes of hibernate image the platform keeps itself for a board with no storage device
   * (ESP32: RTC slow memory, powered through deep sleep; ESP32 TRM §1.3.2.2, ESP-IDF `RTC_DATA_ATTR`).
   */
  readonly imageBytes?: number;
  /** Boot: the arena bytes a hibernate keeps (`flashAddress` -1: kept whole by the platform). */
  bindImage?(bytes: Uint8Array, flashAddress: number): void;
  /** Boot after a hibernate wake: copies the kept image into `into` and forgets it: IMAGE_LOADED, or a PLATFORM_IMAGE_* code. */
  loadImage?(into: Uint8Array): number;
  /** Cold boot: forgets a kept image, so it never resurrects a later boot. */
  clearImage?(): void;
}

/**
 * Option keys whose values are GPIO numbers (checked for two devices on one pin, and against the
 * `option.<key>` rows of runtime/limits.ts: integers 0..63; leave a pin out rather than set -1).
 * Each is one a shipped driver reads (the backlight driver's GPIO is its `pin`).
 */
export const PIN_OPTIONS: readonly string[] = Object.freeze(["pin", "data", "clock", "miso", "mosi", "select", "transmit", "receive", "reset", "dc", "interrupt", "wake"]);
