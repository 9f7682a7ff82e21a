// A firmware callback that throws (a driver's timer calling a detached port method) fails the scenario step naming it, and the shell goes on.
import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { runInteractive } from "../../../host-sim/cli/interactive";
import { PLAIN } from "../../../host-sim/cli/progress";
import { parseScenario } from "../../../host-sim/cli/scenario";
import { firmwareThrew } from "../../../host-sim/cli/firmware-threw";
import { runScenario } from "../../../host-sim/cli/scenario-run";
import { Session } from "../../../host-sim/cli/session";

const STEPS = ["name: callback throws", "steps:", "  - wait-serial: \"type help\"", "  - delay: 50ms", "  - write-serial: \"status\"", "  - wait-serial: \"phase idle\""].join("\n") + "\n";

/** A session whose board runs, `atUs` from now, a timer callback that calls the button's port.wakeEvent detached (ECMA-419 style). */
function armed(atUs: number): Session {
  const board = bootShellBoard({ seed: 1 });
  const session = new Session(board, 2000);
  const sim = board.sim;
  const { wakeEvent } = sim.pm.port(sim.pm.graph.names.indexOf("button"));
  const platform = sim.platform;
  const timer = platform.createTimer(function buttonDebounceDone(): void {
    wakeEvent();
  });
  platform.schedule(timer, atUs);
  return session;
}

const THREW = /^a firmware callback threw TypeError: port\.wakeEvent\(\) or port\.complete\(token, status\) was called without its port \(passed as a callback\?\): call it on the port, e\.g\. onReadable\(\) \{ port\.wakeEvent\(\); \} \(an ECMA-419 callback's this is its IO object\) \(at detached \(runtime\/device-port\.ts:\d+:\d+\) < at wakeEvent \(runtime\/device-port\.ts:\d+:\d+\) < at \S*buttonDebounceDone \(test\/host-sim\/shell\/firmware-throws\.test\.ts:\d+:\d+\)\); on the device no code caught it and the XS machine aborts$/;

describe("a firmware callback that throws", () => {
  it("fails the scenario at the step during which it threw, naming the error and where it came from; the session runs the next scenario", () => {
    const session = armed(20_000);
    const r = runScenario(parseScenario("throws.yaml", STEPS), session);
    expect(r.passed).toBe(false);
    expect(r.failure?.where).toBe("throws.yaml:4");
    expect(r.failure?.step).toBe("delay 50 ms");
    expect(r.failure?.expected).toBe("the firmware's callbacks to return");
    expect(r.failure?.seen).toMatch(THREW);
    // The simulation is whole: the same session answers the console afterwards.
    const again = runScenario(parseScenario("again.yaml", ["name: again", "steps:", "  - write-serial: \"status\"", "  - wait-serial: \"phase idle\""].join("\n") + "\n"), session);
    expect(again.failure).toBeNull();
  });

  it("whatever was thrown is described, never thrown again: no Error, no toString, getters that throw, primitives", () => {
    const throwingMessage = Object.defineProperty(new Error("x"), "message", { get(): never { throw new Error("no"); } });
    const said = [Object.create(null), { toString(): never { throw new Error("no"); } }, throwingMessage, new Error(""), "bus stuck", 42, null, undefined, Symbol("s"), 10n]
      .map((v) => firmwareThrew(v).replace(/^a firmware callback threw /, "").replace(/; on the device no code caught it and the XS machine aborts$/, "").replace(/ \(at .*\)$/, ""));
    expect(said).toEqual(["an object that is no Error", "an object that is no Error", "a value that cannot be printed (reading it threw)", "Error",
      "the string \"bus stuck\"", "the value 42", "null", "the value undefined", "the value Symbol(s)", "the value 10"]);
    // In a scenario: the step fails with it, nothing escapes.
    const board = bootShellBoard({ seed: 1 });
    const session = new Session(board, 2000);
    const t = board.sim.platform.createTimer(() => { throw Object.create(null); });
    board.sim.platform.schedule(t, 20_000);
    const r = runScenario(parseScenario("throws.yaml", STEPS), session);
    expect(r.failure?.seen).toBe("a firmware callback threw an object that is no Error; on the device no code caught it and the XS machine aborts");
  });

  it("interactive: is shown as one [sim] line and the shell goes on", async () => {
    const session = armed(20_000);
    const input = new Subject<string | Uint8Array>();
    const ticks = new Subject<number>();
    let text = "";
    const done = runInteractive(session, { input$: input, raw: false, ticks$: ticks, write: (s) => { text += s; }, paint: PLAIN, trace: "off" });
    for (let i = 0; i < 10; i++) ticks.next(20_000);
    const lines = text.split("\n").filter((l) => l.includes("a firmware callback threw"));
    expect(lines).toHaveLength(1);
    expect(lines[0].replace(/^.*\[sim\] /, "")).toMatch(THREW);
    input.next("status\nquit\n");
    for (let i = 0; i < 200 && !text.includes("[sim] quit"); i++) ticks.next(20_000);
    expect(text).toMatch(/phase idle/);
    expect((await done).code).toBe(0);
  });

  it("interactive: one that throws again and again is shown once a second of virtual time, with its count", async () => {
    const board = bootShellBoard({ seed: 1 });
    const session = new Session(board, 2000);
    const platform = board.sim.platform;
    // A driver's poll timer that throws every 10 ms of virtual time.
    const timer = platform.createTimer(function pollSensor(): void {
      platform.schedule(timer, 10_000);
      throw new RangeError("sensor: read past the FIFO");
    });
    platform.schedule(timer, 10_000);
    const input = new Subject<string | Uint8Array>();
    const ticks = new Subject<number>();
    let text = "";
    const done = runInteractive(session, { input$: input, raw: false, ticks$: ticks, write: (s) => { text += s; }, paint: PLAIN, trace: "off" });
    for (let i = 0; i < 125; i++) ticks.next(20_000); // 2.5 s: a throw on every tick
    const lines = text.split("\n").filter((l) => l.includes("a firmware callback threw RangeError: sensor: read past the FIFO"))
      .map((l) => l.replace(/^.*\[sim\] a firmware callback threw RangeError: sensor: read past the FIFO \(.*?\); on the device no code caught it and the XS machine aborts/, "THREW"));
    // Every 10 ms, time going on past each throw to the tick's end: a line, then its count once that second is over.
    expect(lines).toEqual(["THREW", "THREW (and 99 more times in the second of virtual time after it)", "THREW",
      "THREW (and 99 more times in the second of virtual time after it)", "THREW"]);
    // It stops: the count of its last second still shows.
    platform.cancel(timer);
    for (let i = 0; i < 60; i++) ticks.next(20_000);
    expect(text.split("\n").filter((l) => l.includes("more times in the second")).length).toBe(3);
    input.next("quit\n");
    for (let i = 0; i < 100 && !text.includes("[sim] quit"); i++) ticks.next(20_000);
    expect((await done).code).toBe(0);
  });
});
