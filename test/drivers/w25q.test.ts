// W25Q driver: queued read/program/erase with BUSY polling, an erase in flight finished in S2, deep power-down, tRES1, tDP before a release.
import { describe, expect, it } from "vitest";
import { OK, BUSY, INVALID, IO, TIMEOUT, T_STANDBY, TEST_NONE, TEST_PLATFORM, D_ACTIVE, S_SUSPEND, S_POWER_OFF, S_POWER_ON } from "../../runtime/status";
import { E_HOOK_DONE, E_HOOK_PENDING } from "../../runtime/trace";
import { SLEEP_HOLD } from "../../host-sim/board/sim-sleep";
import type { W25q } from "../../drivers/w25q/w25q";
import { T_DP_US, T_RES1_US } from "../../drivers/w25q/flash";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { F_FAIL, HOOK_NAMES } from "../../host-sim/board/faults";
import { BoardWorld, BOARD_DEVICES } from "../reliability/board-world";
import { makeDevkitc } from "./cases";
import { P_IDLE } from "../../runtime/phase";

function stageEvents(b: ReturnType<typeof makeDevkitc>, device: string, stage: number): [number, number][] {
  const tr = b.sim.pm.trace;
  const id = b.sim.booted!.ids[device];
  const out: [number, number][] = [];
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i);
    if (tr.deviceAt(s) === id && tr.stageAt(s) === stage && (tr.eventAt(s) === E_HOOK_PENDING || tr.eventAt(s) === E_HOOK_DONE)) out.push([tr.eventAt(s), tr.time[s]]);
  }
  return out;
}

