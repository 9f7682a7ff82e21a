// The weather station on quiesce's simulator: the DevKitC's chip models, the station wired at every boot, frames decoded, energy measured.
import { SIM_ESP32_DEVKITC, SLEEP_NONE, SimBoard, type SimBoardOptions, type SimBoardWiring } from "quiesce/sim";
import type { BootedBoard } from "quiesce/boards";
import type { Bme280 } from "quiesce/drivers/bme280/bme280";
import type { Telemetry } from "quiesce/drivers/telemetry/telemetry";
import { WEATHER, WEATHER_DRIVERS, weatherBoard } from "./board";
import { FRAME_BYTES, FRAME_MAGIC, type WeatherApp } from "./weather-app";

export interface StationOptions extends SimBoardOptions {
  readonly periodUs?: number;
  /** 1: hibernate between samples. */
  readonly hibernate?: number;
  /** false: the board without its console (what a field build would run). Default true. */
  readonly withConsole?: boolean;
  /** Who sleeps the board: 0 the station (default), 1 nobody (always on), 2 the idle governor (weather-app.ts SLEEP_*). */
  readonly sleep?: number;
  /** true: the hibernate image in RTC memory, not in the W25Q (board.ts weatherBoard `rtcImage`). */
  readonly rtcImage?: boolean;
}

/** What main.ts does after every boot on the chip: connect the station to the BME280, the UART and the outcomes. */
function connectStation(booted: BootedBoard): void {
  const d = booted.drivers;
  (d["weather"] as unknown as WeatherApp).connect(d["bme280"] as unknown as Bme280, d["telemetry"] as unknown as Telemetry, booted.onDone);
}

/** The station on a simulated DevKitC: its board, the DevKitC's chip models, its drivers, main's wiring, the RTC timer at the period. */
export function stationWiring(options: StationOptions = {}): SimBoardWiring {
  const periodUs = options.periodUs ?? WEATHER.periodUs;
  const withConsole = options.withConsole !== false;
  return {
    definition: weatherBoard(periodUs, options.hibernate ?? WEATHER.hibernate, withConsole, options.sleep ?? 0, options.rtcImage === true),
    models: withConsole ? SIM_ESP32_DEVKITC.models : SIM_ESP32_DEVKITC.models.filter((m) => m.device !== "console"),
    externalPullUps: SIM_ESP32_DEVKITC.externalPullUps,
    drivers: WEATHER_DRIVERS,
    onBoot: connectStation,
    // The RTC timer at the period for the station's own sleeps; self-timed policies arm their wakes (wakeAt) or none.
    timerWakeUs: (options.sleep ?? 0) === 0 ? periodUs : 0,
  };
}

/** `npm start -- --board examples/weather-station/sim.ts` runs this one: the station as configured in board.ts. */
export const STATION_WIRING: SimBoardWiring = stationWiring();

/** The station booted on the simulator (a hibernate wake reboots it and runs `connectStation` again). */
export function bootStation(options: StationOptions = {}): SimBoard {
  return new SimBoard(stationWiring(options), Object.assign({ seed: 1 }, options));
}

/** A telemetry frame as the station sends it. */
export interface Frame {
  sequence: number;
  /** degC, Pa, %RH. */
  temperature: number;
  pressure: number;
  humidity: number;
}

/** Every complete frame the board sent on UART2 (the telemetry driver's [length, payload, XOR] framing checked). */
export function frames(sim: SimBoard): Frame[] {
  const sink = sim.uartPeers[2];
  const out: Frame[] = [];
  for (let i = 0; i + FRAME_BYTES + 2 <= sink.count; i += FRAME_BYTES + 2) {
    const b = sink.bytes.subarray(i, i + FRAME_BYTES + 2);
    let x = 0;
    for (let k = 1; k <= FRAME_BYTES; k++) x ^= b[k];
    if (b[0] !== FRAME_BYTES || b[1] !== FRAME_MAGIC || b[FRAME_BYTES + 1] !== x) throw new Error("frame at byte " + i + " is malformed");
    const v = new DataView(b.buffer, b.byteOffset + 1, FRAME_BYTES);
    out.push({ sequence: v.getUint32(1, true), temperature: v.getInt32(5, true) / 100, pressure: v.getUint32(9, true), humidity: v.getUint32(13, true) / 1024 });
  }
  return out;
}

/** Energy over whole sampling cycles, the first (cold boot) excluded. */
export interface EnergyReport {
  readonly mode: "standby" | "hibernate";
  readonly withConsole: boolean;
  readonly periodS: number;
  readonly cycles: number;
  readonly averageUa: number;
  /** Awake time per cycle (SoC active: wake, reading, frame, suspend), ms. */
  readonly activeMsPerCycle: number;
  /** A 2000 mAh battery at that average, days. */
  readonly batteryDays: number;
}

/** Runs `cycles` sampling periods after the first reading and meters them (host-sim/models/energy.ts). */
export function measureEnergy(hibernate: number, periodUs: number, cycles: number, withConsole = true): EnergyReport {
  const sim = bootStation({ periodUs, hibernate, withConsole });
  // Past the cold boot's first reading and into the first sleep.
  sim.advance(periodUs / 2);
  sim.energy.reset();
  // Awake time: the SoC's mode changes reach the meter through onSleepChange; count the awake spans too.
  let activeUs = 0;
  let awakeSince = sim.platform.sleeping === SLEEP_NONE ? sim.now() : -1;
  const meter = sim.platform.onSleepChange;
  sim.platform.onSleepChange = function countAwake(mode: number): void {
    if (mode === SLEEP_NONE && awakeSince < 0) awakeSince = sim.now();
    if (mode !== SLEEP_NONE && awakeSince >= 0) {
      activeUs += sim.now() - awakeSince;
      awakeSince = -1;
    }
    if (meter !== null) meter(mode);
  };
  sim.advance(cycles * periodUs);
  if (awakeSince >= 0) activeUs += sim.now() - awakeSince;
  return {
    mode: hibernate === 1 ? "hibernate" : "standby",
    withConsole,
    periodS: periodUs / 1e6,
    cycles,
    averageUa: sim.energy.averageUa(),
    activeMsPerCycle: activeUs / cycles / 1000,
    batteryDays: sim.energy.batteryLifeHours(2000) / 24,
  };
}
