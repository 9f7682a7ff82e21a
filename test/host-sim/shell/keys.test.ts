// Raw-mode keys as a terminal sends them: line history, tab completion, Ctrl-L, a configurable button key.
import { from, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { completions } from "../../../host-sim/cli/complete";
import { type KeyEvent, keyEvents, parseButtonKey } from "../../../host-sim/cli/keys";
import { UsageError, parseArgs } from "../../../host-sim/cli/args";

const DEVICES = ["i2c0", "vspi", "bme280", "flash", "led", "button", "telemetry", "console"];

async function keys(chunks: string[], buttonKey?: number): Promise<KeyEvent[]> {
  return lastValueFrom(from(chunks).pipe(keyEvents(true, { buttonKey, complete: (l) => completions(l, DEVICES) }), toArray()));
}

/** Only the lines sent and the final echo, which is what the user sees and the firmware gets. */
function lines(events: KeyEvent[]): string[] {
  return events.filter((e) => e.kind === "line").map((e) => (e as { text: string }).text);
}

describe("line history", () => {
  it("Up recalls earlier lines newest first, Down walks back to the line being typed", async () => {
    const ev = await keys(["status\r", "suspend standby\r", "\x1b[A\x1b[A\r", "sta", "\x1b[A\x1b[B\r", "\x1b[A\x1b[A\x1b[A\x1b[A\r"]);
    expect(lines(ev)).toEqual(["status", "suspend standby", "status", "sta", "status"]);
  });

  it("shows the recalled line as it is recalled", async () => {
    const ev = await keys(["devices\r", "x\x1b[A"]);
    expect(ev.filter((e) => e.kind === "edit").map((e) => (e as { display: string }).display)).toEqual(["", "devices"]);
  });
});

describe("tab completion", () => {
  it("completes commands, device names and arguments; several candidates are listed", async () => {
    const ev = await keys(["sus\tst\t\r", "fault bm\tsu\tth\t\r", "fault \t", "\x15"]);
    expect(lines(ev)).toEqual(["suspend standby ", "fault bme280 suspend throw "]);
    expect(ev.filter((e) => e.kind === "candidates")).toEqual([{ kind: "candidates", words: DEVICES }]);
  });

  it("knows each command's grammar", () => {
    expect(completions("", DEVICES)).toEqual(["help", "status", "devices", "stats", "trace", "suspend", "recover", "locks", "policy", "rpm", "press", "wake", "fault", "time", "quit"]);
    expect(completions("reco", DEVICES)).toEqual(["recover"]);
    expect(completions("recover ", DEVICES)).toEqual([...DEVICES]);
    expect(completions("s", DEVICES)).toEqual(["status", "stats", "suspend"]);
    expect(completions("wake ", DEVICES)).toEqual(["button", "uart", "timer"]);
    expect(completions("suspend hibernate t", DEVICES)).toEqual(["test=devices", "test=platform"]);
    expect(completions("fault led suspend ", DEVICES)).toEqual(["fail", "hang", "late", "throw", "none"]);
    expect(completions("trace ", DEVICES)).toEqual(["all", "dump"]);
    expect(completions("status x", DEVICES)).toEqual([]);
  });
});

describe("control keys", () => {
  it("Ctrl-L clears; the button key is Ctrl-B by default and configurable, and then Ctrl-B is plain input", async () => {
    expect((await keys(["\x0c\x02"])).map((e) => e.kind)).toEqual(["clear", "press", "quit"]);
    const g = parseButtonKey("ctrl-g");
    expect(g).toBe(0x07);
    expect((await keys(["\x07\x02\r"], g)).map((e) => e.kind)).toEqual(["press", "edit", "line", "quit"]);
    expect(lines(await keys(["\x07\x02\r"], g))).toEqual(["\x02"]);
  });

  it("--button-key accepts ctrl-x, C-x and ^X and refuses keys the shell or the tty own", () => {
    expect(["ctrl-g", "C-g", "^G", "Ctrl-P"].map((k) => parseArgs(["--button-key", k]).buttonKey)).toEqual([7, 7, 7, 16]);
    expect(() => parseArgs(["--button-key", "ctrl-c"])).toThrow(new UsageError(
      "--button-key: Ctrl-C is taken (Ctrl-C/D quit, Ctrl-L clears, Ctrl-U/W erase, Tab/Enter/Backspace, flow control); pick another, e.g. ctrl-g"));
    expect(() => parseArgs(["--button-key", "F5"])).toThrow("--button-key: button key `F5` is not a control key; write e.g. ctrl-g, C-g or ^G");
  });
});

describe("line editing, one key per chunk as a terminal sends them", () => {
  it("Enter takes the local echo down even when the keys came in earlier chunks", async () => {
    const ev = await keys([..."status", "\r"]);
    expect(ev.slice(-3)).toEqual([{ kind: "edit", display: "" }, { kind: "line", text: "status" }, { kind: "quit", why: "end of input" }]);
  });

  it("Ctrl-U erases the line, Ctrl-W its last word; neither reaches the firmware", async () => {
    const ev = await keys(["bogus", "\x15", "status\r", "fault led ", "\x17", "\x17", "time\r"]);
    expect(lines(ev)).toEqual(["status", "time"]);
    expect(ev.filter((e) => e.kind === "edit").map((e) => (e as { display: string }).display)).toEqual(["bogus", "", "", "fault led ", "fault ", "", ""]);
    expect(() => parseButtonKey("ctrl-u")).toThrow("Ctrl-U is taken");
  });
});

describe("piped input", () => {
  async function piped(chunks: string[]): Promise<string[]> {
    return lines(await lastValueFrom(from(chunks).pipe(keyEvents(false, { complete: (l) => completions(l, DEVICES) }), toArray())));
  }

  it("a line ends at CR, LF or CR LF, as the firmware's console reads them; a CR LF split over two chunks is one end", async () => {
    expect(await piped(["status\rquit\r"])).toEqual(["status", "quit"]);
    expect(await piped(["time\r\n\r\nquit\n"])).toEqual(["time", "", "quit"]);
    expect(await piped(["devices\r", "\nstats\n\n"])).toEqual(["devices", "stats", ""]);
  });

  it("a last line without an end still counts", async () => {
    expect(await piped(["status\nsuspend standby"])).toEqual(["status", "suspend standby"]);
  });
});
