// Interactive shell driven through fake stdin and tick streams (rxjs Subjects): press, fault, time, wake, bad input, quit.
import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { type InteractiveEnd, runInteractive } from "../../../host-sim/cli/interactive";
import { PLAIN, phaseName } from "../../../host-sim/cli/progress";
import { Session } from "../../../host-sim/cli/session";
import { P_REPROBING, P_SLEEPING } from "../../../runtime/phase";

interface Rig {
  input: Subject<string | Uint8Array>;
  ticks: Subject<number>;
  out: () => string;
  session: Session;
  done: Promise<InteractiveEnd>;
  /** Ticks `us` of virtual time until `pred` holds on the output (bounded), like real time passing. */
  runUntil(pred: (out: string) => boolean, maxUs?: number): void;
}

function rig(raw: boolean): Rig {
  const input = new Subject<string | Uint8Array>();
  const ticks = new Subject<number>();
  let text = "";
  const session = new Session(bootShellBoard({ seed: 1 }), 2000);
  const done = runInteractive(session, { input$: input, raw, ticks$: ticks, write: (s) => { text += s; }, paint: PLAIN, trace: "off" });
  return {
    input, ticks, session, done, out: () => text,
    runUntil(pred, maxUs = 10_000_000) {
      const end = session.now() + maxUs;
      while (!pred(text)) {
        if (session.now() >= end) throw new Error("condition not met within " + maxUs + " us virtual; output:\n" + text);
        ticks.next(20_000);
      }
    },
  };
}

