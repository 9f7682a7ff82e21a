// When failed devices are re-probed: at the next idle moment after they fail, then with a capped backoff, or on request.
import type { Platform } from "./platform";
import type { StageEngine } from "./engine";
import type { RuntimePort } from "./device-port";
import { OK, D_FAILED } from "./status";

/** Re-probe backoff when the board sets none: the first try at the next idle moment, then 1 s doubling to 5 min. */
export const REPROBE_FIRST_US = 1_000_000;
export const REPROBE_CAP_US = 300_000_000;

/**
 * Linux leaves a device whose resume failed for userspace to unbind and rebind; a battery device with
 * nobody at the console needs the runtime to try again itself. Each failed device has a due time and
 * a backoff: the first re-probe is due at once (the next idle moment), each failure doubles the wait
 * up to `capUs`, a success resets it. One platform timer is armed for the earliest due time; the power
 * manager runs the re-probe stage only while idle, and re-arms this after every attempt.
 */
export class Recovery {
  readonly firstUs: number;
  readonly capUs: number;
  private readonly platform: Platform;
  private readonly devices: () => number;
  /** Absolute due time per device (platform microseconds), -1 when no re-probe is pending. */
  private readonly due: Float64Array;
  private readonly backoff: Int32Array;
  /** Devices the current re-probe covers (due at its start). */
  readonly selected: Uint8Array;
  /** Per device: `recover` asked while its re-probe ran; a failure then is due again at once, not after the backoff. */
  private readonly again: Uint8Array;
  /** Between `start` and `finish`: a re-probe stage is running over `selected`. */
  private probing = false;
  private readonly timer: number;
  private armed = false;
  /** Devices with a re-probe pending: with none (the normal case) `arm` touches nothing. */
  private pending = 0;
  /** Re-probes run, and how many brought their device back. */
  attempts = 0;
  recovered = 0;

  constructor(platform: Platform, maxDevices: number, devices: () => number, firstUs: number | undefined, capUs: number | undefined, fire: () => void) {
    this.platform = platform;
    this.devices = devices;
    this.firstUs = firstUs ?? REPROBE_FIRST_US;
    this.capUs = capUs ?? REPROBE_CAP_US;
    this.due = new Float64Array(maxDevices).fill(-1);
    this.backoff = new Int32Array(maxDevices).fill(this.firstUs);
    this.selected = new Uint8Array(maxDevices);
    this.again = new Uint8Array(maxDevices);
    this.timer = platform.createTimer(fire);
  }

  /** Device d just failed: its first re-probe is due at once (a no-op if one is already pending). */
  failed(d: number, now: number): void {
    if (this.due[d] >= 0) return;
    this.due[d] = now;
    this.pending++;
  }

  /** The re-probe of d failed: try again after the backoff, which doubles each time up to the cap. */
  stillFailed(d: number, now: number): void {
    this.due[d] = now + this.backoff[d];
    const next = this.backoff[d] * 2;
    this.backoff[d] = next > this.capUs || next <= 0 ? this.capUs : next;
  }

  /** d is active again. */
  succeeded(d: number): void {
    if (this.due[d] >= 0) this.pending--;
    this.due[d] = -1;
    this.backoff[d] = this.firstUs;
    this.recovered++;
  }

  /** Re-probe d now (console `recover`), whatever its backoff. */
  request(d: number, now: number): void {
    if (this.probing && this.selected[d] === 1) return void (this.again[d] = 1);
    if (this.due[d] < 0) this.pending++;
    this.due[d] = now;
  }

  /** `pm.recover(d)`: re-probe d at the next idle moment, the timer armed for it; OK. */
  requestNow(d: number): number {
    const now = this.platform.now();
    this.request(d, now);
    this.arm(now);
    return OK;
  }

  /** Marks the devices due at `now` in `selected`; returns how many. */
  select(now: number): number {
    let n = 0;
    for (let d = 0; d < this.devices(); d++) {
      const due = this.due[d] >= 0 && this.due[d] <= now;
      this.selected[d] = due ? 1 : 0;
      if (due) n++;
    }
    if (n > 0) this.attempts++;
    return n;
  }

  /** Arms the timer for the earliest pending re-probe, if any. */
  arm(now: number): void {
    if (this.pending === 0) {
      if (this.armed) this.platform.cancel(this.timer);
      this.armed = false;
      return;
    }
    let next = -1;
    for (let d = 0; d < this.devices(); d++) if (this.due[d] >= 0 && (next < 0 || this.due[d] < next)) next = this.due[d];
    this.armed = true;
    this.platform.schedule(this.timer, next > now ? next - now : 0);
  }

  /** The timer fired (it is one-shot). */
  fired(): void {
    this.armed = false;
  }

  /** An attempt ended (IRQs on): each failed device's waiting requests complete with FAILED, its re-probe is scheduled. */
  settle(now: number, engine: StageEngine, ports: readonly RuntimePort[]): void {
    if (engine.members.failedCount === 0) return this.arm(now);
    for (let d = 0; d < this.devices(); d++) {
      if (engine.state(d) !== D_FAILED) continue;
      ports[d].drainFailedQueues();
      this.failed(d, now);
    }
    this.arm(now);
  }

  /** The timer fired while idle: selects the due failed devices as the engine's members; false when none is due. */
  start(now: number, engine: StageEngine): boolean {
    if (this.select(now) === 0) {
      this.arm(now);
      return false;
    }
    engine.members.selectFailed(this.selected);
    this.probing = true;
    return true;
  }

  /** The re-probe stage ended: the devices back revive their queues, the others wait out their backoff. */
  finish(now: number, engine: StageEngine, ports: readonly RuntimePort[]): void {
    this.probing = false;
    for (let d = 0; d < this.devices(); d++) {
      if (this.selected[d] === 0) continue;
      if (engine.state(d) === D_FAILED) this.stillFailed(d, now);
      else ports[d].revived(this);
      if (this.again[d] === 0) continue;
      this.again[d] = 0;
      if (engine.state(d) === D_FAILED) this.due[d] = now;
    }
    this.arm(now);
  }

  /** Microseconds until d's next re-probe, or -1 when none is pending. */
  dueIn(d: number, now: number): number {
    return this.due[d] < 0 ? -1 : this.due[d] > now ? this.due[d] - now : 0;
  }
}
