// Static parts of the HTML timeline: failure banner, attempt summary, slowest devices, energy, device tree, flight recorder.
import { S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME, STAGE_NAMES } from "../../runtime/status";
import {
  type TimelineModel, type VizDevice, deviceName, stageName, statusName, targetName, wakeLabel, roleText,
} from "./model";
import { formatCharge, formatCurrent, formatDuration } from "../units";

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The shell's duration format (host-sim/units.ts), so a hook reads the same on the page and in the terminal. */
export const fmtUs = formatDuration;

const FORWARD = [S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME];

function outcomeCell(outcome: number): string {
  if (outcome < 0) return "<td class=\"warn\">unfinished</td>";
  return outcome === 0 ? "<td class=\"ok\">OK</td>" : "<td class=\"bad\">" + esc(statusName(outcome)) + "</td>";
}

function failCell(devices: VizDevice[], device: number, stage: number, status: number): string {
  if (device < 0 && stage < 0) return "<td>-</td>";
  return "<td class=\"bad\">" + esc(deviceName(devices, device)) + " " + esc(stageName(stage)) + (status > 0 ? ": " + esc(statusName(status)) : "") + "</td>";
}

/** The banner under the title: the first failed attempt (device, stage, status), every wake cause. */
export function banner(m: TimelineModel): string {
  const out: string[] = [];
  for (const a of m.attempts) {
    if (a.failDevice < 0 && a.failStage < 0) continue;
    out.push("<div class=\"failure\" data-attempt=\"" + (a.index + 1) + "\" data-device=\"" + esc(deviceName(m.devices, a.failDevice)) +
      "\" data-stage=\"" + esc(stageName(a.failStage)) + "\">&#x2716; attempt " + (a.index + 1) + ": <b>" + esc(deviceName(m.devices, a.failDevice)) +
      "</b> failed in <b>" + esc(stageName(a.failStage)) + "</b> with " + esc(statusName(a.failStatus)) +
      (a.outcome < 0 ? "" : a.failStage >= S_POWER_ON ? " &mdash; marked failed, the other devices resumed (" + esc(statusName(a.outcome)) + ")"
        : " &mdash; rolled back, system active again (" + esc(statusName(a.outcome)) + ")") + "</div>");
  }
  const wakes = m.attempts.filter((a) => a.wake !== -1).map((a) => "<span class=\"chip wake\">attempt " + (a.index + 1) + " woke by " + esc(a.wakeLabel) + "</span>");
  if (wakes.length > 0) out.push("<div class=\"wakes\">" + wakes.join(" ") + "</div>");
  return out.join("\n");
}

export function attemptsTable(m: TimelineModel): string {
  if (m.attempts.length === 0) return "<p>No suspend attempt in this trace.</p>";
  const energy = m.attempts.some((a) => a.chargeUc >= 0);
  let h = "<table class=\"attempts\"><thead><tr><th>#</th><th>target</th><th>outcome</th><th>failed at</th><th>wake cause</th>";
  for (const s of FORWARD) h += "<th class=\"stage-h s" + s + "\">" + esc(s === S_PLATFORM ? "sleep" : STAGE_NAMES[s]) + "</th>";
  h += "<th>rollback</th><th>total</th>" + (energy ? "<th>charge</th>" : "") + "</tr></thead><tbody>";
  for (const a of m.attempts) {
    h += "<tr data-attempt=\"" + (a.index + 1) + "\"><td><a href=\"#\" class=\"zoom-attempt\" data-attempt=\"" + a.index + "\">" + (a.index + 1) + "</a></td>";
    h += "<td>" + esc(a.target < 0 ? "?" : targetName(a.target)) + "</td>" + outcomeCell(a.outcome);
    h += failCell(m.devices, a.failDevice, a.failStage, a.failStatus) + "<td>" + esc(a.wakeLabel) + "</td>";
    for (const s of FORWARD) h += "<td class=\"num\">" + (a.stageUs[s] > 0 ? fmtUs(a.stageUs[s]) : "-") + "</td>";
    h += "<td class=\"num\">" + (a.rollbackUs > 0 ? fmtUs(a.rollbackUs) : "-") + "</td>";
    h += "<td class=\"num\">" + (a.end >= 0 ? fmtUs(a.end - a.start) : "-") + "</td>";
    if (energy) h += "<td class=\"num\">" + (a.chargeUc >= 0 ? formatCharge(a.chargeUc) : "-") + "</td>";
    h += "</tr>";
  }
  return h + "</tbody></table>";
}

