// Telemetry driver: frames in BlockPool blocks; with the pool exhausted requests wait at the head, none lost; S2 drains TX.
import { describe, expect, it } from "vitest";
import { OK, T_STANDBY, TEST_PLATFORM, S_SUSPEND } from "../../runtime/status";
import { E_HOOK_DONE } from "../../runtime/trace";
import { F_LATE } from "../../host-sim/board/faults";
import type { Telemetry } from "../../drivers/telemetry/telemetry";
import { makeDevkitc } from "./cases";

/** Splits what UART2's far end received into frames, checking each XOR. */
function frames(bytes: Uint8Array, count: number): number[][] {
  const out: number[][] = [];
  let i = 0;
  while (i < count) {
    const len = bytes[i];
    const payload = Array.from(bytes.subarray(i + 1, i + 1 + len));
    let x = 0;
    for (const v of payload) x ^= v;
    expect(bytes[i + 1 + len]).toBe(x);
    out.push(payload);
    i += len + 2;
  }
  return out;
}

function record(n: number, len: number): Uint8Array {
  const r = new Uint8Array(len);
  for (let i = 0; i < len; i++) r[i] = (n * 31 + i) & 0xff;
  return r;
}

describe("telemetry driver", () => {
  it("sends framed records in order", () => {
    const b = makeDevkitc();
    const t = b.sim.driver<Telemetry>("telemetry");
    const sent: number[] = [];
    t.setClient((token, s) => { expect(s).toBe(OK); sent.push(token); });
    const recs = [record(1, 10), record(2, 20), record(3, 5)];
    recs.forEach((r, i) => expect(t.send(i, r, r.length)).toBe(OK));
    b.sim.advance(100_000);
    expect(sent).toEqual([0, 1, 2]);
    const peer = b.sim.uartPeers[2];
    expect(frames(peer.bytes, peer.count)).toEqual(recs.map((r) => Array.from(r)));
    expect(b.sim.pm.blocks.inUse).toBe(0);
  });

  it("pool exhausted while a suspend runs: requests wait at the head, nothing is lost, S2 drains TX, R2 replays in order", () => {
    const b = makeDevkitc();
    const pm = b.sim.pm;
    const t = b.sim.driver<Telemetry>("telemetry");
    const order: number[] = [];
    t.setClient((token, s) => { expect(s).toBe(OK); order.push(token); });
    // Another device holds most of the pool: 8 blocks, 5 taken, 3 free; telemetry reserves 2 in S1.
    const ledId = b.sim.booted!.ids["led"];
    const taken: number[] = [];
    for (let i = 0; i < 5; i++) taken.push(pm.blocks.acquire(ledId));
    // Keep S1 open for 30 ms (the LED's prepare completes late) so the burst arrives with queues open.
    b.sim.faults.set("led", "prepare", F_LATE, OK, 30_000);
    expect(pm.suspend(T_STANDBY, TEST_PLATFORM)).toBe(OK);
    const recs: Uint8Array[] = [];
    for (let i = 0; i < 12; i++) {
      recs.push(record(i, 60));
      expect(t.send(i, recs[i], 60)).toBe(OK);
    }
    b.sim.advance(5_000);
    expect(t.waits).toBeGreaterThan(0); // the head found no block and waited
    expect(t.maxBlocksHeld).toBeLessThanOrEqual(3);
    b.sim.advance(27_000); // S1 is over: S2 gated the queue with requests still waiting for blocks
    expect(t.queue.gated).toBe(true);
    expect(t.queue.length).toBeGreaterThan(0);
    expect(order.length).toBeLessThan(12);
    b.sim.advance(2_000_000);
    expect(b.outcomes).toEqual([OK]);
    // S2 completed only when the ring was empty and the FIFO had time to drain.
    const tr = pm.trace;
    let s2done = -1;
    for (let i = 0; i < tr.length; i++) {
      const s = tr.slot(i);
      if (tr.deviceAt(s) === b.sim.booted!.ids["telemetry"] && tr.stageAt(s) === S_SUSPEND && tr.eventAt(s) === E_HOOK_DONE) s2done = tr.time[s];
    }
    expect(s2done).toBeGreaterThan(0);
    for (const blk of taken) pm.blocks.release(blk);
    b.sim.advance(2_000_000);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const peer = b.sim.uartPeers[2];
    expect(frames(peer.bytes, peer.count)).toEqual(recs.map((r) => Array.from(r)));
    expect(t.queue.submitted).toBe(12);
    expect(t.queue.completed).toBe(12);
    expect(t.queue.refused).toBe(0);
    expect(pm.blocks.inUse).toBe(0);
    expect(b.sim.violations.list).toEqual([]);
  });
});
