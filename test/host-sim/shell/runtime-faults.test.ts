// Runtime-hook faults from the shell: `fault flash RS fail|hang|late|throw`, `fault flash RR fail`; a refused or hung runtime suspend keeps the flash up, a failed runtime resume fails it until the re-probe; the timeline marks each.
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { Session } from "../../../host-sim/cli/session";
import { SIM_ESP32_DEVKITC, type SimBoardWiring } from "../../../host-sim/boards/esp32-devkitc";
import { attachViz } from "../../../host-sim/viz";
import { F_HANG, F_LATE, F_NONE, F_THROW } from "../../../host-sim/board/faults";
import { D_ACTIVE, D_FAILED, IO, RPM_ACTIVE, RPM_SUSPENDED, STATUS_NAMES } from "../../../runtime/status";
import type { W25q } from "../../../drivers/w25q/w25q";

/** The DevKitC with the flash autosuspending after 10 ms (the shipped board has no delay: its runtime hooks never run). */
function wiring(): SimBoardWiring {
  const def = SIM_ESP32_DEVKITC.definition;
  return { ...SIM_ESP32_DEVKITC, definition: { ...def, devices: def.devices.map((d) => (d.name === "flash" ? { ...d, autosuspendMs: 10 } : d)) } };
}

describe("runtime-hook faults", () => {
  it("the verb takes runtimeSuspend|RS and runtimeResume|RR, and refuses a device without runtime hooks", () => {
    const s = new Session(bootShellBoard({ seed: 1, wiring: wiring() }), 2000);
    expect([s.verb("fault flash RS hang"), s.verb("fault flash runtimeResume fail"), s.verb("fault flash rs none"), s.verb("fault led RS fail")]).toEqual([
      { text: "fault armed: flash runtimeSuspend will hang (answers PENDING, never completes: the stage budget expires)", error: false },
      { text: "fault armed: flash runtimeResume will fail with IO (the driver is not called)", error: false },
      { text: "fault cleared: flash runtimeSuspend", error: false },
      { text: "device `led` has no runtime hooks: runtimeSuspend faults apply to flash", error: true },
    ]);
  });

  it("RS fail: the flash stays up, tried again after its delay; RR fail: failed, its read FAILED, re-probed; both on the timeline", () => {
    const board = bootShellBoard({ seed: 1, wiring: wiring() });
    const s = new Session(board, 2000);
    const sim = board.sim;
    const viz = attachViz(sim.pm);
    const id = sim.booted!.ids.flash;
    const port = sim.pm.port(id);
    s.verb("fault flash RS fail");
    sim.advance(35_000);
    // Refused at 10 ms, again at 20 and 30: never down, never in a loop.
    expect([port.runtimeState, sim.pm.rpm.failures[id], STATUS_NAMES[sim.pm.rpm.lastError[id]]]).toEqual([RPM_ACTIVE, 3, "IO"]);
    s.verb("fault flash RS none");
    sim.advance(10_000);
    expect(port.runtimeState).toBe(RPM_SUSPENDED);
    s.verb("fault flash RR fail");
    const f = sim.driver<W25q>("flash");
    const done: number[] = [];
    f.setClient((_t, st) => done.push(st));
    // The read's get runs the runtime resume at once; it fails, so the device is failed and the read refused
    // with FAILED on the spot (never accepted and lost).
    expect(STATUS_NAMES[f.read(1, 0, new Uint8Array(4))]).toBe("FAILED");
    expect([done, sim.pm.deviceState(id)]).toEqual([[], D_FAILED]);
    s.verb("fault flash RR none");
    sim.advance(2_000_000);
    expect(sim.pm.deviceState(id)).toBe(D_ACTIVE);
    const marks = viz.finish().instants.filter((i) => i.kind === "rpm-fail").map((i) => i.label);
    expect(marks).toEqual([
      "flash suspending: failures 1 last IO", "flash suspending: failures 2 last IO", "flash suspending: failures 3 last IO",
      "flash resuming: failures 4 last IO",
    ]);
    expect(sim.violations.list).toEqual([]);
  });

  it("RS hang: the runtime gives up at the flash's S2 budget (TIMEOUT), the flash stays up; a throw is caught as THREW", () => {
    const board = bootShellBoard({ seed: 1, wiring: wiring() });
    const sim = board.sim;
    const id = sim.booted!.ids.flash;
    const rpm = sim.pm.rpm;
    const budget = sim.pm.graph.budgetUs[id * 8 + 1];
    sim.faults.set("flash", "runtimeSuspend", F_HANG);
    sim.advance(10_000 + budget + 1_000);
    expect([rpm.state[id], rpm.failures[id], STATUS_NAMES[rpm.lastError[id]]]).toEqual([RPM_ACTIVE, 1, "TIMEOUT"]);
    sim.faults.set("flash", "runtimeSuspend", F_THROW);
    sim.advance(10_000);
    expect(STATUS_NAMES[rpm.lastError[id]]).toBe("THREW");
    sim.faults.set("flash", "runtimeSuspend", F_NONE);
    sim.advance(20_000);
    expect([rpm.state[id], rpm.failures[id]]).toEqual([RPM_SUSPENDED, 2]);
  });

  it("RS late: the driver's own OK reported 1 ms later completes the PENDING runtime suspend (routed to the runtime PM)", () => {
    const board = bootShellBoard({ seed: 1, wiring: wiring() });
    const sim = board.sim;
    const id = sim.booted!.ids.flash;
    sim.faults.set("flash", "runtimeSuspend", F_LATE, IO, 1_000);
    sim.advance(10_500);
    expect(sim.pm.rpm.state[id]).toBe(1);
    sim.advance(1_000);
    expect([sim.pm.rpm.state[id], sim.pm.rpm.failures[id], sim.pm.rpm.late]).toEqual([RPM_SUSPENDED, 0, 0]);
  });
});
