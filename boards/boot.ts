// Boots a board: validates its definition, creates the PowerManager, constructs drivers from the table, registers, seals, starts the console.
import { PowerManager } from "../runtime/pm";
import type { PmHooks } from "../runtime/driver";
import type { BoardDriver, DriverContext, IoProvider } from "../drivers/common/io";
import type { ConsoleIo } from "../drivers/common/console-io";
import { IMAGE_LOADED } from "../drivers/common/image-store";
import type { BoardDefinition, BoardDevice, BoardPlatform, DriverFactory, DriverTable } from "./types";
import { validateBoard } from "./validate";
import { DRIVER_TABLE_FIELD, checkDriver, checkPools, constructFailed } from "./driver-check";
import { DoneFanout } from "./done-fanout";
import { bootImage, findStore } from "./boot-image";

export type { DriverFactory, DriverTable };

/**
 * Makes the board's console (the command shell, console/) on the first driver that offers one. Passed
 * in rather than imported so that a firmware without a console (or with its own) does not carry it:
 * `(pm, io) => new ConsoleApp(pm, io)` from console/console-app.ts is the shipped one.
 */
export type ConsoleFactory = (pm: PowerManager, io: ConsoleIo) => BoardConsole;

/** What `bootBoard` takes besides the board, the IO provider and the platform. */
export interface BootOptions {
  /**
   * Driver name -> constructor for every `driver` the board names (a board module exports its own
   * table, e.g. DEVKITC_DRIVERS; boards/drivers.ts has every shipped driver). Only these are linked
   * into the firmware.
   */
  drivers: DriverTable;
  /** How boot's errors name `drivers` in a fix (default "BootOptions.drivers"): the simulator names the field its users set. */
  driversField?: string;
  /** Makes the console when a device offers one (ConsoleIo); absent: no console, even if one could run. */
  makeConsole?: ConsoleFactory;
  /** Boot-time hook wrapper (host-sim fault injection); the runtime registers what it returns. */
  wrap?: (name: string, driver: BoardDriver, pm: PowerManager) => PmHooks;
  /**
   * Start the board's console (made by `makeConsole`) after seal (default true): it takes the trace listener and the first
   * done listener. false: the console is still made, and the caller wires it (console.boot(false),
   * its own trace and done listeners forwarding to console.traceListener and console.onSuspendDone).
   */
  console?: boolean;
  /**
   * Done listeners in place before a resume from a hibernate image starts: that resume may end inside
   * `bootBoard` (every R2 synchronous), before `BootedBoard.onDone` could add them.
   */
  onDone?: readonly ((status: number) => void)[];
}

/** The board's console: the command shell (console/) on its console driver (drivers/uart-console), made after seal. */
export interface BoardConsole {
  /** The driver it runs on. */
  readonly uart: ConsoleIo;
  /** Bound once: the console's trace listener, for a caller that fans the trace out itself. */
  readonly traceListener: (slot: number) => void;
  /** After seal: builds its tables, prints the prompt; `takeTraceListener` true also sets itself as the trace listener. */
  boot(takeTraceListener: boolean): void;
  /** Called with each attempt's outcome (from the done callback): prints the outcome line. */
  onSuspendDone(status: number): void;
}

/** A booted board: the power manager, drivers and ids by name, the console, how it booted (cold or from a hibernate image). */
export interface BootedBoard {
  /** The board it booted. */
  readonly definition: BoardDefinition;
  /** The power manager, sealed. */
  readonly pm: PowerManager;
  /** The platform it booted on: time and the timer slots an application creates at its own boot. */
  readonly platform: BoardPlatform;
  /** Drivers by device name. */
  readonly drivers: { readonly [name: string]: BoardDriver };
  /** Device ids by name. */
  readonly ids: { readonly [name: string]: number };
  /**
   * After a hibernate wake, the storage device's `loadImage` answer (IMAGE_LOADED or its own reason
   * for a cold boot), or with no storage device the platform image's (IMAGE_LOADED or a
   * PLATFORM_IMAGE_* code), NO_IMAGE_STORE (boot-image.ts) if the board keeps none; -1 on a cold power-on.
   */
  readonly image: number;
  /** True if this boot resumed from a hibernate image. */
  readonly resumed: boolean;
  /** The board's console (the shell on its console driver), or null when no device is a console driver. */
  readonly console: BoardConsole | null;
  /**
   * Adds a listener to the runtime's one done callback (set at boot to a fan-out; the console's
   * listener comes first). Use this, not pm.setDoneCallback, which would silence the console.
   */
  onDone(listener: (status: number) => void): void;
}

