// End to end on the simulated ESP32-DevKitC: the governor sleeps by itself between periodic timer events, wakes before each, and loses no request.
import { describe, expect, it } from "vitest";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SIM_ESP32_DEVKITC } from "../../host-sim/boards/esp32-devkitc";
import { SLEEP_NONE } from "../../host-sim/board/sim-sleep";
import { OK, T_STANDBY, T_HIBERNATE, WAKE_TIMER } from "../../runtime/status";
import { P_IDLE } from "../../runtime/phase";
import { R_SLEEP, R_LOCK, REASON_NAMES } from "../../runtime/policy";
import type { Telemetry } from "../../drivers/telemetry/telemetry";

const PERIOD_US = 1_000_000;
const BUSY_US = 10_000;
const RECORD = new Uint8Array([0x51, 0x55, 0x49, 0x45, 0x53, 0x43, 0x45, 0x21]);

/**
 * The weather-station shape at 1 s (below hibernate's 3.1 s break-even, so standby): a platform timer
 * every second takes the application's lock for a 10 ms "measurement", then sends a telemetry frame
 * and releases it. Independently, "sensor interrupts" on the simulator's own clock (not a firmware
 * timer: the governor cannot see them coming) send a frame at awkward moments: while suspending,
 * asleep, resuming. Every frame must reach the wire.
 */
function run(periods: number) {
  const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 7 });
  sim.settle(1_000_000);
  const pm = sim.pm;
  const tel = sim.driver<Telemetry>("telemetry");
  let sent = 0;
  const refused: number[] = [];
  tel.setClient((_token, status) => { if (status === OK) sent++; else refused.push(status); });
  const app = pm.locks.create("app-busy");
  const late: number[] = [];
  let submitted = 0;
  let next = sim.now() + PERIOD_US;
  const platform = sim.platform;
  const measure = platform.createTimer(() => {
    // Woken on time: the runtime is idle and the SoC awake when the deadline comes.
    if (pm.phase !== P_IDLE || platform.sleeping !== SLEEP_NONE) late.push(sim.now());
    pm.locks.acquire(app);
    platform.schedule(done, BUSY_US);
  });
  const done = platform.createTimer(() => {
    const s = tel.send(submitted++, RECORD, RECORD.length);
    if (s !== OK) refused.push(s);
    pm.locks.release(app);
    next += PERIOD_US;
    platform.schedule(measure, next - sim.now());
  });
  platform.schedule(measure, next - sim.now());
  // Interrupt-driven sends at a stride that walks through every phase of the cycle.
  const irq = sim.time.createTimer(() => {
    const s = tel.send(submitted++, RECORD, RECORD.length);
    if (s !== OK) refused.push(s);
    sim.time.schedule(irq, 2_345_679);
  });
  sim.time.schedule(irq, 1_234_567);
  // Time the SoC spends asleep (the energy meter's SoC-mode hook, chained).
  const prev = platform.onSleepChange;
  let asleepUs = 0;
  let since = -1;
  platform.onSleepChange = (mode: number): void => {
    if (prev !== null) prev(mode);
    if (mode !== SLEEP_NONE && since < 0) since = sim.now();
    else if (mode === SLEEP_NONE && since >= 0) {
      asleepUs += sim.now() - since;
      since = -1;
    }
  };
  pm.governor.enable(true);
  const start = sim.now();
  sim.energy.reset();
  sim.advance(periods * PERIOD_US);
  const elapsed = sim.now() - start;
  const asleep = (asleepUs + (since >= 0 ? sim.now() - since : 0)) / elapsed;
  const averageUa = sim.energy.averageUa();
  sim.settle(1_000_000);
  return { sim, pm, sent, refused, late, submitted, asleep, averageUa };
}

