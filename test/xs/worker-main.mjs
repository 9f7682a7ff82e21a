// Standalone SES-locked Node process: measures commands of XS bundles in xsnap workers (a JSON line in -> a JSON line out, per job).
// It is its own process because @agoric/xsnap needs `@endo/init`, which locks down the realm it runs
// in; the test runner must never load it. It serves one job per input line, one after another, until its
// stdin ends: loading SES and xsnap costs 0.4 s of CPU, paid once per test worker instead of once per job.
// Each job runs in a new xsnap worker, so no job sees another's engine. Input line: {entry, bundle,
// requests:[{command,arg}], meteringLimit}. Output line: {ok:true, xsVersion, xsnapVersion, baseline, results} or {ok:false, error}.
import '@endo/init';
import { spawn, execFileSync } from 'child_process';
import { createRequire } from 'module';
import { createInterface } from 'readline';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { xsnap } from '@agoric/xsnap';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const NOOP = '__noop';
const BASELINE_RUNS = 3;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** Marks a reply line: anything else a library writes to stdout is not taken for one. */
const REPLY = '@@quiesce-xs-reply ';

function reply(value) {
  process.stdout.write(`${REPLY}${JSON.stringify(value)}\n`);
}

function fail(message) {
  reply({ ok: false, error: message });
}

let known = null;

// The worker binary prints "xsnap 0.15.0 (XS 13.3.0)" for -v; that is the engine actually measured (asked once).
function versions() {
  if (known !== null) return known;
  const pkgDir = path.dirname(require.resolve('@agoric/xsnap/package.json'));
  const platform = { Linux: 'lin', Darwin: 'mac' }[os.type()];
  const bin = path.join(pkgDir, 'xsnap-native/xsnap/build/bin', platform, 'release/xsnap-worker');
  const text = execFileSync(bin, ['-v'], { encoding: 'utf8' }).trim();
  const m = /^xsnap (\S+) \(XS (\S+)\)$/.exec(text);
  if (!m) throw Error(`unexpected "xsnap-worker -v" output: ${text}`);
  known = { xsnapVersion: m[1], xsVersion: m[2] };
  return known;
}

// xsnap only offers ignore/inherit/pipe for the worker's stdout, but our stdout carries the JSON
// reply: route the worker's stdout (XS print()) to our stderr instead.
function spawnWithPrintOnStderr(bin, args, opts) {
  const stdio = [...opts.stdio];
  stdio[1] = 2;
  return spawn(bin, args, { ...opts, stdio });
}

async function job(line) {
  let input;
  try {
    input = JSON.parse(line);
  } catch (e) {
    return fail(`worker-main: a job must be one line of JSON: ${e.message}`);
  }
  const { entry = '<bundle>', bundle, requests, meteringLimit = 1e9 } = input;
  if (typeof bundle !== 'string') return fail('worker-main: input.bundle must be the bundled script text');
  if (!Array.isArray(requests)) return fail('worker-main: input.requests must be an array of {command, arg}');
  const { xsVersion, xsnapVersion } = versions();

  const worker = await xsnap({
    os: os.type(),
    spawn: spawnWithPrintOnStderr,
    fs: { ...fs, ...fs.promises },
    name: 'quiesce-xs-harness',
    stdout: 'inherit',
    stderr: 'inherit',
    meteringLimit,
  });
  const control = async msg => {
    const { reply } = await worker.issueCommand(encoder.encode(JSON.stringify(msg)));
    return JSON.parse(decoder.decode(reply));
  };
  const step = async () => (await worker.issueCommand(EMPTY)).meterUsage;

  async function measure(command, arg) {
    await control({ op: 'arm', name: command, arg });
    const before = await step();
    const run = await step();
    const after = await step();
    const r = await control({ op: 'result' });
    return {
      command,
      arg,
      result: r.result,
      compute: run.compute,
      slots: run.currentHeapCount - before.currentHeapCount,
      retained: after.currentHeapCount - before.currentHeapCount,
      threw: r.threw === 1,
      error: r.error,
      resultType: r.resultType,
      collectedDuring: r.collectedDuring === 1,
    };
  }

  try {
    try {
      await worker.evaluate(bundle);
    } catch (e) {
      return fail(`evaluating the bundle of ${entry} in XS threw (its top level/boot failed): ${e.message}`);
    }
    await worker.evaluate(fs.readFileSync(path.join(here, 'worker-prelude.js'), 'utf8'));
    const listed = await control({ op: 'list' });
    if (listed.bad.length > 0) {
      return fail(`${entry}: commands that are not functions: ${listed.bad.join(', ')}`);
    }
    if (listed.names.length === 0) {
      return fail(`${entry} registered no commands: add "export const commands = { name: (n: number) => number }"`);
    }
    const unknown = requests.filter(r => !listed.names.includes(r.command)).map(r => r.command);
    if (unknown.length > 0) {
      return fail(`${entry} has no command(s) ${unknown.join(', ')}; it has: ${listed.names.join(', ')}`);
    }

    // The no-op crank is the fixed cost of the RUN crank (handleCommand dispatch, the empty message's
    // ArrayBuffer); it must be identical every time or subtraction would not be exact.
    const runs = [];
    for (let i = 0; i < BASELINE_RUNS; i += 1) runs.push(await measure(NOOP, 0));
    const b = runs[runs.length - 1];
    for (const r of runs) {
      if (r.compute !== b.compute || r.slots !== b.slots || r.retained !== b.retained) {
        return fail(`no-op baseline is unstable: ${JSON.stringify(runs)}`);
      }
    }
    const baseline = { compute: b.compute, slots: b.slots, retained: b.retained };

    const results = [];
    for (const req of requests) {
      const arg = typeof req.arg === 'number' ? req.arg : 0;
      let raw;
      try {
        raw = await measure(req.command, arg);
      } catch (e) {
        const hint = /too much computation/.test(e.message)
          ? `; it ran past the per-crank limit of ${meteringLimit} instructions (options.meteringLimit)`
          : '';
        return fail(`${entry} command ${req.command}(${arg}) killed the XS worker: ${e.message}${hint}`);
      }
      results.push({
        ...raw,
        compute: raw.compute - baseline.compute,
        slots: raw.slots - baseline.slots,
        retained: raw.retained - baseline.retained,
      });
    }
    reply({ ok: true, xsVersion, xsnapVersion, baseline, results });
  } finally {
    await worker.close().catch(() => {});
  }
}

// One job at a time, in order: a reply line per input line.
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  await job(line).catch(e => fail(`worker-main crashed: ${e && e.stack ? e.stack : e}`));
}
