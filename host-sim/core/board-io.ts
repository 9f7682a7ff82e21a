// One simulated board's IO hardware: the GPIO pads (pin-pads.ts) plus I2C/SPI buses, UARTs, the event queue and IRQ lines.
import type { Clock, I2cTarget, SpiTarget, UartPeer } from "./contracts";
import { EventQueue, type IrqSink } from "./event-queue";
import { SimI2cBus } from "./i2c-bus";
import { SimLedc } from "./ledc";
import { SimPins } from "./pin-pads";
import { ESP32, type SocData } from "./soc";
import { SimUart } from "./uart";

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
export class SimBoardIo extends SimPins {
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
  /** The I2C chips attached and the I2C instances open (io-i2c.ts opens, closes and addresses through it). */
  readonly i2c: SimI2cBus;
  /** Staging for SMBus writeBuffer (register byte + payload) so it allocates nothing. */
  readonly smbusScratch: Uint8Array;
  /** [i2cTransfers, i2cNaks, i2cStallUs, spiTransfers, spiBytes, staleDeliveries]; Uint32 so V8 reads them as small integers without boxing. */
  readonly counters: Uint32Array;
  /** Wire time charged so far: [I2C us, SPI us, I2C ns remainder, SPI ns remainder] (host-sim/core/bus-timing.ts); integers, so nothing boxes. */
  readonly busTime: Uint32Array;

  private readonly lineHandlers: ((() => void) | null)[];
  private readonly spiTargets: (SpiTarget | null)[];
  private spiActive: SpiSelection | null = null;

  constructor(clock: Clock, options: SimBoardOptions = {}) {
    const soc = options.soc ?? ESP32;
    // Made before the pads, as it always was: its clock slot comes first.
    const queue = new EventQueue(clock, options.queueLength ?? 10, options.sink ?? null);
    super(soc, options.externalPullUps ?? []);
    this.clock = clock;
    const n = soc.gpioCount;
    this.lineCount = n + soc.uartPorts;
    this.queue = queue;
    this.lineHandlers = new Array(this.lineCount).fill(null);
    this.i2c = new SimI2cBus(this, options.maxI2cTargets ?? 16, options.maxI2cInstances ?? 16);
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
    this.i2c.attach(data, clock, target);
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

  /** Deliveries for a line with no handler (its instance closed after the post): dropped. */
  get staleDeliveries(): number {
    return this.counters[5];
  }

  // ---- used by the IO classes ----

  /** What `deliver` calls for `line` (an instance's onReadable path); null when it closes. */
  setLineHandler(line: number, handler: (() => void) | null): void {
    this.lineHandlers[line] = handler;
  }

  /** ISR side: posts `line` to the task queue. False when the queue was full (the event is lost). */
  post(line: number): boolean {
    return this.queue.post(line);
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
}
