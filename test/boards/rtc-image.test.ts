// The hibernate image in RTC memory (a board whose flash is not the storage device): restored after the reboot, consumed once, never written to the W25Q, and a boot error when it cannot fit.
import { describe, expect, it } from "vitest";
import { bootStation, frames } from "../../examples/weather-station/sim";
import { SLEEP_GOVERNOR } from "../../examples/weather-station/weather-app";
import type { WeatherApp } from "../../examples/weather-station/weather-app";
import { WAKE_RESET } from "../../runtime/status";
import { RTC_WAKE_MARGIN_US } from "../../examples/weather-station/board";

const PERIOD = 10_000_000;

describe("weather station with the image in RTC memory", () => {
  it("explicit hibernate: every wake resumes from RTC memory, the sequence continues, the W25Q is never erased or programmed", () => {
    const sim = bootStation({ periodUs: PERIOD, withConsole: false, hibernate: 1, rtcImage: true });
    const flash = sim.flashes["flash"];
    const before = flash.currentUa();
    sim.advance(3.5 * PERIOD);
    expect(sim.boots).toBe(4);
    expect(sim.booted!.resumed).toBe(true);
    expect(sim.platform.messages.filter((m) => m.includes("resumed from the hibernate image in RTC memory")).length).toBe(3);
    expect(frames(sim).map((f) => f.sequence)).toEqual([0, 1, 2, 3]);
    expect(sim.driver<WeatherApp>("weather").sequence).toBe(4);
    // Only S3's deep power-down (1 uA) and R1's release: no erase (20 mA for 45 ms) ever ran.
    expect(sim.energy.chargeUcOf(flash)).toBeLessThan(200);
    expect(before).toBeGreaterThan(0);
    expect(sim.violations.list).toEqual([]);
  });

  it("the image is consumed at the boot that restores it, and a reset (cold boot) clears it", () => {
    const sim = bootStation({ periodUs: PERIOD, withConsole: false, hibernate: 1, rtcImage: true });
    const into = new Uint8Array(sim.pm.arena.used);
    // Read again right after each boot (as a second boot would): nothing is left.
    const after: number[] = [];
    sim.onBoot((b) => after.push(b.resumed ? sim.platform.loadImage(into) : 99));
    sim.advance(1.5 * PERIOD);
    expect(sim.booted!.resumed).toBe(true);
    expect(after).toEqual([99, -1]);
    // Asleep again, with the next image in RTC memory: a reset boots cold and forgets it.
    sim.reboot(WAKE_RESET);
    expect([sim.booted!.resumed, sim.driver<WeatherApp>("weather").sequence]).toEqual([false, 0]);
    expect(sim.platform.loadImage(into)).toBe(-1);
  });

  it("the governor picks hibernate with the RTC state's numbers and wakes in time for each reading", () => {
    const sim = bootStation({ periodUs: 60_000_000, withConsole: false, sleep: SLEEP_GOVERNOR, rtcImage: true });
    sim.advance(3.5 * 60_000_000);
    expect(frames(sim).map((f) => f.sequence)).toEqual([0, 1, 2, 3]);
    expect(sim.boots).toBe(4);
    const g = sim.pm.governor;
    expect([g.states.exitUs[1], g.wakeMarginUs]).toEqual([37_000, RTC_WAKE_MARGIN_US]);
  });

  it("a board that lists hibernate and whose image does not fit RTC memory does not boot, and says how to fix it", () => {
    expect(() => bootStation({ periodUs: PERIOD, withConsole: false, sleep: SLEEP_GOVERNOR, rtcImage: true, rtcImageBytes: 512 }))
      .toThrow(/examples\/weather-station\/board: pm.states lists hibernate and no device holds the image \(ROLE_STORAGE\), so the platform keeps it \(ESP32 RTC slow memory\), but the image is \d+ bytes and it holds 512: lower pm.stateArenaBytes or pm.flightRecords, raise the platform's rtcImageBytes/);
  });

  it("without hibernate in its states the board boots, and a hibernate whose image does not fit is refused and resumes", () => {
    const sim = bootStation({ periodUs: PERIOD, withConsole: false, hibernate: 1, rtcImage: true, rtcImageBytes: 512 });
    sim.advance(2.5 * PERIOD);
    expect(sim.boots).toBe(1);
    expect(sim.platform.hibernateRefusals).toBeGreaterThan(0);
    expect(frames(sim).length).toBeGreaterThan(0);
  });
});
