// One self-contained HTML page per timeline (inline CSS, JS and data; no network): lanes, zoom, failure, summary.
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { STAGE_NAMES } from "../../runtime/status";
import type { TimelineModel } from "./model";
import { roleText } from "./model";
import { formatCurrent, formatDuration } from "../units";
import { multiTables } from "./html-multi";
import { esc, banner, attemptsTable, slowestTable, energyTable, governorTable, deviceTree, flightTable, fmtUs } from "./html-tables";

/** Stage colours (index = stage id): suspend direction warm, platform sleep slate, resume direction cool. */
export const STAGE_COLORS = ["#f2c14e", "#f78154", "#c2577a", "#7b7f9e", "#4d9de0", "#3bb273", "#b8b8b8", "#9b5de5"];

/** Runtime-PM state colours (index = RPM_*): active green, suspending amber, suspended slate, resuming blue. */
export const RPM_COLORS = ["#cfe8d4", "#f6c177", "#8a93a6", "#7fb3e6"];

/** Lane geometry shared with the client script (it reads these from the data block). */
export const LAYOUT = { axis: 28, lane: 24, counter: 44, label: 190 };

const CLIENT_DIR = join(__dirname, "client");

/** The client files, embedded by the `npm start` bundle (scripts/start.js); undefined when run from source. */
declare const QUIESCE_CLIENT: { readonly [name: string]: string } | undefined;

function asset(name: string): string {
  if (typeof QUIESCE_CLIENT !== "undefined") return QUIESCE_CLIENT[name];
  return readFileSync(join(CLIENT_DIR, name), "utf8");
}

/** JSON safe inside a <script> element: no "</script>", no line separators JS would choke on. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** The unit the lane's scale label is drawn in: a current lane reaching 1 mA is labelled in mA, as formatCurrent prints it. */
function drawnUnit(c: { unit: string; values: number[] }): string {
  return c.unit === "uA" && c.values.some((v) => v >= 1000) ? "mA" : c.unit;
}

function laneLabels(m: TimelineModel): string {
  let h = "<div class=\"lane-label system\" data-lane=\"system\" style=\"height:" + LAYOUT.lane + "px\">system</div>";
  for (let i = 0; i < m.lanes.length; i++) {
    const d = m.devices[m.lanes[i]];
    const failed = m.slices.some((s) => s.device === d.id && s.failed);
    const roles = roleText(d);
    h += "<div class=\"lane-label" + (failed ? " has-failure" : "") + "\" data-lane=\"device\" data-device=\"" + esc(d.name) +
      "\" style=\"height:" + LAYOUT.lane + "px;padding-left:" + (8 + 14 * m.depth[i]) + "px\" title=\"" + esc(d.name + (roles !== "" ? " (" + roles + ")" : "")) + "\">" +
      (m.depth[i] > 0 ? "<span class=\"branch\">&#x2514;</span>" : "") + esc(d.name) +
      (roles.includes("storage") ? " <span class=\"tag\">storage</span>" : "") + (roles.includes("wake") ? " <span class=\"tag\">wake</span>" : "") + "</div>";
    // The device's runtime-PM state, a sub-lane right under it (the client draws the rows in this order).
    if (m.rpmLanes.includes(d.id)) {
      h += "<div class=\"lane-label rpm\" data-lane=\"rpm\" data-device=\"" + esc(d.name) + "\" style=\"height:" + LAYOUT.lane + "px;padding-left:" +
        (22 + 14 * m.depth[i]) + "px\" title=\"" + esc(d.name) + ": runtime PM state (console: rpm)\">runtime pm</div>";
    }
  }
  for (const c of m.counters) {
    h += "<div class=\"lane-label counter\" data-lane=\"counter\" data-counter=\"" + esc(c.name) + "\" style=\"height:" + LAYOUT.counter + "px\">" +
      esc(c.name) + (c.unit !== "" ? " <span class=\"unit\">" + esc(drawnUnit(c)) + "</span>" : "") + "</div>";
  }
  return h;
}

function legend(m: TimelineModel): string {
  let h = "";
  for (let s = 0; s < STAGE_NAMES.length; s++) {
    h += "<span class=\"legend-item\"><span class=\"swatch\" style=\"background:" + STAGE_COLORS[s] + "\"></span>" + esc(s === 3 ? "platform sleep" : STAGE_NAMES[s]) + "</span>";
  }
  h += "<span class=\"legend-item\"><span class=\"swatch failed\"></span>failed</span>";
  if (m.rpmLanes.length === 0) return h;
  // The runtime-PM lane's states, named as the spans name them (the console's `rpm` words).
  const names: string[] = [];
  for (const s of m.rpm) names[s.state] = s.name;
  names.forEach((n, st) => {
    if (n !== undefined) h += "<span class=\"legend-item rpm\"><span class=\"swatch\" style=\"background:" + RPM_COLORS[st] + "\"></span>" + esc(n) + "</span>";
  });
  return h;
}

