// Allocation lint: walks TypeScript sources and reports constructs that allocate on XS (DESIGN.md "Zero allocation").
import ts from "typescript";
import { applyEscapes, Escape, parseEscapes, Violation } from "./alloc-lint-escapes";

export { Escape, Violation } from "./alloc-lint-escapes";

/** The allocation rules, in the order the design lists the constructs. */
export const RULES = [
  "for-of",
  "spread",
  "rest",
  "arguments",
  "async",
  "promise",
  "generator",
  "template",
  "array-destructuring",
  "closure",
  "new-error",
] as const;
export type Rule = (typeof RULES)[number];

/** Findings about escape comments themselves; they cannot be escaped. */
export const ESCAPE_RULES = ["bad-escape", "unused-escape"] as const;

/** Boot code runs once before any suspend, so it may allocate closures and errors. */
export const BOOT_PREFIXES: readonly string[] = ["boot", "create", "make", "build"];
export const BOOT_NAMES: readonly string[] = ["constructor", "seal", "register"];

export interface LintOptions {
  /** Rules that do not fire inside boot functions and constructors. Default: closure, new-error, template. */
  bootExempt?: readonly Rule[];
}

export interface FileReport {
  file: string;
  violations: Violation[];
  escapes: Escape[];
}

/** Where code runs: at module load, or inside a function that may or may not be boot code. */
interface Ctx {
  boot: boolean;
  inFunction: boolean;
  where: string;
}

const TOP: Ctx = { boot: false, inFunction: false, where: "module top level" };
const ERROR_NAME = /^(?:[A-Z][A-Za-z0-9]*)?Error$/;

type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

function isFunctionLike(n: ts.Node): n is FunctionLike {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n)
  );
}

function hasModifier(n: ts.Node, kind: ts.SyntaxKind): ts.Modifier | undefined {
  const mods = ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined;
  if (mods === undefined) return undefined;
  for (let i = 0; i < mods.length; i++) if (mods[i].kind === kind) return mods[i];
  return undefined;
}

function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text.slice(1);
  return undefined;
}

/** The name a function is known by: its own, or the variable, property or field it is assigned to. */
export function functionName(fn: FunctionLike): string | undefined {
  if (ts.isConstructorDeclaration(fn)) return "constructor";
  const own = propertyNameText(fn.name);
  if (own !== undefined) return own;
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) return propertyNameText(p.name);
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === fn) {
    if (ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
    if (ts.isIdentifier(p.left)) return p.left.text;
  }
  return undefined;
}

/** Boot functions: constructors, seal/register, boot*, create*, make*, build*, or tagged `@boot` in JSDoc. */
export function isBootFunction(fn: FunctionLike): boolean {
  const name = functionName(fn);
  if (name !== undefined) {
    if (BOOT_NAMES.indexOf(name) >= 0) return true;
    for (let i = 0; i < BOOT_PREFIXES.length; i++) if (name.startsWith(BOOT_PREFIXES[i])) return true;
  }
  const tags = ts.getJSDocTags(fn);
  for (let i = 0; i < tags.length; i++) if (tags[i].tagName.text === "boot") return true;
  return false;
}

function describe(fn: FunctionLike): string {
  const name = functionName(fn);
  return name === undefined ? "an anonymous function" : `\`${name}\``;
}

/** Nodes that exist only for the type checker and emit no code. */
function isTypeOnly(n: ts.Node): boolean {
  if (ts.isExpressionWithTypeArguments(n)) return false;
  if (ts.isTypeNode(n)) return true;
  switch (n.kind) {
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.TypeAliasDeclaration:
    case ts.SyntaxKind.TypeParameter:
    case ts.SyntaxKind.IndexSignature:
      return true;
    case ts.SyntaxKind.ImportDeclaration:
      return (n as ts.ImportDeclaration).importClause?.isTypeOnly === true;
    case ts.SyntaxKind.ExportDeclaration:
      return (n as ts.ExportDeclaration).isTypeOnly;
  }
  if (hasModifier(n, ts.SyntaxKind.DeclareKeyword) !== undefined) return true;
  if (hasModifier(n, ts.SyntaxKind.AbstractKeyword) !== undefined && !ts.isClassLike(n)) return true;
  // Overload signatures and bodiless declarations.
  if (isFunctionLike(n) && n.body === undefined) return true;
  return false;
}

