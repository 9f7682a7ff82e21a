// The firmware line the console was sending when its UART powered off for a sleep: never glued to the next output, never left unexplained.
import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import { APP_WIRING } from "../../../examples/custom-driver/sim";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { runInteractive } from "../../../host-sim/cli/interactive";
import { PLAIN } from "../../../host-sim/cli/progress";
import { EXIT_PASS, runScenarioFiles } from "../../../host-sim/cli/scenario-cli";
import { Screen } from "../../../host-sim/cli/screen";
import { Session } from "../../../host-sim/cli/session";
import { P_IDLE, P_SLEEPING } from "../../../runtime/phase";

/** S2's "stage done in N us" line as far as the UART sent it: where it stops depends on the dispatch cost the simulator charges. */
const STAGE_DONE_CUT = /^\[ *\d+ us\] S2 suspend {15}stage done in( \d+( us?)?)?$/;

/** What the screen printed for `serial` text, the board then rebooting (hibernate) or the run ending asleep. */
function screenOf(serial: string, then: "reboot" | "end asleep"): string {
  const serial$ = new Subject<string>(), reboot$ = new Subject<void>(), none$ = new Subject<never>();
  let phase = P_IDLE, out = "";
  const session = {
    now: () => 0, quietFor: () => true, serial$, reboot$, drained$: none$, trace$: none$, summary$: none$, notice$: none$,
    board: { pm: { get phase() { return phase; } }, asleep: () => (phase === P_SLEEPING ? "standby" : null) },
  } as unknown as Session;
  const screen = new Screen((t) => { out += t; }, { paint: PLAIN, trace: "off", summaries: false });
  screen.attach(session);
  serial$.next(serial);
  if (then === "reboot") reboot$.next();
  else {
    phase = P_SLEEPING;
    screen.end();
  }
  screen.detach();
  return out;
}

/** Stage progress lines the screen printed that stop short of their "ok N us" / "pending" / "done in N us" end, each with the line after it. */
function cutLines(out: string): string[][] {
  const lines = out.split("\n");
  const cut: string[][] = [];
  for (let i = 0; i < lines.length; i++) if (/^\[ *\d+ us\] [SR]\d /.test(lines[i]) && !/ (us|pending)$/.test(lines[i])) cut.push([lines[i], lines[i + 1]]);
  return cut;
}

function watch(expectText: string, timeoutUs: number): { code: number; out: string } {
  let out = "";
  const boot = (): Session => new Session(bootShellBoard({ seed: 1, wiring: APP_WIRING }), 2000);
  const code = runScenarioFiles([], boot, (t) => { out += t; }, { paint: PLAIN, quiet: false, trace: "off", guard: { expectText, failText: null, timeoutUs } });
  return { code, out };
}

describe("a line cut off by the sleep", () => {
  it("what the firmware handed to the UART before the sleep is shown whole, even when the run stops at the sleep", () => {
    // The run passes the instant the board sleeps, with bytes still in the UART's TX FIFO: they are on the wire and come out.
    const r = watch("asleep (standby)", 60_000_000);
    expect(r.code).toBe(EXIT_PASS);
    const cut = cutLines(r.out);
    // Only the line the console itself still held (its S3 stopped TX) stays cut, and a [sim] note says why, right below it.
    expect(cut).toEqual([[
      expect.stringMatching(STAGE_DONE_CUT),
      "[sim] the rest of this line had not left the console's TX buffer when its UART powered off for the sleep: it prints after a wake, which this run did not reach",
    ]]);
    expect(r.out).toMatch(/\[ *\d+ us\] S2 suspend {7}console ok \d+ us\n/);
  });

  it("a run that ends long after the sleep: the same note, not a bare half line", () => {
    const r = watch("never printed", 40_000_000);
    expect(cutLines(r.out)).toEqual([[expect.stringMatching(STAGE_DONE_CUT), expect.stringMatching(/^\[sim\] the rest of this line had not left the console's TX buffer/)]]);
  });

  it("hibernate: the old firmware's unfinished line is closed with a note before the new firmware's banner", async () => {
    const input = new Subject<string>();
    const ticks = new Subject<number>();
    const board = bootShellBoard({ seed: 1 });
    // No dispatch cost (host-sim/board/dispatch-cost.ts): where the UART's power-off cuts the output depends on the
    // runtime's XS cost per hook, which each optimisation changes; without it the cut falls in S2's stage line.
    board.sim.platform.setXsRate(0);
    const session = new Session(board, 2000);
    let out = "";
    const done = runInteractive(session, { input$: input, raw: false, ticks$: ticks, write: (t) => { out += t; }, paint: PLAIN, trace: "off" });
    input.next("suspend hibernate\n");
    for (let i = 0; i < 100 && session.board.asleep() === null; i++) ticks.next(20_000);
    expect(session.board.asleep()).toBe("hibernate");
    input.next("wake button\n");
    for (let i = 0; i < 200 && !out.includes("resumed from hibernate"); i++) ticks.next(20_000);
    input.next("quit\n");
    for (let i = 0; i < 100 && !out.includes("[sim] quit"); i++) ticks.next(20_000);
    await done;
    const lines = out.split("\n");
    const banner = lines.lastIndexOf("quiesce console: type help for the list of commands");
    expect(banner).toBeGreaterThan(lines.indexOf("> suspend hibernate"));
    // S2's stage line is the last the UART sent: it was cut after its first characters (the rest was in the TX
    // buffer), so it is closed with the note, once (a line that lost only its LF is closed without one: the
    // screen-level cases below).
    expect(lines[banner - 2]).toMatch(/^\[ *\d+ us\] S2 suspend +stag$/);
    expect(lines[banner - 1]).toBe("[sim] the rest of this line was still in the console's TX buffer when its UART powered off for hibernate: lost with the RAM");
    expect(out.split("the rest of this line").length).toBe(2);
    // While it slept, the notice said those lines would never come.
    expect(out).toMatch(/\n\[sim\] asleep \(hibernate\): press Ctrl-B or type `wake button\|timer`\n\[sim\] {3}the console's last \d+ bytes \(from the end of S2 on\) were still in its TX buffer when its UART powered off: lost, hibernate keeps no RAM\n/);
  });

  it("screen: a line cut short by a hibernate is closed with the note; one that lost only the LF of its CR LF is whole, no note", () => {
    expect(screenOf("> suspend hibernate\r\n[  161629 us] S2 suspend       console   ok 51", "reboot")).toBe(
      "> suspend hibernate\n[  161629 us] S2 suspend       console   ok 51\n" +
      "[sim] the rest of this line was still in the console's TX buffer when its UART powered off for hibernate: lost with the RAM\n");
    expect(screenOf("> suspend hibernate\r\n[  161629 us] S2 suspend       console   ok 51644 us\r", "reboot")).toBe(
      "> suspend hibernate\n[  161629 us] S2 suspend       console   ok 51644 us\n");
  });

  it("screen: a run that ends asleep notes a cut line, not one that lost only its LF", () => {
    expect(screenOf("[  5 us] S2 suspend               stage done in", "end asleep")).toBe("[  5 us] S2 suspend               stage done in\n" +
      "[sim] the rest of this line had not left the console's TX buffer when its UART powered off for the sleep: it prints after a wake, which this run did not reach\n");
    expect(screenOf("[  5 us] S2 suspend               stage done in 40 us\r", "end asleep")).toBe("[  5 us] S2 suspend               stage done in 40 us\n");
  });
});
