// Fault injection for the simulated board: a table of (device, hook) -> fail / hang / late / throw, applied by wrapping hooks at boot.
import type { PmHooks } from "../../runtime/driver";
import type { Platform } from "../../runtime/platform";
import type { PowerManager } from "../../runtime/pm";
import { IO, OK, PENDING } from "../../runtime/status";
import { RPM_TOKEN } from "../../runtime/runtime-pm";
import { checkDeviceSpec } from "../../runtime/spec-check";

/** The hooks faults can be injected into, in stage order (index = stage id). */
export const HOOK_NAMES = ["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume"] as const;
/** A hook faults can be injected into. */
export type HookName = (typeof HOOK_NAMES)[number];
/** The runtime-PM hooks faults can be injected into (fault slots 5 and 6, after the stages). */
export const RUNTIME_HOOK_NAMES = ["runtimeSuspend", "runtimeResume"] as const;
/** A runtime-PM hook faults can be injected into. */
export type RuntimeHookName = (typeof RUNTIME_HOOK_NAMES)[number];
/** Every hook with a fault slot: the stage hooks in stage order, then the runtime hooks. */
export const FAULT_HOOK_NAMES: readonly (HookName | RuntimeHookName)[] = [...HOOK_NAMES, ...RUNTIME_HOOK_NAMES];
/** Fault slots per device. */
const SLOTS = FAULT_HOOK_NAMES.length;

/** Injected fault mode: none (the driver's hook runs). */
export const F_NONE = 0;
/** Answer `status` without calling the driver (the contract: a failing hook leaves its device as it was). */
export const F_FAIL = 1;
/** Answer PENDING without calling the driver and never complete: the budget expires (TIMEOUT). */
export const F_HANG = 2;
/** Call the driver; if it finished synchronously, report its status `lateUs` later instead. */
export const F_LATE = 3;
/** Throw instead of calling the driver (the runtime catches it as THREW). */
export const F_THROW = 4;
/** Fault mode -> its name (the shell's `fault DEVICE STAGE MODE`). */
export const FAULT_MODE_NAMES: readonly string[] = ["none", "fail", "hang", "late", "throw"];

/** Per device and hook: mode, status, delay. Changed by tests at any time; read by the wrappers. */
export class FaultTable {
  /** Device names by slot (`slot`); a device's hooks are entries slot * 7 + hook (FAULT_HOOK_NAMES) of the tables below. */
  readonly devices: string[] = [];
  /** Per device and hook: F_NONE, F_FAIL, F_HANG, F_LATE or F_THROW. */
  readonly mode: Int8Array;
  /** Per device and hook: the status F_FAIL answers. */
  readonly status: Int16Array;
  /** Per device and hook: how long after the driver's synchronous answer F_LATE reports it, µs. */
  readonly lateUs: Float64Array;
  /** Injected faults that fired. */
  fired = 0;

  constructor(maxDevices: number) {
    this.mode = new Int8Array(maxDevices * SLOTS);
    this.status = new Int16Array(maxDevices * SLOTS);
    this.lateUs = new Float64Array(maxDevices * SLOTS);
  }

  /** `device`'s slot, given it on first use; RangeError past `maxDevices`. */
  slot(device: string): number {
    let i = this.devices.indexOf(device);
    if (i < 0) {
      if (this.devices.length * SLOTS === this.mode.length) throw new RangeError("FaultTable: more than " + (this.mode.length / SLOTS) + " devices");
      i = this.devices.length;
      this.devices.push(device);
    }
    return i;
  }

  /** Test time: sets the fault of `device`'s `hook` (a stage hook or a runtime hook). */
  set(device: string, hook: HookName | RuntimeHookName, mode: number, status = IO, lateUs = 0): void {
    const h = FAULT_HOOK_NAMES.indexOf(hook);
    if (h < 0) throw new RangeError("fault: unknown hook \"" + hook + "\"; use " + FAULT_HOOK_NAMES.join(", "));
    const k = this.slot(device) * SLOTS + h;
    this.mode[k] = mode;
    this.status[k] = status;
    this.lateUs[k] = lateUs;
  }

  /** Removes every fault (each hook's mode back to F_NONE). */
  clear(): void {
    this.mode.fill(0);
  }

  /**
   * The boot-time wrapper (boards/boot.ts BootOptions.wrap). `dispatch(stage)`, if given, is called
   * before every hook: the simulated platform charges the runtime's own dispatch time there. The
   * driver's hooks are checked here as register checks them (the runtime only ever sees the wrapper,
   * whose hooks are all methods), so `prepare = 5` is refused at boot with the firmware's own message.
   */
  wrap(name: string, driver: PmHooks, pm: PowerManager, platform: Platform, dispatch: ((stage: number) => void) | null = null): PmHooks {
    checkDeviceSpec(pm.graph.board, { name, hooks: driver }, pm.config.defaultBudgetUs, pm.graph.irqLines);
    return new FaultingHooks(this, this.slot(name) * SLOTS, driver, pm, platform, dispatch);
  }
}

