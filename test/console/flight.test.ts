// The flight-recorder section of `stats`: one line per recent attempt (outcome, failing device and stage, wake cause, stage times).
import { describe, expect, it } from "vitest";
import { Rig, K_OK, K_FAIL, K_PENDING, BUTTON_LINE, H_PREPARE, H_SUSPEND, H_POWER_OFF, H_RESUME } from "./sim";
import { IO, OK, WAKEUP, WAKE_RESET, T_STANDBY, TEST_NONE, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME } from "../../runtime/status";
import { F_SEQ, F_START, F_STAGES, F_TOTAL_US } from "../../runtime/flight";
import { P_IDLE } from "../../runtime/phase";
import { imageOfEvery } from "../runtime/fakes";

// Every stage but release, in id order: an array mapped from SHOWN is indexed by stage id.
const SHOWN = [S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME];

/** The flight-recorder section of a `stats` reply: after the last failures, before the per-device durations. */
function flightLines(rig: Rig): string[] {
  const lines = rig.send("stats\r").split("\r\n");
  const at = lines.findIndex((l) => l.startsWith("flight recorder"));
  const end = lines.indexOf("per-device durations, last/max us:");
  expect(lines[at - 1]).toMatch(/^last failures|^ {2}\[/);
  expect(lines.slice(-2)).toEqual([expect.stringMatching(/^irq queue: /), "> "]);
  return lines.slice(at, end);
}

/** Stage durations of the record `seq` as the runtime stored them (-1 unknown), checked to be that record. */
function times(rig: Rig, seq: number): { start: number; stages: number[]; total: number } {
  const fr = rig.pm.flight;
  const base = fr.recent(fr.total - seq);
  expect(fr.table[base + F_SEQ]).toBe(seq);
  return {
    start: fr.table[base + F_START],
    stages: SHOWN.map((s) => fr.table[base + F_STAGES + s]),
    total: fr.table[base + F_TOTAL_US],
  };
}

/** The expected line, written out independently of the console's code. */
function line(seq: number, t: { start: number; stages: number[]; total: number }, head: string): string {
  const tags = ["S1", "S2", "S3", "sleep", "R1", "R2"];
  const n = (v: number): string => (v < 0 ? "?" : String(v));
  return "  #" + seq + " [" + String(t.start).padStart(10) + " us] " + head + ", " +
    tags.map((tag, k) => tag + " " + n(t.stages[k])).join(" ") + " total " + n(t.total) + " us";
}

describe("stats: flight recorder", () => {
  it("a success woken by the button: target, OK, wake cause, parked count, every stage time and a total that adds up", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, OK, 2_000);
    rig.devices.flash.script(H_RESUME, K_PENDING, OK, 1_000);
    rig.send("suspend\r");
    rig.clock.advance(1_000_000);
    rig.platform.wakeNow(BUTTON_LINE);
    rig.settle();
    rig.take();
    const t = times(rig, 1);
    expect(t.stages[S_PLATFORM]).toBeGreaterThan(1_000_000);
    expect(t.stages[S_RESUME]).toBe(1_000); // flash's pending R2
    expect(t.stages.reduce((a, b) => a + b, 0)).toBe(t.total); // stages run back to back on the virtual clock
    expect(flightLines(rig)).toEqual([
      "flight recorder, last 1 of 1 attempts, newest first:",
      line(1, t, "standby   OK      wake line 0 (button), parked 0"),
    ]);
  });

  it("a failure names the device and the stage; times are those of the attempt, rollback included", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, IO, 3_000);
    rig.send("suspend\r");
    rig.devices.flash.script(H_POWER_OFF, K_FAIL, IO, 0);
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, OK, 0);
    rig.send("suspend\r");
    expect(rig.outcomes).toEqual([IO, IO]);
    const t1 = times(rig, 1);
    expect(t1.stages).toEqual([0, t1.stages[S_SUSPEND], 0, 0, 0, 0]);
    expect(t1.stages[S_SUSPEND]).toBeGreaterThanOrEqual(3_000);
    expect(flightLines(rig)).toEqual([
      "flight recorder, last 2 of 2 attempts, newest first:",
      line(2, times(rig, 2), "standby   IO      flash powerOffNoIrq, parked 0"),
      line(1, t1, "standby   IO      bme280 suspend, parked 0"),
    ]);
  });

  it("a wake by UART input names the console's wake line; input during S2 stops S2 (its pending hooks finish) and aborts there: console, suspend and the line", () => {
    const rig = new Rig();
    rig.send("suspend\r");
    rig.send("\r"); // the waking byte is lost
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, OK, 30_000);
    rig.terminal.type("suspend\r");
    while (rig.pm.phase === P_IDLE) rig.clock.advance(100);
    rig.terminal.type("\r");
    rig.settle();
    rig.take();
    expect(rig.outcomes).toEqual([OK, WAKEUP]);
    expect(flightLines(rig)).toEqual([
      "flight recorder, last 2 of 2 attempts, newest first:",
      line(2, times(rig, 2), "standby   WAKEUP  console suspend, wake line 43 (console), parked 0"),
      line(1, times(rig, 1), "standby   OK      wake line 43 (console), parked 0"),
    ]);
  });

  it("a resume from a hibernate image: sleep and total span the reboot and print as ?", () => {
    const rig = new Rig();
    imageOfEvery(rig.pm);
    expect(rig.pm.resumeFromImage(WAKE_RESET)).toBe(OK);
    rig.settle();
    rig.take();
    const t = times(rig, 1);
    expect([t.stages[S_PLATFORM], t.total]).toEqual([-1, -1]);
    const out = flightLines(rig);
    expect(out).toEqual([
      "flight recorder, last 1 of 1 attempts, newest first:",
      line(1, t, "hibernate OK      wake reset, parked 0"),
    ]);
    expect(out[1]).toContain(" sleep ? R1 ");
    expect(out[1].endsWith(" total ? us")).toBe(true);
  });

  it("wraps at K: the last K attempts, newest first, the header counting every attempt", () => {
    const rig = new Rig({ config: { flightRecords: 3 } });
    const heads: string[] = [];
    for (let k = 0; k < 5; k++) {
      rig.devices.led.script(H_PREPARE, (k & 1) === 1 ? K_FAIL : K_OK, IO, 0);
      rig.send("suspend test=platform\r");
      heads.push((k & 1) === 1 ? "standby   IO      led prepare, parked 0" : "standby   OK      wake test hold, parked 0");
    }
    expect(rig.pm.flight.total).toBe(5);
    expect(flightLines(rig)).toEqual([
      "flight recorder, last 3 of 5 attempts, newest first:",
      line(5, times(rig, 5), heads[4]),
      line(4, times(rig, 4), heads[3]),
      line(3, times(rig, 3), heads[2]),
    ]);
  });

  it("a record reused by an attempt that ran while the report waited for TX room is said to be overwritten", () => {
    // K = 8 lines of about 125 bytes do not fit a 1024-byte ring: the report waits for room part way through them.
    const rig = new Rig({ txRingBytes: 1024 });
    for (let k = 0; k < 8; k++) rig.send("suspend test=platform\r");
    const before = [8, 7, 6, 5, 4, 3, 2].map((seq) => line(seq, times(rig, seq), "standby   OK      wake test hold, parked 0"));
    rig.terminal.type("stats\r");
    while (!rig.console.reports.active) rig.clock.advance(50);
    // The oldest record's line is still to come; a suspend now reuses its slot for attempt 9.
    expect(rig.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    rig.settle();
    expect(rig.asleep).toBe(true);
    rig.platform.wakeNow(BUTTON_LINE);
    rig.settle();
    const all = rig.take().split("\r\n");
    // Progress lines of attempt 9 came between the report's lines: keep the report's own.
    const lines = all.filter((l) => l.startsWith("flight ") || l.startsWith("  #") || l.startsWith("  ("));
    expect(lines).toEqual(["flight recorder, last 8 of 8 attempts, newest first:", ...before, "  (record overwritten while the report waited)"]);
    expect(all.indexOf("  (record overwritten while the report waited)")).toBeGreaterThan(all.indexOf("suspend ok, woke by line 0 (button)"));
    expect(rig.pm.flight.total).toBe(9);
    expect(flightLines(rig)[0]).toBe("flight recorder, last 8 of 9 attempts, newest first:");
  });
});

