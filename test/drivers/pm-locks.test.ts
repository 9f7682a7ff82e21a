// Drivers hold their PM lock while a transfer is in flight: the idle governor waits for the telemetry frame to leave the wire and for the BME280's conversion (virtual clock).
import { describe, expect, it } from "vitest";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { OK } from "../../runtime/status";
import { P_IDLE } from "../../runtime/phase";
import { E_GOVERNOR, E_SUSPEND_BEGIN } from "../../runtime/trace";
import { R_LOCK } from "../../runtime/policy";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import type { Bme280 } from "../../drivers/bme280/bme280";

const RECORD = new Uint8Array([0x51, 0x55, 0x49, 0x45, 0x53, 0x43, 0x45, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

function board(): SimBoard {
  const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 5 });
  sim.settle(1_000_000);
  return sim;
}

/** Steps the virtual clock 50 µs at a time until the runtime leaves idle (the governor's suspend began); that time. */
function untilSuspend(sim: SimBoard, each: () => void, maxUs = 200_000): number {
  for (let t = 0; t < maxUs && sim.pm.phase === P_IDLE; t += 50) {
    each();
    sim.advance(50);
  }
  expect(sim.pm.phase).not.toBe(P_IDLE);
  return sim.now();
}

/** The governor's decisions since trace record `from`: time and reason (R_*). */
function decisions(sim: SimBoard, from: number): { time: number; reason: number }[] {
  const tr = sim.pm.trace;
  const out: { time: number; reason: number }[] = [];
  for (let i = Math.max(0, tr.length - (tr.total - from)); i < tr.length; i++) {
    const s = tr.slot(i);
    if (tr.eventAt(s) === E_GOVERNOR) out.push({ time: tr.time[s], reason: tr.statusAt(s) >> 3 });
  }
  return out;
}

function suspendBegin(sim: SimBoard, from: number): number {
  const tr = sim.pm.trace;
  for (let i = Math.max(0, tr.length - (tr.total - from)); i < tr.length; i++) if (tr.eventAt(tr.slot(i)) === E_SUSPEND_BEGIN) return tr.time[tr.slot(i)];
  return -1;
}

describe("driver PM locks and the idle governor", () => {
  it("telemetry: the lock is held from the frame's submit until its last byte left the wire; the governor's suspend starts after", () => {
    const sim = board();
    const tel = sim.driver<Telemetry>("telemetry");
    const peer = sim.uartPeers[2];
    const locks = sim.pm.locks;
    const lock = locks.names.indexOf("telemetry");
    let sent = 0;
    tel.setClient((_t, s) => { if (s === OK) sent++; });
    const base = peer.count;
    const from = sim.pm.trace.total;
    // On, the governor decides after minIdleUs (10 ms) of quiet: the frame goes out 1 ms before, so it is mid-wire then.
    sim.pm.governor.enable(true);
    sim.advance(sim.pm.governor.minIdleUs - 1_000);
    expect(tel.send(1, RECORD, RECORD.length)).toBe(OK);
    // Served at once (the record is in a block, the caller's buffer free), yet the frame is only starting out.
    expect([sent, locks.count[lock], locks.firstHeld()]).toEqual([1, 1, lock]);
    let onWire = -1;
    const at = untilSuspend(sim, () => { if (onWire < 0 && peer.count - base === RECORD.length + 2) onWire = sim.now(); });
    expect(onWire).toBeGreaterThan(0);
    // 21 bytes at 115200 baud, 86.8 µs each: the last one is out about 1.8 ms after the submit.
    const began = suspendBegin(sim, from);
    expect(began).toBeGreaterThanOrEqual(onWire - 100);
    expect(at).toBeGreaterThan(began);
    expect(locks.count[lock]).toBe(0);
    // The governor was asked meanwhile and named the lock; the sleep came after its release.
    const d = decisions(sim, from);
    expect(d[0].reason).toBe(R_LOCK);
    expect(d[d.length - 1].reason).not.toBe(R_LOCK);
    expect(sim.violations.list).toEqual([]);
  });

  it("bme280: the lock is held through a forced conversion (t_measure,max); the governor suspends only after the sample is read", () => {
    const sim = board();
    const bme = sim.driver<Bme280>("bme280");
    const locks = sim.pm.locks;
    const lock = locks.names.indexOf("bme280");
    const out = new Int32Array(3);
    let sampledAt = -1;
    bme.setClient(out, null, (_t, s) => { if (s === OK) sampledAt = sim.now(); });
    const from = sim.pm.trace.total;
    // The conversion (9.3 ms) starts 1 ms before the governor's first look.
    sim.pm.governor.enable(true);
    sim.advance(sim.pm.governor.minIdleUs - 1_000);
    const t0 = sim.now();
    expect(bme.sample(1)).toBe(OK);
    expect(locks.count[lock]).toBe(1);
    untilSuspend(sim, () => undefined);
    expect(sampledAt - t0).toBeGreaterThanOrEqual(bme.measureUs);
    expect(suspendBegin(sim, from)).toBeGreaterThanOrEqual(sampledAt);
    expect(locks.count[lock]).toBe(0);
    expect(decisions(sim, from)[0].reason).toBe(R_LOCK);
    expect(sim.violations.list).toEqual([]);
  });

  it("an explicit suspend ignores the locks: S2 still waits for the frame on the wire, and the lock ends with it", () => {
    const sim = board();
    const tel = sim.driver<Telemetry>("telemetry");
    const lock = sim.pm.locks.names.indexOf("telemetry");
    tel.setClient(() => undefined);
    expect(tel.send(1, RECORD, RECORD.length)).toBe(OK);
    expect(sim.pm.suspend(1, 0)).toBe(OK);
    sim.advance(5_000);
    expect(sim.pm.locks.count[lock]).toBe(0);
    expect(sim.pm.locks.badReleases).toBe(0);
    sim.press();
    sim.advance(1_000_000);
    expect(sim.violations.list).toEqual([]);
  });
});
