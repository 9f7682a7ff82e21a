// Headless Chromium opens HTML timelines: failure, lanes, wake, zoom; the DevKitC run at desktop and phone width, click and n/p; screenshots.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdirSync, statSync } from "fs";
import { join, resolve } from "path";
import { pathToFileURL } from "url";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, findChromium, installChromiumForCi, isCi, SKIP_LINE } from "./find-chromium";
import { runScenario } from "./scenario";
import { writeHtml } from "../../host-sim/viz/html";
import { devkitcTimeline } from "./devkitc-run";

const ROOT = resolve(__dirname, "../..");
const ARTIFACTS = join(ROOT, "test-artifacts");
const DOCS_PNG = join(ROOT, "docs", "timeline.png");

let browser: Browser | null = null;
let installSeconds = 0;
// Outside CI a machine without a browser skips only this file, with one line; in CI it stays required.
const found = findChromium();
const run = found !== null || isCi();
if (!run) console.warn(SKIP_LINE);

describe.skipIf(!run)("html timeline in chromium", () => {
  beforeAll(async () => {
    let path = found;
    if (path === null) {
      // CI on a fresh Debian machine: apt-get installs chromium (about a minute), hence the generous timeout.
      const installed = installChromiumForCi();
      path = installed.path;
      installSeconds = installed.seconds;
    }
    browser = await chromium.launch({ executablePath: path, args: CHROMIUM_ARGS });
  }, 1_200_000);

  afterAll(async () => {
    if (browser !== null) await browser.close();
  });

  it("shows the failing device and stage on its lane, every lane, the wake; zooms; screenshots", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "timeline.html");
    writeHtml(runScenario().viz.finish(), file);
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(pathToFileURL(file).href);

    // The page opens on the failed attempt: the failed slice is outlined and labelled on display's lane.
    const marker = page.locator(".fail-marker[data-device=\"display\"][data-stage=\"suspend\"]");
    expect(await marker.count()).toBe(1);
    expect(await marker.textContent()).toBe("\u2716 suspend: IO  (display)");
    const failed = page.locator("rect.slice.failed");
    expect(await failed.evaluateAll((els) => els.map((e) => e.getAttribute("data-device") + " " + e.getAttribute("data-stage") + " " + e.getAttribute("data-status"))))
      .toEqual(["system suspend IO", "display suspend IO"]);
    const lanes = await page.$$eval(".lane-label[data-lane=\"device\"]", (els) => els.map((e) => e.getAttribute("data-device")));
    expect(lanes).toEqual(["i2c0", "bme280", "touch", "spi0", "flash", "display", "led", "button", "console", "telemetry"]);
    // Geometry: the failed slice sits in display's row, the marker right of it.
    const label = (await page.locator(".lane-label[data-device=\"display\"]").boundingBox())!;
    const slice = (await page.locator("rect.slice.failed[data-device=\"display\"]").boundingBox())!;
    const mark = (await marker.boundingBox())!;
    expect(slice.y).toBeGreaterThanOrEqual(label.y);
    expect(slice.y + slice.height).toBeLessThanOrEqual(label.y + label.height);
    expect(mark.x).toBeGreaterThanOrEqual(slice.x + slice.width);
    expect(await page.locator(".lane-label.has-failure").textContent()).toContain("display");
    await page.screenshot({ path: join(ARTIFACTS, "timeline-failure.png") });

    // Whole trace: attempt 1's sleep and the button wake are visible.
    await page.click("#zoom-fit");
    expect(await page.locator(".wake-label text").first().textContent()).toBe("\u26a1 wake: button (line 0)");
    expect(await page.locator("rect.slice[data-device=\"system\"][data-stage=\"platform\"]").count()).toBe(1);
    expect(await page.locator("[data-lane=\"counter\"]").count()).toBe(4);
    await page.screenshot({ path: join(ARTIFACTS, "timeline.png") });

    // The wheel zooms around the pointer.
    const before = await page.locator("#range").textContent();
    const plot = (await page.locator("#plot").boundingBox())!;
    await page.mouse.move(plot.x + plot.width * 0.2, plot.y + 100);
    await page.mouse.wheel(0, -600);
    const after = await page.locator("#range").textContent();
    expect(after).not.toBe(before);
    const span = (s: string | null): string => /\(span ([^)]+)\)/.exec(s ?? "")![1];
    expect(span(before)).toBe("30.168 ms");
    expect(parseFloat(span(after))).toBeLessThan(30.168);
    expect(errors).toEqual([]);
    console.log("chromium " + (installSeconds > 0 ? "installed for CI in " + installSeconds + " s" : "found at " + String(found)));
  }, 120_000);

  it("DevKitC run: clicking a failed slice pins its details; n / p step through the failures; screenshot for the README", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "timeline-devkitc.html");
    writeHtml(devkitcTimeline().model, file);
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href);
    // Opens on the first failure: bme280's S2.
    await page.locator("rect.slice.failed[data-device=\"bme280\"]").click();
    const detail = page.locator("#detail");
    expect(await detail.isVisible()).toBe(true);
    const field = async (f: string): Promise<string | null> => detail.locator("td[data-field=\"" + f + "\"]").textContent();
    expect(await detail.locator(".detail-head").textContent()).toBe("bme280 \u2014 suspend\u00d7");
    expect([await field("device"), await field("stage"), await field("status"), await field("attempt"), await field("parked requests")])
      .toEqual(["bme280", "suspend", "IO \u2716 failed", "2", "0"]);
    expect(await field("budget")).toMatch(/^\d+(\.\d+)? ms \(\d+% used\)$/);
    expect(await field("duration")).toMatch(/^(<1|\d+) us$/);
    expect(await page.locator("rect.slice.pinned").getAttribute("data-device")).toBe("bme280");
    // n: the next failure, flash's resume in attempt 3; p goes back; Esc unpins.
    await page.keyboard.press("n");
    expect([await field("device"), await field("stage"), await field("attempt")]).toEqual(["flash", "resume", "3"]);
    await page.keyboard.press("p");
    expect(await field("device")).toBe("bme280");
    // The README's picture: the whole run, bme280's failure pinned, no tooltip.
    await page.keyboard.press("0");
    await page.mouse.move(2, 2);
    const shot = join(ARTIFACTS, "timeline-devkitc.png");
    await page.screenshot({ path: shot });
    if (process.env.QUIESCE_UPDATE_DOCS === "1") copyFileSync(shot, DOCS_PNG);
    expect(statSync(shot).size).toBeLessThan(400_000);
    await page.keyboard.press("Escape");
    expect(await detail.isHidden()).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);

  it("at 390 px wide the page does not scroll sideways; lanes and tables reflow", async () => {
    const file = join(ARTIFACTS, "timeline-devkitc.html");
    if (!existsSync(file)) writeHtml(devkitcTimeline().model, file);
    const page = await (browser as Browser).newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(file).href);
    // A string: the test's tsconfig has no DOM types.
    const widths = await page.evaluate("({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })");
    expect(widths).toEqual({ scroll: 390, client: 390 });
    // The plot keeps most of the width; wide tables scroll inside their own box.
    const plot = (await page.locator("#plot").boundingBox())!;
    expect(plot.width).toBeGreaterThan(250);
    expect(plot.x + plot.width).toBeLessThanOrEqual(390);
    await page.locator("rect.slice.failed[data-device=\"bme280\"]").click();
    const box = (await page.locator("#detail").boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(ARTIFACTS, "timeline-narrow.png"), fullPage: true });
  }, 120_000);
});
