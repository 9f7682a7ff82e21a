// Runtime PM of the DevKitC's W25Q (the storage device) around hibernate, and the console's rpm reply for odd states.
import { describe, expect, it } from "vitest";
import { OK, T_HIBERNATE, TEST_NONE, RPM_SUSPENDED, D_FAILED, D_ACTIVE } from "../../runtime/status";
import { W25q } from "../../drivers/w25q/w25q";
import { BAD_UNDEFINED } from "../../runtime/stats";
import type { Led } from "../../drivers/led/led";
import { SimBoard } from "../../host-sim/board/sim-board";
import { SLEEP_DEEP } from "../../host-sim/board/sim-sleep";
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../../host-sim/boards/esp32-devkitc";

function devkitc(ms: number): SimBoard {
  const def = SIM_ESP32_DEVKITC.definition;
  const devices = def.devices.map((d) => (d.name === "flash" ? { ...d, autosuspendMs: ms } : d));
  const wiring: SimBoardWiring = { ...SIM_ESP32_DEVKITC, definition: { ...def, devices } };
  return new SimBoard(wiring);
}

describe("hibernate with the runtime-suspended W25Q", () => {
  it("round trip: the flash comes back, writes the image, the LED state is restored after the reboot", () => {
    const sim = devkitc(10);
    sim.driver<Led>("led").set(1);
    sim.advance(50_000);
    const id = sim.booted!.ids.flash;
    expect(sim.pm.port(id).runtimeState).toBe(RPM_SUSPENDED);
    expect(sim.pm.suspend(T_HIBERNATE, TEST_NONE)).toBe(OK);
    for (let i = 0; i < 200 && sim.platform.sleeping !== SLEEP_DEEP; i++) sim.advance(5_000);
    expect(sim.platform.sleeping).toBe(SLEEP_DEEP);
    sim.press(); sim.advance(60_000); sim.release(); sim.advance(500_000);
    expect([sim.boots, sim.platform.messages, sim.driver<Led>("led").level]).toEqual([2, ["resumed from hibernate"], 1]);
    sim.advance(50_000);
    expect(sim.pm.port(sim.booted!.ids.flash).runtimeState).toBe(RPM_SUSPENDED); // idles down again after the reboot
    expect(sim.violations.list).toEqual([]);
  });

  it("G (board): the runtime-suspended flash is dead when the hibernate starts: refused like a failed storage device, no deep sleep without an image", () => {
    const sim = devkitc(10);
    sim.driver<Led>("led").set(1);
    sim.advance(50_000);
    const id = sim.booted!.ids.flash;
    expect(sim.pm.port(id).runtimeState).toBe(RPM_SUSPENDED);
    sim.flashes.flash.setFault("nak");
    const s = sim.pm.suspend(T_HIBERNATE, TEST_NONE);
    for (let i = 0; i < 200 && sim.platform.sleeping !== SLEEP_DEEP; i++) sim.advance(5_000);
    const deep = sim.platform.sleeping === SLEEP_DEEP;
    const flashFailed = sim.pm.deviceState(id) === D_FAILED;
    let after: unknown = null;
    if (deep) {
      sim.flashes.flash.setFault("none" as never);
      sim.press(); sim.advance(60_000); sim.release(); sim.advance(500_000);
      after = { boots: sim.boots, messages: sim.platform.messages, led: sim.driver<Led>("led").level };
    }
    expect({ s, deep, flashFailed, after }).toEqual({ s: OK, deep: false, flashFailed: true, after: null });
  });
});

/**
 * The simulated DevKitC with the flash's runtime resume replaced by `resume` (or its chip NAKing): a request
 * wakes it, then the console's `rpm` reply. Returns the board, the flash's id and that reply.
 */
function rpmAfterResume(resume: ((t: number) => unknown) | "nak"): { sim: SimBoard; id: number; out: string } {
  const sim = devkitc(10);
  sim.advance(50_000);
  const id = sim.booted!.ids.flash;
  const f = sim.driver<W25q>("flash");
  if (resume === "nak") sim.flashes.flash.setFault("nak");
  else (f as unknown as { runtimeResume(t: number): unknown }).runtimeResume = resume;
  f.setClient(() => undefined);
  f.read(1, 0, new Uint8Array(4));
  const term = sim.terminal("console");
  sim.advance(10_000);
  term.takeAll();
  term.type("rpm\r");
  sim.advance(200_000);
  return { sim, id, out: term.takeAll() };
}

describe("console rpm", () => {
  it("prints the odd states: a failed flash after its runtime resume failed", () => {
    const { sim, id, out } = rpmAfterResume("nak");
    // The flash's runtime resume failed (a NAK'd release): the device is failed, and rpm says so, not "active".
    expect(sim.pm.deviceState(id)).toBe(D_FAILED);
    expect(out).toMatch(/flash +failed +usage \d+ +autosuspend 10 ms .*failures 1 last IO/);
  });

  it("prints what a runtime hook threw beside its THREW, as the failure lines do for stage hooks", () => {
    // The flash's runtime resume (its release from deep power-down) throws: the device fails with THREW.
    const { sim, id, out } = rpmAfterResume(() => { throw new RangeError("release from deep power-down: no ID"); });
    // Failed by its THREW, then re-probed at the first idle moment (the chip itself is fine) and idled down again: the throw is kept.
    expect(sim.pm.deviceState(id)).toBe(D_ACTIVE);
    expect(out).toMatch(/\n  flash +suspended +usage 0 +autosuspend 10 ms +suspends 2 resumes 0 failures 1 last THREW \(RangeError: release from deep power-down: no ID\)\r?\n/);
  });

  it("prints what a runtime hook answered beside its PROTOCOL; the bad answer is counted in pm.stats as a stage hook's is (stage -1)", () => {
    // A forgotten return: PROTOCOL, counted; it was not counted at all.
    const { sim, id, out } = rpmAfterResume(function forgotten(this: W25q, t: number): void { W25q.prototype.runtimeResume.call(this, t); });
    const st = sim.pm.stats;
    expect([st.protocolErrors, st.badAnswerDevice, st.badAnswerStage, st.badAnswerKind]).toEqual([1, id, -1, BAD_UNDEFINED]);
    expect(out).toMatch(/\n  flash +\w+ +usage 0 +autosuspend 10 ms +suspends \d+ resumes \d+ failures 1 last PROTOCOL \(answered undefined: a forgotten return\?\)\r?\n/);
  });
});
