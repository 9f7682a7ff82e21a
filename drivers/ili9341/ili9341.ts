// ILI9341 SPI display driver: board options, the frame-request API and the PM hooks, over the panel, frame writer and power sequencing.
import type { DevicePort } from "../../runtime/port";
import type { RequestQueue } from "../../runtime/queue";
import { type BoardDriver, type DriverContext, numberOption, parentOf } from "../common/io";
import { type SpiBus, isSpiBus } from "../spi-bus/spi-bus";
import { COLMOD_RGB565, ILI9341_STATE_BYTES } from "./ili9341-spec";
import { Ili9341Panel } from "./ili9341-panel";
import { Ili9341Frames } from "./ili9341-frames";
import { Ili9341Power } from "./ili9341-power";

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const ILI9341_OPTIONS: readonly string[] = Object.freeze(["select", "dc", "hz", "madctl", "colmod", "invert", "queue"]);

/**
 * The board-facing face of the display: its stages and their datasheet waits are ili9341-power.ts's,
 * its frame writes ili9341-frames.ts's, its commands ili9341-panel.ts's.
 */
export class Ili9341 implements BoardDriver {
  readonly name: string;
  readonly stateBytes = ILI9341_STATE_BYTES;
  readonly select: number;
  readonly dcPin: number;
  readonly hz: number;
  readonly queue: RequestQueue;
  private readonly panel: Ili9341Panel;
  private readonly frameWriter: Ili9341Frames;
  private readonly power: Ili9341Power;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    const bus = parentOf<SpiBus>(ctx, "SPI bus", isSpiBus);
    this.select = numberOption(ctx, "select");
    this.dcPin = numberOption(ctx, "dc");
    this.hz = numberOption(ctx, "hz", 40_000_000);
    const madctl = numberOption(ctx, "madctl", 0x48) & 0xff;
    const colmod = numberOption(ctx, "colmod", COLMOD_RGB565) & 0xff;
    const invert = numberOption(ctx, "invert", 0) ? true : false;
    const capacity = numberOption(ctx, "queue", 4);
    if (!(capacity >= 1 && capacity <= 64)) {
      throw new Error(ctx.board + ": device \"" + ctx.name + "\" option \"queue\" is " + String(capacity) + ": use 1..64 frame requests");
    }
    const Digital = ctx.device.io.Digital;
    const dc = new Digital({ pin: this.dcPin, mode: Digital.Output, initialValue: 1 });
    const spi = bus.open(this.select, this.hz, 0);
    this.panel = new Ili9341Panel(ctx.platform, spi, dc, madctl, colmod, invert);
    const self = this;
    this.frameWriter = new Ili9341Frames(capacity, bus, spi, this.panel, this.hz,
      function frameChunkWait(us: number): void { self.power.chunkWait(us); });
    this.queue = this.frameWriter.queue;
    this.power = new Ili9341Power(ctx.platform, bus, this.panel, this.frameWriter);
  }

  /** Boot, after seal: keeps the port, registers the queue and the one give-up listener. @boot */
  attach(port: DevicePort): void {
    this.power.bind(port);
    this.frameWriter.port = port;
    // Parked frame writes count in the runtime's stats, the flight recorder and the console's stats.
    port.registerQueue(this.queue);
    const self = this;
    port.onGiveUp(function ili9341GaveUp(stage: number): void { self.power.gaveUp(stage); });
  }

  /** Registered once: told `(slot, status)` when a frame request completes. */
  setFrameListener(listener: (slot: number, status: number) => void): void {
    this.frameWriter.setListener(listener);
  }

  get ready(): boolean { return this.panel.ready; }
  get asleep(): boolean { return this.panel.asleep; }
  get displayOn(): boolean { return this.panel.displayOn; }

  /** Slot of the last accepted request (the application's handle for its completion). */
  get lastSlot(): number { return this.frameWriter.lastSlot; }
  /** Frames completed since boot. */
  get frames(): number { return this.frameWriter.completed; }
  /**
   * Frame requests accepted and then completed with an error since boot: IO (the bus was down), FAILED
   * (waiting when the display failed), ABORTED (parked when a hibernate committed). Refusals are
   * `refused`, apart, as the console's `stats` counts failures and BUSY refusals apart.
   */
  get failures(): number { return this.frameWriter.failures; }
  /** Frame requests `fill` refused since boot, nothing kept: FULL (every slot taken), or FAILED while the display is failed. */
  get refused(): number { return this.queue.refused; }

  /** MADCTL/COLMOD/invert as the driver last wrote them. */
  register(index: number): number {
    return this.panel.regs[index];
  }

  /**
   * Queues a solid rectangle (x, y, w, h, RGB565). OK: accepted (`lastSlot` names it; the frame
   * listener hears it exactly once); FULL (or FAILED while the display is failed): refused, nothing
   * kept, counted in `refused`; INVALID: outside the panel, not a request, not counted.
   * While suspended the request is parked and drawn after DISPON.
   */
  fill(x: number, y: number, w: number, h: number, color: number): number {
    return this.frameWriter.fill(x, y, w, h, color);
  }

  suspend(token: number): number {
    return this.power.sleepStart(token, false);
  }

  /**
   * Runtime PM: S2's waits (a frame in flight, 120 ms since SLPOUT), then S3's DISPOFF + SLPIN
   * (8.2.11/8.2.12): the panel's sleep-in current instead of its display-on current. Budget: its S2's.
   */
  runtimeSuspend(token: number): number {
    return this.power.sleepStart(token, true);
  }

  /** Runtime PM: R2's path (SLPIN + 120 ms, SLPOUT, 120 ms, DISPON), then the parked frames replay. Budget: its R2's. */
  runtimeResume(token: number): number {
    return this.power.resume(token);
  }

  powerOffNoIrq(_token: number): number {
    return this.power.powerOffNoIrq();
  }

  powerOnNoIrq(_token: number): number {
    return this.power.powerOnNoIrq();
  }

  resume(token: number): number {
    return this.power.resume(token);
  }

  reprobe(token: number): number {
    return this.power.reprobe(token);
  }
}
