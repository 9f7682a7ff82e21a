// ESP32-DevKitC V4 (ESP32-WROOM-32) as data: BOOT button, LED, BME280 on I2C, W25Q on VSPI, telemetry on UART2, console on UART0.
import { ROLE_STORAGE, ROLE_WAKE } from "../../runtime/status";
import { type BoardDefinition, type BoardDevice, type DriverTable, driverFactory } from "../types";
import { Button, BUTTON_OPTIONS } from "../../drivers/button/button";
import { Led, LED_OPTIONS } from "../../drivers/led/led";
import { I2cBus, I2C_BUS_OPTIONS } from "../../drivers/i2c-bus/i2c-bus";
import { SpiBus, SPI_BUS_OPTIONS } from "../../drivers/spi-bus/spi-bus";
import { Bme280, BME280_OPTIONS } from "../../drivers/bme280/bme280";
import { W25q, W25Q_OPTIONS } from "../../drivers/w25q/w25q";
import { Telemetry, TELEMETRY_OPTIONS } from "../../drivers/telemetry/telemetry";
import { UartConsole, UART_CONSOLE_OPTIONS } from "../../drivers/uart-console/uart-console";
import { CONSOLE_WAKE_LINE, UART_LINE_BASE, uart0Console } from "../esp32-console";
import { deepFreeze } from "../freeze";
import { ESP32_LIGHT_SLEEP, ESP32_GOVERNOR_OFF } from "../esp32-states";

/*
 * Source: Espressif, "ESP32-DevKitC V4 Getting Started Guide" (ESP-IDF docs, hw-reference/esp32/
 * get-started-devkitc), functional description and header pin tables J2/J3:
 * - "Boot: Download button" on GPIO0 (strapping pin; pulled up on the board, low while pressed).
 *   GPIO0 is also RTC_GPIO11, so it can wake the chip from deep sleep (ext0), not only light sleep.
 * - The only LED on the board is "5V Power On LED": the DevKitC V4 has NO user LED. GPIO2 is the
 *   customary place to add one (many third-party "ESP32 DevKit" clones have a blue LED there); on a
 *   genuine DevKitC wire an LED + resistor from GPIO2 to GND. GPIO2 is a strapping pin that must be
 *   low/floating at reset for serial download: an LED to GND keeps it low, which is fine.
 * - UART0 TX GPIO1 / RX GPIO3 go to the USB-UART bridge (the console).
 * - GPIO16/17 are usable only on modules without PSRAM (ESP32-WROOM-32, SOLO-1); on WROVER modules
 *   they drive the PSRAM. This board is the WROOM-32 variant, so UART2 TX17/RX16 carries telemetry.
 * - I2C on the conventional Arduino-ESP32 pins SDA 21 / SCL 22; VSPI (SPI3_HOST = 2) native IO_MUX
 *   pins SCK 18 / MISO 19 / MOSI 23 / CS 5 (ESP32 datasheet, "IO_MUX" table).
 * External parts (BME280 breakout at 0x76 with SDO to GND, W25Q64JV 8 MB) are wired by the user.
 */
export const DEVKITC_PINS = deepFreeze({
  button: 0,
  led: 2,
  consoleTx: 1,
  consoleRx: 3,
  i2cData: 21,
  i2cClock: 22,
  spiClock: 18,
  spiMiso: 19,
  spiMosi: 23,
  flashSelect: 5,
  telemetryTx: 17,
  telemetryRx: 16,
} as const);

const P = DEVKITC_PINS;
const UART_BASE = UART_LINE_BASE;
export const DEVKITC_CONSOLE_WAKE_LINE = CONSOLE_WAKE_LINE;
export const DEVKITC_CONSOLE: BoardDevice = deepFreeze(uart0Console(P.consoleTx, P.consoleRx));

