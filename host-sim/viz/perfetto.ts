// Chrome trace-event JSON of a timeline (opens in ui.perfetto.dev and chrome://tracing): a track per device, counters.
import { writeFileSync } from "fs";
import { S_PLATFORM } from "../../runtime/status";
import { type TimelineModel, deviceName, stageName, statusName, targetName } from "./model";

/** One Chrome trace event (the JSON Object Format, "traceEvents"). */
export interface TraceEvent {
  name: string;
  ph: "X" | "i" | "C" | "M";
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: "t" | "p" | "g";
  cname?: string;
  args?: Record<string, unknown>;
}

export interface PerfettoTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms" | "ns";
  otherData: Record<string, unknown>;
}

export const PID = 1;
/** The system track: attempts, whole stages, platform sleep. Devices are tid 2 + id. */
export const SYSTEM_TID = 1;

export function deviceTid(device: number): number {
  return device < 0 ? SYSTEM_TID : device + 2;
}

/** A device's runtime-PM track: after every device track (2 + device count + id). */
export function rpmTid(model: TimelineModel, device: number): number {
  return 2 + model.devices.length + device;
}

/** Runtime-PM state colours (index = RPM_*): active good, suspending/resuming in progress, suspended sleeping. */
export const RPM_CNAME = ["good", "rail_response", "thread_state_sleeping", "rail_animation"];

/**
 * Reserved colour names of the trace viewer (catapult's ColorScheme): suspend direction warm,
 * resume direction cool, platform sleep grey, failures red. Perfetto picks its own colours by name.
 */
export const STAGE_CNAME = [
  "yellow", "rail_response", "rail_load", "thread_state_sleeping", "rail_animation", "good", "grey",
];

/** Counter tracks: event name and the arg key Perfetto appends ("irq masked", "current uA"...). */
const COUNTER_KEYS: Record<string, [string, string]> = {
  "irq masked": ["irq", "masked"],
  "parked requests": ["parked", "requests"],
  "arena reserved": ["arena", "reserved bytes"],
  current: ["current", "uA"],
};