function attemptButtons(m: TimelineModel): string {
  return m.attempts.map((a) => {
    const bad = a.outcome > 0 || a.failStage >= 0;
    const label = "#" + (a.index + 1) + " " + (a.target === 2 ? "hibernate" : "standby") + " " + (a.outcome < 0 ? "..." : bad ? "&#x2716; " + esc(m.statusNames[a.outcome] ?? "?") : "OK");
    return "<button class=\"attempt" + (bad ? " bad" : "") + "\" data-attempt=\"" + a.index + "\">" + label + "</button>";
  }).join("");
}

export function toHtml(m: TimelineModel): string {
  const sub = [m.board !== "" ? "board " + m.board : "", m.source === "dump" ? "decoded from a console trace dump" : "host simulator",
    m.records + " trace records", "span " + fmtUs(m.end - m.start)].filter((s) => s !== "").join(" &middot; ");
  const failed = m.slices.some((s) => s.failed) || m.attempts.some((a) => a.failStage >= 0);
  const data = { model: m, colors: STAGE_COLORS, rpmColors: RPM_COLORS, layout: LAYOUT };
  const multi = multiTables(m);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(m.title)}</title>
<style>
${asset("timeline.css")}
</style></head>
<body>
<header><h1>${esc(m.title)}</h1><div class="sub">${sub}</div>
${banner(m)}
${m.unmatched > 0 ? "<div class=\"note\">" + m.unmatched + " trace records matched no begin (the ring had already overwritten it): the earliest slices may be missing.</div>" : ""}
</header>
<section id="timeline-section">
<div class="toolbar">
<button id="zoom-in" title="zoom in (+ or wheel)">+</button><button id="zoom-out" title="zoom out (- or wheel)">&minus;</button><button id="zoom-fit" title="whole trace (0)">fit</button>
${failed ? "<button id=\"zoom-failure\" class=\"bad\" title=\"zoom to the first failure (f)\">failure</button>" : ""}
<span class="sep"></span>${attemptButtons(m)}
<span class="range" id="range"></span>
</div>
<div class="legend">${legend(m)}</div>
<div class="timeline" id="timeline">
<div class="labels" style="width:${LAYOUT.label}px"><div class="axis-pad" style="height:${LAYOUT.axis}px"></div>${laneLabels(m)}</div>
<div class="plot" id="plot"><svg id="tl-svg" xmlns="http://www.w3.org/2000/svg"></svg></div>
</div>
<div class="hint">Wheel or +/&minus; to zoom around the pointer, drag to pan, 0 to fit; hover a slice for details, click to pin them; n / p: next / previous failed slice; Esc unpins.</div>
<div id="detail" class="detail" hidden></div>
<div id="tip" class="tip" hidden></div>
</section>
<section class="grid">
<div class="wide"><h2>Attempts</h2>${attemptsTable(m)}</div>
${multi !== "" ? "<div class=\"wide multi\"><h2>Over " + m.attempts.filter((a) => a.end >= 0).length + " attempts: min / median / max (like sleepgraph -multi)</h2><div class=\"scroll multi-tables\">" + multi + "</div></div>" : ""}
<div><h2>Slowest devices</h2>${slowestTable(m)}</div>
${m.energy !== null ? "<div><h2>Energy</h2>" + energyTable(m) + "</div>" : ""}
${m.governor.length > 0 ? "<div class=\"wide\"><h2>Governor decisions (" + (m.governor.length > 32 ? "last 32 of " : "") + m.governor.length + ")</h2><div class=\"scroll\">" + governorTable(m) + "</div></div>" : ""}
<div><h2>Device tree</h2>${deviceTree(m)}</div>
</section>
${m.flight !== null && m.flight.length > 0 ? "<section><h2>Flight recorder (last " + m.flight.length + " attempts, kept in the state arena)</h2><div class=\"scroll\">" + flightTable(m) + "</div></section>" : ""}
<script type="application/json" id="quiesce-data">${scriptJson(data)}</script>
<script>
${formatDuration.toString()}
${formatCurrent.toString()}
${asset("timeline.js")}
</script>
</body></html>
`;
}

export function writeHtml(model: TimelineModel, path: string): void {
  writeFileSync(path, toHtml(model));
}
