// Starts quiesce on an ESP32 for an application: the board it names, its drivers, the ESP32 platform, the console; resumes from a hibernate image.
import Timer from "timer";
import device from "embedded:provider/builtin";
import { bootBoard, type BootedBoard, type ConsoleFactory } from "../boot";
import type { BoardDefinition, BoardDevice, DriverTable, WakeSource } from "../types";
import type { IoProvider } from "../../drivers/common/io";
import { esp32Native } from "./native";
import { Esp32Platform, MASK_SLEEP } from "./platform";
import { Esp32IrqSource } from "./irq-source";
import { bootLine, CONSOLE_DEBUG_OFF, CONSOLE_NONE, CONSOLE_ON_UART0 } from "./boot-line";
import { esp32WakePlan } from "../esp32-wake";

declare function trace(...text: unknown[]): void;

/** What an application hands `startEsp32` besides its board. */
export interface Esp32StartOptions {
  /** The drivers the board names (its module's table, e.g. DEVKITC_DRIVERS): only these are linked. */
  readonly drivers: DriverTable;
  /** The console (console/console-app.ts: `(pm, io) => new ConsoleApp(pm, io)`); absent: none, even in a release build. */
  readonly makeConsole?: ConsoleFactory;
  /** RTC timer wake from standby / hibernate, microseconds (0, the default: only the board's wake sources end a sleep). */
  readonly standbyTimerUs?: number;
  /** RTC timer wake from hibernate, microseconds (0: none). */
  readonly hibernateTimerUs?: number;
  /**
   * MASK_SLEEP (default): the hardware critical section spans only the sleep call, because drivers do
   * I2C/SPI in their NoIrq hooks. MASK_NOIRQ only for boards whose NoIrq hooks touch registers alone.
   */
  readonly maskMode?: number;
}

/**
 * The firmware's boot, in order: in a debug build drop the console device (UART0 carries xsbug); wrap
 * the provider so Digital/Serial events enter the runtime's IrqController; build the platform with
 * every GPIO wake source of the board (esp32WakePlan: light sleep all of them, deep sleep
 * the `hibernate` ones) and the console's UART wake; bootBoard
 * (drivers, registry, seal, console, and the resume from a hibernate image if this boot is that
 * wake); print the boot line. Everything here allocates: it runs once, nothing after it does. @boot
 */
export function startEsp32(definition: BoardDefinition, options: Esp32StartOptions): BootedBoard {
  const debug = esp32Native.debugBuild() === 1;
  const board: BoardDefinition = debug ? withoutConsole(definition) : definition;
  let consoleEntry: BoardDevice | undefined = undefined;
  for (let i = 0; i < board.devices.length; i++) if (board.devices[i].driver === "uart-console") consoleEntry = board.devices[i];
  const irqSource = new Esp32IrqSource(40, 3, board.irq.gpioBase, board.irq.uartBase);
  const consoleOptions = consoleEntry === undefined ? undefined : consoleEntry.options;
  const platform = new Esp32Platform(esp32Native, Timer, {
    maskMode: options.maskMode ?? MASK_SLEEP,
    // Every GPIO source for light sleep, the hibernate ones as ext0 + ext1; throws, naming the fix, for what the chip cannot arm.
    wake: esp32WakePlan(board),
    uartPort: consoleOptions !== undefined && typeof consoleOptions.port === "number" ? consoleOptions.port : -1,
    // 'a' (0x61) on the wire has 3 rising edges: any key wakes (the key itself is lost).
    uartThreshold: 3,
    // A UART wake is reported as the console's own RX wake line, not the UART's.
    uartLine: consoleEntry !== undefined && consoleEntry.irq !== undefined ? consoleEntry.irq : board.irq.uartBase,
    standbyTimerUs: options.standbyTimerUs ?? 0,
    hibernateTimerUs: options.hibernateTimerUs ?? 0,
    log: function bootLog(message: string): void {
      trace(message + "\n");
    },
    irqSource,
  });
  const provider = irqSource.wrap(device as unknown as IoProvider);
  const booted = bootBoard(board, provider, platform, { drivers: options.drivers, makeConsole: options.makeConsole });
  const consoleState = consoleEntry !== undefined && options.makeConsole !== undefined ? CONSOLE_ON_UART0 : debug ? CONSOLE_DEBUG_OFF : CONSOLE_NONE;
  trace(bootLine(board.name, booted.resumed, booted.pm.graph.count, consoleState) + "\n");
  return booted;
}

/** The definition minus its console device and the console's wake source. @boot */
export function withoutConsole(def: BoardDefinition): BoardDefinition {
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