/** A driver with cold-boot initialisation (skipped when R1 restores it from an image). */
interface Startable {
  start(): void;
}

/**
 * Order: validate (names, cycles, pins, IRQ lines) -> PowerManager -> drivers, parents first -> pools
 * checked -> register in definition order (ids, hence the arena layout and the image, are stable) ->
 * IRQ lines -> seal -> done fan-out and the console (its banner, trace listener and done report, so it
 * also reports a resume from an image). Then, if the platform says this boot is a wake from hibernate,
 * the storage device (or, with none, boot itself: the platform's image is the arena, its flight record
 * header carrying the layout stamp) validates the image and the runtime resumes every device from it;
 * otherwise each driver's `start`. The image part is boot-image.ts's.
 */
export function bootBoard(def: BoardDefinition, device: IoProvider, platform: BoardPlatform, options: BootOptions): BootedBoard {
  const table = options.drivers;
  validateBoard(def, table, options.driversField ?? DRIVER_TABLE_FIELD);
  const pm = new PowerManager(Object.assign({ board: def.file }, def.pm), platform);
  const n = def.devices.length;
  const limits = { stateArenaBytes: def.pm.stateArenaBytes, blockCount: def.pm.blockCount, blockSize: def.pm.blockSize };
  const built: (BoardDriver | null)[] = new Array(n).fill(null);
  const byName: { [name: string]: BoardDriver } = {};
  let remaining = n;
  while (remaining > 0) {
    let progress = false;
    for (let i = 0; i < n; i++) {
      const d = def.devices[i];
      if (built[i] !== null) continue;
      // Own entries only: a parent named "constructor" not built yet must not find Object.prototype's.
      const parent = d.parent === undefined || !Object.prototype.hasOwnProperty.call(byName, d.parent) ? null : byName[d.parent];
      if (d.parent !== undefined && parent === null) continue;
      const ctx: DriverContext = {
        name: d.name, board: def.file, limits, platform, device, options: d.options ?? {}, parent, irqLine: irqLineOf(def, d),
      };
      let driver: BoardDriver;
      try {
        driver = table[d.driver](ctx);
      } catch (e) {
        throw constructFailed(def, d, table[d.driver], e, options.driversField ?? DRIVER_TABLE_FIELD);
      }
      // Before anything of it is read: an object with attach, numbers that would not be coerced in silence.
      checkDriver(def, d, driver);
      built[i] = driver;
      byName[d.name] = driver;
      remaining--;
      progress = true;
    }
    if (!progress) throw new Error(def.file + ": devices: parents could not be constructed (cycle): check parent fields");
  }
  const stateBytes = new Int32Array(n);
  const blocks = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = def.devices[i];
    const drv = built[i] as BoardDriver;
    stateBytes[i] = d.stateBytes ?? drv.stateBytes ?? 0;
    blocks[i] = d.requestBlocks ?? drv.requestBlocks ?? 0;
  }
  checkPools(def, stateBytes, blocks);
  const ids: { [name: string]: number } = {};
  for (let i = 0; i < n; i++) {
    const d = def.devices[i];
    const drv = built[i] as BoardDriver;
    const hooks = options.wrap !== undefined ? options.wrap(d.name, drv, pm) : drv;
    const id = pm.register({
      name: d.name, hooks, parent: d.parent, needs: d.needs, roles: d.roles ?? drv.roles ?? 0,
      wakeLine: irqLineOf(def, d) >= 0 ? irqLineOf(def, d) : undefined, budgetUs: d.budgetUs, stageBudgetUs: stageBudgets(d, drv),
      stateBytes: stateBytes[i], requestBlocks: blocks[i],
      suspendCostUs: d.suspendCostUs ?? costOf(drv, "suspendCostUs"), resumeCostUs: d.resumeCostUs ?? costOf(drv, "resumeCostUs"),
      autosuspendMs: d.autosuspendMs ?? costOf(drv, "autosuspendMs"),
    });
    ids[d.name] = id;
  }
  bindIrq(def, pm, platform);
  pm.seal();
  for (let i = 0; i < n; i++) {
    const d = def.devices[i];
    try {
      (built[i] as BoardDriver).attach(pm.port(ids[d.name]));
    } catch (e) {
      throw new Error(def.file + ": devices: attaching \"" + d.name + "\" (driver " + d.driver + ") failed: " + (e instanceof Error ? e.message : String(e)));
    }
  }

  const done = new DoneFanout();
  pm.setDoneCallback(done.call);
  const io = findConsole(built);
  const con: BoardConsole | null = io === null || options.makeConsole === undefined ? null : options.makeConsole(pm, io);
  if (con !== null && options.console !== false) {
    done.add(function consoleDone(status: number): void {
      con.onSuspendDone(status);
    });
    con.boot(true);
  }
  if (options.onDone !== undefined) for (let i = 0; i < options.onDone.length; i++) done.add(options.onDone[i]);

  // The image: the storage device's (ROLE_STORAGE), else the platform's own memory when it keeps one.
  const store = pm.graph.storage < 0 ? null : findStore(built[indexOfId(def, ids, pm.graph.storage)]);
  const image = bootImage(def, pm, platform, store);
  const resumed = image === IMAGE_LOADED;
  if (!resumed) {
    for (let i = 0; i < n; i++) {
      const drv = built[i] as unknown as Partial<Startable>;
      if (typeof drv.start !== "function") continue;
      try {
        drv.start();
      } catch (e) {
        // A chip dead at boot (a flash stuck BUSY, a sensor that does not answer) fails its device, not the
        // board: the rest boots, its requests are refused with FAILED, and the runtime re-probes it.
        const name = def.devices[i].name;
        platform.log(def.file + ": " + name + " did not start (" + (e instanceof Error ? e.message : String(e)) + "): marked failed, re-probed when idle");
        pm.failAtBoot(ids[name]);
      }
    }
  }
  return {
    definition: def, pm, platform, drivers: byName, ids, image, resumed, console: con,
    onDone(listener: (status: number) => void): void {
      done.add(listener);
    },
  };
}

