// Soak (npm run test:soak): 100,000 DevKitC suspend/resume cycles in a --expose-gc child; zero heap growth, consistent stats.
import { spawnSync } from "child_process";
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect, test } from "vitest";
import { fuzzConsole } from "../reliability/console-fuzz";
import { P_IDLE } from "../../runtime/phase";

const CYCLES = Number(process.env.QUIESCE_SOAK_CYCLES ?? 100_000);

interface SoakResult {
  cycles: number; seconds: number; cyclesPerSecond: number; heapFirst: number; heapLast: number; heapMin: number; heapMax: number;
  slopeBytesPer1000: number; attempts: number; successes: number; failures: number; busy: number; refused: number;
  outcomes: number[]; flightTotal: number; wakes: number[]; allActive: boolean; phase: number; parked: number; balance: boolean;
  violations: number; sleeps: number; virtualSeconds: number; eventQueue: { posted: number; overflows: number }; error?: string;
}

function runChild(): SoakResult {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "quiesce-soak-")), "soak-child.js");
  esbuild.buildSync({ entryPoints: [path.join(__dirname, "soak-child.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile: out, logLevel: "silent" });
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ["--expose-gc", out, String(CYCLES), "20"], { env, encoding: "utf8", timeout: 1_500_000 });
  const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  const parsed = JSON.parse(line) as SoakResult;
  if (parsed.error) throw new Error("soak child failed: " + parsed.error);
  return parsed;
}

test("soak: " + CYCLES + " suspend/resume cycles, no heap growth, stats consistent", () => {
  const r = runChild();
  console.log("soak: " + JSON.stringify({ ...r, heap: undefined }));
  expect(r.phase).toBe(P_IDLE);
  expect(r.allActive).toBe(true);
  expect(r.attempts).toBe(CYCLES - r.refused);
  expect(r.refused).toBe(0);
  expect(r.successes).toBe(r.outcomes[0]);
  expect(r.outcomes.reduce((a, b) => a + b, 0)).toBe(r.attempts);
  expect(r.successes + r.failures).toBeLessThanOrEqual(r.attempts);
  expect(r.successes).toBe(r.attempts);
  expect(r.flightTotal).toBe(r.attempts);
  expect(r.sleeps).toBe(r.attempts);
  expect(r.balance).toBe(true);
  expect(r.parked).toBe(0);
  expect(r.violations).toBe(0);
  expect(r.eventQueue.overflows).toBe(0);
  // Retention: under 1 KB per 1,000 cycles (a leak of one 16-byte object per cycle would be 16 KB).
  expect(Math.abs(r.slopeBytesPer1000)).toBeLessThan(1024);
}, 1_600_000);

test("console fuzz, second seed: 1,000,000 strings", () => {
  const n = Number(process.env.QUIESCE_FUZZ_STRINGS ?? 1_000_000);
  const r = fuzzConsole(n, 977);
  console.log("console fuzz: " + r.strings + " strings, " + r.bytes + " bytes, " + r.lines + " lines in " + r.seconds.toFixed(1) + " s (" +
    Math.round(r.strings / r.seconds) + " strings/s)");
  expect(r.errors).toEqual([]);
  expect(r.prompts).toBe(r.lines);
  expect(r.faults).toBe(0);
  expect(r.rxOverflows).toBe(0);
}, 600_000);
