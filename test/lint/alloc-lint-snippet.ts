// Allocation-lint test helpers: a snippet's findings as `line rule`, and snippets written one source line per argument.
import { lintSource } from "./alloc-lint";

/** `line rule` for every finding, in source order. */
export function lint(src: string): string[] {
  return lintSource("snippet.ts", src).violations.map((v) => v.line + " " + v.rule);
}

/** Joins lines so snippet line numbers read off the array index (line 1 is index 0). */
export function src(...lines: string[]): string {
  return lines.join("\n");
}