/** The shell's own one-line messages, in order (summaries left out; a prompt erased before a message is skipped). */
function notices(text: string): string[] {
  return text.split("\n").map((l) => l.replace(/^.*\r\x1b\[K/, "")).filter((l) => l.startsWith("[sim] ") && !/^\[sim\] ( |suspend \w+: )/.test(l)).map((l) => l.slice(6));
}

describe("interactive shell, line mode (piped stdin)", () => {
  it("runs shell verbs and firmware commands in order, reports bad input, quits with 0", async () => {
    const r = rig(false);
    // Everything typed at once, as a pipe delivers it: the shell paces lines itself.
    r.input.next("time\nfault bme280 suspend fail\nsuspend standby\nfault bme280 suspend none\npress\n");
    r.runUntil((o) => o.includes("suspend begins: standby") && o.split("suspend begins").length === 3);
    r.runUntil(() => r.session.board.pm.phase === P_SLEEPING);
    r.input.next("time\nwake timer\nbogus\nfault bme280\nwake gpio\nfault bme280 sleep fail\nfault bmp180 suspend fail\npress now\ntime x\nquit\nstatus\n");
    r.runUntil((o) => o.includes("[sim] quit"));
    const end = await r.done;
    expect(end.code).toBe(0);
    expect(end.why).toBe("quit");
    const o = r.out();
    expect(notices(o).map((l) => l.replace(/time [0-9.]+ s/, "time T s"))).toEqual([
      "virtual time T s, phase idle",
      "fault armed: bme280 suspend will fail with IO (the driver is not called)",
      "fault cleared: bme280 suspend",
      "button pressed (released in 100 ms virtual)",
      "asleep (standby): press Ctrl-B or type `wake button|uart|timer`",
      "virtual time T s, phase sleeping",
      "wake timer raised",
      "usage: fault DEVICE STAGE MODE, STAGE prepare|S1, suspend|S2, powerOffNoIrq|S3, powerOnNoIrq|R1, resume|R2, runtimeSuspend|RS, runtimeResume|RR, MODE fail|hang|late|throw|none",
      "usage: wake button|uart|timer (not `gpio`)",
      "stage `sleep` is unknown; usage: fault DEVICE STAGE MODE, STAGE prepare|S1, suspend|S2, powerOffNoIrq|S3, powerOnNoIrq|R1, resume|R2, runtimeSuspend|RS, runtimeResume|RR, MODE fail|hang|late|throw|none",
      "no device `bmp180` on ESP32-DevKitC V4 (simulated); devices are i2c0, vspi, bme280, flash, led, button, telemetry, console",
      "press takes no arguments (it presses the one BOOT button)",
      "time takes no arguments (it prints the virtual time and the board phase)",
      "quit (quit) at virtual time T s",
    ]);
    // The firmware's side of the same session, in order.
    const firmware = o.split("\n").filter((l) => /^(suspend (ok|failed)|unknown command|suspending:)/.test(l.replace(/^> /, "")));
    expect(firmware.map((l) => l.replace(/^> /, ""))).toEqual([
      "suspending: standby",
      "suspend failed: bme280 suspend IO",
      "suspend ok, woke by timer",
      "unknown command 'bogus': type help for the list of commands",
    ]);
    // Summaries after each suspend: the failed one names device and stage, the next its wake cause and energy.
    expect(o).toContain("suspend standby: FAILED IO (bme280 suspend IO; rolled back, devices active)");
    // The summary follows the firmware's closing line, marked as the simulator's, and the prompt comes after it.
    expect(o).toMatch(/\nsuspend ok, woke by timer\n\[sim\] suspend standby: OK, woke by timer\n\[sim\] {3}stage {12}duration {6}slowest device\n(\[sim\] .*\n)+> /);
    expect(o).toMatch(/\[sim\] {3}energy: asleep [0-9.]+ ms at [0-9.]+ [um]A, transitions [0-9.]+ ms at [0-9.]+ mA; [0-9.]+ mC per cycle\n/);
    expect(o).toMatch(/\[sim\] {3}battery: this cycle \([0-9.]+ ms\) repeated, a 2000 mAh battery lasts [0-9.]+ h( \([0-9.]+ days\))? \(--timer-wake sets the sleep length\)\n/);
    // The line after quit never reached the firmware.
    expect(o).not.toContain("phase idle, 8 devices");
  });

  it("end of input quits after the last line ran", async () => {
    const r = rig(false);
    r.input.next("status");
    r.input.complete();
    r.runUntil((o) => o.includes("[sim] quit"));
    const end = await r.done;
    expect([end.code, end.why]).toEqual([0, "end of input"]);
    expect(r.out()).toContain("phase idle, 8 devices, last outcome OK");
  });
});

describe("shell verbs refuse arguments they do not take", () => {
  it("`time x` is an error naming the fix, as `press x` is; `time` alone still answers", () => {
    const s = new Session(bootShellBoard({ seed: 1 }), 2000);
    expect([s.verb("time x"), s.verb("time 1 2"), s.verb("press x")]).toEqual([
      { text: "time takes no arguments (it prints the virtual time and the board phase)", error: true },
      { text: "time takes no arguments (it prints the virtual time and the board phase)", error: true },
      { text: "press takes no arguments (it presses the one BOOT button)", error: true },
    ]);
    // Every runtime phase has a name (re-probing failed devices printed "phase undefined").
    expect(phaseName(P_REPROBING)).toBe("reprobing");
    expect(s.verb("time")).toEqual({ text: expect.stringMatching(/^virtual time [0-9.]+ s, phase idle$/), error: false });
  });
});

describe("interactive shell, raw mode (TTY)", () => {
  it("edits locally, Ctrl-B presses the button, cursor keys are dropped, Ctrl-C quits", async () => {
    const r = rig(true);
    r.runUntil((o) => o.includes("> "));
    r.input.next("tim");
    r.input.next(Uint8Array.of(0x7f));
    r.input.next("me\x1b[A\r");
    r.runUntil((o) => o.includes("phase idle"));
    r.input.next(Uint8Array.of(0x02));
    r.runUntil(() => r.session.board.pm.phase === P_SLEEPING);
    r.input.next("wake uart\r");
    r.runUntil((o) => o.includes("woke on UART input"));
    r.input.next(Uint8Array.of(0x03));
    const end = await r.done;
    expect([end.code, end.why]).toEqual([0, "Ctrl-C"]);
    expect(notices(r.out()).map((l) => l.replace(/time [0-9.]+ s/, "time T s"))).toEqual([
      "virtual time T s, phase idle",
      "button pressed (Ctrl-B)",
      "asleep (standby): press Ctrl-B or type `wake button|uart|timer`",
      "wake uart raised",
      "quit (Ctrl-C) at virtual time T s",
    ]);
    // Local echo: "tim", redrawn as "ti" after DEL, taken down at Enter (the firmware echoes the line); no arrow key bytes.
    // The verb stays on its prompt line as typed; the answer follows, and the prompt comes back below it.
    expect(r.out()).toMatch(/> tim\x08 \x08\x08 \x08\x08 \x08ti\x08 \x08\x08 \x08time\n\[sim\] virtual time [0-9.]+ s, phase idle\n> \r\x1b\[K\[sim\] button pressed/);
    expect(r.out()).not.toContain("[A");
    expect(r.out()).toContain("suspend ok, woke by line 43 (console)");
  });

  it("binary and over-long lines reach the firmware, which refuses them; the next command still works", async () => {
    const r = rig(true);
    r.runUntil((o) => o.includes("> "));
    r.input.next(Uint8Array.from([0x73, 0x74, 0x01, 0xff, 0x0d]));
    r.runUntil((o) => o.includes("line refused"));
    r.input.next("y".repeat(200) + "\r");
    r.runUntil((o) => o.includes("line too long"));
    r.input.next("status\r");
    r.runUntil((o) => o.includes("phase idle"));
    // An emoji is echoed as its bytes, \xHH each (as Latin-1 it was C1 controls in fewer columns than the
    // backspaces that erased it, so the prompt went too); the firmware refuses it naming the first.
    r.input.next(Uint8Array.from([0x78, 0xf0, 0x9f, 0x92, 0xa5]));
    r.input.next("\r");
    r.runUntil((o) => o.includes("byte 0xf0 at column 2"));
    r.input.next("status\r");
    r.runUntil((o) => o.split("phase idle").length === 3);
    r.input.next(Uint8Array.of(0x04));
    expect((await r.done).why).toBe("Ctrl-D");
    const o = r.out();
    expect(o).toContain("> x\\xf0\\x9f\\x92\\xa5");
    expect(/[\x80-\x9f]/.test(o)).toBe(false);
    expect(o).toContain("line refused: byte 0x01 at column 3 is not printable text; retype it (ASCII 0x20-0x7e, tab, backspace)");
    expect(o).toContain("line too long: limit is 128 bytes, line discarded");
    // The firmware echoes only printable bytes: the refused line shows as "st".
    expect(o).toContain("> st\nline refused");
  });

  it("Tab lists device names, Ctrl-L clears the screen and keeps the line being typed", async () => {
    const r = rig(true);
    r.runUntil((o) => o.includes("> "));
    r.input.next("fault \t");
    r.runUntil((o) => o.includes("[sim] i2c0"));
    r.input.next("b\t\x0c");
    r.input.next(Uint8Array.of(0x04));
    await r.done;
    const o = r.out();
    expect(notices(o)[0]).toBe("i2c0  vspi  bme280  flash  led  button  telemetry  console");
    // The list is printed around the typed line, which comes back; after Ctrl-L the prompt and the completed line stay.
    expect(o).toContain("\x1b[2J\x1b[H> fault b");
    expect(o.slice(o.indexOf("\x1b[2J"))).toMatch(/^\x1b\[2J\x1b\[H> fault b(utton )?/);
  });
});

describe("interactive shell, raw mode: a paste", () => {
  it("runs in the order it was typed: a shell verb waits until the firmware has the lines before it", async () => {
    const r = rig(true);
    r.runUntil((o) => o.includes("> "));
    const from = r.out().length;
    // `time` acted at once, before the firmware had `suspend`: it answered "phase idle".
    r.input.next("suspend standby\rtime\r");
    r.runUntil((o) => o.slice(from).includes("virtual time"));
    const o = r.out().slice(from);
    expect(o).toMatch(/\[sim\] virtual time [0-9.]+ s, phase (suspending|asleep \(standby\))/);
    r.input.next(Uint8Array.of(0x04));
    await r.done;
  });
});

describe("interactive shell, raw mode, one key at a time (as a terminal sends them)", () => {
  /** What a terminal shows for `text`: each \b steps back, ESC [ K erases to the end, \r returns. */
  function screenLines(text: string): string[] {
    const rows: string[] = [""];
    let col = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      const row = rows.length - 1;
      if (text.startsWith("\x1b[K", i)) {
        rows[row] = rows[row].slice(0, col);
        i += 2;
      } else if (c === "\r") col = 0;
      else if (c === "\n") {
        rows.push("");
        col = 0;
      } else if (c === "\b") col = Math.max(0, col - 1);
      else {
        rows[row] = rows[row].slice(0, col).padEnd(col) + c + rows[row].slice(col + 1);
        col++;
      }
    }
    return rows.map((l) => l.trimEnd());
  }

  function typeKeys(r: Rig, text: string): void {
    for (const ch of text) {
      r.input.next(ch);
      r.ticks.next(20_000);
    }
  }

  it("[sim] replies start on their own line, the prompt comes back empty, Ctrl-U erases the line", async () => {
    const r = rig(true);
    r.runUntil((o) => o.includes("> "));
    typeKeys(r, "fault bme280\r");
    r.runUntil((o) => o.includes("usage: fault"));
    typeKeys(r, "status\r");
    r.runUntil((o) => o.includes("console   active"));
    r.runUntil(() => r.session.quietFor(100_000));
    // Ctrl-U erases what was typed so far: the firmware gets `status`, not "bogus^Ustatus" (which it refused as a control byte).
    typeKeys(r, "bogus\x15status\r");
    r.runUntil((o) => o.split("console   active").length === 3);
    r.runUntil(() => r.session.quietFor(100_000));
    r.input.next(Uint8Array.of(0x04));
    await r.done;
    const shown = screenLines(r.out());
    const at = shown.indexOf("> fault bme280");
    expect(at).toBeGreaterThan(0);
    expect(shown[at + 1]).toMatch(/^\[sim\] usage: fault DEVICE STAGE MODE/);
    expect(shown[at + 2]).toBe("> status");
    // After the firmware's reply the prompt is empty: the previous command is not drawn again.
    const replies = shown.filter((l) => l.startsWith(">"));
    expect(replies).toEqual(["> fault bme280", "> status", "> status", ">"]);
    expect(r.out()).not.toContain("line refused");
    expect(r.out()).not.toContain("^U");
    expect(r.session.serialLog).not.toContain("bogus");
  });

  it("a test hold's notice says it ends by itself, not how to wake it", () => {
    const r = rig(true);
    r.runUntil((o) => o.includes("> "));
    typeKeys(r, "suspend test=platform\r");
    r.runUntil((o) => o.includes("[sim] asleep"));
    expect(notices(r.out()).find((l) => l.startsWith("asleep"))).toBe("asleep (test=platform hold): a test hold, it ends by itself after 200 ms");
    r.runUntil((o) => o.includes("suspend ok"));
  });
});
