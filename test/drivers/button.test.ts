// BOOT button: bounce starts one suspend, a press mid-suspend aborts it (WAKEUP), a press while asleep wakes the board.
import { describe, expect, it } from "vitest";
import { OK, WAKEUP, T_STANDBY, TEST_NONE, STATUS_NAMES } from "../../runtime/status";
import { P_IDLE } from "../../runtime/phase";
import { SLEEP_LIGHT } from "../../host-sim/board/sim-sleep";
import type { Button } from "../../drivers/button/button";
import type { Bme280 } from "../../drivers/bme280/bme280";
import type { W25q } from "../../drivers/w25q/w25q";
import { makeDevkitc } from "./cases";

describe("button driver", () => {
  it("a bouncing short press starts exactly one suspend; the board sleeps until the next press", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const b = makeDevkitc(seed);
      const button = b.sim.driver<Button>("button");
      b.sim.press();
      b.sim.advance(80_000);
      b.sim.release();
      b.sim.advance(200_000);
      expect(button.edges).toBeGreaterThan(2); // bounce reached the driver as several interrupts
      expect(button.presses).toBe(1);
      expect(button.suspendsStarted).toBe(1);
      expect(b.sim.pm.stats.attempts).toBe(1);
      expect(b.sim.pm.stats.busyRefusals).toBe(0);
      expect(b.sim.platform.sleeping).toBe(SLEEP_LIGHT);
      // The wake press: sleep ends with the button's line as cause; its release is not a new command.
      b.sim.press();
      b.sim.advance(80_000);
      b.sim.release();
      b.sim.advance(200_000);
      expect(b.outcomes).toEqual([OK]);
      expect(b.sim.pm.stats.lastWakeCause).toBe(0);
      expect(b.sim.pm.stats.attempts).toBe(1);
      expect(b.sim.pm.phase).toBe(P_IDLE);
      expect(b.sim.violations.list).toEqual([]);
      // And the button still works as a command afterwards.
      b.sim.press();
      b.sim.advance(80_000);
      b.sim.release();
      b.sim.advance(200_000);
      expect(b.sim.pm.stats.attempts).toBe(2);
      expect(b.sim.platform.sleeping).toBe(SLEEP_LIGHT);
    }
  });

  it("a long press (over longPressUs) starts nothing", () => {
    const b = makeDevkitc();
    b.sim.press();
    b.sim.advance(1_500_000);
    b.sim.release();
    b.sim.advance(200_000);
    expect(b.sim.driver<Button>("button").presses).toBe(1);
    expect(b.sim.pm.stats.attempts).toBe(0);
  });

  it("a press during a suspend aborts it as a wake event (WAKEUP), rolled back to active", () => {
    const b = makeDevkitc();
    const bme = b.sim.driver<Bme280>("bme280");
    bme.setClient(null, null, () => {});
    const flash = b.sim.driver<W25q>("flash");
    const done: number[] = [];
    flash.setClient((_t, s) => done.push(s));
    bme.sample(1);
    expect(flash.eraseSector(2, 0x2000)).toBe(OK); // 45 ms of BUSY: S2 waits for it
    // The wake event is scheduled at a chosen virtual time: 5 ms into the suspend (S2 is waiting on the erase).
    b.sim.pressAt(b.sim.now() + 5_000, 100_000);
    expect(b.sim.pm.suspend(T_STANDBY, TEST_NONE)).toBe(OK);
    b.sim.advance(400_000);
    expect(b.outcomes.map((s) => STATUS_NAMES[s])).toEqual(["WAKEUP"]);
    expect(b.outcomes).toEqual([WAKEUP]);
    expect(b.sim.pm.stats.wakeAborts).toBe(1);
    expect(b.sim.pm.stats.lastWakeCause).toBe(0);
    expect(b.sim.platform.sleeps).toBe(0);
    expect(done).toEqual([OK]); // the erase in flight still finished
    // The aborting press's release started no new suspend.
    expect(b.sim.pm.stats.attempts).toBe(1);
    const g = b.sim.pm.graph;
    for (let d = 0; d < g.count; d++) expect(b.sim.pm.deviceState(d)).toBe(0);
    expect(b.sim.violations.list).toEqual([]);
  });
});