/** True for an array/object literal that is the target of a destructuring assignment. */
function isAssignmentTarget(n: ts.Node): boolean {
  const p = n.parent;
  if (p === undefined) return false;
  if (ts.isBinaryExpression(p)) return p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === n;
  if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.initializer === n) return true;
  if (ts.isArrayLiteralExpression(p) || ts.isObjectLiteralExpression(p)) return isAssignmentTarget(p);
  if (ts.isSpreadElement(p) || ts.isSpreadAssignment(p)) return isAssignmentTarget(p);
  if (ts.isPropertyAssignment(p) && p.initializer === n) return isAssignmentTarget(p.parent);
  return false;
}

/** True when an identifier reads a binding (not a declared name, member name or label). */
function isValueReference(id: ts.Identifier): boolean {
  const p = id.parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node; label?: ts.Node };
  if (ts.isShorthandPropertyAssignment(p)) return true;
  if (p.name === id || p.propertyName === id || p.label === id) return false;
  return !(ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isQualifiedName(p));
}

/** Lints one source text. `file` is only used in the reports. */
export function lintSource(file: string, text: string, options: LintOptions = {}): FileReport {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const exempt = new Set<string>(options.bootExempt ?? ["closure", "new-error", "template"]);
  const found: Violation[] = [];

  const report = (at: ts.Node, ctx: Ctx, rule: Rule, message: string): void => {
    if (ctx.boot && exempt.has(rule)) return;
    const lc = sf.getLineAndCharacterOfPosition(at.getStart(sf));
    found.push({ file, line: lc.line + 1, col: lc.character + 1, rule, message });
  };
  const bootHint = "create it once in a constructor or boot function (boot*, create*, make*, build*, seal, register, or /** @boot */)";

  const visitFunction = (fn: FunctionLike, ctx: Ctx): void => {
    const isExpr = ts.isArrowFunction(fn) || ts.isFunctionExpression(fn);
    const inLiteral = ts.isObjectLiteralExpression(fn.parent);
    if (isExpr || inLiteral || (ts.isFunctionDeclaration(fn) && ctx.inFunction)) {
      const kind = ts.isArrowFunction(fn) ? "arrow function" : inLiteral ? "object-literal method" : "function";
      report(fn, ctx, "closure", `${kind} ${describe(fn)} is created in ${ctx.where} and allocates a closure; ${bootHint}`);
    }
    const asyncMod = hasModifier(fn, ts.SyntaxKind.AsyncKeyword);
    if (asyncMod !== undefined) {
      report(asyncMod, ctx, "async", `async function ${describe(fn)} allocates a Promise per call; answer a status from runtime/status.ts and complete through a callback bound at boot`);
    }
    if (fn.asteriskToken !== undefined) {
      report(fn.asteriskToken, ctx, "generator", `generator ${describe(fn)} allocates an iterator and a frame per call; keep its state in typed arrays and use an indexed loop`);
    }
    const inner: Ctx = { boot: isBootFunction(fn), inFunction: true, where: describe(fn) };
    ts.forEachChild(fn, (c) => visit(c, inner));
  };

  const visitClass = (cls: ts.ClassLikeDeclaration, ctx: Ctx): void => {
    if (ctx.inFunction) {
      report(cls, ctx, "closure", `class declared in ${ctx.where} creates a constructor and methods on each call; declare it at module level`);
    }
    const name = cls.name === undefined ? "class" : `class \`${cls.name.text}\``;
    for (let i = 0; i < cls.members.length; i++) {
      const m = cls.members[i];
      if (ts.isPropertyDeclaration(m) && hasModifier(m, ts.SyntaxKind.StaticKeyword) === undefined) {
        // Instance field initializers run inside the constructor.
        visit(m, { boot: true, inFunction: true, where: `the constructor of ${name}` });
      } else {
        visit(m, ctx);
      }
    }
    ts.forEachChild(cls, (c) => {
      if (!ts.isClassElement(c)) visit(c, ctx);
    });
  };

  const visit = (n: ts.Node, ctx: Ctx): void => {
    if (isTypeOnly(n)) return;
    if (ts.isExpressionWithTypeArguments(n)) {
      // Code only in `class A extends f(...)` and instantiation expressions; `implements` and interface
      // `extends` are types. The type arguments never are code.
      const h = n.parent;
      if (!ts.isHeritageClause(h) || (h.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(h.parent))) visit(n.expression, ctx);
      return;
    }
    if (isFunctionLike(n)) return visitFunction(n, ctx);
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return visitClass(n, ctx);
    switch (n.kind) {
      case ts.SyntaxKind.ForOfStatement: {
        const f = n as ts.ForOfStatement;
        report(f, ctx, "for-of", "for...of allocates an iterator (and its results); use an indexed for loop");
        if (f.awaitModifier !== undefined) report(f.awaitModifier, ctx, "async", "for await allocates Promises per step; use an indexed for loop");
        break;
      }
      case ts.SyntaxKind.SpreadElement:
        if (isAssignmentTarget(n)) report(n, ctx, "rest", "rest element allocates a new array; read the elements by index");
        else report(n, ctx, "spread", "spread allocates a new array or argument list; copy with an indexed loop or pass arguments explicitly");
        break;
      case ts.SyntaxKind.SpreadAssignment:
        if (isAssignmentTarget(n)) report(n, ctx, "rest", "object rest allocates a new object; read the properties you need");
        else report(n, ctx, "spread", "object spread allocates a new object; write the fields into an object made at boot");
        break;
      case ts.SyntaxKind.Parameter: {
        const p = n as ts.ParameterDeclaration;
        if (p.dotDotDotToken !== undefined) report(p.dotDotDotToken, ctx, "rest", "rest parameter allocates an array on every call; declare fixed parameters");
        break;
      }
      case ts.SyntaxKind.BindingElement: {
        const b = n as ts.BindingElement;
        if (b.dotDotDotToken !== undefined) report(b.dotDotDotToken, ctx, "rest", "rest element allocates a new array or object; read the elements you need");
        break;
      }
      case ts.SyntaxKind.Identifier: {
        const id = n as ts.Identifier;
        if (id.text === "arguments" && isValueReference(id)) {
          report(id, ctx, "arguments", "`arguments` allocates an arguments object; use named parameters");
        } else if (id.text === "Promise" && isValueReference(id)) {
          report(id, ctx, "promise", "Promise allocates (and so does every then/await); answer a status and complete through a callback bound at boot");
        }
        break;
      }
      case ts.SyntaxKind.AwaitExpression:
        report(n, ctx, "async", "await allocates (about 88 slots on XS); answer PENDING and complete through a callback bound at boot");
        break;
      case ts.SyntaxKind.YieldExpression:
        report(n, ctx, "generator", "yield needs a generator, which allocates; keep iteration state in typed arrays");
        break;
      case ts.SyntaxKind.TemplateExpression:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        report(n, ctx, "template", "template literal builds a string; use a constant string or preencoded bytes");
        break;
      case ts.SyntaxKind.ArrayBindingPattern:
        report(n, ctx, "array-destructuring", "array destructuring runs the iterator protocol and allocates; read elements by index");
        break;
      case ts.SyntaxKind.ArrayLiteralExpression:
        if (isAssignmentTarget(n)) {
          report(n, ctx, "array-destructuring", "array destructuring assignment runs the iterator protocol and allocates; assign elements by index");
        }
        break;
      case ts.SyntaxKind.NewExpression:
      case ts.SyntaxKind.CallExpression: {
        const callee = (n as ts.CallExpression | ts.NewExpression).expression;
        if (ts.isIdentifier(callee) && ERROR_NAME.test(callee.text)) {
          const what = (ts.isNewExpression(n) ? "new " : "") + callee.text;
          report(n, ctx, "new-error", `${what} in ${ctx.where} allocates an object and a stack string; return a status code from runtime/status.ts, or tag a helper that only runs at boot with /** @boot */`);
        } else if (callee.kind === ts.SyntaxKind.ImportKeyword) {
          report(n, ctx, "promise", "dynamic import() allocates a Promise; import statically");
        } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(callee) && callee.name.text === "bind") {
          report(n, ctx, "closure", `bind allocates a bound function; ${bootHint}`);
        }
        break;
      }
    }
    ts.forEachChild(n, (c) => visit(c, ctx));
  };

  visit(sf, TOP);
  const escapes = parseEscapes(sf, file, RULES, found);
  const violations = applyEscapes(found, escapes);
  violations.sort((a, b) => a.line - b.line || a.col - b.col || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { file, violations, escapes };
}

/** `file:line:col rule: message`, the format editors and CI annotate. */
export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}:${v.col} ${v.rule}: ${v.message}`;
}
