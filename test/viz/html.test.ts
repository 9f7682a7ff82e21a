// The HTML timeline page: self-contained, one lane per device in tree order, the failure marked, tables filled.
import { describe, expect, it } from "vitest";
import { runScenario } from "./scenario";
import { toHtml } from "../../host-sim/viz/html";
import type { TimelineModel } from "../../host-sim/viz/model";

function page(): { html: string; model: TimelineModel } {
  const model = runScenario().viz.finish();
  return { html: toHtml(model), model };
}

describe("html timeline", () => {
  it("is one self-contained file: inline style, script and data; nothing fetched", () => {
    const { html, model } = page();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<link |<script [^>]*src=|<img |@import|url\(http/);
    // The only URL is the SVG namespace name, which is never fetched.
    expect(new Set(html.match(/https?:\/\/[^"\s]+/g))).toEqual(new Set(["http://www.w3.org/2000/svg"]));
    const json = /<script type="application\/json" id="quiesce-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(json).model).toEqual(JSON.parse(JSON.stringify(model)));
    expect(html).toContain("function render()");
  });

  it("has a lane per device ordered by the dependency tree, indented under its bus", () => {
    const { html } = page();
    const lanes = [...html.matchAll(/class="lane-label[^"]*" data-lane="device" data-device="([^"]+)" style="height:24px;padding-left:(\d+)px"/g)]
      .map((m) => m[1] + ":" + m[2]);
    expect(lanes).toEqual(["i2c0:8", "bme280:22", "touch:22", "spi0:8", "flash:22", "display:22", "led:8", "button:8", "console:8", "telemetry:8"]);
    const counters = [...html.matchAll(/data-lane="counter" data-counter="([^"]+)"/g)].map((m) => m[1]);
    expect(counters).toEqual(["irq masked", "parked requests", "arena reserved", "current"]);
  });

  it("marks the failure: banner, red lane label, attempts table, and the wake cause", () => {
    const { html } = page();
    expect(html).toContain("<div class=\"failure\" data-attempt=\"2\" data-device=\"display\" data-stage=\"suspend\">&#x2716; attempt 2: <b>display</b> failed in <b>suspend</b> with IO");
    expect(html).toMatch(/class="lane-label has-failure" data-lane="device" data-device="display"/);
    expect(html.match(/class="lane-label has-failure"/g)!.length).toBe(1);
    expect(html).toContain("<td class=\"bad\">display suspend: IO</td>");
    expect(html).toContain("<span class=\"chip wake\">attempt 1 woke by button (line 0)</span>");
    expect(html).toContain("<button id=\"zoom-failure\"");
  });

  it("summarises per-stage durations, slowest devices, energy, the device tree and the flight recorder", () => {
    const { html } = page();
    const row1 = /<tr data-attempt="1">([\s\S]*?)<\/tr>/.exec(html)![1].replace(/<[^>]+>/g, "|").replace(/\|+/g, "|");
    expect(row1).toBe("|1|standby|OK|-|button (line 0)|150 us|3.060 ms|-|4.040 ms|-|1.560 ms|-|8.810 ms|327.6 uC|");
    const slowest = /<table class="slowest">[\s\S]*?<tbody><tr><td>([^<]+)<\/td><td class="num">([^<]+)</.exec(html)!;
    expect([slowest[1], slowest[2]]).toEqual(["flash", "1.800 ms"]);
    expect(html).toContain("<th>average current</th><td class=\"num\">");
    expect(html).toMatch(/<li data-device="spi0"><span class="dev">spi0<\/span><ul><li data-device="flash"><span class="dev">flash<\/span> <span class="chip role">storage<\/span>/);
    expect(html).toContain("Flight recorder (last 2 attempts");
    const flight = [...html.matchAll(/<table class="flight">[\s\S]*?<\/table>/g)][0][0];
    expect(flight).toContain("<td class=\"bad\">display suspend</td>");
  });
});
