// The boot line the firmware prints (boards/esp32/boot-line.ts) is the one README.md and docs/flash-esp32.md quote.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { bootLine, CONSOLE_DEBUG_OFF, CONSOLE_ON_UART0 } from "../../boards/esp32/boot-line";
import { ESP32_DEVKITC } from "../../boards/esp32-devkitc/board";

const ROOT = path.resolve(__dirname, "../..");

describe("boot line", () => {
  const line = bootLine(ESP32_DEVKITC.name, false, ESP32_DEVKITC.devices.length, CONSOLE_ON_UART0);

  it("names the board, how it booted, its devices and where the console is", () => {
    expect(line).toBe("quiesce: ESP32-DevKitC V4 booted, 8 devices, console on UART0 (115200 8N1): type help");
    expect(bootLine("Moddable Two", true, 7, CONSOLE_DEBUG_OFF)).toBe("quiesce: Moddable Two resumed from hibernate, 7 devices, debug build: console off (UART0 is xsbug)");
  });

  it("README.md and docs/flash-esp32.md quote it as printed", () => {
    for (const doc of ["README.md", "docs/flash-esp32.md"]) expect(fs.readFileSync(path.join(ROOT, doc), "utf8"), doc).toContain(line);
  });
});
