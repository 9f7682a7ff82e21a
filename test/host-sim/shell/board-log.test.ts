// --board runs another board (by name or module path); --serial-log writes UART0's output, which viz:convert turns into a timeline.
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { SIM_ESP32_DEVKITC } from "../../../host-sim/boards/esp32-devkitc";
import { BoardError, loadBoard } from "../../../host-sim/cli/board-module";
import { bootShellBoard } from "../../../host-sim/cli/devkitc";
import { parseScenario } from "../../../host-sim/cli/scenario";
import { runScenario } from "../../../host-sim/cli/scenario-run";
import { SerialLog } from "../../../host-sim/cli/serial-log";
import { Session } from "../../../host-sim/cli/session";
import { convert, parseConvertArgs } from "../../../host-sim/viz/convert";

const ROOT = join(__dirname, "../../..");
const SUSPEND = parseScenario("suspend.yaml", [
  "name: suspend",
  "steps:",
  "  - wait-serial: \"type help\"",
  "  - delay: 500ms",
  "  - write-serial: \"suspend standby\"",
  "  - delay: 1s",
  "  - wake: timer",
  "  - wait-serial: \"suspend ok\"",
].join("\n") + "\n");

describe("--board", () => {
  it("moddable-two boots the simulated Moddable Two: its devices, a suspend that wakes by timer", () => {
    const s = new Session(bootShellBoard({ seed: 1, wiring: loadBoard("moddable-two") }), 2000);
    expect(s.board.name).toBe("Moddable Two (simulated)");
    expect(s.deviceNames()).toEqual(["spi", "i2c", "display", "touch", "backlight", "button", "console"]);
    expect(runScenario(SUSPEND, s).failure).toBeNull();
  });

  it("a module path gives its SimBoardWiring (a value or a wiring function); bad names and paths say what to give", () => {
    // Loaded through ts-node, so a separate module instance: the same data, not the same object.
    expect(loadBoard(join(ROOT, "host-sim/boards/esp32-devkitc.ts"))).toStrictEqual(SIM_ESP32_DEVKITC);
    expect(loadBoard(join(ROOT, "host-sim/boards/moddable-two.ts")).definition.name).toBe("Moddable Two");
    expect(() => loadBoard("moddable-three")).toThrow(new BoardError("--board moddable-three is not a board; use esp32-devkitc or moddable-two, or a path to a board module"));
    expect(() => loadBoard("./no/such/board.ts")).toThrow(/^--board \.\/no\/such\/board\.ts: cannot load it \(Cannot find module .*\); give the path of a \.ts board module$/);
  });

  it("a bare board definition with a driver of its own names the device and says to pass its wiring module instead", () => {
    const spec = join(ROOT, "test/host-sim/shell/fixtures/own-driver-board.ts");
    expect(() => loadBoard(spec)).toThrow(new BoardError("--board " + spec + ": device \"station\" uses driver \"station\", which the shipped drivers do not have: pass the module " +
      "that exports this board's SimBoardWiring with its drivers instead of the bare board definition"));
  });
});

describe("--serial-log", () => {
  it("holds what the board sent, closed with status, devices and a trace dump that viz:convert draws", () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-log-"));
    const path = join(dir, "uart0.log");
    const log = new SerialLog(path);
    const s = new Session(bootShellBoard({ seed: 1 }), 2000);
    log.attach(s);
    expect(runScenario(SUSPEND, s).failure).toBeNull();
    s.advance(200_000);
    expect(log.closeWithCapture(s)).toMatch(/^serial log .*uart0\.log \(\d+ bytes\): status, devices and trace dump appended: npm run viz:convert -- --dump .*uart0\.log --html timeline\.html$/);
    const text = readFileSync(path, "utf8");
    expect(text.startsWith("quiesce console: type help for the list of commands\r\n> suspend standby\r\nsuspending: standby\r\n")).toBe(true);
    expect(text).toBe(s.serialLog);
    const html = join(dir, "timeline.html");
    const lines = convert(parseConvertArgs(["--dump", path, "--html", html]));
    expect(lines[0]).toMatch(/^\d+ records, 8 devices, 1 attempts$/);
    expect(readFileSync(html, "utf8")).toContain("data-device=\"bme280\"");
  });

  it("an unwritable file is named with the fix", () => {
    // main.ts refuses a missing folder before this (output-paths.ts); what is left at the open is named by its code.
    expect(() => new SerialLog("/no/such/dir/uart0.log")).toThrow(new Error("--serial-log /no/such/dir/uart0.log: cannot open it for writing (ENOENT); give a writable path in an existing folder"));
  });
});