describe("the idle governor on the simulated DevKitC", () => {
  it("sleeps by itself between 1 s timer events, wakes before each, every frame on the wire", () => {
    const { sim, pm, sent, refused, late, submitted, asleep, averageUa } = run(20);
    const g = pm.governor;
    expect(late).toEqual([]);
    expect(refused).toEqual([]);
    expect(sent).toBe(submitted);
    expect(sim.uartPeers[2].count).toBe(submitted * (RECORD.length + 2));
    expect(submitted).toBeGreaterThanOrEqual(20 + 8);
    // One standby per period (and one for the leftover after an interrupt's send woke it); no hibernate at 1 s.
    expect(g.sleeps[T_STANDBY]).toBeGreaterThanOrEqual(20);
    expect(g.sleeps[T_HIBERNATE]).toBe(0);
    expect(pm.stats.successes).toBe(pm.stats.attempts);
    expect(pm.stats.lastWakeCause).toBe(WAKE_TIMER);
    // Every decision is a sleep or the application's lock: never a short idle or a refusal.
    for (let r = 0; r < g.reasons.length; r++) if (r !== R_SLEEP && r !== R_LOCK) expect([REASON_NAMES[r], g.reasons[r]]).toEqual([REASON_NAMES[r], 0]);
    // Asleep 97 % of the time: awake only for the 10 ms measurement, the quiet time before deciding
    // (minIdleUs, 10 ms) and the wake margin. The average current follows (light sleep is 0.8 mA).
    expect(asleep).toBeGreaterThan(0.97);
    expect(averageUa).toBeLessThan(3_500);
    expect(sim.violations.list).toEqual([]);
  });

  it("the console stays quiet for automatic sleeps and `policy` shows each decision and why", () => {
    const { sim } = run(3);
    const term = sim.terminal("console");
    const before = term.takeAll();
    expect(before).not.toContain("suspend begins");
    expect(before).not.toContain("suspend ok");
    sim.pm.governor.enable(false);
    term.type("policy\r");
    sim.advance(300_000);
    term.type("locks\r");
    sim.advance(300_000);
    const out = term.takeAll();
    expect(out).toContain("policy: governor off (pm.governor.enabled; policy on), min idle 10 ms, wake margin 1 ms, latency constraint none");
    expect(out).toContain("states: standby entry 200 us exit 536 us break-even 5 ms; devices add 0 us");
    expect(out).toMatch(/decisions: \d+, standby \d+, hibernate 0; newest first:/);
    expect(out).toMatch(/\] idle 9\d\d(\.\d)? ms to next timer: standby, break-even 5 ms/);
    // The telemetry driver held its lock while each frame was on the wire (drivers/telemetry).
    expect(out).toMatch(/locks: 0 held of \d+, releases of a free lock 0\r?\n  telemetry free \(\d+ acquires\)\r?\n  app-busy free \(\d+ acquires\)/);
    term.type("policy sometimes\r");
    sim.advance(300_000);
    term.type("policy on\r");
    sim.advance(300_000);
    const sw = term.takeAll();
    expect(sw).toContain("unknown argument 'sometimes' for policy: use on or off, or nothing to show the policy (type help)");
    expect(sw).toContain("policy: governor on");
    expect(sim.pm.governor.enabled).toBe(true);
  });

  it("someone typing holds the console's lock: after the waking line the next ones are answered; 30 s after the last key it sleeps again", () => {
    const sim = new SimBoard(SIM_ESP32_DEVKITC, { seed: 7 });
    const term = sim.terminal();
    sim.advance(50_000);
    term.type("policy on\r");
    sim.advance(300_000);
    expect(sim.platform.sleeping).not.toBe(SLEEP_NONE);
    // The first line wakes the chip and loses its first byte (ESP32 UART wake): discarded, as always.
    term.type("status\r");
    sim.advance(100_000);
    expect(term.takeAll()).toContain("discarded 'tatus', type the command again");
    // From then on the console holds its lock: the governor stays awake and every line is answered.
    for (const line of ["locks", "status"]) {
      sim.advance(5_000_000);
      expect(sim.platform.sleeping).toBe(SLEEP_NONE);
      term.type(line + "\r");
      sim.advance(200_000);
    }
    const out = term.takeAll();
    expect(out).toMatch(/locks: 1 held of \d+, releases of a free lock 0\r\n {2}console held 1 for \d+ us/);
    expect(out).toContain("phase idle, 8 devices");
    expect(sim.pm.governor.reasons[R_LOCK]).toBeGreaterThan(0);
    // 30 s after the last key the lock is released and the governor sleeps again.
    sim.advance(29_000_000);
    expect(sim.platform.sleeping).toBe(SLEEP_NONE);
    sim.advance(2_000_000);
    expect([sim.pm.locks.held, sim.platform.sleeping !== SLEEP_NONE]).toEqual([0, true]);
  });
});
