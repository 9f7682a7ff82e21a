// One simulated board's IO hardware: pin levels and owners, I2C/SPI buses, UARTs, the event queue and IRQ lines.
import type { Clock, I2cTarget, SpiTarget, UartPeer } from "./contracts";
import { EventQueue, type IrqSink } from "./event-queue";
import { SimLedc } from "./ledc";
import { ESP32, type SocData } from "./soc";
import { SimUart } from "./uart";

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

/** The board-side half of an SPI instance: its chip select, driven by the one active configuration. */
export interface SpiSelection {
  select(): void;
  deselect(): void;
}

export interface SimBoardOptions {
  soc?: SocData;
  /** Moddable `defines.task.queueLength` (default 10). */
  queueLength?: number;
  /** The runtime's IrqController, or null until boot wires it (setSink). */
  sink?: IrqSink | null;
  /** Pins with a pull-up resistor on the PCB (read 1 when nothing drives them). */
  externalPullUps?: readonly number[];
  /** Chip models per bus and per board (fixed tables, sized once). */
  maxI2cTargets?: number;
  maxI2cInstances?: number;
  /** Largest SMBus writeBuffer payload (the staging buffer is allocated once). Default 256. */
  maxSmbusBlock?: number;
}

/**
 * Everything here is allocated in the constructor; pin changes, bus transfers, posts and deliveries
 * only read and write typed arrays and call objects wired at boot. Timers: the event queue takes one
 * clock slot and each UART two, so the clock needs 1 + 2 * soc.uartPorts slots for this board.
 */
export class SimBoardIo {
  /** The SoC's data: GPIOs, input-only pins, bus and UART ports. */
  readonly soc: SocData;
  /** The board's clock: UART timing, the event queue, bus wire time (`busy`). */
  readonly clock: Clock;
  /** The XS task queue: ISRs post lines, the event loop drains them into the IRQ sink (`setSink`). */
  readonly queue: EventQueue;
  /** IRQ lines: GPIO n is line n, UART port p is line soc.gpioCount + p. */
  readonly lineCount: number;
  /** Bound once: register it with the IRQ controller for every line (`irq.register(line, board.deliver, wake)`). */
  readonly deliver: (line: number) => void;
  /** UART port p (its IRQ line is soc.gpioCount + p). */
  readonly uarts: SimUart[];
  /** The LED PWM controller behind PWM: per-pin duty for models (a backlight) to read. */
  readonly ledc: SimLedc;
  /** Staging for SMBus writeBuffer (register byte + payload) so it allocates nothing. */
  readonly smbusScratch: Uint8Array;
  /** [i2cTransfers, i2cNaks, i2cStallUs, spiTransfers, spiBytes, staleDeliveries]; Uint32 so V8 reads them as small integers without boxing. */
  readonly counters: Uint32Array;
  /** Wire time charged so far: [I2C us, SPI us, I2C ns remainder, SPI ns remainder] (host-sim/core/bus-timing.ts); integers, so nothing boxes. */
  readonly busTime: Uint32Array;

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
  private readonly lineHandlers: ((() => void) | null)[];

  private readonly i2cTargetData: Int16Array;
  private readonly i2cTargetClock: Int16Array;
  private readonly i2cTargets: (I2cTarget | null)[];
  private i2cTargetCount = 0;
  /** Open I2C instances: data, clock, address per slot (-1 = free slot). */
  private readonly i2cOpen: Int16Array;
  private readonly i2cPinUsers: Uint8Array;
  private readonly spiTargets: (SpiTarget | null)[];
  private spiActive: SpiSelection | null = null;

