// The line the firmware prints when it has booted on an ESP32 (one function, so the docs that quote it are checked against it).

/** How the console runs on this boot: on UART0, left out of a debug build (xsbug owns UART0), or the board has none. */
export const CONSOLE_ON_UART0 = 0;
/** A debug build: UART0 carries xsbug, so the console is left out. */
export const CONSOLE_DEBUG_OFF = 1;
/** The board has no console device, or the application made none. */
export const CONSOLE_NONE = 2;

/**
 * "quiesce: ESP32-DevKitC V4 booted, 8 devices, console on UART0 (115200 8N1): type help". README.md
 * and docs/flash-esp32.md quote it; test/esp32/boot-line.test.ts keeps them equal. @boot
 */
export function bootLine(boardName: string, resumed: boolean, devices: number, consoleState: number): string {
  const tail = consoleState === CONSOLE_ON_UART0 ? ", console on UART0 (115200 8N1): type help" :
    consoleState === CONSOLE_DEBUG_OFF ? ", debug build: console off (UART0 is xsbug)" : "";
  return "quiesce: " + boardName + (resumed ? " resumed from hibernate" : " booted") + ", " + devices + " devices" + tail;
}
