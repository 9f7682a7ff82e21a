// The GPIO pads of a simulated board: who holds each pin, how it is driven and pulled, the level that results and who watches it.
import type { SocData } from "./soc";

export const OWNER_FREE = 0;
export const OWNER_DIGITAL = 1;
export const OWNER_I2C = 2;
export const OWNER_SPI = 3;
export const OWNER_SERIAL = 4;
export const OWNER_PWM = 5;
const OWNER_NAMES: readonly string[] = ["nothing", "Digital", "I2C", "SPI", "Serial", "PWM"];

/** Pin drive of an IO instance: none (input), push-pull, open-drain. */
export const DRIVE_NONE = 0;
export const DRIVE_PUSH_PULL = 1;
export const DRIVE_OPEN_DRAIN = 2;

/** Internal pull resistors (Digital modes 0..3 map onto these). */
export const PULL_NONE = 0;
export const PULL_UP = 1;
export const PULL_DOWN = 2;
export const PULL_UP_DOWN = 3;

/**
 * Per-pin state in typed arrays made once, so a pin change only writes numbers and calls the level
 * listener and edge watcher wired at boot. SimBoardIo adds the buses, UARTs and IRQ lines on top.
 */
export class SimPins {
  /** The SoC's data: GPIOs, input-only pins, bus and UART ports. */
  readonly soc: SocData;
  private readonly valid: Uint8Array;
  private readonly inputOnly: Uint8Array;
  private readonly owner: Uint8Array;
  private readonly external: Int8Array;
  private readonly pcbPullUp: Uint8Array;
  private readonly drive: Uint8Array;
  private readonly outValue: Uint8Array;
  private readonly pull: Uint8Array;
  private readonly levels: Uint8Array;
  private readonly edgeWatchers: (((edge: number) => void) | null)[];
  private readonly levelListeners: (((level: number) => void) | null)[];

  /** `externalPullUps`: pins with a pull-up resistor on the PCB (read 1 when nothing drives them). */
  constructor(soc: SocData, externalPullUps: readonly number[]) {
    this.soc = soc;
    const n = soc.gpioCount;
    this.valid = new Uint8Array(n);
    for (let i = 0; i < soc.validPins.length; i++) this.valid[soc.validPins[i]] = 1;
    this.inputOnly = new Uint8Array(n);
    for (let i = 0; i < soc.inputOnlyPins.length; i++) this.inputOnly[soc.inputOnlyPins[i]] = 1;
    this.owner = new Uint8Array(n);
    this.external = new Int8Array(n).fill(-1);
    this.pcbPullUp = new Uint8Array(n);
    for (let i = 0; i < externalPullUps.length; i++) this.pcbPullUp[this.checkPin(externalPullUps[i], "externalPullUps")] = 1;
    this.drive = new Uint8Array(n);
    this.outValue = new Uint8Array(n);
    this.pull = new Uint8Array(n);
    this.levels = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.levels[i] = this.pcbPullUp[i];
    this.edgeWatchers = new Array(n).fill(null);
    this.levelListeners = new Array(n).fill(null);
  }

  /** Something outside drives `pin` (a button): 0, 1, or -1 to release it to the pulls. */
  driveInput(pin: number, level: number): void {
    this.checkPin(pin, "driveInput");
    this.external[pin] = level < 0 ? -1 : level ? 1 : 0;
    this.refresh(pin);
  }

  /** Present level of `pin` (what an LED or a scope sees). */
  level(pin: number): number {
    return this.levels[this.checkPin(pin, "level")];
  }

  /** Called with the new level at every change of `pin` (an LED model's setLevel). One listener per pin. */
  setLevelListener(pin: number, listener: ((level: number) => void) | null): void {
    this.levelListeners[this.checkPin(pin, "setLevelListener")] = listener;
  }

  /** Which IO class holds `pin`, or "nothing". */
  pinOwner(pin: number): string {
    return OWNER_NAMES[this.owner[this.checkPin(pin, "pinOwner")]];
  }

  // ---- used by the IO classes ----

  /** `pin` is a GPIO of this SoC. */
  isValidPin(pin: number): boolean {
    return pin >= 0 && pin < this.valid.length && this.valid[pin] === 1;
  }

  /** `pin` is input-only (cannot drive; on the ESP32, GPIO 34..39). */
  isInputOnly(pin: number): boolean {
    return this.inputOnly[pin] === 1;
  }

  /** builtinIsPinFree: a pin that is not a GPIO is never free. */
  isPinFree(pin: number): boolean {
    return this.isValidPin(pin) && this.owner[pin] === OWNER_FREE;
  }

  /** Why `pin` cannot be used, for the "in use" error text. */
  describePin(pin: number): string {
    if (!this.isValidPin(pin)) return "GPIO " + String(pin) + " does not exist on " + this.soc.name;
    return "GPIO " + String(pin) + " is held by " + OWNER_NAMES[this.owner[pin]] + "; close that instance first";
  }

  /** Marks `pin` held by an IO class (OWNER_*); the caller checked `isPinFree`. */
  claimPin(pin: number, owner: number): void {
    this.owner[pin] = owner;
  }

  /** Frees `pin` at close: no drive, no pull, no edge watcher; the level follows what remains. */
  releasePin(pin: number): void {
    this.owner[pin] = OWNER_FREE;
    this.drive[pin] = DRIVE_NONE;
    this.pull[pin] = PULL_NONE;
    this.edgeWatchers[pin] = null;
    this.refresh(pin);
  }

  /** Configures the pad: drive type, output value, internal pull. Recomputes the level. */
  configurePin(pin: number, drive: number, value: number, pull: number): void {
    this.drive[pin] = drive;
    this.outValue[pin] = value;
    this.pull[pin] = pull;
    this.refresh(pin);
  }

  /** Sets `pin`'s output value (0 or 1) and recomputes its level. */
  writePin(pin: number, value: number): void {
    this.outValue[pin] = value;
    this.refresh(pin);
  }

  /** The GPIO ISR of `pin` (edge 1 rising, 2 falling), set by a Digital with onReadable. */
  setEdgeWatcher(pin: number, watcher: ((edge: number) => void) | null): void {
    this.edgeWatchers[pin] = watcher;
  }

  /** `pin` if it is a GPIO number of this SoC; otherwise a RangeError naming `what` and the range. */
  protected checkPin(pin: number, what: string): number {
    if (!(pin >= 0 && pin < this.valid.length) || pin !== Math.floor(pin)) {
      throw new RangeError(what + ": pin " + String(pin) + " is not a GPIO of " + this.soc.name + " (0.." + String(this.valid.length - 1) + ")");
    }
    return pin;
  }

  private refresh(pin: number): void {
    let level: number;
    const d = this.drive[pin];
    if (d === DRIVE_PUSH_PULL || (d === DRIVE_OPEN_DRAIN && this.outValue[pin] === 0)) level = this.outValue[pin];
    else if (this.external[pin] >= 0) level = this.external[pin];
    else if (this.pull[pin] === PULL_UP || this.pull[pin] === PULL_UP_DOWN || this.pcbPullUp[pin] === 1) level = 1;
    else if (this.pull[pin] === PULL_DOWN) level = 0;
    else level = this.levels[pin]; // floating: the pad keeps its last level
    const old = this.levels[pin];
    if (level === old) return;
    this.levels[pin] = level;
    const listener = this.levelListeners[pin];
    if (listener !== null) listener(level);
    const watcher = this.edgeWatchers[pin];
    if (watcher !== null) watcher(level === 1 ? 1 : 2);
  }
}