const DEVICES: readonly BoardDevice[] = [
  { name: "i2c0", driver: "i2c-bus", options: { data: P.i2cData, clock: P.i2cClock, hz: 400_000, port: 0 } },
  { name: "vspi", driver: "spi-bus", options: { clock: P.spiClock, miso: P.spiMiso, mosi: P.spiMosi, port: 2 } },
  {
    name: "bme280", driver: "bme280", parent: "i2c0",
    options: { address: 0x76, osrsT: 1, osrsP: 1, osrsH: 1, filter: 0 },
    // S2 may wait for one forced measurement: t_measure,max at x1/x1/x1 is 9.3 ms (datasheet 9.1).
    stageBudgetUs: { suspend: 20_000 },
  },
  {
    name: "flash", driver: "w25q", parent: "vspi", roles: ROLE_STORAGE,
    options: { select: P.flashSelect, hz: 20_000_000, sizeBytes: 8 * 1024 * 1024 },
    // S1 (hibernate) erases the image sector: tSE max 400 ms; S2 may finish a user erase (400 ms)
    // then program the image pages (tPP max 3 ms each).
    stageBudgetUs: { prepare: 500_000, suspend: 500_000, resume: 20_000 },
  },
  { name: "led", driver: "led", options: { pin: P.led } },
  { name: "button", driver: "button", roles: ROLE_WAKE, irq: P.button, options: { pin: P.button, debounceUs: 20_000 } },
  {
    name: "telemetry", driver: "telemetry", irq: UART_BASE + 2,
    options: { port: 2, transmit: P.telemetryTx, receive: P.telemetryRx, baud: 115200, requestBlocks: 2 },
    // S2 drains at most a full 128-byte FIFO plus the frames waiting in blocks: 8 x 64 B at 86.8 us/B.
    stageBudgetUs: { suspend: 100_000 },
  },
  DEVKITC_CONSOLE,
];

export const ESP32_DEVKITC: BoardDefinition = deepFreeze({
  name: "ESP32-DevKitC V4",
  file: "boards/esp32-devkitc",
  pm: {
    maxDevices: 12,
    // led 1 + bme280 4 + room for the console and application devices.
    stateArenaBytes: 64,
    blockCount: 8,
    blockSize: 64,
    // GPIO 0..39, UART 0..2 (40..42), the console's wake line 43.
    irqLines: 44,
    traceRecords: 512,
    defaultBudgetUs: 50_000,
    testHoldUs: 200_000,
    failureHistory: 8,
    // Light sleep with ESP-IDF's latencies (boards/esp32-states.ts, docs/idle-policy.md); the governor is off until enabled.
    // Standby only: hibernate is a reboot that drops the application's timers, locks and deadlines, so
    // only an application that re-arms them lists it (ESP32_STATES; docs/idle-policy.md).
    states: [ESP32_LIGHT_SLEEP],
    governor: ESP32_GOVERNOR_OFF,
  },
  pins: P,
  devices: DEVICES,
  wakeSources: [
    { device: "button", line: P.button, hibernate: true },
    // Light sleep only: ESP32 deep sleep cannot be woken by a UART (RTC GPIOs and the RTC timer only).
    { device: "console", line: DEVKITC_CONSOLE_WAKE_LINE, hibernate: false },
  ],
  irq: { gpioBase: 0, uartBase: UART_BASE },
});

/** The drivers this board's devices name, and only those: a firmware for it links no other driver. */
export const DEVKITC_DRIVERS: DriverTable = Object.freeze({
  "i2c-bus": driverFactory((ctx) => new I2cBus(ctx), I2C_BUS_OPTIONS),
  "spi-bus": driverFactory((ctx) => new SpiBus(ctx), SPI_BUS_OPTIONS),
  "bme280": driverFactory((ctx) => new Bme280(ctx), BME280_OPTIONS),
  "w25q": driverFactory((ctx) => new W25q(ctx), W25Q_OPTIONS),
  "led": driverFactory((ctx) => new Led(ctx), LED_OPTIONS),
  "button": driverFactory((ctx) => new Button(ctx), BUTTON_OPTIONS),
  "telemetry": driverFactory((ctx) => new Telemetry(ctx), TELEMETRY_OPTIONS),
  "uart-console": driverFactory((ctx) => new UartConsole(ctx), UART_CONSOLE_OPTIONS),
});
