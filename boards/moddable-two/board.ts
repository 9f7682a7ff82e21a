// Moddable Two (ESP32-WROVER, ILI9341 240x320 SPI display, FT6206 touch, PWM backlight, console) as a board definition.
import type { PmConfig } from "../../runtime/driver";
import { type BoardDefinition, type BoardDevice, type DriverTable, driverFactory } from "../types";
import { Button, BUTTON_OPTIONS } from "../../drivers/button/button";
import { I2cBus, I2C_BUS_OPTIONS } from "../../drivers/i2c-bus/i2c-bus";
import { SpiBus, SPI_BUS_OPTIONS } from "../../drivers/spi-bus/spi-bus";
import { Ili9341, ILI9341_OPTIONS } from "../../drivers/ili9341/ili9341";
import { Ft6206, FT6206_OPTIONS } from "../../drivers/ft6206/ft6206";
import { Backlight, BACKLIGHT_OPTIONS } from "../../drivers/backlight/backlight";
import { UartConsole, UART_CONSOLE_OPTIONS } from "../../drivers/uart-console/uart-console";
import { CONSOLE_WAKE_LINE, UART_LINE_BASE, uart0Console } from "../esp32-console";
import { deepFreeze } from "../freeze";
import { ESP32_LIGHT_SLEEP, ESP32_GOVERNOR_OFF } from "../esp32-states";

/*
 * Sources (Moddable SDK, read through the reference store):
 * - build/devices/esp32/targets/moddable_two/manifest.json: SPI MISO 12 / MOSI 13 / SCK 14,
 *   ili9341 cs_pin 15, dc_pin 2, 40 MHz on HSPI_HOST (SPI2_HOST = 1), registers_append MADCTL 0xF0
 *   and INVON 0x21; I2C SDA 21 / SCL 22; ft6206 threshold 20; config.backlight 18.
 * - build/devices/esp32/targets/moddable_two_io/host/provider.js: pin.button 0, pin.backlight 18,
 *   displayDC 2, displaySelect 15, Serial port 1 on TX 1 / RX 3, the backlight PWM "is inverted",
 *   touch FT6x06 on I2C.default (no `reset`, no `interrupt` passed: Moddable polls it).
 * - documentation/devices/moddable-two.md: touch uses 21/22 at address 0x38, display uses 13/14,
 *   backlight control on GPIO 18 (rev. "ESP32 r9"); the 16-pin header lists no touch INT or RST.
 * Touch INT: the panel's INT net is taken as GPIO 38 (input-only pad) — an assumption: the sources
 * above do not name it, and Moddable's own provider does not use it. What matters for suspend: there
 * is no touch reset line and no output-capable pad on INT, so the FT6206 cannot be woken from
 * hibernate; its driver uses monitor mode in S3 on this board (drivers/ft6206/ft6206.ts).
 */
export const MODDABLE_TWO_PINS = deepFreeze({
  spiClock: 14,
  spiMiso: 12,
  spiMosi: 13,
  displaySelect: 15,
  displayDC: 2,
  backlight: 18,
  i2cData: 21,
  i2cClock: 22,
  touchInterrupt: 38,
  button: 0,
  consoleTx: 1,
  consoleRx: 3,
} as const);

/** One device entry (boards/types.ts BoardDevice). */
export type ModdableTwoDevice = BoardDevice;

const P = MODDABLE_TWO_PINS;
const UART_BASE = UART_LINE_BASE;
export const MODDABLE_TWO_CONSOLE_WAKE_LINE = CONSOLE_WAKE_LINE;
/** The console on UART0 (the USB-serial bridge, TX 1 / RX 3): see boards/esp32-console.ts. */
export const MODDABLE_TWO_CONSOLE: BoardDevice = deepFreeze(uart0Console(P.consoleTx, P.consoleRx));