/**
 * The board entry's per-stage budgets, else what the driver computes for itself (the console's S2
 * drains its whole TX ring: `suspendBudgetUs` from its ring size and baud), so no number is copied.
 */
function stageBudgets(d: BoardDevice, drv: BoardDriver): BoardDevice["stageBudgetUs"] {
  const own = drv.suspendBudgetUs;
  if (typeof own !== "number" || (d.stageBudgetUs !== undefined && d.stageBudgetUs.suspend !== undefined)) return d.stageBudgetUs;
  return Object.assign({}, d.stageBudgetUs, { suspend: own });
}

/** A number the driver declares for itself (`suspendCostUs`, `resumeCostUs`: µs it adds to a suspend or a resume; `autosuspendMs`), if any. */
function costOf(drv: BoardDriver, key: "suspendCostUs" | "resumeCostUs" | "autosuspendMs"): number | undefined {
  const v = drv[key];
  return typeof v === "number" ? v : undefined;
}

/** The first driver that offers a console (`ConsoleIo`: a TX ring, line input, `bind`), or null. */
function findConsole(built: (BoardDriver | null)[]): ConsoleIo | null {
  for (let i = 0; i < built.length; i++) {
    const d = built[i] as unknown as Partial<ConsoleIo> | null;
    if (d !== null && typeof d.bind === "function" && d.ring !== undefined && d.input !== undefined) return d as ConsoleIo;
  }
  return null;
}

/** The device's IRQ line: its `irq`, else its GPIO `pin` option's line (a button, say), else -1. */
function irqLineOf(def: BoardDefinition, d: BoardDevice): number {
  if (d.irq !== undefined) return d.irq;
  const pin = d.options === undefined ? undefined : d.options["pin"];
  return typeof pin === "number" ? def.irq.gpioBase + pin : -1;
}

/** Index in `def.devices` of runtime device id `id`. */
function indexOfId(def: BoardDefinition, ids: { readonly [name: string]: number }, id: number): number {
  for (let i = 0; i < def.devices.length; i++) if (ids[def.devices[i].name] === id) return i;
  return -1;
}

/** Every line of the board's interrupt source goes through the runtime's IrqController (latched while masked). */
function bindIrq(def: BoardDefinition, pm: PowerManager, platform: BoardPlatform): void {
  const src = platform.irqSource;
  if (src === undefined) return;
  if (src.lineCount > def.pm.irqLines) {
    throw new Error(def.file + ": irq: the board has " + src.lineCount + " interrupt lines, pm.irqLines is " + def.pm.irqLines + ": raise pm.irqLines to " + src.lineCount);
  }
  for (let line = 0; line < src.lineCount; line++) {
    let wake = false;
    for (let k = 0; k < def.wakeSources.length; k++) if (def.wakeSources[k].line === line) wake = true;
    pm.irq.register(line, src.deliver, wake);
  }
  src.setSink(pm.irq);
}
