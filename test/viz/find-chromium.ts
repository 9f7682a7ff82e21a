// Finds a Chrome/Chromium for the headless timeline test the way the ecosystem does; in CI only, installs Debian's when none is found.
import { existsSync, readdirSync } from "fs";
import { execFileSync } from "child_process";
import { homedir } from "os";
import { delimiter, join } from "path";

/** Flags for a sandbox-less container: no GPU, no background traffic, no first-run UI. */
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Environment variables naming a browser, first wins (CHROME_PATH is chrome-launcher's/Lighthouse's). */
export const BROWSER_ENV = ["QUIESCE_CHROMIUM", "CHROME_PATH"];

/** The one line printed when the browser test is skipped. */
export const SKIP_LINE =
  "skipping the chromium timeline test: no Chrome/Chromium found; set QUIESCE_CHROMIUM=/path/to/chrome (or CHROME_PATH), install chromium or Google Chrome, or run `npx playwright install chromium`";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export interface Host {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  exists: (path: string) => boolean;
  list: (dir: string) => string[];
}

const REAL_HOST: Host = {
  env: process.env,
  platform: process.platform,
  home: homedir(),
  exists: existsSync,
  list: (dir) => (existsSync(dir) ? readdirSync(dir) : []),
};

/** True under CI (GitHub Actions, GitLab, most runners set CI=true; "0"/"false" mean no). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/**
 * A browser executable, or null. Order: the environment variables (a set one that points nowhere is
 * an error, not a skip), the system Chrome/Chromium (PATH names on Linux, the .app bundles on macOS),
 * then Playwright's own download cache (PLAYWRIGHT_BROWSERS_PATH, else ~/.cache/ms-playwright or
 * ~/Library/Caches/ms-playwright), newest revision first.
 */
export function findChromium(host: Host = REAL_HOST): string | null {
  for (const name of BROWSER_ENV) {
    const v = host.env[name];
    if (v === undefined || v === "") continue;
    if (!host.exists(v)) throw new Error(name + "=" + v + " does not exist: point it at a Chrome/Chromium executable, or unset it to search the usual places");
    return v;
  }
  for (const candidate of systemBrowsers(host)) if (host.exists(candidate)) return candidate;
  return playwrightBrowser(host);
}

function systemBrowsers(host: Host): string[] {
  if (host.platform === "darwin") {
    const apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium", "Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary"];
    return [...apps.map((a) => join("/Applications", a)), ...apps.map((a) => join(host.home, "Applications", a))];
  }
  const names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];
  const dirs = (host.env.PATH ?? "").split(delimiter).filter((d) => d !== "");
  const out: string[] = [];
  for (const d of dirs) for (const n of names) out.push(join(d, n));
  out.push(DEBIAN_CHROMIUM, "/snap/bin/chromium");
  return out;
}

function playwrightBrowser(host: Host): string | null {
  const cache = host.env.PLAYWRIGHT_BROWSERS_PATH || (host.platform === "darwin" ? join(host.home, "Library/Caches/ms-playwright") : join(host.home, ".cache/ms-playwright"));
  const revision = (d: string): number => Number(/-(\d+)$/.exec(d)?.[1] ?? -1);
  const dirs = host.list(cache).filter((d) => /^chromium(_headless_shell)?-\d+$/.test(d)).sort((a, b) => revision(b) - revision(a));
  const inside = host.platform === "darwin"
    ? ["chrome-mac/Chromium.app/Contents/MacOS/Chromium", "chrome-mac-arm64/Chromium.app/Contents/MacOS/Chromium", "chrome-mac-x64/Chromium.app/Contents/MacOS/Chromium", "chrome-mac/headless_shell", "chrome-mac-arm64/chrome-headless-shell"]
    : ["chrome-linux/chrome", "chrome-linux64/chrome", "chrome-linux/headless_shell", "chrome-linux64/chrome-headless-shell"];
  for (const d of dirs) for (const rel of inside) if (host.exists(join(cache, d, rel))) return join(cache, d, rel);
  return null;
}

/**
 * CI only (a fresh Debian runner, as root): installs Debian's chromium when nothing was found.
 * Returns the path and the seconds the install took. Elsewhere nothing is installed.
 */
export function installChromiumForCi(): { path: string; seconds: number } {
  if (process.platform !== "linux" || !existsSync("/usr/bin/apt-get") || typeof process.getuid !== "function" || process.getuid() !== 0) {
    throw new Error("CI=true and no Chrome/Chromium found: set QUIESCE_CHROMIUM to one, or run CI as root on Debian/Ubuntu so the test can apt-get install chromium");
  }
  const start = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "pipe", env, timeout: 600_000 });
  // A font is named too: without recommends a bare image may have none, and the screenshot would show boxes.
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium", "fonts-dejavu-core"], { stdio: "pipe", env, timeout: 900_000 });
  if (!existsSync(DEBIAN_CHROMIUM)) throw new Error("apt-get install chromium finished but " + DEBIAN_CHROMIUM + " is absent: check the Debian mirror");
  return { path: DEBIAN_CHROMIUM, seconds: (Date.now() - start) / 1000 };
}

if (require.main === module) console.log(findChromium() ?? SKIP_LINE);
