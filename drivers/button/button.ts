// BOOT button (GPIO0, active low, pull-up): debounced edge interrupt; a short press suspends, a press while asleep wakes.
import type { PowerManager } from "../../runtime/pm";
import { P_IDLE } from "../../runtime/pm";
import type { Platform } from "../../runtime/platform";
import { OK, ROLE_WAKE, T_STANDBY, TEST_NONE } from "../../runtime/status";
import { type BoardDriver, type DigitalIo, type DriverContext, numberOption } from "../common/io";

// State slots (Float64Array).
const STABLE = 0; // debounced level: 1 released, 0 pressed
const IGNORE = 1; // 1: the press in progress is a wake event, not a command
const PRESSED_AT = 2;
const PRESSES = 3;
const STARTED = 4; // suspends this button started
const REFUSED = 5; // suspends the runtime answered BUSY to
const EDGES = 6; // onReadable deliveries (bounce included)
const WAKE_PRESSES = 7;

/**
 * Debounce in time: every edge (bounce included) re-arms one timer; when it fires the contact has been
 * quiet `debounceUs` and the level read then is the settled one (Ganssle, "A Guide to Debouncing":
 * contacts settle within ~10 ms; 20 ms is a safe default). Only a settled press-then-release shorter
 * than `longPressUs` starts a suspend, so bounce cannot start two, and the contact is open again (no
 * low level to re-wake the chip) when the board goes to sleep.
 *
 * A press that begins while the runtime is not idle is a wake event: the runtime sees it on the wake
 * line (abort with WAKEUP before sleep, or the wake source while asleep). Its release must not start
 * a new suspend, so it is marked IGNORE until released.
 */
export class Button implements BoardDriver {
  readonly name: string;
  readonly pin: number;
  readonly roles = ROLE_WAKE;
  readonly debounceUs: number;
  readonly longPressUs: number;
  readonly target: number;
  id = -1;
  readonly s = new Float64Array(8);
  private readonly pm: PowerManager;
  private readonly platform: Platform;
  private readonly io: DigitalIo;
  private readonly timer: number;

  constructor(ctx: DriverContext) {
    this.name = ctx.name;
    this.pm = ctx.pm;
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
    this.s[STABLE] = this.io.read();
    this.s[IGNORE] = this.s[STABLE] === 0 ? 1 : 0;
  }

  attach(id: number): void {
    this.id = id;
  }

  get presses(): number {
    return this.s[PRESSES];
  }

  get suspendsStarted(): number {
    return this.s[STARTED];
  }

  get edges(): number {
    return this.s[EDGES];
  }

  private edge(): void {
    this.s[EDGES]++;
    if (this.pm.phase !== P_IDLE && this.s[IGNORE] === 0) {
      this.s[IGNORE] = 1;
      this.s[WAKE_PRESSES]++;
    }
    this.platform.schedule(this.timer, this.debounceUs);
  }

  private settled(): void {
    const level = this.io.read();
    if (level === this.s[STABLE]) {
      // A press and release that both happened while asleep: nothing to ignore any more.
      if (level === 1 && this.pm.phase === P_IDLE) this.s[IGNORE] = 0;
      return;
    }
    this.s[STABLE] = level;
    const now = this.platform.now();
    if (level === 0) {
      this.s[PRESSES]++;
      this.s[PRESSED_AT] = now;
      if (this.pm.phase !== P_IDLE) this.s[IGNORE] = 1;
      return;
    }
    if (this.s[IGNORE] === 1) {
      this.s[IGNORE] = 0;
      return;
    }
    if (now - this.s[PRESSED_AT] > this.longPressUs) return;
    if (this.pm.suspend(this.target, TEST_NONE) === OK) this.s[STARTED]++;
    else this.s[REFUSED]++;
  }

  prepare(_token: number): number {
    return OK;
  }

  suspend(_token: number): number {
    return OK;
  }

  powerOffNoIrq(_token: number): number {
    // A debounce in flight is moot: any edge from here on is a wake event.
    this.platform.cancel(this.timer);
    return OK;
  }

  powerOnNoIrq(_token: number): number {
    // Edges latched while asleep are delivered at unmask and marked IGNORE there; re-read the level
    // so a release that happened during sleep is not mistaken for a short press later.
    const level = this.io.read();
    if (level === 0 && this.s[STABLE] === 1) this.s[IGNORE] = 1;
    this.s[STABLE] = level;
    return OK;
  }

  resume(_token: number): number {
    return OK;
  }
}
