// BOOT button (GPIO0, active low, pull-up): debounced edge interrupt; a short press suspends, a press while asleep wakes.
import type { DevicePort } from "../../runtime/port";
import type { Platform } from "../../runtime/platform";
import { OK, ROLE_WAKE, T_STANDBY, TEST_NONE } from "../../runtime/status";
import { type BoardDriver, type DigitalIo, type DriverContext, numberOption } from "../common/io";

/** Every key of its board entry's `options` this driver reads: boot refuses any other (boards/validate.ts). */
export const BUTTON_OPTIONS: readonly string[] = Object.freeze(["pin", "debounceUs", "longPressUs", "target"]);

/**
 * Debounce in time: every edge (bounce included) re-arms one timer; when it fires the contact has been
 * quiet `debounceUs` and the level read then is the settled one (Ganssle, "A Guide to Debouncing":
 * contacts settle within ~10 ms; 20 ms is a safe default). Only a settled press-then-release shorter
 * than `longPressUs` starts a suspend, so bounce cannot start two, and the contact is open again (no
 * low level to re-wake the chip) when the board goes to sleep.
 *
 * A press that begins while the runtime is not idle is a wake event: the runtime sees it on the wake
 * line (abort with WAKEUP before sleep, or the wake source while asleep). Its release must not start
 * a new suspend, so it is ignored until released.
 */
export class Button implements BoardDriver {
  readonly name: string;
  readonly pin: number;
  readonly roles = ROLE_WAKE;
  readonly debounceUs: number;
  readonly longPressUs: number;
  readonly target: number;
  /** Debounced level: 1 released, 0 pressed. */
  stable = 1;
  /** The press in progress is a wake event, not a command. */
  ignore = false;
  private pressedAt = 0;
  presses = 0;
  /** Suspends this button started, and those the runtime refused (BUSY). */
  suspendsStarted = 0;
  suspendsRefused = 0;
  /** onReadable deliveries (bounce included). */
  edges = 0;
  wakePresses = 0;
  private port: DevicePort | null = null;
  private readonly platform: Platform;
  private readonly io: DigitalIo;
  private readonly timer: number;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.platform = ctx.platform;
    this.pin = numberOption(ctx, "pin");
    this.debounceUs = numberOption(ctx, "debounceUs", 20_000);
    this.longPressUs = numberOption(ctx, "longPressUs", 1_000_000);
    this.target = numberOption(ctx, "target", T_STANDBY);
    const self = this;
    this.timer = ctx.platform.createTimer(function buttonSettled(): void {
      self.settled();
    });
    const Digital = ctx.device.io.Digital;
    this.io = new Digital({
      pin: this.pin,
      mode: Digital.InputPullUp,
      edge: Digital.Rising | Digital.Falling,
      onReadable: function buttonEdge(): void {
        self.edge();
      },
    });
    // Booted with the button held (the press that woke the chip from hibernate): not a command.
    this.stable = this.io.read();
    this.ignore = this.stable === 0;
  }

  attach(port: DevicePort): void {
    this.port = port;
  }

  /** No suspend or resume in progress (before attach: boot, nothing running). */
  private get systemIdle(): boolean {
    return this.port === null || this.port.systemIdle;
  }

  private edge(): void {
    this.edges++;
    if (!this.systemIdle && !this.ignore) {
      this.ignore = true;
      this.wakePresses++;
    }
    this.platform.schedule(this.timer, this.debounceUs);
  }

  private settled(): void {
    const level = this.io.read();
    if (level === this.stable) {
      // A press and release that both happened while asleep: nothing to ignore any more.
      if (level === 1 && this.systemIdle) this.ignore = false;
      return;
    }
    this.stable = level;
    const now = this.platform.now();
    if (level === 0) {
      this.presses++;
      this.pressedAt = now;
      if (!this.systemIdle) this.ignore = true;
      return;
    }
    if (this.ignore) {
      this.ignore = false;
      return;
    }
    if (now - this.pressedAt > this.longPressUs || this.port === null) return;
    if (this.port.requestSuspend(this.target, TEST_NONE) === OK) this.suspendsStarted++;
    else this.suspendsRefused++;
  }

  powerOffNoIrq(_token: number): number {
    // A debounce in flight is moot: any edge from here on is a wake event.
    this.platform.cancel(this.timer);
    return OK;
  }

  /** After a failed resume: the contact's level read again, as R1 would (a press now held is a wake, not a command). */
  reprobe(_token: number): number {
    this.reread();
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    this.reread();
    return OK;
  }

  private reread(): void {
    // Edges latched while asleep are delivered at unmask and marked as wake presses there; re-read the
    // level so a release that happened during sleep is not mistaken for a short press later.
    const level = this.io.read();
    if (level === 0 && this.stable === 1) this.ignore = true;
    this.stable = level;
  }
}
