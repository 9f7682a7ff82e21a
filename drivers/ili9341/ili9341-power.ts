// ILI9341 power sequencing: staged sleep-in/sleep-out, re-probe and boot init on the driver's one timer, honouring the datasheet's 5 ms and 120 ms waits.
import { type DevicePort, PendingStage } from "../../runtime/port";
import type { Platform } from "../../runtime/platform";
import type { RequestQueue } from "../../runtime/queue";
import { OK, PENDING, BUSY, IO } from "../../runtime/status";
import type { SpiBus } from "../spi-bus/spi-bus";
import { SETTLE_US, SLEEP_GAP_US } from "./ili9341-spec";
import type { Ili9341Panel } from "./ili9341-panel";
import type { Ili9341Frames } from "./ili9341-frames";

// What the one timer is waiting for.
const W_NONE = 0;
const W_INIT = 1;
const W_CHUNK = 2;
const W_S2 = 3;
const W_R2 = 4;
const W_PROBE = 5; // reprobe: the init sequence from SWRESET, one step per wait

/**
 * Stages (DESIGN.md protocol; datasheet V1.11 8.2.11/8.2.12):
 * - S2 gates the frame queue and waits (PENDING) for a frame in flight to finish its last DMA chunk,
 *   and for 120 ms since the last SLPOUT (SLPIN may not follow sooner). It saves MADCTL/COLMOD here.
 * - S3 sends DISPOFF then SLPIN and records the time. SLPIN starts a 5 ms window in which no command
 *   may follow, and a 120 ms window before SLPOUT. S3 cannot wait (IRQs masked), so the waits are paid
 *   by whoever comes next, from the recorded time, never by busy-waiting:
 * - R1 (IRQs masked, synchronous) restores MADCTL/COLMOD only if 5 ms have passed since SLPIN (register
 *   writes are accepted in sleep-in), and sends SLPOUT only if 120 ms have passed. After a real sleep
 *   both hold; after a rollback or a short test hold R1 leaves them to R2.
 * - R2 (timers allowed) finishes what R1 could not: waits out SLPIN+120 ms, sends SLPOUT, then waits
 *   SLPOUT+120 ms before DISPON. The 120 ms after SLPOUT cannot be spent in R1 (a masked 120 ms busy-wait
 *   would stall every interrupt on the board), so R1 sends SLPOUT and R2 answers PENDING until the
 *   panel's self-diagnostics and supplies are settled (8.2.12), then sends DISPON (0x29) and reopens
 *   the queue, replaying parked frame writes in order. The backlight resumes only after this (it needs
 *   the display), so nobody sees the panel before DISPON.
 *
 * One platform timer serves boot init (ili9341-panel.ts), frame chunks (ili9341-frames.ts) and the S2/R2
 * waits; `waitingFor` says which of them it was armed for.
 */
export class Ili9341Power {
  private readonly platform: Platform;
  private readonly bus: SpiBus;
  private readonly panel: Ili9341Panel;
  private readonly frames: Ili9341Frames;
  private readonly queue: RequestQueue;
  private readonly timer: number;
  /** What the one timer is armed for (W_*). */
  private waitingFor = W_NONE;
  /** S2 answered PENDING and has not saved the state yet. */
  private s2Waiting = false;
  /** R2 (or its stand-in after a failed R1) is stepping on the timer. */
  private r2Waiting = false;
  /** The S2 path in progress is a runtime suspend (it ends with SLPIN). */
  private runtimeSleep = false;
  private port!: DevicePort;
  private s2!: PendingStage;
  private r2!: PendingStage;
  private probe!: PendingStage;
  /** The get `bind` took for the boot init, not yet given back. */
  private bootHold = false;

  constructor(platform: Platform, bus: SpiBus, panel: Ili9341Panel, frames: Ili9341Frames) {
    this.platform = platform;
    this.bus = bus;
    this.panel = panel;
    this.frames = frames;
    this.queue = frames.queue;
    const self = this;
    this.queue.setDrainListener(function frameDrained(): void { self.s2Continue(); });
    this.queue.gate();
    this.timer = platform.createTimer(function ili9341Timer(): void { self.fire(); });
    // Boot init runs on the timer: SWRESET, 5 ms, registers, SLPOUT at +120 ms, DISPON 120 ms later.
    this.waitingFor = W_INIT;
    this.platform.schedule(this.timer, 0);
  }

  /** Attach: the port whose state area S2 saves into, and the pending stages of S2, R2 and the re-probe. @boot */
  bind(port: DevicePort): void {
    this.port = port;
    // Held up through the boot init (Linux's get during probe): a short autosuspend would otherwise start a
    // runtime suspend that waits for the init to end, past its budget. Given back when the init ends.
    this.bootHold = port.get() === OK;
    this.s2 = new PendingStage(port);
    this.r2 = new PendingStage(port);
    this.probe = new PendingStage(port);
  }

  /** The frame writer's next DMA chunk after `us`, on the one timer. */
  chunkWait(us: number): void {
    this.wait(W_CHUNK, us);
  }

  /** S2 and runtimeSuspend: gate, wait until the panel may sleep, save; the runtime one also sleeps the panel. */
  sleepStart(token: number, runtime: boolean): number {
    this.queue.gate();
    this.runtimeSleep = runtime;
    if (this.s2Blocked()) {
      this.s2Waiting = true;
      return this.s2.hold(token);
    }
    return this.s2Done();
  }

  private s2Done(): number {
    this.saveState();
    if (!this.runtimeSleep) return OK;
    const status = this.powerOffNoIrq();
    if (status !== OK) this.queue.open();
    return status;
  }

