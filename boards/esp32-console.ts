// The serial console entry every ESP32 board shares: UART0, its own RX wake line, the driver's own S2 budget.

/** host-sim and the native dispatcher number GPIO n as line n and UART p as line UART_LINE_BASE + p. */
export const UART_LINE_BASE = 40;

/**
 * The console's "RX input" wake line, one past the SoC's 43 lines. Not UART0's own line 40: that one
 * carries TX-empty events too, and the console writes progress during S1/S2, so as a wake line it
 * would abort every suspend. The console raises 43 itself on RX (raiseWakeOnRx); while the chip
 * sleeps the platform reports 43 as the cause of a UART wake (boards/esp32/platform.ts uartLine).
 */
export const CONSOLE_WAKE_LINE = 43;

/**
 * The console (drivers/uart-console) on UART0 at 115200 baud: UART0 because ESP32 light sleep wakes on
 * UART0 only through its IO_MUX RX pad (GPIO3). Its S2 budget is the driver's own `suspendBudgetUs`
 * (a full TX ring at this baud plus margin), taken by boards/boot.ts, so it is not repeated here.
 */
export function uart0Console(transmit: number, receive: number) {
  return {
    name: "console", driver: "uart-console", irq: CONSOLE_WAKE_LINE,
    options: { port: 0, transmit, receive, baud: 115200, raiseWakeOnRx: true },
  };
}
