// scripts/build-firmware.ts: one JS module per TS module, native() bodies kept in the shape xsc turns into host functions.
import * as path from "path";
import { describe, expect, it } from "vitest";
import { collectModules, compileModule, valueImports } from "../../scripts/build-firmware";

const ROOT = path.resolve(__dirname, "../..");

describe("firmware build", () => {
  it("keeps each native() wrapper as `function f(args) { return native(\"xs_…\").call(this, args); }`", () => {
    const js = compileModule(ROOT, { name: "boards/esp32/native", source: "boards/esp32/native.ts" });
    expect(js).toContain('function lightSleep(wakePin, wakeLevel, uartPort, uartThreshold, uartLine, timerUs) {\n' +
      '  return native("xs_quiesce_light_sleep").call(this, wakePin, wakeLevel, uartPort, uartThreshold, uartLine, timerUs);\n}');
    expect(js).not.toMatch(/declare|: number/);
  });

  it("follows value imports only, from main.ts, leaving Moddable's specifiers external", () => {
    expect(valueImports('import type { A } from "./a";\nimport { b } from "./b";\nexport { c } from "../c";\nexport type { D } from "./d";\nimport Timer from "timer";'))
      .toEqual(["./b", "../c", "timer"]);
    const names = collectModules(ROOT).map((m) => m.name);
    expect(names[names.length - 1]).toBe("main");
    expect(["runtime/pm", "boards/boot", "boards/esp32/native", "boards/esp32/platform", "boards/esp32/irq-source"].filter((n) => !names.includes(n))).toEqual([]);
    // Nothing Node-only or simulator-only reaches the device.
    expect(names.filter((n) => n.startsWith("host-sim/") || n.startsWith("test/") || n.includes("/sim"))).toEqual([]);
  });
});
