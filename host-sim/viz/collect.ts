// Node-side collector: listens to a PowerManager's trace (beside any existing listener) and samples counters.
import type { PowerManager } from "../../runtime/pm";
import type { TraceRing } from "../../runtime/trace";
import { F_SEQ, F_START, F_TARGET, F_OUTCOME, F_FAIL_DEVICE, F_FAIL_STAGE, F_WAKE, F_PARKED, F_TOTAL_US, F_STAGES } from "../../runtime/flight";
import { S_RELEASE } from "../../runtime/status";
import { TimelineBuilder, COUNTER_CURRENT, type BuilderOptions } from "./build";
import { governorText, type GovernorRecord } from "./governor-text";
import { devicesFromGraph, type TimelineModel, type VizDevice, type VizFlightRow, type VizEnergy } from "./model";

export const COUNTER_PARKED = "parked requests";
export const COUNTER_ARENA = "arena reserved";

/**
 * What the collector reads for the current-draw track. Preferred: a charge integral (EnergyMeter's
 * `chargeUc`, or ShellEnergy's `averageUa * elapsedUs`), which makes each interval between two trace
 * records show its exact average current, sleep included (the SoC changes mode after the
 * sleep-enter record and before sleep-exit, so an instantaneous sample would never see it).
 * A bare `currentUa()`/`presentUa()` is sampled as is.
 */
export type EnergySource =
  | { chargeUc(): number }
  | { averageUa(): number; elapsedUs(): number }
  | { currentUa(): number }
  | { presentUa(): number };

export interface VizOptions extends BuilderOptions {
  energy?: EnergySource | null;
  /** Sample parked requests and arena bytes at every record (default true). */
  counters?: boolean;
}

export interface VizHandle {
  /** The model so far (callable more than once); open slices end at the last record. */
  finish(): TimelineModel;
  /** Follows another PowerManager of the same board (the firmware after a deep-sleep reboot). */
  attach(pm: PowerManager): void;
  /** Feeds a record by hand (when the caller owns the listener, or replays a ring). */
  push(time: number, device: number, stage: number, event: number, status: number, duration?: number): void;
  /** Restores the listener that was there before. */
  detach(): void;
}

/** The listener a TraceRing holds now (it keeps one; we chain to it rather than replace it). */
function currentListener(trace: TraceRing): ((slot: number) => void) | null {
  return trace.getListener();
}

function chargeOf(e: EnergySource): number | null {
  const a = e as Partial<{ chargeUc(): number; averageUa(): number; elapsedUs(): number }>;
  if (typeof a.chargeUc === "function") return a.chargeUc();
  if (typeof a.averageUa === "function" && typeof a.elapsedUs === "function") return (a.averageUa() * a.elapsedUs()) / 1e6;
  return null;
}

function presentOf(e: EnergySource): number {
  const a = e as Partial<{ currentUa(): number; presentUa(): number }>;
  if (typeof a.currentUa === "function") return a.currentUa();
  if (typeof a.presentUa === "function") return a.presentUa();
  throw new Error("viz: the energy option has none of chargeUc(), averageUa()+elapsedUs(), currentUa(), presentUa(): pass the board's EnergyMeter");
}

/** The board's devices, each marked with whether its driver has runtime hooks (its runtime-PM lane shows even before a change). */
function devicesWithRpm(pm: PowerManager): VizDevice[] {
  const devices = devicesFromGraph(pm.graph, pm.arena.size);
  for (const d of devices) d.runtimePm = pm.rpm.capable[d.id] !== 0;
  return devices;
}

/** Reads the flight recorder, oldest first. */
export function flightRows(pm: PowerManager): VizFlightRow[] {
  const fr = pm.flight;
  const t = fr.table;
  const rows: VizFlightRow[] = [];
  for (let i = Math.min(fr.total, fr.capacity) - 1; i >= 0; i--) {
    const b = fr.recent(i);
    const stageUs: number[] = [];
    for (let s = 0; s < S_RELEASE; s++) stageUs.push(t[b + F_STAGES + s]);
    rows.push({
      seq: t[b + F_SEQ], start: t[b + F_START], target: t[b + F_TARGET], outcome: t[b + F_OUTCOME],
      failDevice: t[b + F_FAIL_DEVICE], failStage: t[b + F_FAIL_STAGE], wake: t[b + F_WAKE],
      parked: t[b + F_PARKED], totalUs: t[b + F_TOTAL_US], stageUs,
    });
  }
  return rows;
}

/**
 * Attach after the board booted (and after the console took the trace listener): the previous
 * listener keeps running first, so console output is unchanged. Host side only: this allocates per
 * record, which is why it never ships in firmware.
 */
