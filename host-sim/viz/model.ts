// The timeline model shared by the collector, the dump decoder and both renderers: plain JSON-friendly data.
import {
  STAGE_COUNT, STAGE_NAMES, STATUS_NAMES, TARGET_NAMES, ROLE_STORAGE, ROLE_WAKE,
  WAKE_NONE, WAKE_TIMER, WAKE_TEST_HOLD, WAKE_RESET,
} from "../../runtime/status";
import type { DeviceGraph } from "../../runtime/graph";

export interface VizDevice {
  id: number;
  name: string;
  /** Parent device id or -1. */
  parent: number;
  /** Prerequisites other than the parent (needs, and the storage edge when known). */
  needs: number[];
  roles: number;
  wakeLine: number;
  stateBytes: number;
  /** Hook budget per stage (index = stage id), us; absent when the source does not know it (a dump). */
  budgetUs?: number[];
  /** The driver has runtime hooks (runtime PM); absent when the source does not know (a dump: its records say). */
  runtimePm?: boolean;
}

/** A span of one device's runtime-PM state (E_RPM_STATE records): from one state change to the next. */
export interface VizRpmSpan {
  device: number;
  /** RPM_* (runtime/runtime-pm-table.ts). */
  state: number;
  /** The state's words as the console's `rpm` prints them ("suspended"). */
  name: string;
  start: number;
  end: number;
  /** The trace ended before the state changed again. */
  open: boolean;
  /** Not seen: what the state must have been before the first record (or, live, what it was at attach). */
  inferred: boolean;
}

/** One hook run of one device in one stage (device -1: a whole system stage, or the platform sleep). */
export interface VizSlice {
  device: number;
  stage: number;
  start: number;
  end: number;
  status: number;
  failed: boolean;
  /** The hook answered PENDING and completed later. */
  pending: boolean;
  /** Ran as part of a rollback (mirror stages after a failure or a wakeup). */
  rollback: boolean;
  /** Index into `attempts`, or -1 when the trace holds no begin for it. */
  attempt: number;
  /** The trace ended (or was cut) before this slice closed. */
  open: boolean;
}

export interface VizInstant {
  time: number;
  /** Event name from runtime/trace EVENT_NAMES: wake, irq-latch, irq-deliver, rollback, sleep-enter, ... */
  kind: string;
  device: number;
  stage: number;
  status: number;
  /** Human text: "wake: button (line 0)", "irq latched: line 40". */
  label: string;
}

/** An idle-governor decision (an E_GOVERNOR record) with its words, as the console's `policy` prints them. */
export interface VizDecision {
  time: number;
  /** runtime/policy.ts R_* and its name ("sleep", "lock", "short", ...). */
  reason: number;
  reasonName: string;
  /** The state chosen or named (T_*), 0 none. */
  target: number;
  /** µs to the next deadline, -1 none. */
  idleUs: number;
  /** "idle 58 s to next timer: hibernate, break-even 3.1 s". */
  text: string;
}

/** A step function: value holds from times[i] until times[i + 1]. */
export interface VizCounter {
  name: string;
  unit: string;
  times: number[];
  values: number[];
}

export interface VizAttempt {
  index: number;
  start: number;
  /** -1 if the trace ends inside the attempt. */
  end: number;
  target: number;
  outcome: number;
  failDevice: number;
  failStage: number;
  failStatus: number;
  /** Wake cause (IRQ line or WAKE_*), WAKE_NONE if none was seen. */
  wake: number;
  wakeLabel: string;
  /** Forward (not rollback) duration per stage, us; index = stage id. */
  stageUs: number[];
  rollbackUs: number;
  /** Charge drawn during the attempt, microcoulombs (needs a current counter), else -1. */
  chargeUc: number;
}

/** One row of the runtime's flight recorder (runtime/flight.ts), oldest first. */
export interface VizFlightRow {
  seq: number;
  start: number;
  target: number;
  outcome: number;
  failDevice: number;
  failStage: number;
  wake: number;
  parked: number;
  totalUs: number;
  stageUs: number[];
}

export interface VizEnergy {
  averageUa: number;
  chargeUc: number;
  elapsedUs: number;
}

