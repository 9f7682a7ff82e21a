// A resume-stage failure on the simulated DevKitC is treated like a suspend failure: banner, red lane, attempts table, Perfetto.
import { describe, expect, it } from "vitest";
import { toHtml } from "../../host-sim/viz/html";
import { toPerfetto } from "../../host-sim/viz/perfetto";
import { devkitcTimeline } from "./devkitc-run";

describe("resume failure in the timeline", () => {
  const { model } = devkitcTimeline();
  const flash = model.devices.findIndex((d) => d.name === "flash");

  it("the attempt names flash and resume, as the flight recorder does", () => {
    const a = model.attempts[2];
    expect([a.failDevice, model.stageNames[a.failStage], model.statusNames[a.failStatus]]).toEqual([flash, "resume", "IO"]);
    const row = model.flight!.find((r) => r.start === a.start)!;
    expect([row.failDevice, row.failStage]).toEqual([a.failDevice, a.failStage]);
  });

  it("HTML: a banner saying the others resumed, flash's lane red, 'failed at' filled", () => {
    const html = toHtml(model);
    expect(html).toContain("<div class=\"failure\" data-attempt=\"3\" data-device=\"flash\" data-stage=\"resume\">&#x2716; attempt 3: <b>flash</b> failed in <b>resume</b> with IO &mdash; marked failed, the other devices resumed (IO)</div>");
    expect(/<div class="lane-label has-failure" data-lane="device" data-device="flash"/.test(html)).toBe(true);
    const row3 = /<tr data-attempt="3">([\s\S]*?)<\/tr>/.exec(html)![1];
    expect(row3).toContain("<td class=\"bad\">flash resume: IO</td>");
  });

  it("Perfetto: failDevice and failStage in the attempt's args, the slice marked terrible", () => {
    const ev = toPerfetto(model).traceEvents.find((e) => e.cat === "attempt" && e.name.startsWith("attempt 3"))!;
    expect(ev.args).toMatchObject({ failDevice: "flash", failStage: "resume", outcome: "IO" });
    expect(ev.cname).toBe("terrible");
  });
});
