// How the conformance kit keeps runtime-PM devices up while it looks at them: a board's `autosuspendMs` lets a device idle down on its own.
import { expect } from "vitest";
import { OK, PENDING, RPM_ACTIVE, RPM_STATE_NAMES, STATUS_NAMES, STAGE_COUNT, S_RESUME } from "../../runtime/status";
import type { CaseBoard, DriverCase } from "./case";

/**
 * Advances until device `d` is runtime-active, at most its runtimeResume budget (R2's) plus 1 s: a
 * get answered PENDING (a resume in flight, or suppliers coming up first) is then done.
 */
export function waitActive(b: CaseBoard, d: number, why: string): void {
  const pm = b.sim.pm;
  const limit = pm.graph.budgetUs[d * STAGE_COUNT + S_RESUME] + 1_000_000;
  for (let t = 0; t < limit && pm.rpm.state[d] !== RPM_ACTIVE; t += 1_000) b.sim.advance(1_000);
  const who = pm.graph.names[d];
  expect(RPM_STATE_NAMES[pm.rpm.state[d]], who + ": " + why + " did not bring it up within its runtimeResume budget and 1 s: " +
    "runtimeResume must answer OK, or PENDING and complete its token OK within the budget").toBe("active");
}

/**
 * Takes a get on device `d` (the kit's own, as a request would) and waits until it is active. A
 * device with runtime hooks and a small `autosuspendMs` idles down whenever the kit lets time pass;
 * a get is what keeps it up.
 */
export function holdDevice(b: CaseBoard, d: number, why: string): void {
  const s = b.sim.pm.port(d).get();
  expect(s === OK || s === PENDING ? "OK or PENDING" : STATUS_NAMES[s], b.sim.pm.graph.names[d] + ": port.get() (" + why +
    ") was refused: a get on a healthy device with runtime hooks answers OK, or PENDING while runtimeResume runs")
    .toBe("OK or PENDING");
  waitActive(b, d, "port.get() (" + why + ")");
}

/**
 * The system checks' board: every device with runtime hooks held up by a get for the whole check, as
 * on a board without `autosuspendMs` (where nothing idles down by itself). A runtime-suspended device
 * sits a standby out (no system hook of it runs), so an injected S1..R2 fault would never fire and a
 * snapshot could catch it mid-autosuspend; the runtime-PM contract has its own checks (./runtime.ts).
 */
export function holdRuntimeDevices(b: CaseBoard): void {
  const pm = b.sim.pm;
  for (let d = 0; d < pm.graph.count; d++) if (pm.rpm.capable[d] !== 0) holdDevice(b, d, "the kit keeping it up for the system checks");
}

/**
 * The case's snapshot taken with the device held up (a get, the snapshot, then putAutosuspend as a
 * driver's completion does), so it reads the state a runtime resume must restore, never the device
 * caught runtime-suspended by its own `autosuspendMs` while the snapshot (or the time before it) ran.
 * A device without runtime hooks: the plain snapshot.
 */
export function snapshotActive(b: CaseBoard, c: DriverCase): number[] {
  const pm = b.sim.pm;
  const d = pm.graph.names.indexOf(c.device);
  if (d < 0 || pm.rpm.capable[d] === 0) return c.snapshot(b);
  holdDevice(b, d, "the kit taking the case's snapshot");
  const snap = c.snapshot(b);
  expect(STATUS_NAMES[pm.port(d).putAutosuspend()], c.device + ": the kit's put after its snapshot was refused: the driver " +
    "put more than it got (pair each port.put() with an earlier port.get())").toBe("OK");
  return snap;
}
