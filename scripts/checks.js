// npm test's static checks (both typechecks, the allocation lint, the API docs), run beside the test command given after `--` (vitest): one machine's cores, no idle gap.
"use strict";
const { spawn } = require("node:child_process");
const { availableParallelism } = require("node:os");
const path = require("node:path");
const { readFileSync } = require("node:fs");
const root = path.join(__dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

/*
 * The commands are package.json's own scripts (`typecheck` split at its `&&`), so `npm run typecheck`
 * and this stay one definition, run with node_modules/.bin first on PATH as npm runs them. Each
 * command's output is held and printed whole when it ends, so two failures never interleave; the exit
 * status is 1 if any failed, after all have ended.
 */
// The longest first (TypeDoc: about 4 s alone), so the short ones fill the other core beside it.
const commands = [
  { name: "docs:api", cmd: pkg.scripts["docs:api"] },
  ...pkg.scripts.typecheck.split("&&").map((c) => ({ name: "typecheck: " + c.trim(), cmd: c.trim() })),
  { name: "lint:alloc", cmd: pkg.scripts["lint:alloc"] },
];
/*
 * `-- <command>` (npm test: `-- vitest run`) runs beside them with its output live. The checks then take one
 * core between them: vitest's workers have the rest, and fill the gaps the checks leave (about 8 s of the
 * two cores were spent on the checks alone before vitest started; 76 s in all, 70 side by side).
 */
const dash = process.argv.indexOf("--");
// Kept as an argument list, run without a shell: `npm test -- -t "a|b"` reaches vitest as typed.
const liveArgs = dash >= 0 && dash < process.argv.length - 1 ? process.argv.slice(dash + 1) : null;
const liveCmd = liveArgs !== null ? liveArgs.join(" ") : null;
const slots = liveCmd !== null ? 1 : Math.max(1, availableParallelism());
const env = { ...process.env, PATH: path.join(root, "node_modules", ".bin") + path.delimiter + process.env.PATH };
let next = 0, running = 0, failed = 0, liveDone = liveCmd === null;

function finish() {
  if (running === 0 && next === commands.length && liveDone) process.exit(failed === 0 ? 0 : 1);
}

/** Every process started: a CI timeout's SIGTERM (or a hang-up) is passed on, so no test run is left behind. */
const children = new Set();
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    for (const c of children) c.kill(sig);
    process.exit(1);
  });
}

if (liveArgs !== null) {
  const child = spawn(liveArgs[0], liveArgs.slice(1), { env, cwd: root, stdio: "inherit" });
  children.add(child);
  child.on("error", (e) => {
    console.log("FAIL " + liveCmd + ": " + e.message);
    failed++;
    liveDone = true;
    finish();
  });
  child.on("close", (code) => {
    if (code !== 0) failed++;
    liveDone = true;
    finish();
  });
}

function start() {
  while (running < slots && next < commands.length) {
    const { name, cmd } = commands[next++];
    const began = Date.now();
    const out = [];
    const child = spawn(cmd, { shell: true, env, cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => out.push(b));
    running++;
    child.on("close", (code) => {
      running--;
      const secs = ((Date.now() - began) / 1000).toFixed(1);
      if (code === 0) console.log("ok   " + name + " (" + secs + " s)");
      else {
        failed++;
        console.log("FAIL " + name + " (exit " + code + ", " + secs + " s): " + cmd);
        process.stdout.write(Buffer.concat(out));
      }
      finish();
      start();
    });
  }
}
start();
