// Boots a simulated board (the ESP32 DevKitC unless told otherwise; host-sim/board SimBoard, console on UART0) and adapts it to ShellBoard.
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../boards/esp32-devkitc";
import type { UartConsole } from "../../drivers/uart-console/uart-console";
import { IO, WAKE_TIMER } from "../../runtime/status";
import { SimBoard } from "../board/sim-board";
import { F_FAIL, F_HANG, F_LATE, F_NONE, F_THROW } from "../board/faults";
import { SLEEP_DEEP, SLEEP_NONE } from "../board/sim-sleep";
import type { FaultMode, FaultStage, WakeSource } from "./scenario";
import type { ShellBoard } from "./shell-board";
import { phaseName } from "./progress";

/** How late a `late` fault reports: past every stage budget on this board (flash 500 ms), so it times out first. */
const LATE_US = 600_000;

const FAULT_CODES: { [m: string]: number } = { none: F_NONE, fail: F_FAIL, hang: F_HANG, late: F_LATE, throw: F_THROW };

export interface DevkitcOptions {
  seed: number;
  /** RTC timer wake armed before every sleep (0: off). */
  timerWakeUs?: number;
  /** The board to simulate (default the DevKitC); `--board` loads one from a module. */
  wiring?: SimBoardWiring;
}

/** The simulated board as the shell sees it; `sim` is the SimBoard underneath (tests reach models through it). */
export function bootShellBoard(o: DevkitcOptions): ShellBoard & { sim: SimBoard } {
  // The board boots its console (banner, progress, done report); the terminal model sits on UART0 and
  // models the ESP32 UART wake (the waking byte is lost).
  const sim = new SimBoard(o.wiring ?? SIM_ESP32_DEVKITC, { seed: o.seed });
  const platform = sim.platform;
  const term = sim.terminal("console");
  let consolePort = 0;
  for (const m of sim.wiring.models) if (m.kind === "terminal" && m.device === "console") consolePort = m.port ?? 0;
  if (o.timerWakeUs !== undefined && o.timerWakeUs > 0) sim.setTimerWake(o.timerWakeUs);
  return {
    sim,
    name: sim.wiring.definition.name + " (simulated)",
    clock: sim.time,
    get pm() {
      return sim.pm;
    },
    energy: sim.energy,
    consoleLineMax: sim.driver<UartConsole>("console").reader.limit,
    hasButton: sim.buttons["button"] !== undefined,
    testHoldUs: sim.wiring.definition.pm.testHoldUs,
    // The driver instance is the running firmware's: a hibernate wake boots a new one.
    consoleBacklog: () => sim.driver<UartConsole>("console").ring.count,
    serialInFlight: () => sim.io.uart(consolePort).txPending,
    typeSerial: (data) => term.type(data),
    serialPending: () => term.pending(),
    takeSerial: () => term.takeAll(),
    pressButton: () => sim.press(),
    releaseButton: () => sim.release(),
    asleep(): string | null {
      return platform.sleeping === SLEEP_NONE ? null : platform.sleeping === SLEEP_DEEP ? "hibernate" : "standby";
    },
    waking: () => platform.waking,
    wakers(): WakeSource[] {
      const deep = platform.sleeping === SLEEP_DEEP;
      const out: WakeSource[] = [];
      for (const w of sim.wiring.definition.wakeSources) {
        const name = w.device === "console" ? "uart" : w.device === "button" ? "button" : null;
        if (name !== null && (!deep || w.hibernate === true)) out.push(name);
      }
      out.push("timer");
      return out;
    },
    wake(source: WakeSource): string | null {
      if (source === "uart") {
        // One CR: lost if it wakes the chip, an empty line (a prompt) if the board is awake.
        term.type("\r");
        return null;
      }
      if (source === "timer") {
        if (platform.sleeping === SLEEP_NONE) {
          return "the board is not asleep (phase " + phaseName(sim.pm.phase) + "): a timer wake only ends a sleep; suspend first";
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
      if (stage === "runtimeSuspend" || stage === "runtimeResume") {
        // Only a driver with runtime hooks has them; the runtime calls them only while the system is awake.
        const pm = sim.pm;
        const capable = pm.graph.names.slice(0, pm.graph.count).filter((_n, d) => pm.rpm.capable[d] !== 0);
        if (!capable.includes(device)) {
          return "device `" + device + "` has no runtime hooks: " + stage + " faults apply to " + (capable.length > 0 ? capable.join(", ") : "no device on this board");
        }
      }
      sim.faults.set(device, stage, FAULT_CODES[mode], IO, LATE_US);
      return null;
    },
    pinLevel(pin: string): number | string {
      const withPin = sim.wiring.definition.devices.filter((d) => typeof d.options?.pin === "number");
      const known = "a GPIO number 0..39 or a device with a pin (" + withPin.map((d) => d.name).join(", ") + ")";
      const dev = withPin.find((d) => d.name === pin);
      const n = dev !== undefined ? (dev.options as { pin: number }).pin : /^\d+$/.test(pin) ? Number(pin) : -1;
      if (n < 0 || n > 39) return "no pin `" + pin + "` on " + sim.wiring.definition.name + "; give " + known;
      return sim.io.level(n);
    },
    wakeName: (cause: number) => {
      const n = sim.wakeName(cause);
      return n === "console" ? "uart" : n;
    },
  };
}
