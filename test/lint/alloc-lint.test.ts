// Tests for the allocation lint: each rule's line and name, boot exemptions, escapes, type-only code, the real tree.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { lintSource, RULES } from "./alloc-lint";
import { formatSummary, lintPaths, runCli } from "./alloc-lint-run";

const ROOT = path.resolve(__dirname, "..", "..");

/** `line rule` for every finding, in source order. */
function lint(src: string): string[] {
  return lintSource("snippet.ts", src).violations.map((v) => v.line + " " + v.rule);
}

/** Joins lines so snippet line numbers read off the array index (line 1 is index 0). */
function src(...lines: string[]): string {
  return lines.join("\n");
}

describe("each rule fires on its line", () => {
  it("for-of, spread, rest, arguments", () => {
    expect(
      lint(src(
        "export function f(a: number[], o: object): number {",
        "  for (const x of a) g(x);",
        "  const b = [...a];",
        "  const c = { ...o };",
        "  g(...a);",
        "  return arguments.length + b.length + Object.keys(c).length;",
        "}",
        "export function g(...xs: number[]): void {}",
        "export function h(a: number[], o: object): void {",
        "  const { k, ...others } = o as { k: number };",
        "  let y = 0, z: number[] = [];",
        "  [y, ...z] = a;",
        "}",
      )),
    ).toEqual([
      "2 for-of", "3 spread", "4 spread", "5 spread", "6 arguments", "8 rest",
      "10 rest", "12 array-destructuring", "12 rest",
    ]);
  });

  it("async, promise, generator, template", () => {
    expect(
      lint(src(
        "export async function f(): Promise<void> {",
        "  await 1;",
        "  return Promise.resolve();",
        "}",
        "export function* gen(): Generator<number> {",
        "  yield 1;",
        "}",
        "export function t(n: number): string {",
        "  return `plain` + `n=${n}`;",
        "}",
        "export class C { async m(): Promise<number> { return 1; } }",
      )),
    ).toEqual(["1 async", "2 async", "3 promise", "5 generator", "6 generator", "9 template", "9 template", "11 async"]);
  });

  it("array-destructuring in declarations, parameters, assignments and for loops", () => {
    expect(
      lint(src(
        "export function f(p: number[], q: number[][]): number {",
        "  const [a, b] = p;",
        "  let c = 0, d = 0;",
        "  [c, d] = p;",
        "  for (let i = 0; i < q.length; i++) { [c] = q[i]; }",
        "  return a + b + c + d;",
        "}",
        "export function g([x]: number[]): number { return x; }",
        "export function h(o: { v: number[] }): number { let x = 0; ({ v: [x] } = o); return x; }",
      )),
    ).toEqual(["2 array-destructuring", "4 array-destructuring", "5 array-destructuring", "8 array-destructuring", "9 array-destructuring"]);
  });

  it("closure: arrows and function expressions outside boot code, including module top level", () => {
    expect(
      lint(src(
        "export const top = () => 1;",
        "export function tick(xs: Float64Array): void {",
        "  xs.sort((a, b) => a - b);",
        "  const f = function () { return 1; };",
        "  function inner(): number { return 2; }",
        "  const o = { m(): number { return inner() + f(); } };",
        "  o.m.bind(o);",
        "  class Local {}",
        "}",
        "export class Dev { static hook = () => 0; onIrq(): void { setTimeout(() => this.onIrq(), 1); } }",
      )),
    ).toEqual(["1 closure", "3 closure", "4 closure", "5 closure", "6 closure", "7 closure", "8 closure", "10 closure", "10 closure"]);
  });

  it("new-error outside boot code, with and without new", () => {
    expect(
      lint(src(
        "export function check(n: number): number {",
        "  if (n < 0) throw new Error(\"negative\");",
        "  if (n > 9) throw RangeError(\"big\");",
        "  if (n === 5) throw new BoardConfigError();",
        "  return n;",
        "}",
        "class BoardConfigError {}",
      )),
    ).toEqual(["2 new-error", "3 new-error", "4 new-error"]);
  });

  it("less common forms: for await, tagged templates, heritage calls, namespaces, static blocks, new Promise", () => {
    expect(
      lint(src(
        "export async function f(xs: AsyncIterable<number>): Promise<void> { for await (const x of xs) {} }",
        "declare function tag(s: TemplateStringsArray, ...v: number[]): string;",
        "export const s = tag`x${1}`;",
        "declare function mixin(f: () => number): new () => object;",
        "export class A extends mixin(() => 1) { static { const g = () => 1; } }",
        "export namespace N { export const h = () => 1; }",
        "export function q(): unknown { return new Promise<void>((r) => r()); }",
        "export const o = { get x(): number { return 1; } };",
        "declare function id<T>(x: T): T;",
        "export const inst = id<number>;",
      )),
    ).toEqual([
      "1 async", "1 for-of", "1 async", "3 template", "5 closure", "5 closure", "6 closure", "7 promise", "7 closure", "8 closure",
    ]);
  });

  it("reports file:line:col with a message that names the fix", () => {
    const v = lintSource("runtime/x.ts", "export function f(a: number[]): void {\n  for (const x of a) a[0] = x;\n}\n").violations;
    expect(v).toEqual([
      { file: "runtime/x.ts", line: 2, col: 3, rule: "for-of", message: "for...of allocates an iterator (and its results); use an indexed for loop" },
    ]);
  });
});

