// The driver conformance table: one case per driver (board, device, state snapshot, stimulus), DevKitC and Moddable Two.
import type { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { makeCaseBoard, type CaseBoard, type DriverCase } from "../../host-sim/conformance";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { W25q } from "../../drivers/w25q/w25q";
import type { Led } from "../../drivers/led/led";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import type { I2cBus } from "../../drivers/i2c-bus/i2c-bus";
import type { SpiBus } from "../../drivers/spi-bus/spi-bus";
import type { Button } from "../../drivers/button/button";
import type { UartConsole } from "../../drivers/uart-console/uart-console";
import type { Ili9341 } from "../../drivers/ili9341/ili9341";
import type { Ft6206 } from "../../drivers/ft6206/ft6206";
import type { Backlight } from "../../drivers/backlight/backlight";
import { bootSimModdableTwo, type CommandRecorder } from "../../host-sim/boards/moddable-two";
import type { Ft6206 as Ft6206Model } from "../../host-sim/models/ft6206";

export type { CaseBoard, DriverCase };

export function makeDevkitc(seed = 1): CaseBoard {
  return makeCaseBoard(SIM_ESP32_DEVKITC, { seed });
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
const flashRead = new Uint8Array(4);
const record = new Uint8Array([0x51, 0x55, 0x49, 0x45, 0x53, 0x43, 0x45]);

export const DEVKITC_CASES: DriverCase[] = [
  {
    device: "i2c0", make: () => makeDevkitc(),
    snapshot: (b) => [b.sim.driver<I2cBus>("i2c0").powered ? 1 : 0, b.sim.driver<I2cBus>("i2c0").misuse],
  },
  {
    device: "vspi", make: () => makeDevkitc(),
    snapshot: (b) => [b.sim.driver<SpiBus>("vspi").powered ? 1 : 0, b.sim.driver<SpiBus>("vspi").misuse],
  },
  {
    device: "bme280", make: () => {
      const b = makeDevkitc();
      b.sim.driver<Bme280>("bme280").setClient(sampleOut, null, (_t, s) => { b.completed.push(s); });
      return b;
    },
    exercise: (b) => { b.sim.driver<Bme280>("bme280").sample(1); },
    snapshot: (b) => bmeRegisters(b.sim),
    chipReset: true,
    submit: (b) => b.sim.driver<Bme280>("bme280").sample(2),
    brokenChip: true,
  },
  {
    device: "flash", make: () => {
      const b = makeDevkitc();
      b.sim.driver<W25q>("flash").setClient((_t, s) => { b.completed.push(s); });
      return b;
    },
    submit: (b) => b.sim.driver<W25q>("flash").read(2, 0x1000, flashRead),
    brokenChip: true,
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
    snapshot: (b) => [b.sim.io.level(0), b.sim.driver<Button>("button").stable, b.sim.driver<Button>("button").ignore ? 1 : 0],
  },
  {
    device: "telemetry", make: () => {
      const b = makeDevkitc();
      b.sim.driver<Telemetry>("telemetry").setClient((_t, s) => { b.completed.push(s); });
      return b;
    },
    submit: (b) => b.sim.driver<Telemetry>("telemetry").send(2, record, record.length),
    exercise: (b) => { b.sim.driver<Telemetry>("telemetry").send(1, record, record.length); },
    snapshot: (b) => [b.sim.driver<Telemetry>("telemetry").pipelineLength, b.sim.driver<Telemetry>("telemetry").queue.parkedNow],
  },
  {
    // `help` typed 5 ms before the suspend: its reply is still leaving the TX ring, so S2 drains it
    // (input typed during S1/S2 would abort the suspend as a wake, by design). The snapshot asks
    // `devices` and measures the reply: RX open, TX on, ring empty, no fault at the console boundary.
    device: "console", make: () => makeDevkitc(),
    exercise: (b) => {
      b.sim.terminal().type("help\r");
      b.sim.advance(5_000);
    },
    snapshot: (b) => consoleSnapshot(b),
  },
];

function consoleSnapshot(b: CaseBoard): number[] {
  const con = b.sim.driver<UartConsole>("console");
  const term = b.sim.terminal();
  term.takeAll();
  term.type("devices\r");
  b.sim.advance(300_000);
  const reply = term.takeAll();
  return [reply.length, reply.endsWith("> ") ? 1 : 0, con.ring.count, con.faults, con.txErrors, con.resync.active ? 1 : 0];
}

/** The Moddable Two on SimBoard, past the panel's init (SWRESET, SLPOUT +120 ms, DISPON +240 ms). */
export function makeModdableTwo(seed = 1): CaseBoard {
  const m2 = bootSimModdableTwo({ seed });
  m2.sim.advance(300_000);
  return { sim: m2.sim, outcomes: m2.outcomes, completed: [] };
}

const panel = (b: CaseBoard): CommandRecorder => b.sim.models["display"] as CommandRecorder;

export const MODDABLE_TWO_CASES: DriverCase[] = [
  {
    device: "display", make: () => {
      const b = makeModdableTwo();
      b.sim.driver<Ili9341>("display").setFrameListener((_slot, s) => { b.completed.push(s); });
      return b;
    },
    submit: (b) => b.sim.driver<Ili9341>("display").fill(0, 40, 240, 40, 0x07e0),
    // A frame in flight at suspend: S2 waits for it.
    exercise: (b) => { b.sim.driver<Ili9341>("display").fill(0, 0, 240, 40, 0xf800); },
    // Panel on and awake with the board's MADCTL/COLMOD/INVON; the driver agrees. (Pixels are not
    // part of it: a panel power cut loses them, and R1 restores configuration, not frame memory.)
    snapshot: (b) => {
      const d = b.sim.driver<Ili9341>("display");
      const m = panel(b).model;
      return [m.displayOn() ? 1 : 0, m.sleeping() ? 1 : 0, d.displayOn ? 1 : 0, d.register(0), d.register(1), d.register(2), d.queue.parkedNow];
    },
    chipReset: true,
  },
  {
    device: "touch", make: () => makeModdableTwo(),
    brokenChip: true,
    snapshot: (b) => {
      const t = b.sim.driver<Ft6206>("touch");
      return [(b.sim.models["touch"] as Ft6206Model).mode(), t.readReg(0x80), t.suspended ? 1 : 0];
    },
    chipReset: true,
  },
  {
    device: "backlight", make: () => {
      const b = makeModdableTwo();
      b.sim.driver<Backlight>("backlight").brightness = 600;
      return b;
    },
    // A brightness write is its only use: it wakes a runtime-suspended backlight (display first).
    use: (b) => { b.sim.driver<Backlight>("backlight").brightness = 600; },
    snapshot: (b) => {
      const bl = b.sim.driver<Backlight>("backlight");
      return [b.sim.io.level(18), bl.lit ? 1 : 0, bl.brightness];
    },
  },
];
