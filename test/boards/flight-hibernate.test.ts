// The console's flight-recorder lines survive hibernate on the simulated DevKitC: image to flash, deep sleep, reboot, `stats`.
import { describe, expect, it } from "vitest";
import { OK, T_HIBERNATE, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME } from "../../runtime";
import { F_SEQ, F_START, F_TARGET, F_STAGES, F_TOTAL_US } from "../../runtime/flight";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { SLEEP_DEEP, SLEEP_LIGHT } from "../../host-sim/board/sim-sleep";
import type { UartTerminal } from "../../host-sim/models/uart-terminal";
import type { Bme280 } from "../../drivers/bme280/bme280";

// Every stage but release, in id order: an array mapped from SHOWN is indexed by stage id.
const SHOWN = [S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME];

/** The flight-recorder section of a `stats` reply typed on the terminal. */
function flightSection(sim: SimBoard, term: UartTerminal): string[] {
  term.type("stats\r");
  sim.settle();
  const lines = term.takeAll().split("\r\n");
  const at = lines.findIndex((l) => l.startsWith("flight recorder"));
  expect(lines.slice(-2)).toEqual([expect.stringMatching(/^irq queue: /), "> "]);
  return lines.slice(at, lines.indexOf("per-device durations, last/max us:"));
}

function pressButton(sim: SimBoard): void {
  sim.press();
  sim.advance(60_000);
  sim.release();
  sim.settle();
}

describe("flight recorder across hibernate", () => {
  it("a standby attempt and the hibernate attempt are both in `stats` after the reboot; the sleep is the RTC's and the total across it prints as ?", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC);
    const outcomes: number[] = [];
    sim.onDone((s) => outcomes.push(s));
    const term = sim.terminal();
    sim.settle();
    term.takeAll();
    sim.driver<Bme280>("bme280").setClient(new Int32Array(3), null, () => {});

    // 1: light sleep; a sample requested while asleep is parked, replayed in R2, and counted.
    term.type("suspend\r");
    for (let i = 0; i < 2000 && sim.platform.sleeping !== SLEEP_LIGHT; i++) sim.advance(1_000);
    expect(sim.platform.sleeping).toBe(SLEEP_LIGHT);
    expect(sim.driver<Bme280>("bme280").sample(1)).toBe(OK);
    sim.advance(1_000_000);
    pressButton(sim);
    term.takeAll();
    const first = flightSection(sim, term);
    expect(first[0]).toBe("flight recorder, last 1 of 1 attempts, newest first:");
    expect(first[1]).toMatch(/^ {2}#1 \[ +\d+ us\] standby {3}OK {6}wake line 0 \(button\), parked 1, S1 \d+ S2 \d+ S3 \d+ sleep \d+ R1 \d+ R2 \d+ total \d+ us$/);

    // 2: hibernate: the arena (flight table in front) goes to flash; the button reboots the chip.
    term.type("suspend hibernate\r");
    for (let i = 0; i < 2000 && sim.platform.sleeping !== SLEEP_DEEP; i++) sim.advance(1_000);
    expect(sim.platform.sleeping).toBe(SLEEP_DEEP);
    sim.advance(2_000_000);
    pressButton(sim);
    expect(sim.boots).toBe(2);
    expect(sim.booted!.resumed).toBe(true);
    expect(term.takeAll()).toContain("resumed from hibernate\r\n> ");

    // The new boot's console prints both records; the one from before the hibernate is unchanged, byte for byte.
    const fr = sim.pm.flight;
    expect(fr.total).toBe(2);
    const b = fr.recent(0);
    expect([fr.table[b + F_SEQ], fr.table[b + F_TARGET]]).toEqual([2, T_HIBERNATE]);
    const stages = SHOWN.map((s) => fr.table[b + F_STAGES + s]);
    // The simulated RTC kept counting through deep sleep (2 s asleep, then the wake-up): the sleep is known.
    // The total spans two boots whose clocks differ: unknown.
    expect(stages[S_PLATFORM]).toBeGreaterThanOrEqual(2_000_000);
    expect(stages[S_PLATFORM]).toBeLessThan(2_100_000);
    expect(fr.table[b + F_TOTAL_US]).toBe(-1);
    // The new boot's stats hold the same stage durations as the flight record (the resumed attempt's R1, R2 and sleep).
    for (const s of [S_PLATFORM, S_POWER_ON, S_RESUME]) expect(sim.pm.stats.stageDuration[s]).toBe(fr.table[b + F_STAGES + s]);
    expect(stages[S_PREPARE]).toBeGreaterThan(0); // S1 ran before the image was written
    // The console rounds to whole microseconds (this board's now() costs fractions); -1 is "?".
    const n = (v: number): string => (v < 0 ? "?" : String(Math.round(v)));
    const after = flightSection(sim, term);
    expect(after).toEqual([
      "flight recorder, last 2 of 2 attempts, newest first:",
      "  #2 [" + n(fr.table[b + F_START]).padStart(10) + " us] hibernate OK      wake line 0 (button), parked 0, " +
        ["S1", "S2", "S3", "sleep", "R1", "R2"].map((tag, k) => tag + " " + n(stages[k])).join(" ") + " total ? us",
      first[1],
    ]);
    expect(after[1]).toContain(" sleep " + n(stages[S_PLATFORM]) + " R1 ");
    expect(outcomes).toEqual([OK, OK]);
    expect(sim.pm.stats.attempts).toBe(1); // the new boot's counters start over; the flight table does not
    expect(sim.violations.list).toEqual([]);
  });
});