describe("boot code may allocate closures and errors", () => {
  it("exempts constructors, boot*/create*/make*/build*, seal, register, @boot and instance field initializers", () => {
    expect(
      lint(src(
        "export class Dev {",
        "  private cb = () => this.onDone(0);",
        "  constructor(private n: number) { if (n < 0) throw new Error(\"n\"); const t = () => 1; }",
        "  seal(): void { this.cb = () => this.onDone(1); }",
        "  register(): void { this.cb = this.onDone.bind(this, 2); }",
        "  bootTimers(): void { this.cb = function (): void {}; }",
        "  /** @boot */",
        "  private check(n: number): void { if (n > 1) throw new RangeError(\"n\"); }",
        "  onDone(s: number): void {}",
        "}",
        "export function createDriver(): () => number { return () => 1; }",
        "export function makePool(): object { return { get(): number { return 1; } }; }",
        "export function buildTables(): void { function helper(): void {} helper(); }",
        "/** @boot */",
        "export function wire(xs: Float64Array): void { xs.sort((a, b) => a - b); }",
      )),
    ).toEqual([]);
  });

  it("a closure created inside a closure still counts: it runs later, e.g. on every wake", () => {
    expect(
      lint(src(
        "export function bootWake(p: { onWake(cb: () => void): void }): void {",
        "  p.onWake(() => {",
        "    const again = () => 0;",
        "    throw new Error(\"late\");",
        "  });",
        "}",
      )),
    ).toEqual(["3 closure", "4 new-error"]);
  });

  it("other rules still fire inside boot functions", () => {
    expect(lint("export function bootX(a: number[]): number { let s = 0; for (const x of a) s += x; return s; }")).toEqual(["1 for-of"]);
  });

  it("a boot function written as an arrow is boot inside, but its own creation at top level is not", () => {
    expect(lint("export const makeX = () => [() => 1];")).toEqual(["1 closure"]);
  });
});

describe("escapes", () => {
  it("silence one rule on the same line or the line below, and are counted", () => {
    const r = lintSource("runtime/e.ts", src(
      "export function f(n: number): string {",
      "  // alloc-lint-allow template: error text built only after a fatal fault",
      "  const a = `x${n}`;",
      "  const b = `y`; // alloc-lint-allow template: same line",
      "  // alloc-lint-allow template: two lines above does not reach",
      "",
      "  return a + b + `z`;",
      "}",
    ));
    expect(r.violations.map((v) => v.line + " " + v.rule)).toEqual(["5 unused-escape", "7 template"]);
    expect(r.escapes.map((e) => [e.line, e.rule, e.reason, e.used])).toEqual([
      [2, "template", "error text built only after a fatal fault", true],
      [4, "template", "same line", true],
      [5, "template", "two lines above does not reach", false],
    ]);
  });

  it("silence only the named rule", () => {
    expect(lint("export const f = async () => 1; // alloc-lint-allow closure: test hook")).toEqual(["1 async"]);
    expect(lint("export const f = async () => 1; // alloc-lint-allow closure, async: test hook")).toEqual([]);
  });

  it("without a reason, with no rule or an unknown rule are errors and silence nothing", () => {
    expect(
      lint(src(
        "export const a = `1`; // alloc-lint-allow template",
        "export const b = `2`; // alloc-lint-allow template:   ",
        "export const c = `3`; // alloc-lint-allow",
        "export const d = `4`; // alloc-lint-allow templates: typo",
      )),
    ).toEqual(["1 template", "1 bad-escape", "2 template", "2 bad-escape", "3 template", "3 bad-escape", "4 template", "4 bad-escape"]);
  });

  it("are only read from comments, never from strings or block comments", () => {
    expect(
      lint(src(
        "/* // alloc-lint-allow template: in a block comment */",
        "export const s = \"// alloc-lint-allow template: in a string\" + `t`;",
      )),
    ).toEqual(["2 template"]);
  });

  it("appear in the summary with file:line and reason", () => {
    const r = lintSource("drivers/a/b.ts", "export const f = () => 0; // alloc-lint-allow closure: created once at load, never on the suspend path\n");
    expect(formatSummary({ files: ["drivers/a/b.ts"], violations: r.violations, escapes: r.escapes })).toBe(
      "alloc-lint: 1 files, 0 violations, 1 escapes\n" +
        "  escape drivers/a/b.ts:1 closure: created once at load, never on the suspend path",
    );
  });
});