/** Devices ranked by their longest single hook run; totals over the whole trace. */
export function slowestTable(m: TimelineModel, limit = 8): string {
  const rows = m.devices.map((d) => ({ d, max: -1, stage: -1, total: 0, hooks: 0, failures: 0 }));
  for (const s of m.slices) {
    if (s.device < 0) continue;
    const r = rows[s.device];
    const dur = s.end - s.start;
    r.total += dur;
    r.hooks++;
    if (s.failed) r.failures++;
    if (dur > r.max) {
      r.max = dur;
      r.stage = s.stage;
    }
  }
  const ranked = rows.filter((r) => r.hooks > 0).sort((a, b) => b.max - a.max || b.total - a.total).slice(0, limit);
  if (ranked.length === 0) return "<p>No hook ran in this trace.</p>";
  let h = "<table class=\"slowest\"><thead><tr><th>device</th><th>longest hook</th><th>in stage</th><th>all hooks</th><th>runs</th><th>failures</th></tr></thead><tbody>";
  for (const r of ranked) {
    h += "<tr><td>" + esc(r.d.name) + "</td><td class=\"num\">" + fmtUs(r.max) + "</td><td>" + esc(stageName(r.stage)) + "</td><td class=\"num\">" +
      fmtUs(r.total) + "</td><td class=\"num\">" + r.hooks + "</td>" + (r.failures > 0 ? "<td class=\"bad num\">" + r.failures + "</td>" : "<td class=\"num\">0</td>") + "</tr>";
  }
  return h + "</tbody></table>";
}

export function energyTable(m: TimelineModel): string {
  const e = m.energy;
  if (e === null) return "";
  return "<table class=\"energy\"><tbody><tr><th>average current</th><td class=\"num\">" + fmtUa(e.averageUa) + "</td></tr>" +
    "<tr><th>charge</th><td class=\"num\">" + formatCharge(e.chargeUc) + "</td></tr>" +
    "<tr><th>over</th><td class=\"num\">" + fmtUs(e.elapsedUs) + "</td></tr></tbody></table>";
}

export const fmtUa = formatCurrent;

/** Governor decisions: time (from the trace's start) and the words the console's `policy` prints; the last `limit`. */
export function governorTable(m: TimelineModel, limit = 32): string {
  const rows = m.governor.slice(-limit);
  let h = "<table class=\"governor\"><thead><tr><th>at</th><th>decision</th></tr></thead><tbody>";
  for (const g of rows) {
    h += "<tr data-reason=\"" + esc(g.reasonName) + "\"><td class=\"num\">" + fmtUs(g.time - m.start) + "</td><td>" + esc(g.text) + "</td></tr>";
  }
  return h + "</tbody></table>";
}

/** The device tree by parent; other prerequisites listed after "needs". */
export function deviceTree(m: TimelineModel): string {
  const devs = m.devices;
  const children = (p: number): VizDevice[] => devs.filter((d) => d.parent === p);
  const item = (d: VizDevice): string => {
    const roles = roleText(d);
    const needs = d.needs.map((n) => esc(deviceName(devs, n))).join(", ");
    let h = "<li data-device=\"" + esc(d.name) + "\"><span class=\"dev\">" + esc(d.name) + "</span>";
    if (roles !== "") h += " <span class=\"chip role\">" + esc(roles) + "</span>";
    if (d.stateBytes > 0) h += " <span class=\"chip\">state " + d.stateBytes + " B</span>";
    if (needs !== "") h += " <span class=\"needs\">needs " + needs + "</span>";
    const kids = children(d.id);
    if (kids.length > 0) h += "<ul>" + kids.map(item).join("") + "</ul>";
    return h + "</li>";
  };
  const roots = devs.filter((d) => d.parent < 0 || d.parent >= devs.length);
  return "<ul class=\"tree\">" + roots.map(item).join("") + "</ul>";
}

export function flightTable(m: TimelineModel): string {
  const f = m.flight;
  if (f === null || f.length === 0) return "";
  let h = "<table class=\"flight\"><thead><tr><th>seq</th><th>start</th><th>target</th><th>outcome</th><th>failed at</th><th>wake</th><th>parked</th>";
  for (const s of FORWARD) h += "<th>" + esc(s === S_PLATFORM ? "sleep" : STAGE_NAMES[s]) + "</th>";
  h += "<th>total</th></tr></thead><tbody>";
  for (const r of f) {
    h += "<tr><td class=\"num\">" + r.seq + "</td><td class=\"num\">" + fmtUs(r.start) + "</td><td>" + esc(targetName(r.target)) + "</td>" + outcomeCell(r.outcome);
    h += failCell(m.devices, r.failDevice, r.failStage, 0) + "<td>" + esc(r.wake === -1 ? "-" : wakeLabel(m.devices, r.wake)) + "</td><td class=\"num\">" + r.parked + "</td>";
    for (const s of FORWARD) h += "<td class=\"num\">" + (r.stageUs[s] > 0 ? fmtUs(r.stageUs[s]) : "-") + "</td>";
    h += "<td class=\"num\">" + fmtUs(r.totalUs) + "</td></tr>";
  }
  return h + "</tbody></table>";
}
