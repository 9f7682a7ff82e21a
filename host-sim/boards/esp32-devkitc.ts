// Simulated ESP32-DevKitC: which chip models sit on which pins and buses of the board definition.
import { DEVKITC_PINS, ESP32_DEVKITC } from "../../boards/esp32-devkitc/board";
import type { BoardDefinition, DriverTable } from "../../boards/types";
import type { BootedBoard } from "../../boards/boot";

/** Model kinds host-sim/board knows how to build and attach. */
export type SimModelKind = "button" | "led" | "bme280" | "w25q" | "uart-peer" | "terminal" | "custom";

/** One chip model on the simulated board: its kind, the device it stands behind, its pins or bus address. */
export interface SimModelWiring {
  /** Which model to build, and so which of the fields below apply. */
  readonly kind: SimModelKind;
  /** The board device this model stands behind (faults and registers are looked up by it). */
  readonly device: string;
  /** button/led: the GPIO. */
  readonly pin?: number;
  /** bme280: SDA/SCL and address. */
  readonly data?: number;
  /** bme280: the SCL pin. */
  readonly clock?: number;
  /** bme280: the I2C address, 0x76 (default) or 0x77. */
  readonly address?: number;
  /** w25q: chip select. */
  readonly select?: number;
  /** uart-peer, terminal: the UART port whose TX it receives (a terminal also types into its RX). */
  readonly port?: number;
  /** terminal: the baud its typed bytes are paced at (one 10-bit frame each) and its receive ring. */
  readonly baud?: number;
  /** terminal: the receive ring's size, bytes (default 256 KiB). */
  readonly rxBytes?: number;
  /**
   * custom (another board's chips, e.g. the Moddable Two display and touch): builds and attaches the
   * model; the board keeps what it returns in `models[device]`.
   */
  readonly attach?: (ctx: SimModelContext) => unknown;
}

/** What a custom model's `attach` receives (typed `unknown`: host-sim/board/board-models.ts builds it and imports this file). */
export interface SimModelContext {
  /** host-sim/core SimBoardIo: attachI2c, attachSpi, attachUart, setLevelListener, driveInput. */
  readonly io: unknown;
  /** host-sim/board SimTime (a host-sim/core Clock). */
  readonly clock: unknown;
  /** ViolationSink for datasheet rule checks. */
  readonly violations: unknown;
  /** EnergyMeter: `add(model)`. */
  readonly energy: unknown;
  /** The board's seed plus the model's index in the wiring: seeds the model's own PRNG. */
  readonly seed: number;
}

/** A simulated board: its definition, the chip models behind its devices, and what the firmware's main adds (drivers, onBoot, timer wake). */
export interface SimBoardWiring {
  /** The board definition boards/boot.ts boots (devices, pins, pm config, wake sources). */
  readonly definition: BoardDefinition;
  /** The chip models, built in this order (on equal deadlines their timers fire in it). */
  readonly models: readonly SimModelWiring[];
  /** Pins with a pull-up resistor on the PCB (the DevKitC pulls GPIO0 up with 10 kOhm, R9 on the schematic). */
  readonly externalPullUps: readonly number[];
  /** The board's driver table, when it names drivers quiesce does not ship (default: every shipped driver). */
  readonly drivers?: DriverTable;
  /** What the firmware's main does after each boot (connect an application, start it): run after every boot, reboots included. */
  readonly onBoot?: (booted: BootedBoard) => void;
  /** The RTC timer wake the firmware sets for every sleep (startEsp32's standbyTimerUs), microseconds; 0 or absent: none. */
  readonly timerWakeUs?: number;
}

const P = DEVKITC_PINS;

/** The shipped DevKitC on the simulator: which chip model sits behind which device. */
export const SIM_ESP32_DEVKITC: SimBoardWiring = {
  definition: ESP32_DEVKITC,
  models: [
    { kind: "button", device: "button", pin: P.button },
    { kind: "led", device: "led", pin: P.led },
    { kind: "bme280", device: "bme280", data: P.i2cData, clock: P.i2cClock, address: 0x76 },
    { kind: "w25q", device: "flash", select: P.flashSelect },
    { kind: "uart-peer", device: "telemetry", port: 2 },
    // The USB-UART bridge and a terminal program behind it. The console is a light-sleep wake source,
    // so a byte typed while asleep wakes the chip and is lost (host-sim/board/sim-hardware.ts uartRx).
    { kind: "terminal", device: "console", port: 0, baud: 115200 },
  ],
  externalPullUps: [P.button],
};
