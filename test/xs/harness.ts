// Node-side API: bundle an entry, run its commands in a real XS engine (separate process), return per-command costs.
import { spawn, type ChildProcessWithoutNullStreams } from "child_process";
import * as path from "path";
import { bundleForXs } from "./bundle";

/** One command invocation: `commands[command](arg)` inside the XS worker. */
export interface XsRequest {
  command: string;
  /** Passed to the command; 0 when omitted. */
  arg?: number;
}

/** Cost of one command, net of the harness's own dispatch (a no-op command's crank). */
export interface XsMeasurement {
  command: string;
  arg: number;
  /** The number the command returned. */
  result: number;
  /** XS meter delta: deterministic count of executed instructions beyond calling a no-op. */
  compute: number;
  /**
   * Heap slots allocated by the command (and the promise jobs it queued), counted after a gc().
   * Slots only: chunk memory (array storage growth, string bytes) is invisible here; see FINDINGS.md.
   */
  slots: number;
  /** Slots still live after a gc() at the end: what the command added to long-lived state. */
  retained: number;
}

export interface XsRun {
  /** XS engine version inside the xsnap binary, e.g. "13.3.0". */
  xsVersion: string;
  xsnapVersion: string;
  /** Raw cost of the no-op crank that was subtracted from every measurement. */
  baseline: { compute: number; slots: number; retained: number };
  results: XsMeasurement[];
}

export interface XsRunOptions {
  /** Per-crank instruction limit for the worker (xsnap `-l`); a runaway command then fails fast. */
  meteringLimit?: number;
  /** Wall-clock guard for the whole child process. */
  timeoutMs?: number;
  /**
   * Accept commands during which the engine collected (bench/xs-wall-entry.ts times batches with GC
   * included): their `slots` and `retained` are then not exact and must not be read.
   */
  allowCollection?: boolean;
}

interface WorkerMeasurement extends XsMeasurement {
  threw: boolean;
  error: string;
  resultType: string;
  collectedDuring: boolean;
}

type WorkerReply =
  | { ok: true; xsVersion: string; xsnapVersion: string; baseline: XsRun["baseline"]; results: WorkerMeasurement[] }
  | { ok: false; error: string };

const WORKER_MAIN = path.join(__dirname, "worker-main.mjs");

/** Bundles `entryFile`, evaluates it in a fresh XS worker and measures each request in order. */
export async function runInXsDetailed(
  entryFile: string,
  requests: readonly XsRequest[],
  options: XsRunOptions = {},
): Promise<XsRun> {
  for (const r of requests) {
    if (typeof r.command !== "string" || r.command.length === 0) {
      throw new TypeError(`runInXs: every request needs a command name, got ${JSON.stringify(r)}`);
    }
    if (r.arg !== undefined && !Number.isFinite(r.arg)) {
      throw new TypeError(`runInXs: request ${r.command} has a non-finite arg ${String(r.arg)}; pass a number`);
    }
  }
  const bundle = await bundleForXs(entryFile);
  const input = JSON.stringify({
    entry: path.relative(process.cwd(), path.resolve(entryFile)),
    bundle,
    requests,
    meteringLimit: options.meteringLimit ?? 1e9,
  });
  const reply = await runWorkerMain(input, options.timeoutMs ?? 60_000);
  if (!reply.ok) throw new Error(`runInXs(${entryFile}): ${reply.error}`);
  const results: XsMeasurement[] = [];
  for (const m of reply.results) {
    const what = `${entryFile} command ${m.command}(${m.arg})`;
    if (m.threw) throw new Error(`runInXs: ${what} threw in XS: ${m.error}`);
    if (m.resultType !== "number") {
      throw new Error(`runInXs: ${what} returned a ${m.resultType}; commands must return a number`);
    }
    if (m.collectedDuring && options.allowCollection !== true) {
      throw new Error(
        `runInXs: ${what} triggered a garbage collection while running, so its slot count is not exact; ` +
          `it allocates more than the free heap (~250k slots) — measure a smaller n`,
      );
    }
    results.push({
      command: m.command,
      arg: m.arg,
      result: m.result,
      compute: m.compute,
      slots: m.slots,
      retained: m.retained,
    });
  }
  return { xsVersion: reply.xsVersion, xsnapVersion: reply.xsnapVersion, baseline: reply.baseline, results };
}

