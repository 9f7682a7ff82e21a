// A board without a button (examples/custom-driver: a PIR is its wake source): `press`, the button key and `wake button` answer, never crash.
import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import { APP_WIRING } from "../../../examples/custom-driver/sim";
import { completions } from "../../../host-sim/cli/complete";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { banner, runInteractive } from "../../../host-sim/cli/interactive";
import { PLAIN } from "../../../host-sim/cli/progress";
import { parseScenario } from "../../../host-sim/cli/scenario";
import { runScenario } from "../../../host-sim/cli/scenario-run";
import { Session } from "../../../host-sim/cli/session";

const WHY = "DevKitC + PIR (simulated) has no button (no button model behind a \"button\" device): type `suspend` to start a suspend, `wake uart` or `wake timer` to end a sleep";

function boot(): Session {
  return new Session(bootShellBoard({ seed: 1, wiring: APP_WIRING }), 2000);
}

describe("a board without a button", () => {
  it("`press` and `wake button` say why and what to use instead; the board goes on", () => {
    const s = boot();
    expect(s.board.hasButton).toBe(false);
    expect(s.verb("press")).toEqual({ text: WHY, error: true });
    // Awake, `wake button` used to say "a button press now starts a suspend; use `press`": there is no press here.
    expect(s.verb("wake button")).toEqual({ text: WHY, error: true });
    expect(s.verb("wake gpio")).toEqual({ text: "usage: wake uart|timer (not `gpio`)", error: true });
    s.sendLine("status");
    expect(s.advance(1_000_000, () => s.serialLog.includes("phase idle"))).toBe(true);
  });

  it("the button key gets a [sim] notice, not a stack trace; help and completion do not offer the button", async () => {
    const input = new Subject<string | Uint8Array>();
    const ticks = new Subject<number>();
    const s = boot();
    let out = "";
    const done = runInteractive(s, { input$: input, raw: true, ticks$: ticks, write: (t) => { out += t; }, paint: PLAIN, trace: "off" });
    for (let i = 0; i < 10; i++) ticks.next(20_000);
    input.next(Uint8Array.of(0x02));
    input.next("press\r");
    for (let i = 0; i < 10; i++) ticks.next(20_000);
    input.next(Uint8Array.of(0x04));
    expect((await done).code).toBe(0);
    expect(out).toContain("[sim] Ctrl-B presses the button, but " + WHY + "\n");
    expect(out).toContain("> press\n[sim] " + WHY + "\n");
    const help = banner(s).join("\n");
    expect(help).toContain("press                         (unavailable: this board has no button; type `suspend`)");
    expect(help).toContain("Ctrl-B                        (unavailable: this board has no button)");
    expect(help).toContain("wake uart|timer               raise a wake source");
    expect(completions("p", s.deviceNames(), false)).toEqual(["policy"]);
    expect(completions("wake ", s.deviceNames(), false)).toEqual(["uart", "timer"]);
  });

  it("a scenario's press-button step fails naming the reason", () => {
    const sc = parseScenario("press.yaml", "name: press\nsteps:\n  - press-button\n");
    const r = runScenario(sc, boot());
    expect(r.failure).toEqual({ where: "press.yaml:3", index: 1, step: "press-button", expected: "a button to press", seen: WHY });
  });
});
