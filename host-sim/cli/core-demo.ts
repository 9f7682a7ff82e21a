// Scripted suspend/resume of the runtime core over fake devices, printing each stage as the trace records it.
import {
  PowerManager, OK, PENDING, IO, ROLE_STORAGE, ROLE_WAKE, T_STANDBY, TEST_NONE, STAGE_NAMES, STATUS_NAMES,
  TraceEvents, type Platform, type PmHooks,
} from "../../runtime";

/** A platform on a plain virtual clock: enough to show the protocol without the simulated board. */
class DemoPlatform implements Platform {
  t = 0;
  private due: number[] = [];
  private cbs: (() => void)[] = [];
  now(): number { return this.t; }
  createTimer(cb: () => void): number { this.cbs.push(cb); this.due.push(-1); return this.cbs.length - 1; }
  schedule(h: number, us: number): void { this.due[h] = this.t + us; }
  cancel(h: number): void { this.due[h] = -1; }
  maskInterrupts(): void {}
  unmaskInterrupts(): void {}
  enterSingleCpu(): void {}
  leaveSingleCpu(): void {}
  sleep(): number { this.t += 2_000_000; return 0; }
  setWakeCallback(): void {}
  run(): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.due.length; i++) if (this.due[i] >= 0 && (best < 0 || this.due[i] < this.due[best])) best = i;
      if (best < 0) return;
      this.t = this.due[best];
      this.due[best] = -1;
      this.cbs[best]();
    }
  }
}

const platform = new DemoPlatform();
const pm = new PowerManager({
  board: "host-sim/cli/core-demo", maxDevices: 8, stateArenaBytes: 64, blockCount: 4, blockSize: 32, irqLines: 4,
  traceRecords: 256, defaultBudgetUs: 20_000, testHoldUs: 1_000, failureHistory: 4,
}, platform);

/** A fake driver whose suspend and resume take `us` of virtual time (PENDING), the rest synchronous. */
function fake(name: string, us: number, failIn = ""): PmHooks {
  const later = (token: number, status: number) => {
    const h = platform.createTimer(() => pm.complete(token, status));
    platform.schedule(h, us);
    return PENDING;
  };
  const step = (hook: string, token: number, async: boolean) =>
    hook === failIn ? IO : async && us > 0 ? later(token, OK) : OK;
  return {
    prepare: (t) => step("prepare", t, false),
    suspend: (t) => step("suspend", t, true),
    powerOffNoIrq: (t) => step("powerOffNoIrq", t, false),
    powerOnNoIrq: (t) => step("powerOnNoIrq", t, false),
    resume: (t) => step("resume", t, true),
  };
}

const failDevice = process.argv[2] === "--fail" ? "bme280" : "";
pm.register({ name: "i2c0", hooks: fake("i2c0", 0) });
pm.register({ name: "spi0", hooks: fake("spi0", 0) });
pm.register({ name: "bme280", parent: "i2c0", stateBytes: 8, hooks: fake("bme280", 9_300, failDevice ? "powerOffNoIrq" : "") });
pm.register({ name: "flash", parent: "spi0", roles: ROLE_STORAGE, hooks: fake("flash", 450) });
pm.register({ name: "led", stateBytes: 1, hooks: fake("led", 0) });
pm.register({ name: "button", roles: ROLE_WAKE, wakeLine: 0, hooks: fake("button", 0) });
pm.seal();

const E = TraceEvents;
pm.trace.setListener((slot) => {
  const tr = pm.trace;
  const ev = tr.eventAt(slot);
  const dev = tr.deviceAt(slot) >= 0 ? pm.graph.names[tr.deviceAt(slot)] : "";
  const stage = tr.stageAt(slot) >= 0 ? STAGE_NAMES[tr.stageAt(slot)] : "";
  const time = String(tr.time[slot]).padStart(9) + " us  ";
  if (ev === E.E_STAGE_BEGIN) console.log(time + "== " + stage);
  else if (ev === E.E_HOOK_DONE || ev === E.E_HOOK_PENDING || ev === E.E_HOOK_FAIL || ev === E.E_RESUME_FAIL)
    console.log(time + "   " + stage.padEnd(14) + dev.padEnd(8) + E.EVENT_NAMES[ev] + (ev === E.E_HOOK_FAIL ? " " + STATUS_NAMES[tr.statusAt(slot)] : ""));
  else if (ev === E.E_ROLLBACK) console.log(time + "!! rollback: " + dev + " failed in " + stage + " with " + STATUS_NAMES[tr.statusAt(slot)]);
  else if (ev === E.E_SLEEP_ENTER || ev === E.E_SLEEP_EXIT || ev === E.E_MASK || ev === E.E_UNMASK) console.log(time + "-- " + E.EVENT_NAMES[ev]);
});
pm.setDoneCallback((status) => console.log("suspend " + (status === OK ? "ok" : "failed: " + STATUS_NAMES[status]) +
  " after " + platform.t + " us virtual; successes " + pm.stats.successes + ", failures " + pm.stats.failures));
console.log("quiesce core demo: suspend standby over " + pm.graph.count + " fake devices" + (failDevice ? " (bme280 fails S3)" : ""));
pm.suspend(T_STANDBY, TEST_NONE);
platform.run();
