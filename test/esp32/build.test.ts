// scripts/build-firmware.ts: one JS module per TS module, native() bodies kept in the shape xsc turns into host functions; applications' imports become module names.
import * as path from "path";
import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import { buildApp, collectApp, collectModules, compileAppModule, compileModule, valueImports } from "../../scripts/build-firmware";

const ROOT = path.resolve(__dirname, "../..");

describe("firmware build", () => {
  it("keeps each native() wrapper as `function f(args) { return native(\"xs_…\").call(this, args); }`", () => {
    const js = compileModule(ROOT, { name: "boards/esp32/native", source: "boards/esp32/native.ts" });
    expect(js).toContain('function lightSleep(wakeMask, highMask, uartPort, uartThreshold, uartLine, timerUs) {\n' +
      '  return native("xs_quiesce_light_sleep").call(this, wakeMask, highMask, uartPort, uartThreshold, uartLine, timerUs);\n}');
    expect(js).not.toMatch(/declare|: number/);
  });

  it("follows value imports only; the firmware is the library plus main.ts, Moddable's specifiers and quiesce-board external", () => {
    expect(valueImports('import type { A } from "./a";\nimport { b } from "./b";\nexport { c } from "../c";\nexport type { D } from "./d";\nimport Timer from "timer";'))
      .toEqual(["./b", "../c", "timer"]);
    const names = collectModules(ROOT).map((m) => m.name);
    expect(names[names.length - 1]).toBe("main");
    expect(["runtime/pm", "boards/boot", "boards/esp32/native", "boards/esp32/platform", "boards/esp32/irq-source", "boards/esp32/start"].filter((n) => !names.includes(n))).toEqual([]);
    // Nothing Node-only or simulator-only reaches the device; boards/drivers.ts (every driver) is the simulator's.
    expect(names.filter((n) => n.startsWith("host-sim/") || n.startsWith("test/") || n.includes("/sim") || n === "boards/drivers")).toEqual([]);
    const main = collectApp(ROOT, "main.ts");
    expect(main.map((m) => m.name)).toEqual(["main"]);
    expect(compileAppModule(main[0])).toMatch(/from "boards\/esp32\/start";[\s\S]*from "console\/console-app";[\s\S]*from "quiesce-board";/);
  });

  it("an application's \"quiesce/…\" and relative imports become module names; its own modules are named by their path", () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), "quiesce-app-"));
    try {
      fs.writeFileSync(path.join(app, "main.ts"), 'import { startEsp32 } from "quiesce/esp32";\nimport { OK } from "quiesce";\nimport { hello } from "./lib/hello";\nimport Timer from "timer";\nexport default [startEsp32, OK, hello, Timer];\n');
      fs.mkdirSync(path.join(app, "lib"));
      fs.writeFileSync(path.join(app, "lib", "hello.ts"), 'import { PENDING } from "quiesce/runtime/status";\nexport const hello: number = PENDING;\n');
      const out = path.join(app, "build", "xs");
      const built = buildApp(app, "main.ts", out, ROOT);
      expect(built.map((m) => m.name)).toEqual(["lib/hello", "main"]);
      const mainJs = fs.readFileSync(path.join(out, "main.js"), "utf8");
      expect(mainJs).toContain('from "boards/esp32/index"');
      expect(mainJs).toContain('from "runtime/index"');
      expect(mainJs).toContain('from "lib/hello"');
      expect(mainJs).toContain('from "timer"');
      expect(fs.readFileSync(path.join(out, "lib", "hello.js"), "utf8")).toContain('from "runtime/status"');
      expect(JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"))).toEqual({ modules: { "lib/hello": "./lib/hello", main: "./main" }, preload: [] });
      fs.writeFileSync(path.join(app, "main.ts"), 'import * as fs from "fs";\nexport default fs;\n');
      expect(() => buildApp(app, "main.ts", out, ROOT)).toThrow(/main.ts: import "fs" is not a device module: import quiesce as "quiesce\/…"/);
      fs.writeFileSync(path.join(app, "main.ts"), 'import { SimBoard } from "quiesce/sim";\nexport default SimBoard;\n');
      expect(() => buildApp(app, "main.ts", out, ROOT)).toThrow(/main.ts: import "quiesce\/sim" reaches .*host-sim.*outside the application and quiesce's device modules/);
      fs.writeFileSync(path.join(app, "main.ts"), 'import { x } from "quiesce/nothing/here";\nexport default x;\n');
      expect(() => buildApp(app, "main.ts", out, ROOT)).toThrow(/import "quiesce\/nothing\/here" is not exported by quiesce \(package.json exports\): use one of quiesce, quiesce\/runtime/);
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  });
});
