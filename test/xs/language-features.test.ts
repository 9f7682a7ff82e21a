// The language features the device modules use all run on real XS (xsnap), and none of them is a host-only global the ESP32 lacks.
import * as path from "path";
import * as ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { runInXsDetailed, type XsRun } from "./harness";
import { collectModules, compileModule } from "../../scripts/build-firmware";

const FIXTURE = path.join(__dirname, "fixtures", "language-features.ts");
const ROOT = path.join(__dirname, "..", "..");

/** xsnap 0.15.0 (XS 13.3.0): 1 works, 0 absent, -1 wrong result; astralLength is a length. Recorded in FINDINGS.md. */
const XS_13_3: Record<string, number> = {
  es2015Basics: 1, classFields: 1, staticFieldsAndBlock: 1, privateFieldsAndMethods: 1, privateIn: 1, accessorsExtendsSuper: 1,
  optionalChaining: 1, nullishCoalescing: 1, logicalAssignment: 1, optionalCatchBinding: 1, defaultParameter: 1, objectSpread: 1,
  regexLiteral: 1, objectAssign: 1, arrayFill: 1, arrayAt: 1, typedArrayFillSubarraySliceSet: 1, typedArrayAt: 1, mathImul: 1,
  dataViewFloat64: 1, stringPadStartsWith: 1, codePoints: 1,
  // xsnap is built with mxCESU8 (UTF-16 code units, like V8); the ESP32 build is not (1 per code point).
  astralLength: 2,
  charCodeAtAscii: 1,
  // xsnap's own globals; on the device TextEncoder/TextDecoder/structuredClone are modules and the rest do not exist.
  textEncoder: 1, textDecoder: 1, structuredClone: 0, performance: 1, queueMicrotask: 0, setTimeout: 0,
  sharedArrayBuffer: 1, weakRef: 1, finalizationRegistry: 1,
  arrayFindLast: 1, objectHasOwn: 1, errorCause: 1,
};

/** Which probe vouches for each syntax kind found in the device modules. */
const PROBE_OF_KIND: Record<string, string> = {
  "arrow function": "es2015Basics", "let/const": "es2015Basics", "shorthand property": "es2015Basics", "template literal": "es2015Basics",
  "computed property name": "es2015Basics", "spread": "es2015Basics", "rest parameter": "es2015Basics", "destructuring": "es2015Basics",
  "for...of": "es2015Basics", "label": "es2015Basics",
  "class": "accessorsExtendsSuper", "class extends": "accessorsExtendsSuper", "super": "accessorsExtendsSuper", "get/set accessor": "accessorsExtendsSuper",
  "class field": "classFields", "static class field": "staticFieldsAndBlock", "static block": "staticFieldsAndBlock",
  "private name": "privateFieldsAndMethods", "optional chaining": "optionalChaining", "nullish ??": "nullishCoalescing",
  "logical assignment": "logicalAssignment", "optional catch binding": "optionalCatchBinding", "default parameter": "defaultParameter",
  "object spread": "objectSpread", "regex literal": "regexLiteral",
};

/**
 * Globals Node and xsnap have but Moddable's ESP32 build does not (TextEncoder, TextDecoder and
 * structuredClone are modules there; Timer replaces setTimeout; trace replaces console).
 */
const HOST_ONLY_GLOBALS = [
  "TextEncoder", "TextDecoder", "structuredClone", "performance", "queueMicrotask", "setTimeout", "setInterval",
  "setImmediate", "clearTimeout", "console", "process", "Buffer", "require", "globalThis", "WeakRef", "FinalizationRegistry",
];

