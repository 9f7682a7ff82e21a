// Driver wrappers for the random DevKitC runs: every hook checks its IRQ context, and `reprobe` can be faulted (FaultTable forwards it untouched).
import type { BoardDriver, DriverContext } from "../../drivers/common/io";
import type { PowerManager } from "../../runtime/pm";
import { IO, PENDING } from "../../runtime/status";
import { F_FAIL, F_HANG, F_LATE, F_NONE, F_THROW } from "../../host-sim/board/faults";

/** The five cycle hooks of host-sim/board/faults.ts, then the re-probe (index 5). */
export const ALL_HOOKS = ["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume", "reprobe"] as const;
export const H_REPROBE = 5;
const HOOK_IS_NOIRQ = [false, false, true, true, false, false];

/** Re-probe faults by device name (the FaultTable's modes: fail, hang, late, throw), changed at any time. */
export class ReprobeFaults {
  readonly mode = new Map<string, number>();
  readonly lateUs = new Map<string, number>();
  fired = 0;

  set(device: string, mode: number, lateUs: number): void {
    this.mode.set(device, mode);
    this.lateUs.set(device, lateUs);
  }

  clear(): void {
    this.mode.clear();
  }
}

/**
 * Wraps a driver's hooks in place: each call checks the IRQ context its stage requires (masked exactly in
 * S3/R1); the re-probe also answers as `faults` says. `pm` is read at call time (a reboot makes a new one).
 */
export function checkedDriver(make: (ctx: DriverContext) => BoardDriver, ctx: DriverContext, masked: () => boolean, pm: () => PowerManager,
  faults: ReprobeFaults, errors: string[]): BoardDriver {
  const driver = make(ctx);
  const device = ctx.name;
  const d = driver as unknown as { [hook: string]: ((token: number) => number) | undefined };
  let lateToken = -1;
  let lateStatus = 0;
  const timer = ctx.platform.createTimer(function reprobeLate(): void {
    const t = lateToken;
    lateToken = -1;
    if (t >= 0) pm().complete(t, lateStatus);
  });
  for (let h = 0; h < ALL_HOOKS.length; h++) {
    const name = ALL_HOOKS[h];
    const hook = d[name];
    // A hook the driver leaves out is never called: nothing runs in a wrong context, nothing to fault.
    if (hook === undefined) continue;
    const inner = hook.bind(driver);
    const noIrq = HOOK_IS_NOIRQ[h];
    d[name] = (token: number) => {
      const m = masked();
      if (m !== noIrq) errors.push(device + "." + name + (m ? " ran masked" : " ran unmasked"));
      if (h !== H_REPROBE) return inner(token);
      const mode = faults.mode.get(device) ?? F_NONE;
      if (mode === F_NONE) return inner(token);
      faults.fired++;
      if (mode === F_FAIL) return IO;
      if (mode === F_HANG) return PENDING;
      if (mode === F_THROW) throw new Error("injected fault: " + device + " reprobe");
      const status = inner(token);
      if (status === PENDING || mode !== F_LATE) return status;
      lateToken = token;
      lateStatus = status;
      ctx.platform.schedule(timer, faults.lateUs.get(device) ?? 0);
      return PENDING;
    };
  }
  return driver;
}