/**
 * Stands in front of a driver's hooks; with no fault set it only forwards the call. Which hooks the
 * driver has is read once, here at registration, as the runtime reads them at seal (runtime/hook-table.ts):
 * one added later is never called, one removed later throws (THREW), as on the firmware. The five
 * stage hooks stay methods here even when the driver lacks one: the runtime calls every device's
 * receiver in every stage anyway (NO_HOOKS answers OK), so standing in for it changes no outcome, and
 * lets the simulator charge the dispatch and inject a fault there too.
 */
class FaultingHooks implements PmHooks {
  private readonly table: FaultTable;
  /** Bit h set: the driver had FAULT_HOOK_NAMES[h] at registration. */
  private readonly has: number;
  private readonly base: number;
  private readonly inner: PmHooks;
  private readonly pm: PowerManager;
  private readonly platform: Platform;
  private readonly timer: number;
  private readonly dispatch: ((stage: number) => void) | null;
  private lateToken = -1;
  private lateStatus = OK;

  constructor(table: FaultTable, base: number, inner: PmHooks, pm: PowerManager, platform: Platform, dispatch: ((stage: number) => void) | null) {
    this.table = table;
    this.dispatch = dispatch;
    this.base = base;
    this.inner = inner;
    this.pm = pm;
    this.platform = platform;
    const d = inner as unknown as { readonly [hook: string]: unknown };
    let has = 0;
    for (let h = 0; h < SLOTS; h++) if (typeof d[FAULT_HOOK_NAMES[h]] === "function") has |= 1 << h;
    this.has = has;
    // A driver without a re-probe keeps none here too: the runtime then counts it as OK without a call.
    if (inner.reprobe === undefined) this.reprobe = undefined;
    // Runtime hooks likewise: a driver without them never runtime-suspends, wrapped or not.
    if (inner.runtimeSuspend === undefined) this.runtimeSuspend = undefined;
    if (inner.runtimeResume === undefined) this.runtimeResume = undefined;
    const self = this;
    this.timer = platform.createTimer(function faultLate(): void {
      const token = self.lateToken;
      self.lateToken = -1;
      // A runtime hook's token goes to the runtime PM, as a driver's port routes it.
      if (token >= 0 && (token & RPM_TOKEN) !== 0) self.pm.rpm.complete(token, self.lateStatus);
      else if (token >= 0) self.pm.complete(token, self.lateStatus);
    });
  }

  private run(h: number, token: number): number {
    // The runtime's CPU time to get here (ready queue, token, call): charged before a stage hook runs
    // (a runtime hook's dispatch is not in the measured XS cost: host-sim/board/dispatch-cost.ts).
    if (this.dispatch !== null && h < HOOK_NAMES.length) this.dispatch(h);
    const k = this.base + h;
    const mode = this.table.mode[k];
    if (mode === F_NONE) return this.call(h, token);
    this.table.fired++;
    if (mode === F_FAIL) return this.table.status[k];
    if (mode === F_HANG) return PENDING;
    if (mode === F_THROW) throw new Error("injected fault: " + this.table.devices[this.base / SLOTS] + " " + FAULT_HOOK_NAMES[h]);
    const status = this.call(h, token);
    if (status === PENDING || h === 2 || h === 3) return status;
    this.lateToken = token;
    this.lateStatus = status;
    this.platform.schedule(this.timer, this.table.lateUs[k]);
    return PENDING;
  }

  private call(h: number, token: number): number {
    // A hook the driver did not have at registration answers OK (the runtime's rule), even if added since.
    if ((this.has & (1 << h)) === 0) return OK;
    // One it had is called by name, as the runtime calls it: removed since, the call throws (THREW).
    const d = this.inner as Required<PmHooks>;
    if (h === 0) return d.prepare(token);
    if (h === 1) return d.suspend(token);
    if (h === 2) return d.powerOffNoIrq(token);
    if (h === 3) return d.powerOnNoIrq(token);
    if (h === 4) return d.resume(token);
    if (h === 5) return d.runtimeSuspend(token);
    return d.runtimeResume(token);
  }

  prepare(token: number): number {
    return this.run(0, token);
  }

  suspend(token: number): number {
    return this.run(1, token);
  }

  powerOffNoIrq(token: number): number {
    return this.run(2, token);
  }

  powerOnNoIrq(token: number): number {
    return this.run(3, token);
  }

  resume(token: number): number {
    return this.run(4, token);
  }

  /** Forwarded untouched (no fault slot): the driver's own re-probe runs against the chip models' faults. */
  reprobe?(token: number): number {
    return (this.inner as Required<PmHooks>).reprobe(token);
  }

  /** Fault slot 5: fail, hang (the runtime gives up at the S2 budget), late, throw (docs/guarantees.md runtime PM). */
  runtimeSuspend?(token: number): number {
    return this.run(5, token);
  }

  /** Fault slot 6, as `runtimeSuspend` (a failed runtime resume fails the device: its requests complete FAILED, re-probed). */
  runtimeResume?(token: number): number {
    return this.run(6, token);
  }
}
