// `npm start`: runs the simulator shell from an esbuild bundle, rebuilt only when a source changed (ts-node takes seconds to start), with V8's code cache.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, ".cache", "shell.js");
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
  // This script too: its build options (minified, conditions) are part of what it built.
  return fs.statSync(path.join(ROOT, "package-lock.json")).mtimeMs > built || fs.statSync(__filename).mtimeMs > built;
}

/**
 * Bundles `entry` (esbuild's options: entryPoints, or stdin) into `out`, written through a rename so a
 * start running at the same moment never reads half a file. Returns esbuild's metafile.
 */
function build(entry, out) {
  // The timeline page's client files are embedded, so the bundle needs nothing next to it.
  const client = {};
  for (const name of fs.readdirSync(CLIENT_DIR)) client[name] = fs.readFileSync(path.join(CLIENT_DIR, name), "utf8");
  const result = require("esbuild").buildSync({
    ...entry,
    outfile: out,
    // The metafile's inputs and error locations are relative to this: the checkout, wherever it is run from.
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // "quiesce" and "quiesce/…" in a --board module are this checkout's sources, as in the shell (package.json exports).
    conditions: ["quiesce-source"],
    // Resolved here (esbuild resolves an alias in absWorkingDir), never from the board's folder: a board in an
    // application with quiesce installed would bundle that copy beside the shell's, two runtimes whose objects
    // fail each other's checks ("registerQueue: [object Object] is no RequestQueue").
    alias: { quiesce: "quiesce" },
    // ts-node is only loaded for a --board module written in TypeScript that is not bundled (board-module.ts).
    external: ["ts-node", "esbuild", "playwright-core"],
    define: { QUIESCE_CLIENT: JSON.stringify(client) },
    // 0.9 MB instead of 1.4: about 20 ms less to read and compile at every start. Names are kept: stack
    // traces name functions, and board-module.ts finds a board's wiring function by its name.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "silent",
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const part = out + "." + process.pid;
  fs.writeFileSync(part, result.outputFiles[0].contents);
  fs.renameSync(part, out);
  fs.rmSync(out + ".v8cache", { force: true });
  return result.metafile;
}

/*
 * Runs the bundle with V8's code cache for it: Node 20 has no module compile cache (Node 22's
 * module.enableCompileCache), and compiling the 0.9 MB bundle is ~30 ms of the ~180 this script takes. A run that
 * had no cache, or whose cache V8 refused (another Node), writes one as it exits, when it holds every
 * function the run compiled; through a rename, so two shells starting at once never read half a file.
 * The cache's first line names the bundle it was made from (size and mtime): V8 checks only the
 * source's length, and a shell still open from before a rebuild writes its cache of the old bundle. It
 * also carries the SHA-1 of the data: Node 20's V8 does not checksum a code cache, and a damaged one it
 * accepts aborts the process (SIGTRAP) on every start until the file is deleted.
 */
function runBundle(out) {
  const vm = require("vm");
  const Module = require("module");
  const cachePath = out + ".v8cache";
  const fd = fs.openSync(out, "r");
  const stat = fs.fstatSync(fd);
  const source = fs.readFileSync(fd, "utf8");
  fs.closeSync(fd);
  const crypto = require("crypto");
  const sha1 = (data) => crypto.createHash("sha1").update(data).digest("hex");
  const key = "quiesce shell " + stat.size + " " + stat.mtimeMs + " ";
  let cachedData;
  try {
    const file = fs.readFileSync(cachePath);
    const eol = file.indexOf(10);
    const line = file.subarray(0, eol + 1).toString("latin1");
    const data = file.subarray(eol + 1);
    if (eol > 0 && line === key + sha1(data) + "\n") cachedData = data;
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: out, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", function writeCodeCache() {
      const part = cachePath + "." + process.pid;
      try {
        const data = script.createCachedData();
        fs.writeFileSync(part, Buffer.concat([Buffer.from(key + sha1(data) + "\n", "latin1"), data]));
        fs.renameSync(part, cachePath);
      } catch {
        fs.rmSync(part, { force: true });
      }
    });
  }
  const bundle = new Module(out, module);
  bundle.filename = out;
  bundle.paths = Module._nodeModulePaths(path.dirname(out));
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(out), bundle, out, path.dirname(out));
}

/*
 * A --board module given by path (an example's sim.ts) imports quiesce by its package name, which in
 * this checkout is its TypeScript sources (package.json's "quiesce-source" condition). It is bundled
 * with the shell into one file per board module, so the board and the shell share one copy of the
 * runtime: with two, the board's RequestQueue is no RequestQueue to the shell's runtime. The bundle is
 * rebuilt when any file it was built from (esbuild's metafile, kept beside it) is newer or gone. So a
 * board module is what esbuild can bundle (TypeScript or JavaScript, imports that resolve); one it
 * cannot is refused with esbuild's first error, exit 2 (EXIT_BAD_FILE), as the shell refuses a board.
 * The shell's own modules are not on the board's side of that line: the bundle starts the shell.
 */
