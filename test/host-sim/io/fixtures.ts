// Shared fixtures for the simulated-IO suites: DevKitC pin data, a pass-through IRQ sink, tiny fake I2C/SPI/UART chips.
import { VirtualClock } from "../../../host-sim/core/clock";
import type { I2cTarget, SpiTarget, UartPeer } from "../../../host-sim/core/contracts";
import { SimBoardIo, type SimBoardOptions } from "../../../host-sim/core/board-io";
import type { IrqSink } from "../../../host-sim/core/event-queue";
import { type BoardPinData, createProvider, type SimDevice } from "../../../host-sim/core/provider";

/** ESP32 DevKitC wiring used across the project (BOOT button 0, LED 2, I2C 21/22, VSPI, UART0/UART2). */
export const DEVKITC: BoardPinData = {
  pins: { button: 0, led: 2 },
  i2c: { default: { data: 21, clock: 22, hz: 400_000 } },
  spi: { default: { clock: 18, in: 19, out: 23, select: 5, hz: 20_000_000, mode: 0, port: 2 } },
  serial: {
    default: { transmit: 1, receive: 3, baud: 115200, port: 0 },
    telemetry: { transmit: 17, receive: 16, baud: 115200, port: 2 },
  },
};

/** Delivers every drained event straight to the board (what the IRQ controller does while unmasked). */
export class PassThroughSink implements IrqSink {
  board: SimBoardIo | null = null;
  readonly lines: number[] = [];
  raise(line: number): void {
    this.lines.push(line);
    if (this.board !== null) this.board.deliver(line);
  }
}

export interface Rig {
  clock: VirtualClock;
  board: SimBoardIo;
  sink: PassThroughSink;
  device: SimDevice;
}

export function rig(options: SimBoardOptions = {}, seed = 1): Rig {
  const clock = new VirtualClock(16, seed);
  const sink = new PassThroughSink();
  const board = new SimBoardIo(clock, { externalPullUps: [0], ...options, sink });
  sink.board = board;
  return { clock, board, sink, device: createProvider(board, DEVKITC) };
}

/** A register-file I2C chip: first written byte selects the register, reads auto-increment. */
export class FakeRegisterChip implements I2cTarget {
  readonly regs = new Uint8Array(256);
  readonly log: string[] = [];
  nak = false;
  private pointer = 0;
  constructor(readonly address: number) {}
  i2cWrite(data: Uint8Array, length: number, stop: boolean): boolean {
    if (this.nak) return false;
    this.log.push("W" + Array.from(data.subarray(0, length), hex).join(" ") + (stop ? " P" : " Sr"));
    if (length === 0) return true;
    this.pointer = data[0];
    for (let i = 1; i < length; i++) this.regs[(this.pointer + i - 1) & 0xff] = data[i];
    return true;
  }
  i2cRead(into: Uint8Array, length: number, stop: boolean): boolean {
    if (this.nak) return false;
    for (let i = 0; i < length; i++) into[i] = this.regs[(this.pointer + i) & 0xff];
    this.log.push("R" + String(length) + (stop ? " P" : " Sr"));
    return true;
  }
}

/** An SPI chip that answers each byte with its complement and logs select/transfer/deselect. */
export class FakeSpiChip implements SpiTarget {
  readonly log: string[] = [];
  spiSelect(): void {
    this.log.push("select");
  }
  spiTransfer(tx: Uint8Array | null, rx: Uint8Array | null, length: number): void {
    let s = "xfer" + String(length);
    for (let i = 0; i < length; i++) {
      const out = tx === null ? 0 : tx[i];
      if (tx !== null) s += " " + hex(out);
      if (rx !== null) rx[i] = ~out & 0xff;
    }
    this.log.push(s + (rx === null ? " (write)" : tx === null ? " (read)" : " (duplex)"));
  }
  spiDeselect(): void {
    this.log.push("deselect");
  }
}

/** Records bytes with their arrival time. */
export class RecordingPeer implements UartPeer {
  readonly bytes: number[] = [];
  readonly times: number[] = [];
  constructor(private readonly clock: VirtualClock) {}
  uartReceive(byte: number): void {
    this.bytes.push(byte);
    this.times.push(this.clock.now());
  }
}

export function hex(n: number): string {
  return n.toString(16).padStart(2, "0");
}

export function thrown(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as Error;
    return { type: err.constructor.name, message: err.message };
  }
  return { type: "none", message: "" };
}