describe("code that does not allocate passes", () => {
  it("ignores type-only constructs", () => {
    expect(
      lint(src(
        "export interface Hooks { prepare(...tokens: number[]): Promise<number>; cb: (...a: unknown[]) => void }",
        "export type Key = `dev-${string}`;",
        "export type Fn = (...args: number[]) => Promise<void>;",
        "declare const later: () => Promise<void>;",
        "declare function tpl(...parts: string[]): string;",
        "declare module \"embedded:x\" { export function f(): Promise<void>; }",
        "export function over(...a: number[]): void;",
        "export function over(a: number): void {}",
        "export abstract class A { abstract run(...a: number[]): Promise<void>; declare field: () => void; }",
        "export function typed(x: unknown): Promise<number> | undefined { return x as Promise<number> | undefined; }",
      )),
    ).toEqual([]);
  });

  it("accepts typed arrays, indexed loops, try/catch, class methods and status codes", () => {
    expect(
      lint(src(
        "import { OK, BUSY } from \"./status\";",
        "const enum Slot { Head = 0, Tail = 1 }",
        "export class Ring {",
        "  readonly buf: Int32Array;",
        "  readonly idx = new Uint16Array(2);",
        "  private readonly onTimer: () => void;",
        "  constructor(size: number) { this.buf = new Int32Array(size); this.onTimer = this.tick.bind(this); }",
        "  push(v: number): number {",
        "    const i = this.idx;",
        "    if (i[Slot.Tail] - i[Slot.Head] >= this.buf.length) return BUSY;",
        "    this.buf[i[Slot.Tail]++ % this.buf.length] = v;",
        "    return OK;",
        "  }",
        "  sum(): number {",
        "    let s = 0;",
        "    for (let k = this.idx[Slot.Head]; k < this.idx[Slot.Tail]; k++) s += this.buf[k % this.buf.length];",
        "    try { s = s | 0; } catch (e) { s = -1; }",
        "    return s;",
        "  }",
        "  get size(): number { return this.idx[Slot.Tail] - this.idx[Slot.Head]; }",
        "  tick(): void { this.idx.fill(0); }",
        "}",
        "export function clamp(v: number, lo: number, hi: number): number { return v < lo ? lo : v > hi ? hi : v; }",
        "export const NAMES: readonly string[] = [\"a\", \"b\"];",
        "export const arguments2 = { Promise: 1, arguments: 2 };",
      )),
    ).toEqual([]);
  });

  it("knows every rule it documents", () => {
    expect([...RULES]).toEqual([
      "for-of", "spread", "rest", "arguments", "async", "promise", "generator", "template", "array-destructuring", "closure", "new-error",
    ]);
  });
});

describe("command line", () => {
  it("prints violations and the summary, exit 1; exit 2 naming a missing directory", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloc-lint-"));
    fs.mkdirSync(path.join(dir, "d"));
    fs.writeFileSync(path.join(dir, "d", "a.ts"), "export const f = (a: number[]) => [...a];\n");
    fs.writeFileSync(path.join(dir, "d", "b.d.ts"), "export declare const x: number;\n");
    fs.writeFileSync(path.join(dir, "ok.ts"), "export const n = 1; // alloc-lint-allow template: unused on purpose\n");
    const out: string[] = [];
    const err: string[] = [];
    try {
      expect(runCli(["d", "ok.ts"], (l) => out.push(l), (l) => err.push(l), dir)).toBe(1);
      expect(runCli(["missing"], (l) => out.push(l), (l) => err.push(l), dir)).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(out.map((l) => l.split(": ")[0])).toEqual([
      "d/a.ts:1:18 closure",
      "d/a.ts:1:36 spread",
      "ok.ts:1:21 unused-escape",
      "alloc-lint",
    ]);
    expect(out[3]).toBe("alloc-lint: 2 files, 3 violations, 1 escapes\n  escape ok.ts:1 template: unused on purpose");
    expect(err).toEqual(["alloc-lint: 'missing' does not exist; pass directories relative to " + dir + " (e.g. runtime drivers)"]);
  });

  it("runs as `npm run lint:alloc` does (ts-node, exit code, output)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloc-lint-"));
    fs.writeFileSync(path.join(dir, "a.ts"), "export function f(): void { for (const x of [1]) f(); }\n");
    try {
      const tsNode = path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js");
      const r = spawnSync(process.execPath, [tsNode, "--transpile-only", path.join(ROOT, "test/lint/alloc-lint-cli.ts"), "."], {
        cwd: dir,
        encoding: "utf8",
      });
      expect([r.status, r.stdout.split("\n")[0].split(" ")[0], r.stdout.split("\n")[1]]).toEqual([
        1, "a.ts:1:29", "alloc-lint: 1 files, 1 violations, 0 escapes",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the real tree", () => {
  it("runtime/ and drivers/ have no violations", () => {
    const r = lintPaths([path.join(ROOT, "runtime"), path.join(ROOT, "drivers")], {}, ROOT);
    expect(r.violations.map((v) => v.file + ":" + v.line + ":" + v.col + " " + v.rule + ": " + v.message)).toEqual([]);
  });
});