export function attachViz(pm: PowerManager, options: VizOptions = {}): VizHandle {
  let current: PowerManager = pm;
  const builder = new TimelineBuilder(devicesWithRpm(pm), {
    board: pm.config.board,
    // Live: the governor's own kept decision (its lock, its constraint) or its states table fill in the words.
    governorText: (rec: GovernorRecord) => governorText(rec, current),
    ...options,
  });
  const energy = options.energy ?? null;
  const sampleCounters = options.counters !== false;
  let previous: ((slot: number) => void) | null = null;
  let lastT = NaN;
  let lastQ = 0;
  let lastTime = -Infinity;

  const sample = (time: number): void => {
    if (sampleCounters) {
      builder.counter(COUNTER_PARKED, "requests", time, current.recorder.parkedNow());
      builder.counter(COUNTER_ARENA, "bytes", time, current.arena.reservedBytes);
    }
    if (energy === null) return;
    const q = chargeOf(energy);
    if (q === null) {
      builder.counter(COUNTER_CURRENT, "uA", time, presentOf(energy));
      return;
    }
    // The interval that just closed gets its exact average current.
    // Rounded to 1 nA: float noise of the integral would otherwise add a point per record.
    if (!Number.isNaN(lastT) && time > lastT) builder.counter(COUNTER_CURRENT, "uA", lastT, Math.round(((q - lastQ) * 1e9) / (time - lastT)) / 1000);
    if (Number.isNaN(lastT) || time > lastT) {
      lastT = time;
      lastQ = q;
    }
  };

  const push = (time: number, device: number, stage: number, event: number, status: number, duration = 0): void => {
    builder.record(time, device, stage, event, status, duration);
    lastTime = time;
    sample(time);
  };

  const listener = (slot: number): void => {
    if (previous !== null) previous(slot);
    const tr = current.trace;
    push(tr.time[slot], tr.deviceAt(slot), tr.stageAt(slot), tr.eventAt(slot), tr.statusAt(slot), tr.duration[slot]);
  };

  const attach = (next: PowerManager): void => {
    const names = builder.devices.map((d) => d.name).join(",");
    const nextNames = next.graph.names.slice(0, next.graph.count).join(",");
    if (names !== nextNames) {
      throw new Error("viz: attach to a PowerManager with devices [" + nextNames + "], the timeline has [" + names + "]: start a new attachViz for another board");
    }
    const switching = next !== current;
    if (switching && currentListener(current.trace) === listener) current.trace.setListener(previous as (slot: number) => void);
    current = next;
    previous = currentListener(next.trace);
    if (previous === listener) previous = null;
    // A firmware booted from a hibernate image resumes inside its boot, before anyone can attach: replay its ring.
    if (switching) {
      const tr = next.trace;
      for (let i = 0; i < tr.length; i++) {
        const s = tr.slot(i);
        push(tr.time[s], tr.deviceAt(s), tr.stageAt(s), tr.eventAt(s), tr.statusAt(s), tr.duration[s]);
      }
    }
    next.trace.setListener(listener);
  };
  attach(pm);
  // Runtime-PM lanes start in the state each device is in now (later changes come as records).
  for (let d = 0; d < pm.graph.count; d++) if (pm.rpm.capable[d] !== 0) builder.rpmInitial(d, pm.rpm.state[d]);

  return {
    finish(): TimelineModel {
      let energySummary: VizEnergy | null = null;
      if (energy !== null) {
        const e = energy as Partial<{ averageUa(): number; elapsedUs(): number; chargeUc(): number }>;
        if (typeof e.averageUa === "function" && typeof e.elapsedUs === "function") {
          const averageUa = e.averageUa();
          const elapsedUs = e.elapsedUs();
          energySummary = { averageUa, elapsedUs, chargeUc: typeof e.chargeUc === "function" ? e.chargeUc() : (averageUa * elapsedUs) / 1e6 };
        }
      }
      return builder.finish(lastTime === -Infinity ? undefined : lastTime, { flight: flightRows(current), energy: energySummary });
    },
    attach,
    push,
    detach(): void {
      if (currentListener(current.trace) === listener) current.trace.setListener(previous as (slot: number) => void);
      previous = null;
    },
  };
}

/**
 * For a simulated board whose `boot` makes a new PowerManager (the reboot after a deep-sleep wake):
 * follows every boot, so one timeline spans the hibernate. Attach after the first boot.
 */
export function attachVizToBoard(board: { readonly pm: PowerManager; boot(options?: never): { pm: PowerManager } }, options: VizOptions = {}): VizHandle {
  const viz = attachViz(board.pm, options);
  const boot = board.boot.bind(board);
  (board as { boot(options?: never): { pm: PowerManager } }).boot = (o?: never) => {
    const booted = boot(o);
    viz.attach(booted.pm);
    return booted;
  };
  return viz;
}

/** A model from the records a ring still holds (no counters but IRQ masking; no flight recorder). */
export function modelFromRing(pm: PowerManager, options: BuilderOptions = {}): TimelineModel {
  const builder = new TimelineBuilder(devicesWithRpm(pm), { board: pm.config.board, governorText: (rec: GovernorRecord) => governorText(rec, pm), ...options });
  const tr = pm.trace;
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i);
    builder.record(tr.time[s], tr.deviceAt(s), tr.stageAt(s), tr.eventAt(s), tr.statusAt(s), tr.duration[s]);
  }
  return builder.finish(undefined, { flight: flightRows(pm) });
}
