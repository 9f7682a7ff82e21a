// Static check of XS preload rules over a module's TypeScript: what runs at module load must not create mutable state or call native code.
import * as ts from "typescript";

/*
 * Moddable preloads modules at build time and freezes what their top level created into flash
 * (DESIGN.md, "Facts about the target"): TypedArray/ArrayBuffer/DataView/Map/Set instances there
 * are immutable, class statics read-only, and no native call or generator may run. Only code that
 * executes at load matters: function, method and arrow bodies are skipped; class static members and
 * static blocks are not (they run at class definition).
 */
const FROZEN_BUILTINS = new Set([
  "ArrayBuffer", "SharedArrayBuffer", "DataView", "Map", "Set", "WeakMap", "WeakSet",
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
]);

export interface PreloadViolation {
  file: string;
  line: number;
  rule: "frozen-builtin" | "top-level-new" | "class-static" | "native-call" | "generator";
  text: string;
}

/** Names imported from the native face: calling one at load would run C at preload. */
function nativeImports(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (!/(^|\/)native$/.test(st.moduleSpecifier.text)) continue;
    const clause = st.importClause;
    if (clause?.name) names.add(clause.name.text);
    const nb = clause?.namedBindings;
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) names.add(el.name.text);
    if (nb && ts.isNamespaceImport(nb)) names.add(nb.name.text);
  }
  return names;
}

export function checkPreload(file: string, text: string): PreloadViolation[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: PreloadViolation[] = [];
  const natives = nativeImports(sf);
  const report = (node: ts.Node, rule: PreloadViolation["rule"]): void => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ file, line, rule, text: node.getText(sf).split("\n")[0].slice(0, 100) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) {
      if (node.asteriskToken !== undefined) report(node, "generator");
      return;
    }
    if (ts.isArrowFunction(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) return;
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      for (const m of node.members) {
        const isStatic = ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((k) => k.kind === ts.SyntaxKind.StaticKeyword);
        if (ts.isClassStaticBlockDeclaration(m) || (ts.isPropertyDeclaration(m) && isStatic)) report(m, "class-static");
        if (ts.isMethodDeclaration(m) && m.asteriskToken !== undefined) report(m, "generator");
      }
      return;
    }
    if (ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : "";
      report(node, FROZEN_BUILTINS.has(name) ? "frozen-builtin" : "top-level-new");
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const head = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
      if (ts.isIdentifier(head) && (head.text === "native" || natives.has(head.text))) report(node, "native-call");
    }
    ts.forEachChild(node, visit);
  };
  for (const st of sf.statements) {
    // Types, interfaces and `declare` leave nothing at runtime.
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) continue;
    if (ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((k) => k.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    visit(st);
  }
  return out;
}

/**
 * Objects reachable from a module's exports that are not frozen, as "module: EXPORT.path" lines.
 * xsl puts a preloaded module's objects in flash; one left unfrozen is aliased into RAM the first time
 * code writes it, and xsl warns "not frozen" for each. Functions and classes are skipped (xsl seals
 * them itself), and so are module namespace objects; typed arrays, ArrayBuffers and DataViews too: Object.freeze throws on a non-empty
 * typed array, preload already makes their contents read-only, and `checkPreload` forbids creating
 * them at load anyway (rule frozen-builtin), so one can only be reached here through a function.
 */
export function unfrozenExports(module: string, exports: { readonly [name: string]: unknown }): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, where: string): void => {
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
    // `export * as Flight from "./flight"`: a module namespace object, whose bindings no code can
    // assign (its own module is checked on its own). Object.isFrozen says false for it by spec.
    if ((value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "Module") return;
    seen.add(value);
    if (!Object.isFrozen(value)) out.push(module + ": " + where + " is not frozen");
    for (const key of Object.keys(value)) {
      walk((value as { [k: string]: unknown })[key], where + (Array.isArray(value) ? "[" + key + "]" : "." + key));
    }
  };
  for (const name of Object.keys(exports).sort()) walk(exports[name], name);
  return out;
}
