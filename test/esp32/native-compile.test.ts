// Compiles boards/esp32/quiesce-native.c with the host C compiler against XS's real headers and the ESP-IDF v6.0 shim: no warning allowed.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const SOURCE = path.join(ROOT, "boards/esp32/quiesce-native.c");
// @agoric/xsnap ships the Moddable XS headers it builds against (xsmc.h includes xs.h from the same folder).
const XS_INCLUDES = path.join(ROOT, "node_modules/@agoric/xsnap/moddable/xs/includes");
const SHIM = path.join(ROOT, "boards/esp32/idf-shim");

function compile(file: string, defines: string[] = []): { ok: boolean; output: string } {
  const args = ["-std=gnu11", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-I", SHIM, "-I", XS_INCLUDES, ...defines, file];
  try {
    const out = execFileSync("cc", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { ok: true, output: out };
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    return { ok: false, output: (err.stderr ?? "") + (err.stdout ?? "") };
  }
}

/** The host callbacks native.ts names, in the order they appear there. */
function nativeNames(ts: string): string[] {
  const out: string[] = [];
  const re = /native\("(xs_[a-z_]+)"\)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(ts)) !== null) out.push(m[1]);
  return out;
}

describe("quiesce-native.c (host syntax check)", () => {
  it("finds the XS headers and the ESP-IDF shim", () => {
    expect([fs.existsSync(path.join(XS_INCLUDES, "xsmc.h")), fs.existsSync(path.join(XS_INCLUDES, "xs.h")), fs.existsSync(path.join(SHIM, "esp_sleep.h"))])
      .toEqual([true, true, true]);
  });

  it("compiles with -Wall -Wextra -Werror, release and debug (mxDebug), single- and dual-core", () => {
    const variants = [[], ["-DmxDebug=1"], ["-DCONFIG_FREERTOS_UNICORE=1"]];
    const results = variants.map((d) => compile(SOURCE, d));
    expect(results.map((r) => r.output)).toEqual(["", "", ""]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
  });

  it("defines every host callback native.ts calls, and no other xs_ function", () => {
    const ts = fs.readFileSync(path.join(ROOT, "boards/esp32/native.ts"), "utf8");
    const c = fs.readFileSync(SOURCE, "utf8");
    const defined: string[] = [];
    const re = /^void (xs_[a-z_]+)\(xsMachine \*the\)\n\{/gm;
    let m: RegExpExecArray | null;
    while ((m = re.exec(c)) !== null) defined.push(m[1]);
    expect([...defined].sort()).toEqual([...nativeNames(ts)].sort());
  });

  it("fails on a warning (the check is live)", () => {
    const bad = path.join(require("os").tmpdir(), "quiesce-native-warning-" + process.pid + ".c");
    fs.writeFileSync(bad, '#include <stddef.h>\n#include "xsmc.h"\nvoid xs_bad(xsMachine *the);\nvoid xs_bad(xsMachine *the) { int unused; }\n');
    const r = compile(bad);
    fs.rmSync(bad, { force: true });
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/unused variable .unused./);
  });

  it("reads wake causes with v6.0's esp_sleep_get_wakeup_causes; the deprecated single-cause call fails the check", () => {
    const c = fs.readFileSync(SOURCE, "utf8");
    expect(c.match(/esp_sleep_get_wakeup_causes\(\)/g)?.length).toBe(2);
    expect(c).not.toMatch(/esp_sleep_get_wakeup_cause\(\)/);
    const old = path.join(require("os").tmpdir(), "quiesce-native-deprecated-" + process.pid + ".c");
    fs.writeFileSync(old, '#include "esp_sleep.h"\nint cause(void);\nint cause(void) { return (int)esp_sleep_get_wakeup_cause(); }\n');
    const r = compile(old);
    fs.rmSync(old, { force: true });
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/deprecated/);
  });
});
