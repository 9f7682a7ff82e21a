// The energy benchmark's properties on a 1 h window: every frame on the wire under every policy, the policies' order, the floor below them, and the committed floor current.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ESP32_ACTIVE_240MHZ_UA } from "../../host-sim/models/energy";
import { ESP32_GOVERNOR_OFF } from "../../boards/esp32-states";
import { floorAt, PERIOD_US, POLICIES, runPolicy, type PolicyResult } from "../../bench/energy-policies";

const HOUR_US = 3.6e9;

describe("energy benchmark (bench/energy.ts), 1 h of virtual time per policy", () => {
  const r = Object.fromEntries(POLICIES.map((p) => [p, runPolicy(p, HOUR_US)])) as Record<(typeof POLICIES)[number], PolicyResult>;
  const floor = floorAt();

  it("every reading's frame reaches UART2's wire, numbered without a gap, under every policy", () => {
    for (const p of POLICIES) {
      // runPolicy throws on a malformed frame or a gap in the sequence numbers.
      expect(r[p].violations, p).toBe(0);
      expect(r[p].lastSequence - r[p].firstSequence + 1, p).toBe(r[p].readings);
    }
    // Self-timed policies keep whole minutes; the explicit ones' RTC timer starts at each sleep (60 s + awake).
    expect(r["always-on"].readings).toBe(60);
    expect(r["governor"].readings).toBe(60);
    expect(r["explicit-standby"].readings).toBeGreaterThanOrEqual(59);
    expect(r["explicit-hibernate"].readings).toBeGreaterThanOrEqual(59);
  });

  it("always on draws most, the governor less than explicit standby, the floor less than all", () => {
    const ua = POLICIES.map((p) => r[p].averageUa);
    expect(Math.max(...ua)).toBe(r["always-on"].averageUa);
    expect(r["governor"].averageUa).toBeLessThan(r["explicit-standby"].averageUa);
    for (const p of POLICIES) expect(floor.averageUa, p).toBeLessThan(r[p].averageUa);
    expect(floor.perReadingUc).toBeLessThan(Math.min(...POLICIES.map((p) => r[p].chargePerReadingUc)));
  });

  it("the governor hibernates like explicit hibernate and pays exactly its quiet time (minIdleUs) on top", () => {
    // Not "at most explicit hibernate": after the station's lock is released the governor waits minIdleUs
    // awake before deciding (docs/idle-policy.md), 10 ms at 68 mA each minute = 11.3 µA. That is the whole gap.
    expect(r["governor"].boots).toBe(r["governor"].readings + 1);
    const quietUs = ESP32_GOVERNOR_OFF.minIdleUs;
    expect(r["governor"].awakeMsPerReading - r["explicit-hibernate"].awakeMsPerReading).toBeCloseTo(quietUs / 1000, 0);
    const quietUa = (quietUs * ESP32_ACTIVE_240MHZ_UA) / PERIOD_US;
    expect(r["governor"].averageUa).toBeGreaterThan(r["explicit-hibernate"].averageUa);
    expect(r["governor"].averageUa).toBeLessThan(r["explicit-hibernate"].averageUa + quietUa + 1);
  });

  it("the committed bench/energy-results.json has the floor recomputed from the datasheet inputs", () => {
    const json = JSON.parse(fs.readFileSync(path.join(__dirname, "../../bench/energy-results.json"), "utf8")) as { floor: unknown; virtualHours: number; policies: PolicyResult[] };
    expect(json.floor).toEqual(JSON.parse(JSON.stringify(floor)));
    expect(json.virtualHours).toBe(24);
    expect(json.policies.find((p) => p.policy === "governor")!.readings).toBe(1440);
  });
});
