// Where the allocation lint lets code allocate: boot code (constructors, boot*/create*/make*/build*, seal, register, @boot) and reasoned escapes.
import { describe, expect, it } from "vitest";
import { lintSource } from "./alloc-lint";
import { formatSummary } from "./alloc-lint-run";
import { lint, src } from "./alloc-lint-snippet";

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
