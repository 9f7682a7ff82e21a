// Routes Moddable Digital and Serial events through the runtime's IrqController (latched while masked), as host-sim's SimBoardIo does.
import type { DigitalClass, DigitalIo, IoProvider, SerialClass, SerialIo } from "../../drivers/common/io";
import type { IrqSource } from "../types";

type Sink = { raise(line: number): void };

/**
 * On ESP32 the GPIO/UART ISRs only post a message to the XS task (one outstanding per instance);
 * Moddable then calls `onReadable`. This source wraps the provider's Digital and Serial classes at
 * boot so that call becomes `irq.raise(line)`, and the runtime's IrqController decides: deliver now,
 * latch while masked, or record a wake. Lines: GPIO n is gpioBase + n, UART p is uartBase + p.
 * Handlers and trampolines are closures made once per IO instance at construction (boot).
 */
export class Esp32IrqSource implements IrqSource {
  /** Lines it numbers: GPIOs from `gpioBase`, UART ports from `uartBase`. */
  readonly lineCount: number;
  readonly deliver: (line: number) => void;
  /** Line of GPIO 0. */
  readonly gpioBase: number;
  /** Line of UART port 0. */
  readonly uartBase: number;
  /** onReadable calls per line (before the runtime saw them), and deliveries with no handler. */
  readonly raised: Uint32Array;
  /** Deliveries to a line with no handler. */
  unhandled = 0;
  private readonly handlers: ((() => void) | null)[];
  private sink: Sink | null = null;

  constructor(gpioCount: number, uartPorts: number, gpioBase: number, uartBase: number) {
    this.gpioBase = gpioBase;
    this.uartBase = uartBase;
    this.lineCount = Math.max(gpioBase + gpioCount, uartBase + uartPorts);
    this.raised = new Uint32Array(this.lineCount);
    this.handlers = new Array(this.lineCount);
    for (let i = 0; i < this.lineCount; i++) this.handlers[i] = null;
    const self = this;
    this.deliver = function deliverLine(line: number): void {
      const h = line >= 0 && line < self.lineCount ? self.handlers[line] : null;
      if (h === null) self.unhandled++;
      else h();
    };
  }

  /** Where `raise` sends lines: the runtime's IrqController, or null for straight delivery. */
  setSink(sink: Sink | null): void {
    this.sink = sink;
  }

  /** An event arrived from Moddable: through the runtime if wired, else straight to the handler. */
  raise(line: number): void {
    this.raised[line]++;
    if (this.sink !== null) this.sink.raise(line);
    else this.deliver(line);
  }

  private claim(line: number, what: string): void {
    if (line < 0 || line >= this.lineCount) {
      throw new Error("boards/esp32: " + what + " maps to irq line " + line + ", outside 0.." + (this.lineCount - 1) + ": check gpioBase/uartBase");
    }
    if (this.handlers[line] !== null) throw new Error("boards/esp32: " + what + " (irq line " + line + ") already has an onReadable handler: one IO instance per pin or port");
  }

  /** Boot: the provider drivers receive, with Digital and Serial routed through the runtime. */
  wrap(device: IoProvider): IoProvider {
    const self = this;
    const RealDigital = device.io.Digital;
    const RealSerial = device.io.Serial;
    // Defined here, not at module top level: a preloaded module's class statics would be read-only.
    function RoutedDigital(options: ConstructorParameters<DigitalClass>[0]): DigitalIo {
      const handler = options.onReadable;
      if (handler === undefined) return new RealDigital(options);
      const line = self.gpioBase + options.pin;
      self.claim(line, "Digital pin " + options.pin);
      const routed = Object.assign({}, options, {
        onReadable: function routedEdge(): void {
          self.raise(line);
        },
      });
      const io = new RealDigital(routed);
      self.handlers[line] = function digitalHandler(): void {
        handler.call(io, 1);
      };
      return io;
    }
    function RoutedSerial(options: ConstructorParameters<SerialClass>[0]): SerialIo {
      const handler = options.onReadable;
      if (handler === undefined) return new RealSerial(options);
      const line = self.uartBase + options.port;
      self.claim(line, "Serial port " + options.port);
      const routed = Object.assign({}, options, {
        onReadable: function routedReadable(): void {
          self.raise(line);
        },
      });
      const io = new RealSerial(routed);
      self.handlers[line] = function serialHandler(): void {
        // The byte count Moddable passed is stale by delivery time: readers loop on read() until empty.
        handler.call(io, 0);
      };
      return io;
    }
    // The ECMA-419 statics (modes, edges) the drivers read from the class.
    const D = RoutedDigital as unknown as { [k: string]: unknown };
    D.Input = RealDigital.Input;
    D.InputPullUp = RealDigital.InputPullUp;
    D.Output = RealDigital.Output;
    D.Rising = RealDigital.Rising;
    D.Falling = RealDigital.Falling;
    const extra = RealDigital as unknown as { [k: string]: unknown };
    const names = ["InputPullDown", "InputPullUpDown", "OutputOpenDrain"];
    for (let i = 0; i < names.length; i++) if (extra[names[i]] !== undefined) D[names[i]] = extra[names[i]];
    const io = Object.assign({}, device.io, {
      Digital: RoutedDigital as unknown as DigitalClass,
      Serial: RoutedSerial as unknown as SerialClass,
    });
    return Object.assign({}, device, { io });
  }
}
