// The console's stats command: counts, failures by device, stage and status, durations, the flight recorder and the irq queue line.
import { describe, expect, it } from "vitest";
import { Rig, K_FAIL, K_PENDING, H_SUSPEND, H_RESUME } from "./sim";
import { IO, STAGE_COUNT, S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME, S_RELEASE } from "../../runtime/status";
import { F_START, F_STAGES } from "../../runtime/flight";

describe("console commands", () => {
  it("stats before any suspend", () => {
    const rig = new Rig();
    expect(rig.send("stats\r")).toBe([
      "attempts 0, ok 0, rolled back 0, busy 0, wake aborts 0, timeouts 0, late 0, resume failures 0",
      "last outcome OK, last wake cause none",
      "failures per stage: prepare 0 suspend 0 powerOffNoIrq 0 powerOnNoIrq 0 resume 0",
      "stage durations, last attempt: prepare 0 suspend 0 powerOffNoIrq 0 platform 0 powerOnNoIrq 0 resume 0 total 0 us",
      "re-probes: 0 run, 0 devices recovered, 0 failed",
      "last failures: none",
      "flight recorder: no attempts yet",
      "per-device durations, last/max us:",
      "  i2c0    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  bme280  S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  spi2    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  flash   S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  button  S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  led     S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  console S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "irq queue: overflowed 0, max depth 1",
      "> ",
    ].join("\r\n"));
  });

  it("an attempt that ended with a resume failure is neither ok nor rolled back: the resume failures count says what it was", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_RESUME, K_FAIL, IO, 0);
    rig.send("suspend test=platform\r");
    expect(rig.send("stats\r").split("\r\n")[0]).toBe("attempts 1, ok 0, rolled back 0, busy 0, wake aborts 0, timeouts 0, late 0, resume failures 1");
  });

  it("stats after a success and a failure: counts, failure with device/stage/status names, wake cause, durations", () => {
    const rig = new Rig();
    rig.devices.bme280.script(H_SUSPEND, K_PENDING, 0, 3_000);
    rig.send("suspend test=platform\r");
    rig.devices.bme280.script(H_SUSPEND, K_FAIL, IO, 0);
    rig.send("suspend test=platform\r");
    const st = rig.pm.stats;
    const lines = rig.send("stats\r").split("\r\n");
    const failAt = st.failTime[st.failureSlot(0)];
    // The runtime keeps the whole attempt's time in the release slot, printed as "total".
    const d = st.stageDuration;
    const c = rig.uart.id;
    // The flight recorder, newest first (flight.test.ts checks its lines in depth).
    const fr = rig.pm.flight;
    const s2 = fr.table[fr.recent(1) + F_STAGES + S_SUSPEND];
    expect(lines).toEqual([
      "attempts 2, ok 1, rolled back 1, busy 0, wake aborts 0, timeouts 0, late 0, resume failures 0",
      "last outcome IO, last wake cause test hold at " + st.lastWakeTime + " us",
      "failures per stage: prepare 0 suspend 1 powerOffNoIrq 0 powerOnNoIrq 0 resume 0",
      "stage durations, last attempt: prepare " + d[S_PREPARE] + " suspend " + d[S_SUSPEND] + " powerOffNoIrq " + d[S_POWER_OFF] +
        " platform " + d[S_PLATFORM] + " powerOnNoIrq " + d[S_POWER_ON] + " resume " + d[S_RESUME] + " total " + d[S_RELEASE] + " us",
      "re-probes: 0 run, 0 devices recovered, 0 failed",
      "last failures, newest first:",
      "  [" + String(failAt).padStart(10) + " us] bme280 suspend IO",
      "flight recorder, last 2 of 2 attempts, newest first:",
      "  #2 [" + String(failAt).padStart(10) + " us] standby   IO      bme280 suspend, parked 0, S1 0 S2 0 S3 0 sleep 0 R1 0 R2 0 total 0 us",
      "  #1 [" + String(fr.table[fr.recent(1) + F_START]).padStart(10) + " us] standby   OK      wake test hold, parked 0, S1 0 S2 " + s2 +
        " S3 0 sleep 5000 R1 0 R2 0 total " + (s2 + 5000) + " us",
      "per-device durations, last/max us:",
      "  i2c0    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  bme280  S1 0/0 S2 0/3000 S3 0/0 R1 0/0 R2 0/0",
      "  spi2    S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  flash   S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  button  S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  led     S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0",
      "  console S1 0/0 S2 " + st.lastByStage[S_SUSPEND][c] + "/" + st.maxByStage[S_SUSPEND][c] + " S3 0/0 R1 0/0 R2 0/0",
      "irq queue: overflowed " + st.irqQueueOverflows + ", max depth " + st.irqQueueMaxDepth,
      "> ",
    ]);
    expect(st.maxByStage[S_SUSPEND][c]).toBeGreaterThan(0);
    expect(s2).toBeGreaterThanOrEqual(3000);
  });
});

describe("console stats: irq queue line", () => {
  it("prints the overflow count and the deepest the event queue has been, as the last line before the prompt", () => {
    const rig = new Rig();
    const st = rig.pm.stats;
    st.irqQueueOverflows = 3;
    st.irqQueueMaxDepth = 10;
    const lines = rig.send("stats\r").split("\r\n");
    expect(lines.slice(-3)).toEqual(["  console S1 0/0 S2 0/0 S3 0/0 R1 0/0 R2 0/0", "irq queue: overflowed 3, max depth 10", "> "]);
    st.irqQueueOverflows = 0;
    st.irqQueueMaxDepth = 12345;
    expect(rig.send("stats\r").split("\r\n").slice(-2)).toEqual(["irq queue: overflowed 0, max depth 12345", "> "]);
  });

  // Allocation: test/console/alloc.test.ts runs `stats` (this line included) 20 times inside XS and counts 0 slots.
});