describe("w25q driver", () => {
  it("program, read back, erase through the queue; bad ranges refused at submit", () => {
    const b = makeDevkitc();
    const f = b.sim.driver<W25q>("flash");
    const log: string[] = [];
    f.setClient((t, s) => log.push(t + ":" + s));
    const data = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
    const back = new Uint8Array(4);
    expect(f.program(1, 0x3000, data)).toBe(OK);
    expect(f.read(2, 0x3000, back)).toBe(OK);
    b.sim.advance(10_000);
    expect(log).toEqual(["1:0", "2:0"]);
    expect(Array.from(back)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(f.eraseSector(3, 0x3004)).toBe(OK);
    expect(f.read(4, 0x3000, back)).toBe(OK);
    b.sim.advance(100_000);
    expect(Array.from(back)).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(f.program(5, 0x30fe, data)).toBe(INVALID); // crosses a page
    expect(f.program(6, f.imageAddress, data)).toBe(INVALID); // the hibernate image sectors are reserved
    expect(b.sim.violations.list).toEqual([]);
  });

  it("S2 waits for a sector erase in flight (tSE 45 ms) before the flash powers down", () => {
    const b = makeDevkitc();
    const f = b.sim.driver<W25q>("flash");
    const done: number[] = [];
    f.setClient((_t, s) => done.push(s));
    const t0 = b.sim.now();
    expect(f.eraseSector(1, 0x8000)).toBe(OK);
    b.sim.advance(1_000);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    for (let i = 0; i < 1000 && b.sim.platform.sleeping !== SLEEP_HOLD; i++) b.sim.advance(500);
    expect(done).toEqual([OK]);
    const ev = stageEvents(b, "flash", S_SUSPEND);
    expect(ev.map((e) => e[0])).toEqual([E_HOOK_PENDING, E_HOOK_DONE]);
    expect(ev[1][1] - t0).toBeGreaterThanOrEqual(45_000);
    expect(b.sim.flashes["flash"].poweredDown()).toBe(true); // S3: B9h
    b.sim.advance(1_000_000);
    expect(b.outcomes).toEqual([OK]);
    expect(b.sim.flashes["flash"].poweredDown()).toBe(false);
    expect(b.sim.violations.list).toEqual([]);
  });

  it("R1 releases power-down and waits tRES1 (3 us) before the next command", () => {
    const b = makeDevkitc();
    const f = b.sim.driver<W25q>("flash");
    const spinsBefore = f.flash.spins;
    b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
    b.sim.advance(1_000_000);
    expect(b.outcomes).toEqual([OK]);
    expect(f.flash.spins).toBe(spinsBefore + 1);
    expect(f.flash.lastSpinUs).toBeGreaterThanOrEqual(T_RES1_US);
    expect(f.flash.lastSpinUs).toBeLessThan(T_RES1_US + 1);
    expect(stageEvents(b, "flash", S_POWER_ON).map((e) => e[0])).toEqual([E_HOOK_DONE]);
    // The model checks every command against tRES1; nothing was reported.
    expect(b.sim.violations.list).toEqual([]);
    // And a queued read works right after.
    const back = new Uint8Array(2);
    f.setClient(() => {});
    expect(f.read(1, 0, back)).toBe(OK);
    expect(Array.from(back)).toEqual([0xff, 0xff]);
  });

  it("a chip stuck BUSY: the erase fails at tSE max, S3 refuses (BUSY) instead of sending B9h, rolled back", () => {
    const b = makeDevkitc();
    const f = b.sim.driver<W25q>("flash");
    const done: number[] = [];
    f.setClient((_t, s) => done.push(s));
    f.eraseSector(1, 0x9000);
    b.sim.chipFault("flash", "stall");
    b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
    b.sim.advance(2_000_000);
    expect(done).toEqual([TIMEOUT]);
    expect(b.outcomes).toEqual([BUSY]);
    const slot = b.sim.pm.stats.failureSlot(0);
    expect(b.sim.pm.graph.names[b.sim.pm.stats.failDevice[slot]]).toBe("flash");
    expect(b.sim.pm.stats.failStage[slot]).toBe(S_POWER_OFF);
    expect(b.sim.violations.list).toEqual([]);
    b.sim.chipFault("flash", "none");
    b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
    b.sim.advance(2_000_000);
    expect(b.outcomes).toEqual([BUSY, OK]);
  });

  it("a request submitted while suspended is parked and served after R2", () => {
    const b = makeDevkitc();
    const f = b.sim.driver<W25q>("flash");
    const done: string[] = [];
    f.setClient((t, s) => done.push(t + ":" + s + (b.sim.pm.phase === P_IDLE ? ":active" : ":resuming")));
    b.sim.pm.suspend(T_STANDBY, TEST_PLATFORM);
    b.sim.advance(50_000);
    expect(f.program(7, 0x5000, new Uint8Array([0x12]))).toBe(OK);
    expect(done).toEqual([]);
    b.sim.advance(1_000_000);
    expect(done.length).toBe(1);
    expect(done[0].startsWith("7:0")).toBe(true);
    expect(b.sim.flashes["flash"].memory[0x5000]).toBe(0x12);
    expect(f.queue.replayed).toBe(1);
  });
});

describe("w25q: release after power-down respects tDP", () => {
  it("powerOnNoIrq at the instant of powerOffNoIrq waits tDP, releases and identifies", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 7 });
    sim.advance(10_000);
    const f = sim.driver<W25q>("flash");
    const model = sim.flashes["flash"];
    sim.pm.irq.mask();
    const off = f.powerOffNoIrq(0);
    const downAt = sim.now();
    const on = f.powerOnNoIrq(0);
    sim.pm.irq.unmask();
    expect([off, on]).toEqual([OK, OK]);
    expect(model.poweredDown()).toBe(false);
    expect(sim.violations.list).toEqual([]);
    // The wait covered what was left of tDP (platform.now() costs 0.25 us in the simulator), never more than tDP.
    expect(f.flash.tdpWaits).toBe(1);
    expect(f.flash.lastTdpWaitUs).toBeGreaterThan(0);
    expect(f.flash.lastTdpWaitUs).toBeLessThanOrEqual(T_DP_US);
    expect(sim.now() - downAt).toBeGreaterThanOrEqual(T_DP_US);
  });

  it("a release long after the power-down does not wait", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 7 });
    sim.advance(10_000);
    const f = sim.driver<W25q>("flash");
    sim.pm.irq.mask();
    expect(f.powerOffNoIrq(0)).toBe(OK);
    sim.advance(100);
    expect(f.powerOnNoIrq(0)).toBe(OK);
    sim.pm.irq.unmask();
    expect(f.flash.tdpWaits).toBe(0);
    expect(sim.violations.list).toEqual([]);
  });

  it("board rollback on a fast CPU (now() 0.05 us): vspi fails S3 right after the flash's B9h; flash ends active, no violation", () => {
    // Dispatch charged at 0: the scenario needs the rollback to reach the flash within tDP (3 us), which the
    // ESP32 dispatch cost (~130 us per NoIrq hook at 4 XS units/us, dispatch-cost.ts) rules out on hardware.
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 1318840880, nowCostUs: 0.05, xsUnitsPerUs: 0 });
    sim.advance(10_000);
    const outcomes: number[] = [];
    sim.onDone((s) => outcomes.push(s));
    sim.faults.set("vspi", "powerOffNoIrq", F_FAIL, IO);
    expect(sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    sim.advance(1_000_000);
    const pm = sim.pm;
    expect(outcomes).toEqual([IO]);
    expect(pm.deviceState(pm.graph.indexOf("flash"))).toBe(D_ACTIVE);
    expect(sim.violations.list).toEqual([]);
    expect(sim.driver<W25q>("flash").flash.tdpWaits).toBe(1);
  });

  it("regression on the property's DevKitC (console wired in): an S3 failure after the flash's leaves it active, no violation", () => {
    for (const dev of ["vspi", "i2c0", "telemetry", "console"]) {
      const w = new BoardWorld({
        seed: 1318840880, hookFaults: [{ device: BOARD_DEVICES.indexOf(dev as typeof BOARD_DEVICES[number]), hook: HOOK_NAMES.indexOf("powerOffNoIrq"), mode: F_FAIL, lateUs: 0 }],
        chipFaults: [], wakes: [], requests: [], suspends: [{ at: 1000, test: TEST_NONE }], timerWakeUs: 5000,
      });
      w.run();
      expect([dev, w.obs.outcomes]).toEqual([dev, [IO]]);
      expect(w.sim.pm.deviceState(w.sim.pm.graph.indexOf("flash"))).toBe(D_ACTIVE);
      expect(w.sim.violations.list).toEqual([]);
    }
  });
});
