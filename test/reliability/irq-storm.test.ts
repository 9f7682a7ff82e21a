// Interrupt storms on the DevKitC: 10,000 button edges and UART bytes during suspend/resume, and the event-queue overflow model.
import { describe, expect, it } from "vitest";
import { checkBoard } from "./board-explore";
import type { BoardSpec, Wake } from "./board-world";
import { BoardWorld } from "./board-world";
import { OK, T_STANDBY, TEST_NONE, TEST_PLATFORM, D_ACTIVE } from "../../runtime/status";
import { SLEEP_LIGHT } from "../../host-sim/board/sim-sleep";
import type { Button } from "../../drivers/button/button";
import { P_IDLE } from "../../runtime/phase";

/** xorshift32, so the storm is the same on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/**
 * Wake events land densely over the run (one every ~120 us on average), while suspends are triggered
 * every few ms: most events hit a transition (S1/S2 aborts, masked S3/R1, sleep, R2).
 */
function stormSpec(events: number, seed: number): BoardSpec {
  const r = rng(seed);
  const wakes: Wake[] = [];
  let t = 0;
  for (let i = 0; i < events; i++) {
    t += 20 + (r() % 200);
    // 'x' and '#' never end a console line: the bytes are a wake and RX load, not commands.
    wakes.push({ at: t, kind: r() % 3 === 0 ? "button" : "uart", holdUs: 500 + (r() % 30_000), byte: r() % 2 === 0 ? 0x78 : 0x23 });
  }
  const suspends = [];
  for (let s = 0; s < t; s += 2_000 + (r() % 6_000)) suspends.push({ at: s, test: r() % 4 === 0 ? TEST_PLATFORM : TEST_NONE });
  return { seed, hookFaults: [], chipFaults: [], wakes, requests: [], suspends, timerWakeUs: 3_000 };
}

/** Counts failed event-queue posts per line, and when GPIO0 (the BOOT button) lost one. */
function watchPosts(w: BoardWorld): void {
  const q = w.sim.io.queue;
  const post = q.post.bind(q);
  const f = { total: 0, byLine: new Map<number, number>(), firstButtonLoss: -1, buttonEdgesAtLoss: 0 };
  (w as BoardWorld & { postFailures: typeof f }).postFailures = f;
  q.post = (line: number): boolean => {
    const ok = post(line);
    if (!ok) {
      f.total++;
      f.byLine.set(line, (f.byLine.get(line) ?? 0) + 1);
      if (line === 0 && f.firstButtonLoss < 0) {
        f.firstButtonLoss = w.sim.now();
        f.buttonEdgesAtLoss = w.sim.driver<Button>("button").edges;
      }
    }
    return ok;
  };
}

