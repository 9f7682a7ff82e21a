// The allocation lint as a command (`npm run lint:alloc`: output, exit codes) and over the real tree.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { lintPaths, runCli } from "./alloc-lint-run";

const ROOT = path.resolve(__dirname, "..", "..");

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
