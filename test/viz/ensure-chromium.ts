// Installs Debian's chromium for the headless timeline test when /usr/bin/chromium is absent (CI runs as root).
import { existsSync } from "fs";
import { execFileSync } from "child_process";

export const CHROMIUM = "/usr/bin/chromium";

/** Flags for a sandbox-less container: no GPU, no background traffic, no first-run UI. */
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Returns the seconds the install took (0 when chromium was already there). Throws naming the fix. */
export function ensureChromium(): number {
  if (existsSync(CHROMIUM)) return 0;
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new Error(CHROMIUM + " is missing and this is not root: run `sudo apt-get install -y chromium` first");
  }
  const start = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "pipe", env, timeout: 600_000 });
  // A font is named too: without recommends a bare image may have none, and the screenshot would show boxes.
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium", "fonts-dejavu-core"], { stdio: "pipe", env, timeout: 900_000 });
  if (!existsSync(CHROMIUM)) throw new Error("apt-get install chromium finished but " + CHROMIUM + " is absent: check the Debian mirror");
  return (Date.now() - start) / 1000;
}

if (require.main === module) console.log("chromium ready, install took " + ensureChromium() + " s");