describe("interrupt storms", () => {
  it("10,000 button edges and UART bytes during transitions: each latch delivered once, overflows counted per the queue model, all active", () => {
    const spec = stormSpec(11_000, 7);
    const w = checkBoard(spec, watchPosts) as BoardWorld & { postFailures: { total: number; byLine: Map<number, number>; firstButtonLoss: number; buttonEdgesAtLoss: number } }; // every board invariant: latching, wakes, requests, contexts, devices active
    const sim = w.sim;
    const pm = sim.pm;
    const o = w.obs;
    const edges = sim.buttons["button"].edgeCount();
    console.log("storm: " + edges + " button edges (" + o.buttonPresses + " presses), " + o.uartBytes + " UART bytes, " +
      o.uartWakes + " UART wakes from sleep, " + pm.stats.attempts + " attempts (" + pm.stats.successes + " ok, " +
      pm.stats.wakeAborts + " wake aborts, " + pm.stats.busyRefusals + " busy), latched " + pm.irq.latchedCount[0] + "/" +
      pm.irq.latchedCount[40] + " (button/uart0), queue max depth " + sim.io.queue.maxDepth);
    expect(edges + o.uartBytes + o.uartWakes).toBeGreaterThanOrEqual(10_000);
    expect(pm.stats.attempts).toBeGreaterThan(5);
    expect(pm.stats.wakeAborts).toBeGreaterThan(3);
    expect(pm.stats.busyRefusals).toBeGreaterThan(100);
    // The queue model: every failed post counted; a GPIO whose post failed goes quiet for good.
    const q = sim.io.queue;
    expect(w.postFailures.total).toBe(q.overflows);
    expect(q.posted).toBe(q.delivered + q.depth);
    const buttonEdges = sim.driver<Button>("button").edges;
    if (w.postFailures.firstButtonLoss >= 0) expect(buttonEdges).toBe(w.postFailures.buttonEdgesAtLoss);
    console.log("storm: event queue overflows " + q.overflows + " (by line " + JSON.stringify([...w.postFailures.byLine]) +
      "); button driver edges " + buttonEdges + (w.postFailures.firstButtonLoss >= 0 ? ", GPIO0 went quiet at " + w.postFailures.firstButtonLoss + " us" : ""));
    for (let d = 0; d < pm.graph.count; d++) expect(pm.deviceState(d)).toBe(D_ACTIVE);
  });

  it("a full event queue stops the pins whose posts failed, counts each loss, and the runtime still ends active", () => {
    const w = new BoardWorld({ seed: 3, hookFaults: [], chipFaults: [], wakes: [], requests: [], suspends: [], timerWakeUs: 20_000 });
    const sim = w.sim;
    const pm = sim.pm;
    sim.advance(10_000);
    sim.setTimerWake(20_000);
    // Twelve more edge-interrupt inputs on free DevKitC GPIOs: with GPIO0 and the UARTs, more sources than queue entries.
    // GPIO6-11 carry the module's own SPI flash on a WROOM-32; 34-39 are input-only (no pulls: plain Input).
    const pins = [4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35].filter((p) => sim.io.pinOwner(p) === "nothing");
    while (pins.length < 12) throw new Error("storm: DevKitC has fewer than 12 free GPIOs for the overflow test");
    const Digital = sim.device.io.Digital as unknown as {
      new (o: object): { read(): number }; Input: number; Rising: number; Falling: number;
    };
    const readable = new Uint32Array(64);
    for (const pin of pins) {
      new Digital({ pin, mode: Digital.Input, edge: Digital.Rising | Digital.Falling, onReadable() { readable[pin]++; } });
    }
    sim.settle();
    // Asleep (IRQs masked): all twelve pins rise in the same instant, before the event loop turns.
    expect(pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    // The console's S2 drains its progress lines first (tens of ms at 115200 baud).
    for (let i = 0; i < 1000 && sim.platform.sleeping !== SLEEP_LIGHT; i++) sim.advance(1_000);
    expect(sim.platform.sleeping).toBe(SLEEP_LIGHT);
    const q = sim.io.queue;
    const overflowsBefore = q.overflows;
    for (const pin of pins) sim.io.driveInput(pin, 1);
    const lost = q.overflows - overflowsBefore;
    expect(lost).toBe(pins.length - q.capacity);
    sim.advance(50_000); // timer wake, R1, unmask: the latched lines are delivered
    expect(pm.phase).toBe(P_IDLE);
    const delivered = pins.filter((p) => readable[p] === 1);
    const quiet = pins.filter((p) => readable[p] === 0);
    expect(delivered).toEqual(pins.slice(0, q.capacity));
    expect(quiet).toEqual(pins.slice(q.capacity));
    // The model's hazard: a pin whose post failed keeps its pending mask and never posts again.
    for (const pin of pins) sim.io.driveInput(pin, 0);
    sim.advance(10_000);
    for (const pin of pins) sim.io.driveInput(pin, 1);
    sim.advance(10_000);
    for (const p of quiet) expect(readable[p]).toBe(0);
    for (const p of delivered) expect(readable[p]).toBe(3);
    // Each line latched once while asleep and delivered exactly once at unmask.
    for (const p of delivered) expect(pm.irq.deliveredCount[p]).toBe(3);
    expect(q.overflows).toBe(lost);
    expect(q.posted).toBe(q.delivered + q.depth);
    // The loss is reported in the runtime's stats (and so in the console's `stats`), not only in the simulator.
    expect(pm.stats.irqQueueOverflows).toBe(lost);
    expect(pm.stats.irqQueueMaxDepth).toBe(q.capacity);
    for (let d = 0; d < pm.graph.count; d++) expect(pm.deviceState(d)).toBe(D_ACTIVE);
  });
});