export function toPerfetto(model: TimelineModel): PerfettoTrace {
  const meta: TraceEvent[] = [];
  const events: TraceEvent[] = [];
  const devices = model.devices;
  meta.push({ name: "process_name", ph: "M", pid: PID, args: { name: "quiesce" + (model.board !== "" ? " " + model.board : "") } });
  meta.push({ name: "thread_name", ph: "M", pid: PID, tid: SYSTEM_TID, args: { name: "system (stages, sleep)" } });
  meta.push({ name: "thread_sort_index", ph: "M", pid: PID, tid: SYSTEM_TID, args: { sort_index: 0 } });
  let sort = 1;
  for (let i = 0; i < model.lanes.length; i++) {
    const d = model.lanes[i];
    meta.push({ name: "thread_name", ph: "M", pid: PID, tid: deviceTid(d), args: { name: devices[d].name } });
    meta.push({ name: "thread_sort_index", ph: "M", pid: PID, tid: deviceTid(d), args: { sort_index: sort++ } });
    // Its runtime-PM state: a track of its own right under the device's (a thread cannot hold overlapping spans).
    if (!model.rpmLanes.includes(d)) continue;
    meta.push({ name: "thread_name", ph: "M", pid: PID, tid: rpmTid(model, d), args: { name: devices[d].name + " runtime pm" } });
    meta.push({ name: "thread_sort_index", ph: "M", pid: PID, tid: rpmTid(model, d), args: { sort_index: sort++ } });
  }

  for (const a of model.attempts) {
    const end = a.end < 0 ? model.end : a.end;
    const failed = a.outcome > 0 || a.failStage >= 0;
    let name = "attempt " + (a.index + 1) + ": " + targetName(a.target) + " -> " + (a.outcome < 0 ? "unfinished" : statusName(a.outcome));
    if (a.failDevice >= 0 || a.failStage >= 0) name += " (" + deviceName(devices, a.failDevice) + " " + stageName(a.failStage) + ")";
    events.push({
      name, ph: "X", cat: "attempt", pid: PID, tid: SYSTEM_TID, ts: a.start, dur: end - a.start,
      cname: failed ? "terrible" : undefined,
      args: {
        target: targetName(a.target), outcome: a.outcome < 0 ? "unfinished" : statusName(a.outcome), wake: a.wakeLabel,
        failDevice: a.failDevice >= 0 ? deviceName(devices, a.failDevice) : null,
        failStage: a.failStage >= 0 ? stageName(a.failStage) : null,
        rollbackUs: a.rollbackUs, chargeUc: a.chargeUc >= 0 ? a.chargeUc : null,
      },
    });
  }

  for (const s of model.slices) {
    const stage = stageName(s.stage);
    const system = s.device < 0;
    let name = s.stage === S_PLATFORM && system ? "platform sleep" : stage;
    if (s.rollback) name += " (rollback)";
    const args: Record<string, unknown> = { stage, status: statusName(s.status), attempt: s.attempt + 1 };
    if (s.failed) args.failed = true;
    if (s.pending) args.pending = true;
    if (s.open) args.open = "the trace ends before this slice does";
    events.push({
      name, ph: "X", cat: system ? "stage" : s.failed ? "hook,failed" : "hook", pid: PID, tid: deviceTid(s.device),
      ts: s.start, dur: s.end - s.start, cname: s.failed ? "terrible" : STAGE_CNAME[s.stage] ?? "generic_work", args,
    });
  }

  // Runtime-PM states: one slice per span, named with the console's `rpm` words.
  for (const r of model.rpm) {
    const args: Record<string, unknown> = { device: deviceName(devices, r.device), state: r.name };
    if (r.inferred) args.inferred = "before the first record";
    if (r.open) args.open = "the trace ends before the state changes";
    events.push({ name: r.name, ph: "X", cat: "rpm", pid: PID, tid: rpmTid(model, r.device), ts: r.start, dur: r.end - r.start, cname: RPM_CNAME[r.state], args });
  }

  for (const i of model.instants) {
    if (i.kind === "suspend-begin" || i.kind === "suspend-end" || i.kind === "sleep-enter" || i.kind === "governor") continue;
    // Wakes and sleep exits are global (a line through every track); the rest sit on their device.
    const global = i.kind === "wake" || i.kind === "sleep-exit";
    const rpm = (i.kind === "rpm-fail" || i.kind === "rpm-bad-put") && model.rpmLanes.includes(i.device);
    events.push({
      name: i.label, ph: "i", cat: i.kind, pid: PID, tid: global ? SYSTEM_TID : rpm ? rpmTid(model, i.device) : deviceTid(i.device), ts: i.time,
      s: global ? "g" : "t", cname: i.kind === "rollback" || i.kind === "timeout" || i.kind === "resume-fail" || i.kind === "rpm-fail" ? "terrible" : undefined,
      args: { event: i.kind, device: deviceName(devices, i.device), stage: i.stage >= 0 ? stageName(i.stage) : null, status: i.status },
    });
  }

  // Each governor decision: an instant on the system thread named with its words (the console's `policy` line).
  for (const g of model.governor) {
    events.push({
      name: g.text, ph: "i", cat: "governor", pid: PID, tid: SYSTEM_TID, ts: g.time, s: "t", cname: g.reason === 0 ? "good" : "generic_work",
      args: { event: "governor", reason: g.reasonName, target: g.target > 0 ? targetName(g.target) : null, idleUs: g.idleUs },
    });
  }

  for (const c of model.counters) {
    const [name, key] = COUNTER_KEYS[c.name] ?? [c.name, c.unit !== "" ? c.unit : "value"];
    for (let k = 0; k < c.times.length; k++) {
      events.push({ name, ph: "C", cat: "counter", pid: PID, ts: c.times[k], args: { [key]: c.values[k] } });
    }
    // Close the step at the end so the last value is drawn over the rest of the trace.
    if (c.times.length > 0 && c.times[c.times.length - 1] < model.end) {
      events.push({ name, ph: "C", cat: "counter", pid: PID, ts: model.end, args: { [key]: c.values[c.values.length - 1] } });
    }
  }

  // Stable by time; at equal times longer slices first so the viewer nests them under the shorter ones correctly.
  events.sort((a, b) => (a.ts as number) - (b.ts as number) || (b.dur ?? 0) - (a.dur ?? 0));
  return {
    traceEvents: meta.concat(events),
    displayTimeUnit: "ms",
    otherData: {
      generator: "quiesce host-sim/viz", title: model.title, board: model.board, source: model.source,
      records: model.records, unmatched: model.unmatched, attempts: model.attempts.length,
      flight: model.flight, energy: model.energy,
    },
  };
}

export function writePerfetto(model: TimelineModel, path: string): void {
  writeFileSync(path, JSON.stringify(toPerfetto(model)));
}