describe("stats after a wake from hibernate", () => {
  it("stage durations equal the flight record, unknown ones print as ?, and progress never says how long the sleep was", () => {
    const rig = new Rig();
    // An attempt before the reboot leaves durations in the RAM stats (S2: the console's drain).
    rig.send("suspend test=platform\r");
    expect(rig.pm.stats.stageDuration[S_SUSPEND]).toBeGreaterThan(0);
    imageOfEvery(rig.pm);
    expect(rig.pm.resumeFromImage(WAKE_RESET)).toBe(OK);
    rig.settle();
    const progress = rig.take();
    expect(progress).toMatch(/\] -- platform woke: reset, sleep length unknown \(hibernate: the clock restarted and the platform has no RTC reading\)\r\n/);
    expect(progress).not.toMatch(/woke: reset after/);
    const t = times(rig, 2);
    expect([t.stages[S_PLATFORM], t.total]).toEqual([-1, -1]);
    const n = (v: number): string => (v < 0 ? "?" : String(v));
    const lines = rig.send("stats\r").split("\r\n");
    expect(lines[3]).toBe("stage durations, last attempt: prepare " + n(t.stages[S_PREPARE]) + " suspend " + n(t.stages[S_SUSPEND]) +
      " powerOffNoIrq " + n(t.stages[S_POWER_OFF]) + " platform ? powerOnNoIrq " + n(t.stages[S_POWER_ON]) +
      " resume " + n(t.stages[S_RESUME]) + " total ? us");
    expect(lines).toContain(line(2, t, "hibernate OK      wake reset, parked 0"));
  });
});
