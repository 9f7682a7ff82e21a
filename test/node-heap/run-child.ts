// Node-side launcher for heap-child.ts: bundles it with esbuild and runs it under the given V8 flags.
import { spawn } from "child_process";
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// --no-lazy-feedback-allocation: V8 otherwise gives a function its feedback vector only after some calls,
// so a function first called often enough inside the measured runs (once per few cycles) showed up as a
// fixed ~1.5 KB that the slope read as ~7 bytes a cycle, depending on unrelated code layout.
export const JITLESS_FLAGS = ["--expose-gc", "--jitless", "--no-lazy-feedback-allocation", "--min-semi-space-size=64", "--max-semi-space-size=64"];
export const JIT_FLAGS = ["--expose-gc", "--min-semi-space-size=64", "--max-semi-space-size=64"];

let bundlePath: string | null = null;

async function bundle(): Promise<string> {
  if (bundlePath !== null) return bundlePath;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "quiesce-heap-")), "heap-child.js");
  await esbuild.build({
    entryPoints: [path.join(__dirname, "heap-child.ts")], bundle: true, platform: "node", target: "node20",
    format: "cjs", outfile: out, logLevel: "silent",
  });
  bundlePath = out;
  return out;
}

/** Runs heap-child with `flags` and `args`; resolves its JSON line. */
export async function runHeapChild<T>(flags: string[], args: string[], timeoutMs = 60_000): Promise<T> {
  const file = await bundle();
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [...flags, file, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`heap-child ${args.join(" ")} did not finish in ${timeoutMs} ms`)); }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      try {
        const parsed = JSON.parse(out.trim().split("\n").pop() ?? "") as T & { error?: string };
        if (parsed.error) reject(new Error(`heap-child failed: ${parsed.error}`));
        else resolve(parsed);
      } catch {
        reject(new Error(`heap-child exited ${String(code)} without JSON; stderr:\n${err}`));
      }
    });
  });
}
