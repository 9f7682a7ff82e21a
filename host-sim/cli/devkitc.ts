// Boots the simulated ESP32 DevKitC (host-sim/board SimBoard) with the firmware console on UART0 and adapts it to ShellBoard.
import type { BootedBoard, BootOptions } from "../../boards/boot";
import { DRIVERS } from "../../boards/drivers";
import { DEVKITC_PINS } from "../../boards/esp32-devkitc/board";
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../../boards/host-sim/esp32-devkitc";
import type { BoardDevice, BoardDefinition } from "../../boards/types";
import type { BoardDriver, DriverContext } from "../../drivers/common/io";
import { UartConsole } from "../../drivers/uart-console/uart-console";
import { IO, WAKE_TIMER } from "../../runtime/status";
import { SimBoard } from "../board/sim-board";
import { F_FAIL, F_HANG, F_LATE, F_NONE } from "../board/faults";
import { SLEEP_NONE } from "../board/sim-platform";
import { UartTerminal } from "../models/uart-terminal";
import type { FaultMode, FaultStage, WakeSource } from "./scenario";
import type { ShellBoard } from "./shell-board";

const CONSOLE_PORT = 0;
/**
 * The console's RX-activity wake line: not UART0's own line (40), whose TX-empty interrupts would
 * count as wake events and abort every suspend while the console drains its output in S2. The
 * console raises it itself on RX (`raiseWakeOnRx`), as test/console/sim.ts does.
 */
const CONSOLE_WAKE_LINE = 43;
/** Console line buffer (drivers/uart-console default). */
export const CONSOLE_LINE_BYTES = 128;
/** How late a `late` fault reports: past every stage budget on this board (flash 500 ms), so it times out first. */
const LATE_US = 600_000;

/** Console TX ring (drivers/uart-console default) and baud: S2 may have to drain all of it. */
const CONSOLE_RING_BYTES = 4096;
const CONSOLE_BAUD = 115200;

const CONSOLE_ENTRY: BoardDevice = {
  name: "console", driver: "uart-console", irq: CONSOLE_WAKE_LINE,
  // What UartConsole.buildSpec asks for: a full ring at 10 bits per byte, plus margin.
  stageBudgetUs: { suspend: Math.ceil((CONSOLE_RING_BYTES * 10 * 1e6) / CONSOLE_BAUD) + 20_000 },
  options: {
    port: CONSOLE_PORT, transmit: DEVKITC_PINS.consoleTx, receive: DEVKITC_PINS.consoleRx, baud: CONSOLE_BAUD,
    raiseWakeOnRx: true, wakeLine: CONSOLE_WAKE_LINE, lineBytes: CONSOLE_LINE_BYTES, txRingBytes: CONSOLE_RING_BYTES,
  },
};

/** The board's wiring plus the console, unless the board definition already has one. */
function wiringWithConsole(): SimBoardWiring {
  const def = SIM_ESP32_DEVKITC.definition;
  if (def.devices.some((d) => d.driver === "uart-console")) return SIM_ESP32_DEVKITC;
  const definition: BoardDefinition = {
    ...def,
    pm: { ...def.pm, irqLines: Math.max(def.pm.irqLines, CONSOLE_WAKE_LINE + 1) },
    devices: [...def.devices, CONSOLE_ENTRY],
    wakeSources: [...def.wakeSources, { device: "console", line: CONSOLE_WAKE_LINE, hibernate: false }],
  };
  return { ...SIM_ESP32_DEVKITC, definition };
}

const SHELL_DRIVERS = { ...DRIVERS, "uart-console": (ctx: DriverContext): BoardDriver => new UartConsole(ctx) };

/**
 * SimBoard plus what the firmware's main does after boot: the console takes the trace listener and
 * the done callback. Overriding boot() covers the reboot after a hibernate wake too.
 */
class ShellSimBoard extends SimBoard {
  override boot(options: BootOptions = {}): BootedBoard {
    const b = super.boot({ drivers: SHELL_DRIVERS, ...options });
    const con = b.drivers.console as UartConsole | undefined;
    if (con !== undefined) {
      b.pm.setDoneCallback((status: number) => con.onSuspendDone(status));
      con.boot(true);
    }
    return b;
  }
}

const FAULT_CODES: { [m: string]: number } = { none: F_NONE, fail: F_FAIL, hang: F_HANG, late: F_LATE };

export interface DevkitcOptions {
  seed: number;
  /** RTC timer wake armed before every sleep (0: off). */
  timerWakeUs?: number;
}

/** The simulated board as the shell sees it; `sim` is the SimBoard underneath (tests reach models through it). */
export function bootShellBoard(o: DevkitcOptions): ShellBoard & { sim: SimBoard } {
  const sim = new ShellSimBoard(wiringWithConsole(), { seed: o.seed, boot: false });
  const platform = sim.platform;
  // ESP32 light sleep: the UART counts RX edges and wakes the chip; that character is never received.
  const term = new UartTerminal({
    deliver(byte: number): void {
      if (platform.sleeping !== SLEEP_NONE) {
        platform.wakeNow(CONSOLE_WAKE_LINE);
        return;
      }
      sim.io.uartInject(CONSOLE_PORT, byte);
    },
    clock: sim.time, baud: CONSOLE_BAUD, rxCapacity: 1 << 20, txCapacity: 1 << 16, name: "terminal",
  });
  sim.io.attachUart(CONSOLE_PORT, term);
  sim.boot();
  if (o.timerWakeUs !== undefined && o.timerWakeUs > 0) sim.setTimerWake(o.timerWakeUs);
  return {
    sim,
    name: sim.wiring.definition.name + " (simulated)",
    clock: sim.time,
    get pm() {
      return sim.pm;
    },
    energy: sim.energy,
    consoleLineMax: CONSOLE_LINE_BYTES,
    typeSerial: (data) => term.type(data),
    serialPending: () => term.pending(),
    takeSerial: () => term.takeAll(),
    pressButton: () => sim.press(),
    releaseButton: () => sim.release(),
    wake(source: WakeSource): string | null {
      if (source === "uart") {
        // One CR: lost if it wakes the chip, an empty line (a prompt) if the board is awake.
        term.type("\r");
        return null;
      }
      if (source === "timer") {
        if (platform.sleeping === SLEEP_NONE) {
          return "the board is not asleep (phase " + PHASES[sim.pm.phase] + "): a timer wake only ends a sleep; suspend first";
        }
        platform.wakeNow(WAKE_TIMER);
        return null;
      }
      return "press the button to wake by button";
    },
    fault(device: string, stage: FaultStage, mode: FaultMode): string | null {
      if (sim.wiring.definition.devices.every((d) => d.name !== device)) {
        return "no device `" + device + "`; devices are " + sim.wiring.definition.devices.map((d) => d.name).join(", ");
      }
      sim.faults.set(device, stage, FAULT_CODES[mode], IO, LATE_US);
      return null;
    },
    wakeName: (cause: number) => {
      const n = sim.wakeName(cause);
      return n === "console" ? "uart" : n;
    },
  };
}

const PHASES = ["idle", "suspending", "sleeping", "resuming", "rollback"];
