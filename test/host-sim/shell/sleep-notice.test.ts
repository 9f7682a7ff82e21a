// The asleep notice reads in the order things happened, however short the sleep (`--timer-wake 1us` put it after "suspend ok").
import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { banner, runInteractive } from "../../../host-sim/cli/interactive";
import { PLAIN } from "../../../host-sim/cli/progress";
import { Session } from "../../../host-sim/cli/session";

/** `suspend standby` with the RTC timer wake armed at `timerWakeUs`, then `quit`: everything the terminal shows. */
async function run(timerWakeUs: number): Promise<{ out: string; session: Session }> {
  const input = new Subject<string>();
  const ticks = new Subject<number>();
  const session = new Session(bootShellBoard({ seed: 1, timerWakeUs }), 2000);
  let out = "";
  const done = runInteractive(session, { input$: input, raw: false, ticks$: ticks, write: (t) => { out += t; }, paint: PLAIN, trace: "off" });
  input.next("suspend standby\n");
  for (let i = 0; i < 500 && !out.includes("suspend ok"); i++) ticks.next(20_000);
  input.next("quit\n");
  for (let i = 0; i < 100 && !out.includes("[sim] quit"); i++) ticks.next(20_000);
  await done;
  return { out, session };
}

/**
 * Lines with board times, durations and currents made N (the battery life's days left out) and runs
 * of spaces made one: the test is about order, and other work may change the simulated timings (and
 * so units, column widths and whether the life reaches a day).
 */
function shape(out: string): string[] {
  return out.replace(/\n$/, "").split("\n").map((l) => l.replace(/^\[ *\d+ us\]/, "[t]").replace(/ \([0-9.]+ days\)/, "")
    .replace(/\d+(\.\d+)? ?(us|ms|s|mA|uA|mC|h|bytes)\b/g, "N").replace(/ +/g, " "));
}

const STAGES = (stage: string, devices: string[]): string[] => devices.map((d) => "[t] " + stage + " " + d + " ok N");
const DOWN = ["led", "bme280", "flash", "console", "telemetry", "button", "vspi", "i2c0"];
const UP = ["i2c0", "vspi", "button", "telemetry", "console", "flash", "bme280", "led"];
const NOTICE = "[sim] asleep (standby): press Ctrl-B or type `wake button|uart|timer`";

/** The whole session after the banner, notice left out: what the firmware printed around it, and the summary. */
const SESSION = [
  "quiesce console: type help for the list of commands",
  "> suspend standby",
  "suspending: standby",
  "[t] suspend begins: standby",
  ...STAGES("S1 prepare", DOWN),
  "[t] S1 prepare stage done in N",
  ...STAGES("S2 suspend", ["led", "bme280", "flash"]),
  "[t] S2 suspend console pending",
  ...STAGES("S2 suspend", ["telemetry", "button", "vspi", "i2c0", "console"]),
  "[t] S2 suspend stage done in N",
  ...STAGES("S3 powerOffNoIrq", DOWN),
  "[t] S3 powerOffNoIrq stage done in N",
  "[t] -- platform sleep: standby",
  "[t] -- platform woke: timer after N",
  ...STAGES("R1 powerOnNoIrq", UP),
  "[t] R1 powerOnNoIrq stage done in N",
  ...STAGES("R2 resume", UP),
  "[t] R2 resume stage done in N",
  "suspend ok, woke by timer",
  "[sim] suspend standby: OK, woke by timer",
  "[sim] stage duration slowest device",
  "[sim] prepare N i2c0 N",
  "[sim] suspend N console N",
  "[sim] powerOffNoIrq N bme280 N",
  "[sim] platform N",
  "[sim] powerOnNoIrq N bme280 N",
  "[sim] resume N led N",
  "[sim] total N",
  "[sim] energy: asleep N at N, transitions N at N; N per cycle",
  "[sim] battery: this cycle (N) repeated, a 2000 mAh battery lasts N (--timer-wake sets the sleep length)",
  "> ",
  "[sim] quit (quit) at virtual time N",
  "> ",
];

/** While the sleep lasts, the notice says where the firmware's lines from the end of S2 on are (N: a byte count). */
const BACKLOG = "[sim] the console's last N (from the end of S2 on) were still in its TX buffer when its UART powered off: they print after the wake";

/** SESSION with the notice (and `more` lines below it) right after line `after`. */
function withNotice(after: string, ...more: string[]): string[] {
  const at = SESSION.indexOf(after) + 1;
  return [...SESSION.slice(0, at), NOTICE, ...more, ...SESSION.slice(at)];
}

describe("the asleep notice, in the order things happened", () => {
  it("--timer-wake 1us: between the firmware's sleep and woke lines, not below the wake report and `suspend ok`", async () => {
    const { out, session } = await run(1);
    expect(shape(out)).toEqual([...shape(banner(session).join("\n")), ...withNotice("[t] -- platform sleep: standby")]);
  });

  it("a sleep long enough to see: once the UART FIFO has emptied into it (the last line while asleep), the same session around it", async () => {
    const { out, session } = await run(2_000_000);
    // The firmware's lines from the rest of S2 on were queued after its console's S2: they come out after the wake.
    expect(shape(out)).toEqual([...shape(banner(session).join("\n")), ...withNotice("[t] S2 suspend console ok N", BACKLOG)]);
  });
});
