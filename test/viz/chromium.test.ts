// Headless Chromium opens the HTML timeline of the injected-failure scenario: failure, lanes, wake, zoom; saves screenshots.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdirSync, statSync } from "fs";
import { join, resolve } from "path";
import { pathToFileURL } from "url";
import { chromium, type Browser } from "playwright-core";
import { ensureChromium, CHROMIUM, CHROMIUM_ARGS } from "./ensure-chromium";
import { runScenario } from "./scenario";
import { writeHtml } from "../../host-sim/viz/html";

const ROOT = resolve(__dirname, "../..");
const ARTIFACTS = join(ROOT, "test-artifacts");
const DOCS_PNG = join(ROOT, "docs", "timeline.png");

let browser: Browser | null = null;
let installSeconds = 0;

beforeAll(async () => {
  // First run on a fresh machine: apt-get installs chromium (about a minute), hence the generous timeout.
  installSeconds = ensureChromium();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 1_200_000);

afterAll(async () => {
  if (browser !== null) await browser.close();
});

describe("html timeline in chromium", () => {
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
    const shot = join(ARTIFACTS, "timeline.png");
    await page.screenshot({ path: shot });
    if (!existsSync(DOCS_PNG) || process.env.QUIESCE_UPDATE_DOCS === "1") copyFileSync(shot, DOCS_PNG);
    expect(statSync(shot).size).toBeLessThan(400_000);

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
    console.log("chromium install took " + installSeconds + " s (0: already installed)");
  }, 120_000);
});
