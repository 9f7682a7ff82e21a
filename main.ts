// Firmware entry (mcconfig's "main"): boots the board's runtime and drivers on ESP32, the console, and resumes from a hibernate image.
import Timer from "timer";
import config from "mc/config";
import device from "embedded:provider/builtin";
import { bootBoard } from "./boards/boot";
import type { BoardDefinition, BoardDevice, WakeSource } from "./boards/types";
import { ESP32_DEVKITC } from "./boards/esp32-devkitc/board";
import { MODDABLE_TWO } from "./boards/moddable-two/board";
import { esp32Native } from "./boards/esp32/native";
import { Esp32Platform, MASK_SLEEP } from "./boards/esp32/platform";
import { Esp32IrqSource } from "./boards/esp32/irq-source";
import type { IoProvider } from "./drivers/common/io";

declare function trace(...text: unknown[]): void;

/*
 * Boot order: pick the board named by the board folder's manifest (config.quiesceBoard), wrap the
 * provider so Digital/Serial events enter the runtime's IrqController, build the platform, then
 * bootBoard: drivers, registry, seal, and, if the reset reason is our deep sleep, the storage device
 * validates the image and the runtime resumes every device from it (pm.resumeFromImage(cause)).
 * Everything here allocates: it runs once. Nothing after it does.
 */
const BOARD = String(config.quiesceBoard ?? "esp32-devkitc");
const definition: BoardDefinition | undefined = BOARD === "esp32-devkitc" ? ESP32_DEVKITC : BOARD === "moddable-two" ? MODDABLE_TWO : undefined;
if (definition === undefined) {
  throw new Error("main: board \"" + BOARD + "\" has no BoardDefinition: export it from boards/" + BOARD + "/board.ts and list it here");
}

// In a debug build UART0 carries xsbug's protocol: the console device is left out, boot text goes to trace().
const debug = esp32Native.debugBuild() === 1;
const board: BoardDefinition = debug ? withoutConsole(definition) : definition;
let consoleEntry: BoardDevice | undefined = undefined;
for (let i = 0; i < board.devices.length; i++) if (board.devices[i].driver === "uart-console") consoleEntry = board.devices[i];
const withConsole = consoleEntry !== undefined;

const irqSource = new Esp32IrqSource(40, 3, board.irq.gpioBase, board.irq.uartBase);
// The GPIO wake source (the BOOT button); the console's wake line is handled through uartPort/uartLine.
let wake: WakeSource | undefined = undefined;
for (let i = 0; i < board.wakeSources.length; i++) if (wake === undefined && board.wakeSources[i].line < board.irq.uartBase) wake = board.wakeSources[i];
const consoleOptions = consoleEntry === undefined ? undefined : consoleEntry.options;
const consolePort = consoleOptions !== undefined && typeof consoleOptions.port === "number" ? consoleOptions.port : -1;
const platform = new Esp32Platform(esp32Native, Timer, {
  // Both boards' drivers do I2C/SPI in their NoIrq hooks: the hardware critical section can only
  // span the sleep call itself (boards/esp32/platform.ts MASK_SLEEP).
  maskMode: MASK_SLEEP,
  wakePin: wake === undefined ? -1 : wake.line - board.irq.gpioBase,
  // The BOOT button pulls GPIO0 low when pressed.
  wakeLevel: 0,
  uartPort: consolePort,
  // 'a' (0x61) on the wire has 3 rising edges: any key wakes (the key itself is lost).
  uartThreshold: 3,
  // A UART wake is reported as the console's own RX wake line (43), not UART0's line 40.
  uartLine: consoleEntry !== undefined && consoleEntry.irq !== undefined ? consoleEntry.irq : board.irq.uartBase,
  standbyTimerUs: 0,
  hibernateTimerUs: 0,
  log: function bootLog(message: string): void {
    trace(message + "\n");
  },
  irqSource,
});

const provider = irqSource.wrap(device as unknown as IoProvider);
// bootBoard also starts the console: banner, progress (trace listener) and its done report.
const booted = bootBoard(board, provider, platform);
trace("quiesce: " + board.name + (booted.resumed ? " resumed from hibernate" : " booted") + ", " + booted.pm.graph.count +
  " devices" + (withConsole ? ", console on UART0 (115200 8N1): type help" : debug ? ", debug build: console off (UART0 is xsbug)" : "") + "\n");

export default booted;

/** The definition minus its console device and the console's wake source. */
function withoutConsole(def: BoardDefinition): BoardDefinition {
  const devices: BoardDevice[] = [];
  const names: string[] = [];
  for (let i = 0; i < def.devices.length; i++) {
    if (def.devices[i].driver === "uart-console") names.push(def.devices[i].name);
    else devices.push(def.devices[i]);
  }
  const wakeSources: WakeSource[] = [];
  for (let i = 0; i < def.wakeSources.length; i++) if (names.indexOf(def.wakeSources[i].device) < 0) wakeSources.push(def.wakeSources[i]);
  return Object.assign({}, def, { devices, wakeSources });
}
