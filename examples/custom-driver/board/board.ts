// The board this example runs on, as data: an ESP32-DevKitC V4 with a PIR motion sensor on GPIO27 (the wake source), an LED, W25Q flash and the console.
import { ROLE_STORAGE } from "quiesce/runtime/status";
import { CONSOLE_WAKE_LINE, UART_LINE_BASE, deepFreeze, driverFactory, uart0Console, type BoardDefinition, type DriverTable } from "quiesce/boards";
import { SpiBus, SPI_BUS_OPTIONS } from "quiesce/drivers/spi-bus/spi-bus";
import { W25q, W25Q_OPTIONS } from "quiesce/drivers/w25q/w25q";
import { Led, LED_OPTIONS } from "quiesce/drivers/led/led";
import { UartConsole, UART_CONSOLE_OPTIONS } from "quiesce/drivers/uart-console/uart-console";
import { Pir, PIR_OPTIONS, PIR_STABILITY_US } from "../pir/pir";

/*
 * Wiring (ESP32-DevKitC V4, ESP32-WROOM-32): the PIR module's output to GPIO27, which is RTC_GPIO17,
 * so it can wake the chip from deep sleep too (ext0, level high); its supply from 3V3 (always on:
 * 1 uA). LED + 680 Ohm on GPIO2, W25Q64 on VSPI (18/19/23, CS 5) to hold the hibernate image, the
 * console on UART0 through the USB bridge. Pins as boards/esp32-devkitc/board.ts.
 */
export const PIR_BOARD_PINS = deepFreeze({
  pir: 27,
  led: 2,
  consoleTx: 1,
  consoleRx: 3,
  spiClock: 18,
  spiMiso: 19,
  spiMosi: 23,
  flashSelect: 5,
} as const);

const P = PIR_BOARD_PINS;

// #region board
export const PIR_BOARD: BoardDefinition = deepFreeze({
  name: "DevKitC + PIR",
  file: "examples/custom-driver/board",
  pm: {
    maxDevices: 8, stateArenaBytes: 48, blockCount: 4, blockSize: 64,
    // GPIO 0..39, UART 0..2 (40..42), the console's wake line 43.
    irqLines: 44, traceRecords: 256, defaultBudgetUs: 50_000, testHoldUs: 200_000, failureHistory: 8,
  },
  pins: P,
  devices: [
    { name: "vspi", driver: "spi-bus", options: { clock: P.spiClock, miso: P.spiMiso, mosi: P.spiMosi, port: 2 } },
    {
      name: "flash", driver: "w25q", parent: "vspi", roles: ROLE_STORAGE,
      options: { select: P.flashSelect, hz: 20_000_000, sizeBytes: 8 * 1024 * 1024 },
      stageBudgetUs: { prepare: 500_000, suspend: 500_000, resume: 20_000 },
    },
    // S1 (after power-up) and a re-probe (after power-cycling it through `enable`, when wired) may wait
    // out the sensor's stability time: their budgets are that time plus 1 s.
    {
      name: "pir", driver: "pir", options: { pin: P.pir },
      stageBudgetUs: { prepare: PIR_STABILITY_US + 1_000_000, reprobe: PIR_STABILITY_US + 1_000_000 },
    },
    { name: "led", driver: "led", options: { pin: P.led } },
    uart0Console(P.consoleTx, P.consoleRx),
  ],
  wakeSources: [
    // The PIR's output is high while it sees motion: wake on level 1, from light and deep sleep.
    { device: "pir", line: P.pir, hibernate: true, level: 1 },
    { device: "console", line: CONSOLE_WAKE_LINE, hibernate: false },
  ],
  irq: { gpioBase: 0, uartBase: UART_LINE_BASE },
});

/** Driver name -> constructor and the option keys it reads, for every `driver` above: quiesce's and this example's own "pir". */
export const PIR_BOARD_DRIVERS: DriverTable = Object.freeze({
  "spi-bus": driverFactory((ctx) => new SpiBus(ctx), SPI_BUS_OPTIONS),
  "w25q": driverFactory((ctx) => new W25q(ctx), W25Q_OPTIONS),
  // `enable` is a GPIO too (the sensor's supply switch): declared, so a board putting it on another device's pin is refused.
  "pir": driverFactory((ctx) => new Pir(ctx), PIR_OPTIONS, ["enable"]),
  "led": driverFactory((ctx) => new Led(ctx), LED_OPTIONS),
  "uart-console": driverFactory((ctx) => new UartConsole(ctx), UART_CONSOLE_OPTIONS),
});
// #endregion board
