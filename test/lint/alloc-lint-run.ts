// Allocation lint over directories: file discovery, the summary line and the CLI's exit code.
import * as fs from "fs";
import * as path from "path";
import { Escape, formatViolation, LintOptions, lintSource, Violation } from "./alloc-lint";

export interface LintReport {
  files: string[];
  violations: Violation[];
  escapes: Escape[];
}

/**
 * Every `.ts` file under `paths` (directories are walked recursively, files taken as given), sorted.
 * Declaration files (`.d.ts`) hold no code and node_modules/dot-directories are never entered.
 */
export function collectTsFiles(paths: readonly string[], base: string = process.cwd()): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && !e.name.startsWith(".")) walk(full);
      } else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        out.push(full);
      }
    }
  };
  for (let i = 0; i < paths.length; i++) {
    const p = path.resolve(base, paths[i]);
    if (!fs.existsSync(p)) {
      throw new Error(`alloc-lint: '${paths[i]}' does not exist; pass directories relative to ${base} (e.g. runtime drivers)`);
    }
    if (fs.statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  out.sort();
  return out.filter((f, i) => i === 0 || out[i - 1] !== f);
}

/** Lints every `.ts` file under `paths`; reported file names are relative to `base` with `/` separators. */
export function lintPaths(paths: readonly string[], options: LintOptions = {}, base: string = process.cwd()): LintReport {
  const files = collectTsFiles(paths, base).map((f) => path.relative(base, f).split(path.sep).join("/"));
  const report: LintReport = { files, violations: [], escapes: [] };
  for (let i = 0; i < files.length; i++) {
    const r = lintSource(files[i], fs.readFileSync(path.resolve(base, files[i]), "utf8"), options);
    report.violations.push(...r.violations);
    report.escapes.push(...r.escapes);
  }
  return report;
}

/** `alloc-lint: N files, M violations, K escapes`, then one line per escape so every exception stays visible. */
export function formatSummary(r: LintReport): string {
  const lines = [`alloc-lint: ${r.files.length} files, ${r.violations.length} violations, ${r.escapes.length} escapes`];
  for (let i = 0; i < r.escapes.length; i++) {
    const e = r.escapes[i];
    lines.push(`  escape ${e.file}:${e.line} ${e.rule}: ${e.reason}`);
  }
  return lines.join("\n");
}

/** The CLI: prints violations then the summary; 0 when clean, 1 on violations, 2 on bad arguments. */
export function runCli(
  args: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
  cwd: string = process.cwd(),
): number {
  if (args.length === 0) {
    err("usage: alloc-lint-cli <dir|file>... (e.g. `ts-node --transpile-only test/lint/alloc-lint-cli.ts runtime drivers`)");
    return 2;
  }
  let report: LintReport;
  try {
    report = lintPaths(args, {}, cwd);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  for (let i = 0; i < report.violations.length; i++) out(formatViolation(report.violations[i]));
  out(formatSummary(report));
  return report.violations.length > 0 ? 1 : 0;
}