  /** S3: SLPIN (and DISPOFF before it). */
  powerOffNoIrq(): number {
    if (!this.bus.ready()) return IO;
    this.panel.sleepIn();
    return OK;
  }

  /** R1: what the waits since SLPIN already allow (registers after 5 ms, SLPOUT after 120 ms), R2 the rest. */
  powerOnNoIrq(): number {
    const panel = this.panel;
    if (!panel.asleep) return OK;
    if (!this.bus.ready()) return IO;
    const since = this.platform.now() - panel.sleepInAt;
    if (since >= SETTLE_US) this.restore();
    if (since >= SLEEP_GAP_US) panel.sleepOut();
    panel.flush();
    return OK;
  }

  /** R2 and runtimeResume: SLPIN + 120 ms, SLPOUT, 120 ms, DISPON, then the parked frames replay. */
  resume(token: number): number {
    // R2 ends S2 whatever became of it (the mirror of a timed-out S2 comes here too).
    this.s2Waiting = false;
    this.s2.drop();
    this.r2Waiting = true;
    const status = this.r2Step();
    return status === PENDING ? this.r2.hold(token) : status;
  }

  /**
   * Between attempts, while failed: the panel from scratch as at boot (8.2.2 SWRESET, 5 ms, registers),
   * PENDING until the registers are written; SLPOUT and DISPON (+120 ms each) follow on the boot init's
   * timer while frames wait at the queue head (serve: BUSY until ready): 245 ms is beyond a stage
   * budget. The panel cannot be read back here: a bus that is not up is all it can see (IO).
   */
  reprobe(token: number): number {
    this.forget();
    if (!this.bus.ready()) return IO;
    if (!this.queue.idle) return BUSY;
    this.panel.restart();
    this.wait(W_PROBE, this.panel.quietUs(this.platform.now()));
    return this.probe.hold(token);
  }

  /** The runtime gave up on a stage: a suspend-stage timeout gets its R2 mirror; a failed device forgets its stages. */
  gaveUp(stage: number): void {
    if (this.queue.failed) this.forget();
    else if (stage < 0 && this.runtimeSleep && this.s2Waiting) {
      // A runtime suspend over its budget: the device stays active, so its frames flow again.
      this.forget();
      this.queue.open();
    }
  }

  /** Drops every stage and wait of ours, so a re-probe starts from scratch. */
  private forget(): void {
    this.s2Waiting = false;
    this.r2Waiting = false;
    this.s2.drop();
    this.r2.drop();
    this.probe.drop();
    const kind = this.waitingFor;
    if (kind === W_S2 || kind === W_R2 || kind === W_PROBE) {
      this.platform.cancel(this.timer);
      this.waitingFor = W_NONE;
    }
  }

  // ---- stages' continuations ----

  private s2Blocked(): boolean {
    const panel = this.panel;
    if (!panel.ready || !this.queue.idle) return true;
    const gapEnd = panel.sleepOutAt + SLEEP_GAP_US;
    const now = this.platform.now();
    if (!panel.asleep && now < gapEnd) {
      this.wait(W_S2, gapEnd - now);
      return true;
    }
    return false;
  }

  private s2Continue(): void {
    if (!this.s2Waiting || this.s2Blocked()) return;
    this.s2Waiting = false;
    this.s2.finish(this.s2Done());
  }

  /** Advances R2; answers PENDING while waiting, OK when done. */
  private r2Step(): number {
    const panel = this.panel;
    const now = this.platform.now();
    if (panel.asleep) {
      const at = panel.sleepInAt + SLEEP_GAP_US;
      if (now < at) return this.r2Wait(at - now);
      this.restore();
      panel.sleepOut();
      panel.flush();
    }
    if (!panel.displayOn) {
      const at = panel.sleepOutAt + SLEEP_GAP_US;
      if (now < at) return this.r2Wait(at - now);
      panel.displayOnNow();
    }
    this.r2Waiting = false;
    this.queue.open();
    return OK;
  }

  private r2Wait(us: number): number {
    this.wait(W_R2, us);
    return PENDING;
  }

  private saveState(): void {
    this.panel.save(this.port.state);
  }

  private restore(): void {
    this.panel.restore(this.port.state);
  }

  // ---- the one timer ----

  private initStep(): void {
    const us = this.panel.initStep();
    if (us >= 0) return this.wait(W_INIT, us);
    if (this.s2Waiting) this.s2Continue();
    else this.queue.open();
    // After the queue opened: a put with a delay of 0 takes the panel down at once, and gates it again.
    if (this.bootHold) {
      this.bootHold = false;
      (this.port as DevicePort).putAutosuspend();
    }
  }

  private wait(kind: number, us: number): void {
    this.waitingFor = kind;
    this.platform.schedule(this.timer, us);
  }

  private fire(): void {
    const kind = this.waitingFor;
    this.waitingFor = W_NONE;
    if (kind === W_INIT) this.initStep();
    else if (kind === W_CHUNK) this.frames.nextChunk();
    else if (kind === W_S2) this.s2Continue();
    else if (kind === W_R2 && this.r2Waiting) this.r2Continue();
    else if (kind === W_PROBE) this.probeStep();
  }

  private r2Continue(): void {
    const status = this.r2Step();
    if (status !== PENDING) this.r2.finish(status);
  }

  /** SWRESET, then (5 ms later) the registers: the re-probe answers OK and the boot init's timer takes the rest. */
  private probeStep(): void {
    const us = this.panel.initStep();
    if (!this.probe.waiting) {
      this.wait(W_INIT, us);
    } else if (this.panel.configured) {
      this.wait(W_INIT, us);
      this.probe.finish(OK);
    } else {
      this.wait(W_PROBE, us);
    }
  }
}
