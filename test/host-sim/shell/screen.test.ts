// What the user sees: firmware lines never split by the simulator's, [sim] lines apart, the asleep notice, clear wake answers.
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { runInteractive } from "../../../host-sim/cli/interactive";
import { PLAIN } from "../../../host-sim/cli/progress";
import { runScenarioFiles } from "../../../host-sim/cli/scenario-cli";
import { Session } from "../../../host-sim/cli/session";

function boot(): Session {
  return new Session(bootShellBoard({ seed: 1 }), 2000);
}

/** The firmware's lines as the screen shows them: simulator lines and bare prompts taken out. */
function firmwareLines(out: string): string[] {
  return out.split("\n").filter((l) => !l.startsWith("[sim] ") && !l.startsWith("scenario: ") && !l.startsWith("step ") && !l.startsWith("PASS ") && l !== "> " && l !== "");
}

function serialLines(s: Session): string[] {
  return s.serialLog.replace(/\r/g, "").split("\n").filter((l) => l !== "> " && l !== "");
}

describe("interactive screen", () => {
  it("says the board is asleep and how to wake it instead of a cut line; the line comes whole after the wake", async () => {
    const input = new Subject<string>();
    const ticks = new Subject<number>();
    const session = boot();
    let out = "";
    const done = runInteractive(session, { input$: input, raw: false, ticks$: ticks, write: (t) => { out += t; }, paint: PLAIN, trace: "off" });
    input.next("suspend standby\n");
    for (let i = 0; i < 50; i++) ticks.next(20_000);
    expect(session.board.pm.phase).toBe(2);
    // While asleep the last thing on screen is the notice, not half a progress line; it says where the rest of S2 and S3 are.
    expect(out.trimEnd().split("\n").slice(-2)).toEqual([
      "[sim] asleep (standby): press Ctrl-B or type `wake button|uart|timer`",
      expect.stringMatching(/^\[sim\] {3}the console's last \d+ bytes \(from the end of S2 on\) were still in its TX buffer when its UART powered off: they print after the wake$/),
    ]);
    input.next("wake timer\nstatus\nquit\n");
    for (let i = 0; i < 100 && !out.includes("[sim] quit"); i++) ticks.next(20_000);
    await done;
    // The banner comes before the firmware's first line; from there on, the firmware's lines are all whole.
    expect(firmwareLines(out.slice(out.indexOf("quiesce console")))).toEqual(serialLines(session));
  });

  it("`wake` answers why a source cannot wake the present state", () => {
    const s = boot();
    expect(s.verb("wake button")).toEqual({ text: "the board is awake (phase idle): a button press now starts a suspend; use `press` for that, `wake` ends a sleep", error: true });
    s.sendLine("suspend hibernate");
    s.advance(3_000_000, () => s.board.asleep() !== null);
    expect(s.board.asleep()).toBe("hibernate");
    expect(s.verb("wake uart")).toEqual({
      text: "uart cannot wake hibernate on ESP32-DevKitC V4 (simulated) (not a hibernate wake source); use `wake button` or `wake timer`",
      error: true,
    });
    expect(s.verb("wake button")).toEqual({ text: "wake button raised", error: false });
  });
});

describe("scenario output", () => {
  it("step lines and summaries never land inside firmware output, not even inside a trace dump", () => {
    const file = join(mkdtempSync(join(tmpdir(), "quiesce-screen-")), "dump.yaml");
    writeFileSync(file, [
      "name: dump",
      "steps:",
      "  - write-serial: \"suspend standby\"",
      "  - wait-serial: \"suspend begins\"",
      "  - delay: 1s",
      "  - wake: timer",
      "  - wait-serial: \"suspend ok\"",
      "  - write-serial: \"trace dump\"",
      "  - wait-serial: \"trace dump begin\"",
      "  - wait-serial: \"trace dump end\"",
      "  - write-serial: \"status\"",
      "  - wait-serial: \"last outcome\"",
    ].join("\n") + "\n");
    let out = "";
    let session: Session | null = null;
    const code = runScenarioFiles([file], () => (session = boot()), (t) => { out += t; }, { paint: PLAIN, quiet: false, trace: "off" });
    expect(out.split("\n").filter((l) => l.startsWith("FAIL"))).toEqual([]);
    expect(code).toBe(0);
    expect(firmwareLines(out)).toEqual(serialLines(session as unknown as Session));
    const lines = out.split("\n");
    const begin = lines.findIndex((l) => l.startsWith("trace dump begin"));
    const end = lines.findIndex((l) => l.startsWith("trace dump end"));
    expect(lines.slice(begin + 1, end).every((l) => /^T [0-9a-f]+$/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith("step ")).length).toBe(10);
  });
});
