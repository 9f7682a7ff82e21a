// The driver conformance table: one case per driver (board, device, state snapshot, stimulus); other boards append cases.
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../boards/host-sim/esp32-devkitc";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { W25q } from "../../drivers/w25q/w25q";
import type { Led } from "../../drivers/led/led";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import type { I2cBus } from "../../drivers/i2c-bus/i2c-bus";
import type { SpiBus } from "../../drivers/spi-bus/spi-bus";
import type { Button } from "../../drivers/button/button";

/** A board the suite can drive: the simulated board plus where it keeps its suspend outcomes. */
export interface CaseBoard {
  sim: SimBoard;
  outcomes: number[];
}

export interface DriverCase {
  /** Device name on the board. */
  device: string;
  /** A fresh booted board, settled (init done). */
  make(): CaseBoard;
  /** Puts the device to work before a suspend (so S2 has something to finish). */
  exercise?(b: CaseBoard): void;
  /** Observable state of the chip/driver that a full cycle must restore exactly. */
  snapshot(b: CaseBoard): number[];
  /** Chip power-cycle while the board is suspended (models' reset), if the device has a chip model. */
  chipReset?: boolean;
}

export function makeDevkitc(seed = 1): CaseBoard {
  const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed });
  const outcomes: number[] = [];
  sim.pm.setDoneCallback((s) => outcomes.push(s));
  sim.advance(10_000);
  return { sim, outcomes };
}

/** Model registers F2..F5 (ctrl_hum, status, ctrl_meas, config) read straight from the chip model. */
export function bmeRegisters(sim: SimBoard): number[] {
  const m = sim.bme280s["bme280"];
  const ptr = new Uint8Array([0xf2]);
  const r = new Uint8Array(4);
  m.i2cWrite(ptr, 1, false);
  m.i2cRead(r, 4, true);
  return [r[0], r[2], r[3]];
}

const sampleOut = new Int32Array(3);
const flashData = new Uint8Array([1, 2, 3, 4]);
const record = new Uint8Array([0x51, 0x55, 0x49, 0x45, 0x53, 0x43, 0x45]);

export const DEVKITC_CASES: DriverCase[] = [
  {
    device: "i2c0", make: () => makeDevkitc(),
    snapshot: (b) => [b.sim.driver<I2cBus>("i2c0").powered, b.sim.driver<I2cBus>("i2c0").misuse],
  },
  {
    device: "vspi", make: () => makeDevkitc(),
    snapshot: (b) => [b.sim.driver<SpiBus>("vspi").powered, b.sim.driver<SpiBus>("vspi").misuse],
  },
  {
    device: "bme280", make: () => {
      const b = makeDevkitc();
      b.sim.driver<Bme280>("bme280").setClient(sampleOut, null, () => {});
      return b;
    },
    exercise: (b) => { b.sim.driver<Bme280>("bme280").sample(1); },
    snapshot: (b) => bmeRegisters(b.sim),
    chipReset: true,
  },
  {
    device: "flash", make: () => {
      const b = makeDevkitc();
      b.sim.driver<W25q>("flash").setClient(() => {});
      return b;
    },
    exercise: (b) => { b.sim.driver<W25q>("flash").program(1, 0x1000, flashData); },
    snapshot: (b) => {
      const m = b.sim.flashes["flash"];
      return [m.poweredDown() ? 1 : 0, m.status1(), m.memory[0x1000], m.memory[0x1003]];
    },
    chipReset: true,
  },
  {
    device: "led", make: () => {
      const b = makeDevkitc();
      b.sim.driver<Led>("led").set(1);
      return b;
    },
    snapshot: (b) => [b.sim.io.level(2), b.sim.leds["led"].lit() ? 1 : 0, b.sim.driver<Led>("led").level],
    chipReset: true,
  },
  {
    device: "button", make: () => makeDevkitc(),
    snapshot: (b) => [b.sim.io.level(0), b.sim.driver<Button>("button").s[0], b.sim.driver<Button>("button").s[1]],
  },
  {
    device: "telemetry", make: () => {
      const b = makeDevkitc();
      b.sim.driver<Telemetry>("telemetry").setClient(() => {});
      return b;
    },
    exercise: (b) => { b.sim.driver<Telemetry>("telemetry").send(1, record, record.length); },
    snapshot: (b) => [b.sim.driver<Telemetry>("telemetry").pipelineLength, b.sim.driver<Telemetry>("telemetry").queue.parkedNow],
  },
];