export interface TimelineModel {
  version: 1;
  title: string;
  board: string;
  source: "simulator" | "dump";
  start: number;
  end: number;
  devices: VizDevice[];
  /** Device ids in lane order: depth-first over the parent tree, roots and children in id order. */
  lanes: number[];
  /** Tree depth per lane (parallel to `lanes`). */
  depth: number[];
  slices: VizSlice[];
  instants: VizInstant[];
  /** Runtime-PM state spans per device, in time order; failures and bad puts are instants ("rpm-fail", "rpm-bad-put"). */
  rpm: VizRpmSpan[];
  /** Devices with a runtime-PM sub-lane under their lane (runtime hooks, or runtime-PM records), in lane order. */
  rpmLanes: number[];
  /** Every governor decision in the trace, in time order (also an instant of kind "governor" with `text` as its label). */
  governor: VizDecision[];
  counters: VizCounter[];
  attempts: VizAttempt[];
  flight: VizFlightRow[] | null;
  energy: VizEnergy | null;
  /** Trace records consumed and records that matched nothing (an end without its begin, cut by the ring). */
  records: number;
  unmatched: number;
  stageNames: string[];
  statusNames: string[];
  targetNames: string[];
}

export function stageName(stage: number): string {
  return stage >= 0 && stage < STAGE_NAMES.length ? STAGE_NAMES[stage] : "stage " + stage;
}

export function statusName(status: number): string {
  return status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status;
}

export function targetName(target: number): string {
  return target >= 0 && target < TARGET_NAMES.length ? TARGET_NAMES[target] : "target " + target;
}

export function deviceName(devices: VizDevice[], id: number): string {
  if (id < 0) return "system";
  return id < devices.length ? devices[id].name : "device " + id;
}

/** The device whose IRQ/wake line is `line`, or -1. */
export function deviceOfLine(devices: VizDevice[], line: number): number {
  for (let i = 0; i < devices.length; i++) if (devices[i].wakeLine === line) return i;
  return -1;
}

/** "button (line 0)", "line 44", "timer", "test hold", "reset", "none". */
export function wakeLabel(devices: VizDevice[], cause: number): string {
  if (cause === WAKE_NONE) return "none";
  if (cause === WAKE_TIMER) return "timer";
  if (cause === WAKE_TEST_HOLD) return "test hold";
  if (cause === WAKE_RESET) return "reset";
  const d = deviceOfLine(devices, cause);
  return d >= 0 ? devices[d].name + " (line " + cause + ")" : "line " + cause;
}

/** The devices of a sealed registry: parent, other prerequisites (storage edges included), roles. */
export function devicesFromGraph(g: DeviceGraph, stateBytes?: ArrayLike<number>): VizDevice[] {
  const out: VizDevice[] = [];
  for (let d = 0; d < g.count; d++) {
    const needs: number[] = [];
    for (let k = g.preStart[d]; k < g.preStart[d + 1]; k++) if (g.pre[k] !== g.parent[d]) needs.push(g.pre[k]);
    out.push({
      id: d, name: g.names[d], parent: g.parent[d], needs, roles: g.roles[d], wakeLine: g.wakeLine[d],
      stateBytes: stateBytes !== undefined ? stateBytes[d] : g.stateBytes[d],
      budgetUs: Array.from(g.budgetUs.subarray(d * STAGE_COUNT, (d + 1) * STAGE_COUNT)),
    });
  }
  return out;
}

/** Devices known only by name (a dump with `--names`): no tree, no roles. */
export function devicesFromNames(names: readonly string[]): VizDevice[] {
  return names.map((name, id) => ({ id, name, parent: -1, needs: [], roles: 0, wakeLine: -1, stateBytes: 0 }));
}

/** Lane order: depth-first over the parent tree (children under their bus), roots and siblings in id order. */
export function laneOrder(devices: VizDevice[]): { lanes: number[]; depth: number[] } {
  const lanes: number[] = [];
  const depth: number[] = [];
  const seen = new Uint8Array(devices.length);
  const visit = (d: number, level: number): void => {
    if (seen[d] !== 0) return;
    seen[d] = 1;
    lanes.push(d);
    depth.push(level);
    for (let c = 0; c < devices.length; c++) if (devices[c].parent === d) visit(c, level + 1);
  };
  for (let d = 0; d < devices.length; d++) {
    const p = devices[d].parent;
    if (p < 0 || p >= devices.length) visit(d, 0);
  }
  // A parent cycle cannot pass the runtime's seal; still, never drop a device from the view.
  for (let d = 0; d < devices.length; d++) visit(d, 0);
  return { lanes, depth };
}

export function roleText(dev: VizDevice): string {
  let s = "";
  if ((dev.roles & ROLE_STORAGE) !== 0) s += "storage";
  if ((dev.roles & ROLE_WAKE) !== 0) s += (s === "" ? "" : ", ") + "wake line " + dev.wakeLine;
  return s;
}