  constructor(clock: Clock, options: SimBoardOptions = {}) {
    const soc = options.soc ?? ESP32;
    this.soc = soc;
    this.clock = clock;
    const n = soc.gpioCount;
    this.lineCount = n + soc.uartPorts;
    this.queue = new EventQueue(clock, options.queueLength ?? 10, options.sink ?? null);
    this.valid = new Uint8Array(n);
    for (let i = 0; i < soc.validPins.length; i++) this.valid[soc.validPins[i]] = 1;
    this.inputOnly = new Uint8Array(n);
    for (let i = 0; i < soc.inputOnlyPins.length; i++) this.inputOnly[soc.inputOnlyPins[i]] = 1;
    this.owner = new Uint8Array(n);
    this.external = new Int8Array(n).fill(-1);
    this.pcbPullUp = new Uint8Array(n);
    const pu = options.externalPullUps ?? [];
    for (let i = 0; i < pu.length; i++) this.pcbPullUp[this.checkPin(pu[i], "externalPullUps")] = 1;
    this.drive = new Uint8Array(n);
    this.outValue = new Uint8Array(n);
    this.pull = new Uint8Array(n);
    this.levels = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.levels[i] = this.pcbPullUp[i];
    this.edgeWatchers = new Array(n).fill(null);
    this.levelListeners = new Array(n).fill(null);
    this.lineHandlers = new Array(this.lineCount).fill(null);
    const maxTargets = options.maxI2cTargets ?? 16;
    this.i2cTargetData = new Int16Array(maxTargets);
    this.i2cTargetClock = new Int16Array(maxTargets);
    this.i2cTargets = new Array(maxTargets).fill(null);
    this.i2cOpen = new Int16Array(3 * (options.maxI2cInstances ?? 16)).fill(-1);
    this.i2cPinUsers = new Uint8Array(n);
    this.spiTargets = new Array(n).fill(null);
    this.smbusScratch = new Uint8Array(1 + (options.maxSmbusBlock ?? 256));
    this.counters = new Uint32Array(6);
    this.busTime = new Uint32Array(4);
    this.ledc = new SimLedc(n);
    this.uarts = new Array(soc.uartPorts);
    for (let p = 0; p < soc.uartPorts; p++) this.uarts[p] = new SimUart(this, p, n + p);
    const self = this;
    this.deliver = function deliverLine(line: number): void {
      const handler = line >= 0 && line < self.lineCount ? self.lineHandlers[line] : null;
      if (handler === null) self.counters[5]++;
      else handler();
    };
  }

  /** Wires the runtime's IRQ controller (boot). Until then, or with null, drained events are dropped. */
  setSink(sink: IrqSink | null): void {
    this.queue.setSink(sink);
  }

  /** IRQ line of GPIO `pin` (the pin number; RangeError if not a GPIO). */
  gpioLine(pin: number): number {
    return this.checkPin(pin, "gpioLine");
  }

  /** IRQ line of UART `port`. */
  uartLine(port: number): number {
    return this.uart(port).line;
  }

  // ---- wiring (boot / test setup) ----

  /** Puts a chip on the I2C bus whose SDA/SCL are these pins. */
  attachI2c(data: number, clock: number, target: I2cTarget): void {
    this.checkPin(data, "attachI2c data");
    this.checkPin(clock, "attachI2c clock");
    for (let i = 0; i < this.i2cTargetCount; i++) {
      if (this.i2cTargetData[i] === data && this.i2cTargetClock[i] === clock && (this.i2cTargets[i] as I2cTarget).address === target.address) {
        throw new Error("attachI2c: address 0x" + target.address.toString(16) + " is already taken on the bus SDA " + String(data) + "/SCL " + String(clock) + "; give the model another address");
      }
    }
    if (this.i2cTargetCount === this.i2cTargets.length) {
      throw new RangeError("attachI2c: all " + String(this.i2cTargets.length) + " target slots are used; raise maxI2cTargets");
    }
    const i = this.i2cTargetCount++;
    this.i2cTargetData[i] = data;
    this.i2cTargetClock[i] = clock;
    this.i2cTargets[i] = target;
  }

  /** Puts a chip on SPI, selected by chip-select pin `select`. */
  attachSpi(select: number, target: SpiTarget): void {
    this.checkPin(select, "attachSpi select");
    if (this.spiTargets[select] !== null) throw new Error("attachSpi: chip select " + String(select) + " already has a target; use another CS pin");
    this.spiTargets[select] = target;
  }

  /** Connects the far end of UART `port` (what the device transmits arrives at `peer.uartReceive`). */
  attachUart(port: number, peer: UartPeer | null): void {
    this.uart(port).peer = peer;
  }

  /** A byte arriving on UART `port`'s RX line (from a terminal, a sensor). */
  uartInject(port: number, byte: number): void {
    this.uart(port).inject(byte);
  }

  /** Bytes `data[0..length)` arriving back-to-back on UART `port`. */
  uartInjectBytes(port: number, data: Uint8Array, length: number): void {
    const u = this.uart(port);
    for (let i = 0; i < length; i++) u.inject(data[i]);
  }

