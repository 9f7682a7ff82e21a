// Browser lookup for the timeline test: environment variables, system Chrome/Chromium on Linux and macOS, Playwright's cache, CI detection.
import { describe, expect, it } from "vitest";
import { findChromium, type Host, isCi } from "./find-chromium";

function host(platform: NodeJS.Platform, files: string[], env: NodeJS.ProcessEnv = {}): Host {
  const set = new Set(files);
  return {
    env: { PATH: "/usr/local/bin:/usr/bin", ...env },
    platform,
    home: platform === "darwin" ? "/Users/dev" : "/home/dev",
    exists: (p) => set.has(p),
    list: (dir) => [...new Set(files.filter((f) => f.startsWith(dir + "/")).map((f) => f.slice(dir.length + 1).split("/")[0]))],
  };
}

describe("findChromium", () => {
  it("takes QUIESCE_CHROMIUM, then CHROME_PATH, before anything installed; a variable pointing nowhere is an error", () => {
    const files = ["/opt/chrome", "/opt/other", "/usr/bin/chromium"];
    expect(findChromium(host("linux", files, { QUIESCE_CHROMIUM: "/opt/chrome", CHROME_PATH: "/opt/other" }))).toBe("/opt/chrome");
    expect(findChromium(host("linux", files, { CHROME_PATH: "/opt/other" }))).toBe("/opt/other");
    expect(() => findChromium(host("linux", files, { QUIESCE_CHROMIUM: "/nope" }))).toThrow(/QUIESCE_CHROMIUM=\/nope does not exist: point it at a Chrome\/Chromium executable/);
  });

  it("finds the system browser on Linux by its usual names on PATH", () => {
    expect(findChromium(host("linux", ["/usr/bin/chromium-browser"]))).toBe("/usr/bin/chromium-browser");
    expect(findChromium(host("linux", ["/usr/local/bin/google-chrome", "/usr/bin/chromium"]))).toBe("/usr/local/bin/google-chrome");
    expect(findChromium(host("linux", []))).toBeNull();
  });

  it("finds Google Chrome or Chromium .app bundles on macOS", () => {
    expect(findChromium(host("darwin", ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]))).toBe("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    expect(findChromium(host("darwin", ["/Users/dev/Applications/Chromium.app/Contents/MacOS/Chromium"]))).toBe("/Users/dev/Applications/Chromium.app/Contents/MacOS/Chromium");
  });

  it("falls back to Playwright's cache, newest revision first, on both systems", () => {
    const linux = ["/home/dev/.cache/ms-playwright/chromium-1105/chrome-linux/chrome", "/home/dev/.cache/ms-playwright/chromium-1200/chrome-linux64/chrome"];
    expect(findChromium(host("linux", linux))).toBe("/home/dev/.cache/ms-playwright/chromium-1200/chrome-linux64/chrome");
    const mac = ["/Users/dev/Library/Caches/ms-playwright/chromium-1105/chrome-mac/Chromium.app/Contents/MacOS/Chromium"];
    expect(findChromium(host("darwin", mac))).toBe(mac[0]);
    const custom = ["/pw/chromium-9/chrome-linux/chrome"];
    expect(findChromium(host("linux", custom, { PLAYWRIGHT_BROWSERS_PATH: "/pw" }))).toBe(custom[0]);
  });

  it("reads CI the way runners set it", () => {
    expect([isCi({ CI: "true" }), isCi({ CI: "1" }), isCi({}), isCi({ CI: "" }), isCi({ CI: "false" }), isCi({ CI: "0" })]).toEqual([true, true, false, false, false, false]);
  });
});
