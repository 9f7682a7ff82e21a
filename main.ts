// Firmware entry (mcconfig's "main"): boots the board's runtime and drivers on ESP32, the console, and resumes from a hibernate image.
import Timer from "timer";
import config from "mc/config";
import device from "embedded:provider/builtin";
import { bootBoard } from "./boards/boot";
import { DRIVERS } from "./boards/drivers";
import type { BoardDefinition, BoardDevice } from "./boards/types";
import { ESP32_DEVKITC, DEVKITC_CONSOLE } from "./boards/esp32-devkitc/board";
import * as ModdableTwo from "./boards/moddable-two/board";
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
const M2 = ModdableTwo as unknown as { MODDABLE_TWO?: BoardDefinition; MODDABLE_TWO_CONSOLE?: BoardDevice };
const definition: BoardDefinition | undefined = BOARD === "esp32-devkitc" ? ESP32_DEVKITC : BOARD === "moddable-two" ? M2.MODDABLE_TWO : undefined;
if (definition === undefined) {
  throw new Error("main: board \"" + BOARD + "\" has no BoardDefinition: export it from boards/" + BOARD + "/board.ts and list it here");
}

// In a debug build UART0 carries xsbug's protocol: no console device there, boot text goes to trace().
const debug = esp32Native.debugBuild() === 1;
const consoleEntry = BOARD === "esp32-devkitc" ? DEVKITC_CONSOLE : M2.MODDABLE_TWO_CONSOLE;
const withConsole = !debug && consoleEntry !== undefined && DRIVERS[consoleEntry.driver] !== undefined;
const board: BoardDefinition = withConsole
  ? Object.assign({}, definition, { devices: definition.devices.concat([consoleEntry as BoardDevice]) })
  : definition;

const irqSource = new Esp32IrqSource(40, 3, board.irq.gpioBase, board.irq.uartBase);
const wake = board.wakeSources.length > 0 ? board.wakeSources[0] : undefined;
const consolePort = withConsole ? 0 : -1;
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
  uartLine: board.irq.uartBase + (consolePort < 0 ? 0 : consolePort),
  standbyTimerUs: 0,
  hibernateTimerUs: 0,
  log: function bootLog(message: string): void {
    trace(message + "\n");
  },
  irqSource,
});

const provider = irqSource.wrap(device as unknown as IoProvider);
const booted = bootBoard(board, provider, platform);
trace("quiesce: " + board.name + (booted.resumed ? " resumed from hibernate" : " booted") + ", " + booted.pm.graph.count +
  " devices" + (withConsole ? ", console on UART0 (115200 8N1): type help" : debug ? ", debug build: console off (UART0 is xsbug)" : "") + "\n");

export default booted;
