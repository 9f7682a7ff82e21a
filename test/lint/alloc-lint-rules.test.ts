// The allocation lint's rules: each construct it flags on its own line and name, and the non-allocating code it passes.
import { describe, expect, it } from "vitest";
import { lintSource, RULES } from "./alloc-lint";
import { lint, src } from "./alloc-lint-snippet";

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
