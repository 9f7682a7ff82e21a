// `npm start`: runs the simulator shell from an esbuild bundle, rebuilt only when a source changed (ts-node takes seconds to start), with V8's code cache.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, ".cache", "shell.js");
const CODE_CACHE = OUT + ".v8cache";
const ENTRY = path.join(ROOT, "host-sim", "cli", "main.ts");
/** Everything the shell bundles: a change in any of these rebuilds it. */
const SOURCES = ["runtime", "drivers", "console", "boards", "host-sim"];
const CLIENT_DIR = path.join(ROOT, "host-sim", "viz", "client");

/** Latest modification time under `dir` (sources only), in ms. */
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|js|mjs|css|json)$/.test(e.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

function stale() {
  if (!fs.existsSync(OUT)) return true;
  const built = fs.statSync(OUT).mtimeMs;
  for (const dir of SOURCES) if (newest(path.join(ROOT, dir)) > built) return true;
  return fs.statSync(path.join(ROOT, "package-lock.json")).mtimeMs > built;
}

function build() {
  // The timeline page's client files are embedded, so the bundle needs nothing next to it.
  const client = {};
  for (const name of fs.readdirSync(CLIENT_DIR)) client[name] = fs.readFileSync(path.join(CLIENT_DIR, name), "utf8");
  require("esbuild").buildSync({
    entryPoints: [ENTRY],
    outfile: OUT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // ts-node is only loaded for a --board module written in TypeScript.
    external: ["ts-node", "esbuild", "playwright-core"],
    define: { QUIESCE_CLIENT: JSON.stringify(client) },
    logLevel: "error",
  });
  fs.rmSync(CODE_CACHE, { force: true });
}

/*
 * Runs the bundle with V8's code cache for it: Node 20 has no module compile cache (Node 22's
 * module.enableCompileCache), and compiling 1.4 MB is ~35 ms of the ~200 this script takes. A run that
 * had no cache, or whose cache V8 refused (another Node), writes one as it exits, when it holds every
 * function the run compiled; through a rename, so two shells starting at once never read half a file.
 * The cache's first line names the bundle it was made from (size and mtime): V8 checks only the
 * source's length, and a shell still open from before a rebuild writes its cache of the old bundle. It
 * also carries the SHA-1 of the data: Node 20's V8 does not checksum a code cache, and a damaged one it
 * accepts aborts the process (SIGTRAP) on every start until the file is deleted.
 */
function runBundle() {
  const vm = require("vm");
  const Module = require("module");
  const fd = fs.openSync(OUT, "r");
  const stat = fs.fstatSync(fd);
  const source = fs.readFileSync(fd, "utf8");
  fs.closeSync(fd);
  const crypto = require("crypto");
  const sha1 = (data) => crypto.createHash("sha1").update(data).digest("hex");
  const key = "quiesce shell " + stat.size + " " + stat.mtimeMs + " ";
  let cachedData;
  try {
    const file = fs.readFileSync(CODE_CACHE);
    const eol = file.indexOf(10);
    const line = file.subarray(0, eol + 1).toString("latin1");
    const data = file.subarray(eol + 1);
    if (eol > 0 && line === key + sha1(data) + "\n") cachedData = data;
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: OUT, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", function writeCodeCache() {
      const part = CODE_CACHE + "." + process.pid;
      try {
        const data = script.createCachedData();
        fs.writeFileSync(part, Buffer.concat([Buffer.from(key + sha1(data) + "\n", "latin1"), data]));
        fs.renameSync(part, CODE_CACHE);
      } catch {
        fs.rmSync(part, { force: true });
      }
    });
  }
  const bundle = new Module(OUT, module);
  bundle.filename = OUT;
  bundle.paths = Module._nodeModulePaths(path.dirname(OUT));
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(OUT), bundle, OUT, path.dirname(OUT));
}

/*
 * A --board module given by path (an example's sim.ts) imports quiesce by its package name: inside this
 * checkout those names resolve to the TypeScript sources through package.json's "quiesce-source"
 * condition, which Node only honours when started with it. The shell must then run from those same
 * sources, not the bundle: two copies of the runtime would each have their own classes, and the board's
 * RequestQueue is no RequestQueue to the bundle's runtime. So such a run starts Node again, with the
 * condition and ts-node, on the shell's source (about 4 s instead of 0.2).
 */
function boardIsModulePath(args) {
  const at = args.indexOf("--board");
  return at >= 0 && /[/\\.]/.test(args[at + 1] || "");
}

const args = process.argv.slice(2);
if (boardIsModulePath(args)) {
  const run = require("child_process").spawnSync(process.execPath,
    ["--conditions=quiesce-source", "-r", require.resolve("ts-node/register/transpile-only"), ENTRY, ...args], { stdio: "inherit" });
  process.exit(run.status === null ? 1 : run.status);
}
if (stale()) build();
runBundle();