  /** UART `port`; RangeError naming the ports if it does not exist. */
  uart(port: number): SimUart {
    if (!(port >= 0 && port < this.uarts.length) || port !== Math.floor(port)) {
      throw new RangeError("UART port " + String(port) + " does not exist on " + this.soc.name + "; use 0.." + String(this.uarts.length - 1));
    }
    return this.uarts[port];
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

  /** Deliveries for a line with no handler (its instance closed after the post): dropped. */
  get staleDeliveries(): number {
    return this.counters[5];
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

  /** What `deliver` calls for `line` (an instance's onReadable path); null when it closes. */
  setLineHandler(line: number, handler: (() => void) | null): void {
    this.lineHandlers[line] = handler;
  }

  /** ISR side: posts `line` to the task queue. False when the queue was full (the event is lost). */
  post(line: number): boolean {
    return this.queue.post(line);
  }

  /** Records an open I2C instance: its slot, -2 if one is already open on these pins and address, -1 if no slot is free. */
  i2cOpenSlot(data: number, clock: number, address: number): number {
    const o = this.i2cOpen;
    for (let i = 0; i < o.length; i += 3) {
      if (o[i] === data && o[i + 1] === clock && o[i + 2] === address) return -2;
    }
    for (let i = 0; i < o.length; i += 3) {
      if (o[i] < 0) {
        o[i] = data;
        o[i + 1] = clock;
        o[i + 2] = address;
        this.i2cPinUsers[data]++;
        this.i2cPinUsers[clock]++;
        return i / 3;
      }
    }
    return -1;
  }

  /** Frees `slot`; the last instance on a pin releases that pin. */
  i2cCloseSlot(slot: number): void {
    const o = this.i2cOpen;
    const i = slot * 3;
    if (--this.i2cPinUsers[o[i]] === 0) this.releasePin(o[i]);
    if (--this.i2cPinUsers[o[i + 1]] === 0) this.releasePin(o[i + 1]);
    o[i] = -1;
    o[i + 1] = -1;
    o[i + 2] = -1;
  }

  /** Moddable's usingPins: another open I2C instance already holds exactly this SDA/SCL pair. */
  i2cSharesPins(data: number, clock: number): boolean {
    const o = this.i2cOpen;
    for (let i = 0; i < o.length; i += 3) {
      if (o[i] === data && o[i + 1] === clock) return true;
    }
    return false;
  }

  /** The chip at `address` on the bus of these pins, or null (the transfer NAKs). */
  i2cTarget(data: number, clock: number, address: number): I2cTarget | null {
    for (let i = 0; i < this.i2cTargetCount; i++) {
      const t = this.i2cTargets[i] as I2cTarget;
      if (this.i2cTargetData[i] === data && this.i2cTargetClock[i] === clock && t.address === address) return t;
    }
    return null;
  }

  /** Counts a transfer; a NAK from a stalled model adds the controller's timeout to the stall total. */
  i2cCount(target: I2cTarget | null, ok: boolean): void {
    this.counters[0]++;
    if (ok) return;
    this.counters[1]++;
    const stall = target === null ? 0 : (target as unknown as { stallUs?: number }).stallUs;
    if (typeof stall === "number" && stall > 0) this.counters[2] += stall;
  }

  /**
   * A synchronous transfer holds the CPU for `ns` nanoseconds of wire time (bus 0 = I2C, 1 = SPI):
   * the clock's `spend` moves time on without running the event loop, as a blocking transfer does on
   * the ESP32. With a clock that cannot spend (a bare VirtualClock) the time is only counted.
   * Integer arithmetic only (V8 --jitless boxes fractional intermediates; the IO soak checks that).
   */
  busy(bus: number, ns: number): void {
    if (ns <= 0) return;
    const t = this.busTime;
    const total = t[bus + 2] + ns;
    const rem = total % 1000;
    t[bus] += (total - rem) / 1000;
    t[bus + 2] = rem;
    const clock = this.clock;
    if (clock.spend !== undefined) clock.spend(ns / 1000);
  }

  /** Wire time charged on `bus` (0 = I2C, 1 = SPI) so far, us (test/report time). */
  busUs(bus: number): number {
    return this.busTime[bus] + this.busTime[bus + 2] / 1000;
  }

  /** The chip behind chip-select pin `select`, or null (reads return 0xff). */
  spiTarget(select: number): SpiTarget | null {
    return select >= 0 && select < this.spiTargets.length ? this.spiTargets[select] : null;
  }

  /** modSPIActivateConfiguration: one configuration holds its CS at a time; switching deselects the last. */
  spiActivate(selection: SpiSelection | null): void {
    if (this.spiActive === selection) return;
    const previous = this.spiActive;
    this.spiActive = null;
    if (previous !== null) previous.deselect();
    this.spiActive = selection;
    if (selection !== null) selection.select();
  }

  /** `selection` is the configuration holding its CS now. */
  isSpiActive(selection: SpiSelection): boolean {
    return this.spiActive === selection;
  }

  /** Counts one SPI transfer of `bytes` bytes. */
  spiCount(bytes: number): void {
    this.counters[3]++;
    this.counters[4] += bytes;
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

  private checkPin(pin: number, what: string): number {
    if (!(pin >= 0 && pin < this.valid.length) || pin !== Math.floor(pin)) {
      throw new RangeError(what + ": pin " + String(pin) + " is not a GPIO of " + this.soc.name + " (0.." + String(this.valid.length - 1) + ")");
    }
    return pin;
  }
}
