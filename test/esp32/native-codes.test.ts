// The codes quiesce-native.c shares with TypeScript (wake causes, reset reasons, counters, image results and fields) have the same value on both sides.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const C_SOURCE = "boards/esp32/quiesce-native.c";
/** Where the TypeScript twins live: the runtime's wake causes, the native face's own codes, and the wake plan's (ext1 modes, GPIO count). */
const TS_SOURCES = ["runtime/status.ts", "boards/esp32/native.ts", "boards/esp32-wake.ts"];

/** C-only macros and why no TypeScript code reads them. */
const C_ONLY: { readonly [name: string]: string } = {
  MODDEF_QUIESCE_RTCIMAGEBYTES: "a default for the manifest's defines.quiesce.rtcImageBytes, not a code",
  QUIESCE_IMAGE_MAGIC: "marks the RTC header only C reads and writes; JavaScript sees imageInfo(IMAGE_INFO_VALID)",
};

/** Integer `#define NAME value` lines (value decimal or hex, optionally negative, parenthesised, unsigned). */
function cDefines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]+\(?[ \t]*(-?[ \t]*(?:0x[0-9a-fA-F]+|\d+))[uUlL]*[ \t]*\)?[ \t]*(?:\/[*/].*)?$/gm)) {
    out.set(m[1], Number(m[2].replace(/\s/g, "")));
  }
  return out;
}

/** Top-level `const NAME = <integer>` declarations (exported or not) of a TypeScript module. */
function tsConstants(file: string, text: string): Map<string, number> {
  const out = new Map<string, number>();
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const value = (e: ts.Expression): number | null => {
    if (ts.isNumericLiteral(e)) return Number(e.text);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
    return null;
  };
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const v = d.initializer === undefined ? null : value(d.initializer);
      if (ts.isIdentifier(d.name) && v !== null) out.set(d.name.text, v);
    }
  }
  return out;
}

function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), "utf8");
}

describe("codes shared by quiesce-native.c and TypeScript", () => {
  const c = cDefines(read(C_SOURCE));
  const twins = TS_SOURCES.map((file) => ({ file, codes: tsConstants(file, read(file)) }));

  it("parses the C macros and the TypeScript constants", () => {
    // Guards the parsers: a format change that hid every code would otherwise pass.
    expect([c.get("WAKE_TIMER"), c.get("RESET_OTHER"), c.get("STAT_COUNT"), c.get("IMAGE_IN_FLASH"), c.get("QUIESCE_IMAGE_MAGIC")])
      .toEqual([-2, 5, 8, -4, 0x51534345]);
    expect(twins[0].codes.get("WAKE_RESET")).toBe(-4);
    expect(twins[1].codes.get("IMAGE_BAD_CHECKSUM")).toBe(-2);
  });

  it("every C code has a TypeScript twin with the same value", () => {
    const problems: string[] = [];
    for (const [name, value] of c) {
      if (name in C_ONLY) continue;
      const found = twins.filter((t) => t.codes.has(name));
      if (found.length === 0) {
        problems.push(name + ": " + C_SOURCE + " defines " + value + " but neither " + TS_SOURCES.join(" nor ") + " has it: add it there, or to C_ONLY with the reason");
      }
      for (const t of found) {
        const other = t.codes.get(name);
        if (other !== value) problems.push(name + ": " + C_SOURCE + " says " + value + ", " + t.file + " says " + other + ": make them equal");
      }
    }
    expect(problems).toEqual([]);
  });

  it("the native face names no code C lacks, and status.ts and native.ts agree where both define a name", () => {
    const problems: string[] = [];
    // A face constant in a C family (RESET_, STAT_, IMAGE_) with no C macro is a code the C never returns.
    for (const [name, value] of twins[1].codes) {
      if (/^(RESET|STAT|IMAGE|WAKE)_/.test(name) && !c.has(name)) problems.push(name + ": boards/esp32/native.ts says " + value + " but " + C_SOURCE + " has no #define: add it there");
    }
    for (const [name, value] of twins[0].codes) {
      const other = twins[1].codes.get(name);
      if (other !== undefined && other !== value) problems.push(name + ": runtime/status.ts says " + value + ", boards/esp32/native.ts says " + other);
    }
    expect(problems).toEqual([]);
  });

  it("every C-only macro still exists", () => {
    expect(Object.keys(C_ONLY).filter((n) => !c.has(n)).map((n) => n + ": gone from " + C_SOURCE + "; delete it from C_ONLY")).toEqual([]);
  });

  it("the parsers read the forms the sources use (self-test)", () => {
    const defs = cDefines("#define A (-2)\n#define B 0x10u /* hex */\n  #define C 7 // seven\n#define D(x) (x)\n#define E \"text\"");
    expect([...defs]).toEqual([["A", -2], ["B", 16], ["C", 7]]);
    expect([...tsConstants("x.ts", "export const A = -2;\nconst B = 0x10;\nexport const C = \"c\";\nexport let D = 1;")]).toEqual([["A", -2], ["B", 16], ["D", 1]]);
  });
});
