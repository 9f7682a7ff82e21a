// Energy benchmark: splits the simulator's meter by phase (asleep, wake and boot, the reading, each suspend stage, the resume after a reboot) per reading.
import { SLEEP_DEEP, SLEEP_LIGHT, SLEEP_NONE, type SimBoard } from "quiesce/sim";
import { E_STAGE_BEGIN, E_STAGE_END, E_SUSPEND_BEGIN, E_SUSPEND_END } from "../runtime/trace";
import { S_POWER_OFF, S_POWER_ON, S_PREPARE, S_RESUME, S_SUSPEND } from "../runtime/status";

/** The phases, in the order the results print them. */
export const PHASES = [
  "asleep", "wake and boot (ROM, bootloader, to the firmware)", "light-sleep exit",
  "firmware start, image restore, R1/R2 after a reboot", "awake outside an attempt (the reading, waits)",
  "S1 prepare", "S2 suspend", "S3 power-off", "R1 power-on", "R2 resume", "between stages",
] as const;
export type Phase = (typeof PHASES)[number];

const P_ASLEEP = 0;
const P_DEEP_WAKE = 1;
const P_LIGHT_WAKE = 2;
const P_BOOT = 3;
const P_AWAKE = 4;
const P_STAGE: Record<number, number> = { [S_PREPARE]: 5, [S_SUSPEND]: 6, [S_POWER_OFF]: 7, [S_POWER_ON]: 8, [S_RESUME]: 9 };
const P_BETWEEN = 10;

/** Charge (µC) and time (µs) per phase since `reset`. */
export interface PhaseMeter {
  readonly uc: Float64Array;
  readonly us: Float64Array;
  /** Closes the open interval and zeroes the sums (call with the energy meter's reset). */
  reset(): void;
  /** Closes the open interval (call before reading the sums). */
  close(): void;
}

/**
 * Chains onto the board's SoC-mode hook, every boot's trace listener and `boot` itself: the charge
 * between two of those events goes to the phase that was open. A reboot's R1/R2 run inside boot, so
 * they count with the firmware's start; the attempt's own stages count by stage.
 */
export function attachPhases(sim: SimBoard): PhaseMeter {
  const uc = new Float64Array(PHASES.length);
  const us = new Float64Array(PHASES.length);
  let phase = P_AWAKE;
  let lastUc = sim.energy.chargeUc();
  let lastT = sim.now();
  let stage = -1;
  let inAttempt = false;
  let booting = false;
  let deepExit = false;
  let lightExit = false;
  const close = (): void => {
    const c = sim.energy.chargeUc();
    const t = sim.now();
    uc[phase] += c - lastUc;
    us[phase] += t - lastT;
    lastUc = c;
    lastT = t;
  };
  const relabel = (): void => {
    const p = sim.platform;
    if (deepExit) phase = P_DEEP_WAKE;
    else if (lightExit) phase = P_LIGHT_WAKE;
    else if (p.sleeping === SLEEP_DEEP || p.sleeping === SLEEP_LIGHT) phase = P_ASLEEP;
    else if (booting) phase = P_BOOT;
    else if (inAttempt) phase = stage >= 0 && P_STAGE[stage] !== undefined ? P_STAGE[stage] : P_BETWEEN;
    else phase = P_AWAKE;
  };
  const meter = sim.platform.onSleepChange;
  sim.platform.onSleepChange = function phaseSleep(mode: number): void {
    close();
    if (meter !== null) meter(mode);
    // SLEEP_NONE arrives at the wake event; the platform stays in its sleep mode through the exit latency.
    if (mode === SLEEP_NONE && sim.platform.sleeping === SLEEP_DEEP) deepExit = true;
    if (mode === SLEEP_NONE && sim.platform.sleeping === SLEEP_LIGHT) lightExit = true;
    relabel();
  };
  const boot = sim.boot.bind(sim);
  (sim as { boot: SimBoard["boot"] }).boot = function phaseBoot(options) {
    close();
    deepExit = false;
    booting = true;
    inAttempt = false;
    stage = -1;
    relabel();
    return boot(options);
  };
  sim.onBoot(function phaseTrace(booted): void {
    const tr = booted.pm.trace;
    const prev = tr.getListener();
    tr.setListener(function phaseRecord(slot: number): void {
      if (prev !== null) prev(slot);
      close();
      lightExit = false;
      const e = tr.eventAt(slot);
      if (e === E_SUSPEND_BEGIN) inAttempt = true;
      if (e === E_SUSPEND_END) {
        inAttempt = false;
        stage = -1;
      }
      if (e === E_STAGE_BEGIN) stage = tr.stageAt(slot);
      if (e === E_STAGE_END) stage = -1;
      relabel();
    });
    close();
    booting = false;
    relabel();
  });
  return {
    uc, us,
    reset(): void {
      close();
      uc.fill(0);
      us.fill(0);
    },
    close,
  };
}