/** Same as runInXsDetailed, results only. */
export async function runInXs(
  entryFile: string,
  requests: readonly XsRequest[],
  options: XsRunOptions = {},
): Promise<XsMeasurement[]> {
  return (await runInXsDetailed(entryFile, requests, options)).results;
}

/**
 * Runs each [command, arg] of `cases` `warmups` + 1 times in a row (one engine, cases in order) and returns
 * each case's last measurement, in case order: its cost after warm-up.
 */
export async function runAfterWarmups(
  entryFile: string,
  cases: readonly (readonly [string, number, ...unknown[]])[],
  warmups: number,
  options: XsRunOptions = {},
): Promise<XsMeasurement[]> {
  const requests: XsRequest[] = [];
  for (const [command, arg] of cases) for (let i = 0; i < warmups + 1; i++) requests.push({ command, arg });
  const results = await runInXs(entryFile, requests, options);
  return cases.map(([command, arg]) => {
    const runs = results.filter((m) => m.command === command && m.arg === arg);
    return runs[runs.length - 1];
  });
}

/** worker-main.mjs's reply lines start with this; other stdout lines are not replies. */
const REPLY = "@@quiesce-xs-reply ";

interface Job {
  input: string;
  timeoutMs: number;
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

/**
 * One worker-main process per test worker, serving jobs one after another (worker-main.mjs: loading SES
 * and xsnap is 0.4 s of CPU, paid once here instead of once per job). A job that times out or a
 * process that dies fails that job only: the next one starts a new process. The child does not keep
 * the test runner alive; it exits when its stdin closes.
 */
class WorkerMainServer {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private out = "";
  private err = "";
  private timer: NodeJS.Timeout | null = null;

  run(input: string, timeoutMs: number): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, timeoutMs, resolve, reject });
      this.next();
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // loaders/flags meant for the test runner must not reach the SES realm
    const child = spawn(process.execPath, [WORKER_MAIN], { env, stdio: ["pipe", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => this.stdout(child, d));
    child.stderr.on("data", (d: string) => {
      if (this.child === child) this.err += d;
    });
    child.on("error", (e) => this.lost(child, e.message));
    child.on("close", (code) => this.lost(child, `worker-main exited with ${String(code)} and no JSON reply.\nstderr:\n${this.err}`));
    // Not a reason for the test runner to stay up: the child ends when the runner exits and closes its stdin.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    return child;
  }

  private next(): void {
    if (this.current !== null || this.queue.length === 0) return;
    const job = this.queue.shift() as Job;
    this.current = job;
    this.err = "";
    if (this.child === null) this.child = this.start();
    const child = this.child;
    this.timer = setTimeout(() => {
      this.end(new Error(`runInXs: ${WORKER_MAIN} did not finish within ${job.timeoutMs} ms; raise options.timeoutMs`), null);
      this.drop(child);
    }, job.timeoutMs);
    child.stdin.write(job.input + "\n");
  }

  private stdout(child: ChildProcessWithoutNullStreams, d: string): void {
    if (this.child !== child) return;
    this.out += d;
    for (let eol = this.out.indexOf("\n"); eol >= 0; eol = this.out.indexOf("\n")) {
      const line = this.out.slice(0, eol);
      this.out = this.out.slice(eol + 1);
      if (!line.startsWith(REPLY) || this.current === null) continue;
      try {
        this.end(null, JSON.parse(line.slice(REPLY.length)) as WorkerReply);
      } catch {
        this.end(new Error(`runInXs: worker-main replied with a line that is no JSON.\nstderr:\n${this.err}`), null);
      }
    }
  }

  /** The process died (or could not start): its job fails; the next job starts another. */
  private lost(child: ChildProcessWithoutNullStreams, why: string): void {
    if (this.child !== child) return;
    this.child = null;
    this.out = "";
    if (this.current !== null) this.end(new Error(`runInXs: ${why}`), null);
  }

  private drop(child: ChildProcessWithoutNullStreams): void {
    if (this.child === child) {
      this.child = null;
      this.out = "";
    }
    child.kill("SIGKILL");
  }

  private end(error: Error | null, reply: WorkerReply | null): void {
    const job = this.current;
    if (job === null) return;
    this.current = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (error !== null) job.reject(error);
    else job.resolve(reply as WorkerReply);
    this.next();
  }
}

const server = new WorkerMainServer();

function runWorkerMain(input: string, timeoutMs: number): Promise<WorkerReply> {
  return server.run(input, timeoutMs);
}
