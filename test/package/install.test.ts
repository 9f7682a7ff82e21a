// What a user does (npm run test:deep: ~30 s): npm pack this checkout, install the tarball into a new project without network, run a conformance case through that project's vitest.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const VITEST = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "vitest", "package.json"), "utf8")) as { version: string }).version;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "quiesce-install-"));

/** The environment of a user's shell: none of this run's vitest variables. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|NODE_OPTIONS$|TEST$)/.test(k)) env[k] = v;
  env.NO_COLOR = "1";
  return env;
}

function run(cmd: string, args: string[], cwd: string): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, env: userEnv(), encoding: "utf8", timeout: 240_000 });
  return { status: r.status ?? -1, out: (r.stdout ?? "") + (r.stderr ?? "") };
}

/**
 * A copy of the checkout as git sees it (tracked and untracked, not ignored: no dist/, no build/, as
 * a fresh clone), its node_modules linked: `npm pack` there runs prepack without touching this tree.
 */
function cleanCopy(): string {
  const src = path.join(work, "src");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0");
  for (const f of files) {
    if (f === "" || f === "node_modules" || !fs.existsSync(path.join(ROOT, f))) continue;
    fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(src, f));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(src, "node_modules"), "dir");
  return src;
}

/**
 * The tarball installed into `project` offline (npm's cache). Where the cache lacks a package
 * (ENOTCACHED), the same as npm would lay it out: the tarball unpacked as node_modules/quiesce, and
 * vitest and esbuild (quiesce's dependency) linked from this checkout. Returns how it was installed.
 */
function install(project: string, tgz: string): string {
  const npm = run("npm", ["install", "--offline", "--no-audit", "--no-fund", tgz, "vitest@" + VITEST], project);
  if (npm.status === 0) return "npm install --offline";
  expect(npm.out, "npm install --offline failed for another reason than a package missing from the cache").toMatch(/ENOTCACHED|offline/i);
  const nm = path.join(project, "node_modules");
  fs.rmSync(nm, { recursive: true, force: true });
  fs.mkdirSync(path.join(nm, "quiesce"), { recursive: true });
  execFileSync("tar", ["-xzf", tgz, "-C", path.join(nm, "quiesce"), "--strip-components=1"]);
  for (const dep of ["vitest", "esbuild"]) fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(nm, dep), "dir");
  return "tarball unpacked, vitest linked (offline cache incomplete)";
}

/** A user's conformance test: the DevKitC LED through the installed kit, the board from "quiesce/sim". */
const USER_TEST = `import { expect, it } from "vitest";
import { describeDriverConformance, makeCaseBoard, type CaseBoard, type DriverCase } from "quiesce/conformance";
import { SimBoard, SIM_ESP32_DEVKITC } from "quiesce/sim";

function make(): CaseBoard {
  const b = makeCaseBoard(SIM_ESP32_DEVKITC);
  (b.sim.driver("led") as unknown as { set(level: number): void }).set(1);
  return b;
}

const LED: DriverCase = {
  device: "led",
  make,
  snapshot: (b) => [b.sim.io.level(2), b.sim.leds["led"].lit() ? 1 : 0],
};

it("the kit's boards are quiesce/sim's SimBoard (one simulator)", () => {
  expect(make().sim).toBeInstanceOf(SimBoard);
});

describeDriverConformance([LED]);
`;

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe("installed from npm pack", () => {
  it("npm pack (prepack) warns of nothing and ships the kit's ES module; a new project installs it offline and runs a conformance case in vitest", () => {
    const started = Date.now();
    const src = cleanCopy();
    const copied = Date.now();
    const packed = run("npm", ["pack", "--pack-destination", work], src);
    expect(packed.status, packed.out).toBe(0);
    expect(packed.out, "npm pack printed a warning").not.toMatch(/npm warn/i);
    expect(packed.out).toContain("dist/host-sim/conformance/index.mjs");
    const tgz = path.join(work, "quiesce-" + VERSION + ".tgz");
    const packedAt = Date.now();
    expect(fs.existsSync(tgz)).toBe(true);

    const project = path.join(work, "app");
    fs.mkdirSync(path.join(project, "test"), { recursive: true });
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "quiesce-user", private: true, type: "module" }, null, 2));
    fs.writeFileSync(path.join(project, "test", "led.test.ts"), USER_TEST);
    const how = install(project, tgz);
    const installed = Date.now();
    expect(fs.realpathSync(path.join(project, "node_modules", "quiesce", "dist", "host-sim", "conformance", "index.mjs"))).toMatch(/index\.mjs$/);

    // One conformance case (the full cycle) and the identity check; the kit's other cases are skipped by -t.
    const vitest = run(process.execPath, [path.join(project, "node_modules", "vitest", "vitest.mjs"), "run", "-t", "full cycle|one simulator"], project);
    expect(vitest.status, how + "\n" + vitest.out).toBe(0);
    expect(vitest.out).toMatch(/Tests\s+2 passed/);
    expect(vitest.out).not.toContain("cannot be imported in a CommonJS module");
    const s = (a: number, b: number): string => ((b - a) / 1000).toFixed(1) + " s";
    console.info("package install test (" + how + "): copy " + s(started, copied) + ", npm pack " + s(copied, packedAt) + ", install " +
      s(packedAt, installed) + ", vitest " + s(installed, Date.now()) + "; total " + s(started, Date.now()));
  }, 300_000);
});
