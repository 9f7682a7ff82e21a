// The DevKitC with its console on UART0 as the reliability suites need it, until boards/ wires the console itself.
import { ESP32_DEVKITC, DEVKITC_CONSOLE } from "../../boards/esp32-devkitc/board";
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../../boards/host-sim/esp32-devkitc";
import { DRIVERS, type DriverFactory } from "../../boards/drivers";
import type { BoardDefinition } from "../../boards/types";
import { UartConsole } from "../../drivers/uart-console/uart-console";

/** UART0's IRQ line (gpioBase 40 + port 0): RX *and* TX events, so it cannot itself be a wake line. */
export const CONSOLE_LINE = ESP32_DEVKITC.irq.uartBase + 0;
/** The console's RX-activity wake line: one past the SoC's lines (the console registers it, wake-capable). */
export const CONSOLE_WAKE_LINE = 43;

/** True once boards/esp32-devkitc lists the console itself (then this file only passes it through). */
export const BOARD_HAS_CONSOLE = ESP32_DEVKITC.devices.some((d) => d.driver === "uart-console");

/*
 * Why a local definition: the console's board entry (DEVKITC_CONSOLE) exists but is not yet in the
 * device list, and boards/drivers.ts has no "uart-console" factory. Two things the entry lacks:
 * - UART0's line carries TX-writable events too: marking it wake-capable (ROLE_WAKE, or a wakeSources
 *   entry) makes every onWritable during S1/S2 abort the suspend with WAKEUP. The console raises a
 *   separate wake line on RX only (raiseWakeOnRx, wakeLine); roles 0 keeps line 40 an ordinary line.
 * - Its S2 drains the 4 KB TX ring at 115200 baud (up to 355 ms); the 50 ms default budget times out
 *   whenever progress output exceeds ~570 bytes. The driver's own figure is suspendBudgetUs.
 * ESP32 light sleep is woken by UART RX edges (uart_set_wakeup_threshold) and loses that byte; deep
 * sleep cannot be woken by a UART. BoardWorld models that wake directly (SimPlatform.wakeNow).
 */
const DEFINITION: BoardDefinition = BOARD_HAS_CONSOLE ? ESP32_DEVKITC : {
  ...ESP32_DEVKITC,
  pm: { ...ESP32_DEVKITC.pm, irqLines: CONSOLE_WAKE_LINE + 1 },
  devices: [...ESP32_DEVKITC.devices, {
    ...DEVKITC_CONSOLE, roles: 0,
    options: { ...DEVKITC_CONSOLE.options, raiseWakeOnRx: true, wakeLine: CONSOLE_WAKE_LINE },
    stageBudgetUs: { suspend: 380_000 },
  }],
};

export const SIM_DEVKITC_CONSOLE: SimBoardWiring = { ...SIM_ESP32_DEVKITC, definition: DEFINITION };

export const DRIVERS_WITH_CONSOLE: { [name: string]: DriverFactory } = DRIVERS["uart-console"] !== undefined ? DRIVERS : {
  ...DRIVERS,
  "uart-console": (ctx) => new UartConsole(ctx),
};