export const MODDABLE_TWO_DEVICES: readonly BoardDevice[] = deepFreeze([
  // SPI2_HOST (HSPI) = 1 in spi_host_device_t.
  { name: "spi", driver: "spi-bus", options: { clock: P.spiClock, miso: P.spiMiso, mosi: P.spiMosi, port: 1 } },
  { name: "i2c", driver: "i2c-bus", options: { data: P.i2cData, clock: P.i2cClock, hz: 400_000, port: 0 } },
  {
    name: "display", driver: "ili9341", parent: "spi",
    options: { select: P.displaySelect, dc: P.displayDC, hz: 40_000_000, madctl: 0xf0, colmod: 0x55, invert: 1, queue: 4 },
    // S2: a full-frame write in flight (153,600 bytes at 40 MHz = 30.7 ms) plus up to 120 ms since the
    // last SLPOUT. R2: up to 120 ms SLPIN->SLPOUT left over from R1 plus 120 ms SLPOUT->DISPON.
    stageBudgetUs: { suspend: 200_000, resume: 300_000 },
  },
  {
    name: "touch", driver: "ft6206", parent: "i2c",
    options: { address: 0x38, interrupt: P.touchInterrupt, threshold: 20 },
    // R2 with a reset line would need 5 ms pulse + 150 ms start-up; monitor mode needs none.
    stageBudgetUs: { resume: 250_000 },
  },
  {
    name: "backlight", driver: "backlight", needs: ["display"],
    options: { pin: P.backlight, activeLow: 1, pwm: 1, resolution: 10, hz: 1000, brightness: 1000 },
  },
  { name: "button", driver: "button", options: { pin: P.button } },
  MODDABLE_TWO_CONSOLE,
]);

export const MODDABLE_TWO_CONFIG: PmConfig = deepFreeze({
  board: "boards/moddable-two",
  maxDevices: 8,
  // display 4 + touch 6 + backlight 2 + led/button slack.
  stateArenaBytes: 64,
  blockCount: 4,
  blockSize: 64,
  // GPIO 0..39, three UART lines (UART p is line 40 + p), the console's wake line 43.
  irqLines: 44,
  traceRecords: 512,
  defaultBudgetUs: 50_000,
  testHoldUs: 200_000,
  failureHistory: 8,
  // Light sleep as the DevKitC (an application listing hibernate here keeps its image in RTC memory: no storage device).
  // Standby only: hibernate is a reboot that drops the application's timers, locks and deadlines, so
  // only an application that re-arms them lists it (ESP32_STATES; docs/idle-policy.md).
  states: [ESP32_LIGHT_SLEEP],
  governor: ESP32_GOVERNOR_OFF,
});

export const MODDABLE_TWO: BoardDefinition = deepFreeze({
  name: "Moddable Two",
  file: MODDABLE_TWO_CONFIG.board,
  pm: MODDABLE_TWO_CONFIG,
  pins: P,
  devices: MODDABLE_TWO_DEVICES,
  wakeSources: [
    // GPIO0 is RTC_GPIO11: ext0 wakes deep sleep too.
    { device: "button", line: P.button, hibernate: true },
    // Light sleep only: ESP32 deep sleep cannot be woken by a UART.
    { device: "console", line: MODDABLE_TWO_CONSOLE_WAKE_LINE, hibernate: false },
  ],
  irq: { gpioBase: 0, uartBase: UART_BASE },
});

/** The drivers this board's devices name, and only those: a firmware for it links no other driver. */
export const MODDABLE_TWO_DRIVERS: DriverTable = Object.freeze({
  "i2c-bus": driverFactory((ctx) => new I2cBus(ctx), I2C_BUS_OPTIONS),
  "spi-bus": driverFactory((ctx) => new SpiBus(ctx), SPI_BUS_OPTIONS),
  "ili9341": driverFactory((ctx) => new Ili9341(ctx), ILI9341_OPTIONS),
  "ft6206": driverFactory((ctx) => new Ft6206(ctx), FT6206_OPTIONS),
  "backlight": driverFactory((ctx) => new Backlight(ctx), BACKLIGHT_OPTIONS),
  "button": driverFactory((ctx) => new Button(ctx), BUTTON_OPTIONS),
  "uart-console": driverFactory((ctx) => new UartConsole(ctx), UART_CONSOLE_OPTIONS),
});
