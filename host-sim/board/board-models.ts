// The chip models a board wiring puts on the simulated IO: built once per board, then found again by device name.
import type { SimBoardWiring } from "../boards/esp32-devkitc";
import type { SimBoardIo } from "../core/board-io";
import { Bme280 } from "../models/bme280";
import { Button } from "../models/button";
import type { FaultKind } from "../models/common";
import type { EnergyMeter } from "../models/energy";
import { Led } from "../models/led";
import { createPrng } from "../models/prng";
import { UartTerminal } from "../models/uart-terminal";
import { W25q } from "../models/w25q";
import { ByteSink, type ViolationLog } from "./recorders";
import type { SimTime } from "./sim-time";

/** A chip that can be faulted and power-cycled: a built-in model, or a custom one offering both. */
export type ChipControl = { setFault(kind: FaultKind): void; reset(): void };

/** The board hardware the models are wired into; `uartRx` is where a terminal's typed bytes arrive. */
export interface ModelHost {
  readonly io: SimBoardIo;
  readonly time: SimTime;
  readonly energy: EnergyMeter;
  readonly violations: ViolationLog;
  uartRx(port: number, byte: number): void;
}

/**
 * Every model of `wiring.models`, in wiring order (model i is seeded with seed + i), attached to the
 * board's pins, buses and UARTs and added to its energy meter.
 */
export class BoardModels {
  /** Button models by device name. */
  readonly buttons: { [device: string]: Button } = {};
  /** LED models by device name. */
  readonly leds: { [device: string]: Led } = {};
  /** BME280 models by device name. */
  readonly bme280s: { [device: string]: Bme280 } = {};
  /** W25Q flash models by device name. */
  readonly flashes: { [device: string]: W25q } = {};
  /** Byte sinks (wiring kind "uart-peer") by UART port. */
  readonly uartPeers: { [port: number]: ByteSink } = {};
  /** Terminals (wiring kind "terminal") by device name. */
  readonly terminals: { [device: string]: UartTerminal } = {};
  /** Custom models (wiring kind "custom") by device name. */
  readonly models: { [device: string]: unknown } = {};
  /** Per UART port: the wake line a byte on its RX raises from light sleep (the console's), or -1. */
  readonly uartWakeLines: Int16Array;
  private readonly wiring: SimBoardWiring;

  constructor(wiring: SimBoardWiring, host: ModelHost, seed: number) {
    this.wiring = wiring;
    this.uartWakeLines = new Int16Array(host.io.uarts.length).fill(-1);
    for (let i = 0; i < wiring.models.length; i++) this.build(i, host, seed);
  }

  /** The model in `table` behind `device`; throws naming the kind and the board file if there is none. */
  find<T>(table: { [k: string]: T }, device: string, kind: string): T {
    const m = table[device];
    if (m === undefined) throw new Error("SimBoard: no " + kind + " model behind \"" + device + "\" on " + this.wiring.definition.file);
    return m;
  }

  /** The chip behind `device` that faults and power cycles reach; throws naming the models if there is none. */
  chip(device: string): ChipControl {
    const m = this.bme280s[device] ?? this.flashes[device] ?? this.buttons[device] ?? this.leds[device] ?? this.customChip(device);
    if (m !== undefined) return m;
    const custom = this.models[device] as Partial<ChipControl> | undefined;
    if (custom !== undefined && custom !== null) {
      throw new Error("SimBoard: the model behind \"" + device + "\" has no " + (typeof custom.setFault !== "function" ? "setFault(kind)" : "reset()") +
        ": give it setFault(kind) and reset() so faults and power cycles (the conformance kit's brokenChip and chipReset cases) reach it");
    }
    throw new Error("SimBoard: no chip model behind \"" + device + "\"; models: " + this.modelNames());
  }

  /** A custom model (another board's chip) that can be faulted and power-cycled like the built-in ones. */
  private customChip(device: string): ChipControl | undefined {
    const m = this.models[device] as Partial<ChipControl> | undefined;
    if (m === undefined || m === null || typeof m.setFault !== "function" || typeof m.reset !== "function") return undefined;
    return m as ChipControl;
  }

  private modelNames(): string {
    return this.wiring.models.map((m) => m.device).join(", ");
  }

  private build(i: number, host: ModelHost, seed: number): void {
    const w = this.wiring.models[i];
    const io = host.io;
    if (w.kind === "button") {
      const pin = w.pin as number;
      const b = new Button({ clock: host.time, random: createPrng(seed + i), name: w.device });
      // Contact closed pulls the pad to ground; open leaves it to the pull-ups.
      b.setLevelListener((level: number) => io.driveInput(pin, level === 0 ? 0 : -1));
      this.buttons[w.device] = b;
      host.energy.add(b);
    } else if (w.kind === "led") {
      const led = new Led({ name: w.device });
      io.setLevelListener(w.pin as number, (level: number) => led.setLevel(level));
      this.leds[w.device] = led;
      host.energy.add(led);
    } else if (w.kind === "bme280") {
      const m = new Bme280({ clock: host.time, violations: host.violations, address: w.address, name: w.device, timing: "max" });
      io.attachI2c(w.data as number, w.clock as number, m);
      this.bme280s[w.device] = m;
      host.energy.add(m);
    } else if (w.kind === "w25q") {
      const m = new W25q({ clock: host.time, violations: host.violations, name: w.device });
      io.attachSpi(w.select as number, m);
      this.flashes[w.device] = m;
      host.energy.add(m);
    } else if (w.kind === "terminal") {
      const port = w.port as number;
      const t = new UartTerminal({
        deliver: function terminalDeliver(byte: number): void {
          host.uartRx(port, byte);
        },
        clock: host.time, baud: w.baud ?? 115200, rxCapacity: w.rxBytes ?? 1 << 18, txCapacity: 1 << 16, name: w.device,
      });
      io.attachUart(port, t);
      this.terminals[w.device] = t;
      const src = this.wiring.definition.wakeSources;
      for (let k = 0; k < src.length; k++) if (src[k].device === w.device) this.uartWakeLines[port] = src[k].line;
    } else if (w.kind === "custom") {
      if (w.attach === undefined) throw new Error("SimBoard: custom model \"" + w.device + "\" needs an attach function in its wiring");
      this.models[w.device] = w.attach({ io, clock: host.time, violations: host.violations, energy: host.energy, seed: seed + i });
    } else {
      const sink = new ByteSink(1 << 16);
      io.attachUart(w.port as number, sink);
      this.uartPeers[w.port as number] = sink;
    }
  }
}