function boardModuleOf(args) {
  let spec = null;
  // parseArgs's rules: `--board X` or `--board=X`, the last one wins; a name without a dot or slash is a shipped board.
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--board") spec = args[i + 1] || null;
    else if (args[i].startsWith("--board=")) spec = args[i].slice(8);
  }
  return spec !== null && /[/\\.]/.test(spec) ? spec : null;
}

/** What `boardBundle` recorded beside the bundle (`inputs`, `ownPaths`), or null when the bundle must be built again. */
function boardBuilt(out, inputsFile) {
  if (!fs.existsSync(out) || !fs.existsSync(inputsFile)) return null;
  const built = fs.statSync(out).mtimeMs;
  if (newest(CLIENT_DIR) > built) return null;
  let record;
  try {
    record = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
  } catch {
    return null;
  }
  if (record === null || !Array.isArray(record.inputs)) return null;
  for (const input of [...record.inputs, "package-lock.json", path.relative(ROOT, __filename)]) {
    const p = path.resolve(ROOT, input);
    if (!fs.existsSync(p) || fs.statSync(p).mtimeMs > built) return null;
  }
  return record;
}

/**
 * The bundle of the shell with board module `file` (given as `spec`), built if stale; exits 2 when
 * esbuild cannot bundle it. Null when the board's own files read `__dirname`, `__filename` or
 * `import.meta`: in a bundle those name `.cache/` (or nothing), so such a board runs from its sources
 * as before the bundles (ts-node, about 4 s to the prompt).
 */
function boardBundle(file, spec) {
  const id = require("crypto").createHash("sha1").update(file).digest("hex").slice(0, 16);
  const out = path.join(ROOT, ".cache", "board-" + id + ".js");
  const inputsFile = out + ".inputs.json";
  const record = boardBuilt(out, inputsFile);
  if (record !== null) return record.ownPaths ? null : out;
  const q = JSON.stringify;
  // board-module.ts takes the module from the bundle (loaded when the shell asks for it, so a throw at its top level is reported as a load error).
  const contents = "require(" + q(path.join(ROOT, "host-sim", "cli", "board-module.ts")) + ").bundledBoard(" + q(file) + ", () => require(" + q(file) + "));\n" +
    "require(" + q(ENTRY) + ");\n";
  let meta;
  try {
    meta = build({ stdin: { contents, resolveDir: ROOT, sourcefile: "board-shell.js", loader: "js" } }, out);
  } catch (e) {
    // A syntax error, an import that names no file, not a module at all: its first error, where it is, as the shell words a load error.
    const first = e && e.errors && e.errors[0];
    const at = first && first.location && first.location.file !== "board-shell.js" ? first.location : null;
    const where = at ? " at " + path.relative(process.cwd(), path.resolve(ROOT, at.file)) + ":" + at.line + ":" + (at.column + 1) : "";
    process.stderr.write("quiesce: --board " + spec + ": cannot load it (" + (first ? first.text + where : String(e)) + "); give the path of a .ts board module\n");
    process.exit(2);
  }
  // Inputs that are no file (the stdin entry, `<define:…>`) are not watched; the client files it defines are (`boardBuilt`).
  const inputs = Object.keys(meta.inputs).filter((i) => i !== "board-shell.js" && !i.startsWith("<"));
  // The board's own files: not quiesce's sources (whose one `__dirname`, the timeline's client folder, the bundle defines), not packages.
  const own = inputs.filter((i) => !/^(node_modules|runtime|drivers|console|boards|host-sim)\//.test(i));
  const ownPaths = own.some((i) => /\b__(dirname|filename)\b|\bimport\.meta\b/.test(fs.readFileSync(path.resolve(ROOT, i), "utf8")));
  const part = inputsFile + "." + process.pid;
  fs.writeFileSync(part, JSON.stringify({ inputs, ownPaths }));
  fs.renameSync(part, inputsFile);
  return ownPaths ? null : out;
}

const args = process.argv.slice(2);
const board = boardModuleOf(args);
// A path that names no file goes to the shell, which says so (board-module.ts `loadBoard`). npm runs
// this in the repository; the folder the user typed `npm start` in is INIT_CWD, and a relative path means
// that one (args.ts `resolveUserPaths` does the same for the shell's other paths).
// Only when npm ran this package's script (args.ts `npmUserDir`): INIT_CWD leaks into every process an npm script starts.
const npmRun = process.env.INIT_CWD && process.env.npm_package_json && path.dirname(path.resolve(process.env.npm_package_json)) === path.resolve(process.cwd());
const boardFile = board === null ? null : path.resolve(npmRun ? process.env.INIT_CWD : process.cwd(), board);
if (boardFile !== null && fs.existsSync(boardFile) && fs.statSync(boardFile).isFile()) {
  const out = boardBundle(boardFile, board);
  if (out !== null) runBundle(out);
  else {
    const run = require("child_process").spawnSync(process.execPath,
      ["--conditions=quiesce-source", "-r", require.resolve("ts-node/register/transpile-only"), ENTRY, ...args], { stdio: "inherit" });
    process.exit(run.status === null ? 1 : run.status);
  }
} else {
  if (stale()) build({ entryPoints: [ENTRY] }, OUT);
  runBundle(OUT);
}