/** Syntax kinds of one compiled module (ES2015+ only; ES5 needs no proof). */
function syntaxKinds(js: string, name: string, into: Map<string, Set<string>>): void {
  const add = (k: string): void => {
    const set = into.get(k) ?? new Set<string>();
    set.add(name);
    into.set(k, set);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isArrowFunction(n)) add("arrow function");
    else if (ts.isVariableDeclarationList(n) && (n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0) add("let/const");
    else if (ts.isShorthandPropertyAssignment(n)) add("shorthand property");
    else if (ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTaggedTemplateExpression(n)) add("template literal");
    else if (ts.isComputedPropertyName(n)) add("computed property name");
    else if (ts.isSpreadElement(n)) add("spread");
    else if (ts.isSpreadAssignment(n)) add("object spread");
    else if (ts.isParameter(n) && n.dotDotDotToken !== undefined) add("rest parameter");
    else if (ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) add("destructuring");
    else if (ts.isForOfStatement(n)) add("for...of");
    else if (ts.isLabeledStatement(n)) add("label");
    else if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) add(n.heritageClauses !== undefined ? "class extends" : "class");
    else if (n.kind === ts.SyntaxKind.SuperKeyword) add("super");
    else if (ts.isGetAccessor(n) || ts.isSetAccessor(n)) add("get/set accessor");
    else if (ts.isPropertyDeclaration(n)) add(n.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ? "static class field" : "class field");
    else if (ts.isClassStaticBlockDeclaration(n)) add("static block");
    else if (ts.isPrivateIdentifier(n)) add("private name");
    else if (ts.isCatchClause(n) && n.variableDeclaration === undefined) add("optional catch binding");
    else if (ts.isParameter(n) && n.initializer !== undefined) add("default parameter");
    else if (ts.isRegularExpressionLiteral(n)) add("regex literal");
    else if ((ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).asteriskToken !== undefined) || ts.isYieldExpression(n)) add("generator");
    else if (ts.isAwaitExpression(n) || (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))) add("async");
    else if (ts.isBigIntLiteral(n)) add("bigint");
    if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n)) && n.questionDotToken !== undefined) add("optional chaining");
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken) add("nullish ??");
      if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) add("logical assignment");
      if (op === ts.SyntaxKind.AsteriskAsteriskToken) add("exponent");
    }
    ts.forEachChild(n, visit);
  };
  visit(ts.createSourceFile(name + ".mjs", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS));
}

/** Identifiers in value position (not `x.name`, not `{ name: v }` keys) named in `names`, as "module: name". */
function globalUses(js: string, module: string, names: readonly string[], out: string[]): void {
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && names.includes(n.text)) {
      const p = n.parent;
      const isMemberName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n) ||
        ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === n);
      if (!isMemberName) out.push(module + ": " + n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(ts.createSourceFile(module + ".mjs", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS));
}

describe("language features on XS", () => {
  let run: XsRun;
  const kinds = new Map<string, Set<string>>();
  const hostGlobals: string[] = [];

  beforeAll(async () => {
    run = await runInXsDetailed(FIXTURE, Object.keys(XS_13_3).map((command) => ({ command })));
    // Exactly what `npm run build` hands mcconfig: one esbuild-compiled module per TS module main.ts reaches.
    for (const m of collectModules(ROOT)) {
      const js = compileModule(ROOT, m);
      syntaxKinds(js, m.name, kinds);
      globalUses(js, m.name, HOST_ONLY_GLOBALS, hostGlobals);
    }
  }, 120_000);

  it("xsnap carries XS 13.3.0, and every probed feature answers as recorded in FINDINGS.md", () => {
    const got: Record<string, number> = {};
    for (const r of run.results) got[r.command] = r.result;
    expect([run.xsVersion, run.xsnapVersion]).toEqual(["13.3.0", "0.15.0"]);
    expect(got).toEqual(XS_13_3);
  });

  it("every ES2015+ syntax kind in the device modules is vouched for by a probe that passed on XS 13.3", () => {
    const unproven = [...kinds.keys()].filter((k) => PROBE_OF_KIND[k] === undefined || XS_13_3[PROBE_OF_KIND[k]] !== 1);
    expect(unproven, "add a probe to fixtures/language-features.ts and a row to FINDINGS.md for these").toEqual([]);
    // The scan itself works: the device code's class fields and ?? are seen, in the modules that have them.
    expect([kinds.get("class field")?.has("runtime/pm"), kinds.get("nullish ??")?.has("runtime/pm")]).toEqual([true, true]);
  });

  it("the device modules name no host-only global (TextEncoder, structuredClone, performance, setTimeout, console...)", () => {
    const sample: string[] = [];
    globalUses("new TextEncoder(); a.console; ({ performance: 1 }); setTimeout(f, 1);", "sample", HOST_ONLY_GLOBALS, sample);
    expect(sample).toEqual(["sample: TextEncoder", "sample: setTimeout"]);
    expect(hostGlobals).toEqual([]);
  });
});
