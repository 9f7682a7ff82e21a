// Soak script for alloc.test.ts: every simulated IO path in a loop; prints the heap growth under --jitless.
import { VirtualClock } from "../../../host-sim/core/clock";
import { SimBoardIo } from "../../../host-sim/core/board-io";
import { createProvider } from "../../../host-sim/core/provider";
import { DEVKITC } from "./fixtures";
import type { SpiTarget, UartPeer } from "../../../host-sim/core/contracts";
declare const gc: () => void; // node --expose-gc
const clock = new VirtualClock(16, 7);
const board = new SimBoardIo(clock, { externalPullUps: [0] });
board.setSink({ raise(l: number) { board.deliver(l); } });
const device = createProvider(board, DEVKITC);
class Chip { address = 0x76; regs = new Uint8Array(256); p = 0;
  i2cWrite(d: Uint8Array, n: number) { if (n) this.p = d[0]; return true; }
  i2cRead(into: Uint8Array, n: number) { for (let i = 0; i < n; i++) into[i] = this.regs[(this.p + i) & 255]; return true; } }
board.attachI2c(21, 22, new Chip());
const spiChip: SpiTarget = { spiSelect() {}, spiDeselect() {}, spiTransfer(tx, rx, n) { if (rx) for (let i = 0; i < n; i++) rx[i] = 0; } };
board.attachSpi(5, spiChip);
let sink = 0;
const peer: UartPeer = { uartReceive(b: number) { sink += b; } };
board.attachUart(2, peer);
const { Digital, SMBus, SPI, Serial } = device.io;
const led = new Digital({ pin: 2, mode: Digital.Output });
let presses = 0;
new Digital({ pin: 0, mode: Digital.InputPullUp, edge: Digital.Falling, onReadable() { presses++; } });
const bme = new SMBus({ ...device.I2C.default, address: 0x76 });
const spi = new SPI(device.SPI.default);
const rx = new Uint8Array(16); const tx = new Uint8Array([1, 2, 3, 4]); const buf = new Uint8Array(8);
let got = 0;
const ser = new Serial({ ...device.Serial.telemetry, onReadable(this: any, n: number) { got += this.read(rx); }, onWritable() {} });
function cycle(i: number) {
  led.write(i & 1);
  board.driveInput(0, 0); board.driveInput(0, 1);
  bme.readUint8(0xd0); bme.readUint16(0xfa, true); bme.readBuffer(0xf7, buf); bme.writeUint8(0xf4, 0x27);
  spi.write(tx); spi.read(buf); spi.transfer(buf); spi.flush(true);
  ser.write(tx);
  board.uartInject(2, i & 255); board.uartInject(2, 7);
  clock.advance(2000);
}
for (let i = 0; i < 20000; i++) cycle(i);
gc(); gc();
const before = process.memoryUsage().heapUsed;
const N = 20000;
for (let i = 0; i < N; i++) cycle(i);
const after = process.memoryUsage().heapUsed;
console.log(JSON.stringify({ cycles: N, heapDeltaBytes: after - before, presses, got, sink, fired: clock.fired, posted: board.queue.posted, overflows: board.queue.overflows }));
