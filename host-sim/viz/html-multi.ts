// Multi-attempt summary (sleepgraph's -multi): per stage and per device, min / median / max over the attempts in the file.
import { S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME } from "../../runtime/status";
import type { TimelineModel } from "./model";
import { esc, fmtUs } from "./html-tables";
import { stageName } from "./model";

const FORWARD = [S_PREPARE, S_SUSPEND, S_POWER_OFF, S_PLATFORM, S_POWER_ON, S_RESUME];

export interface Spread {
  min: number;
  median: number;
  max: number;
  /** Attempts that contributed. */
  n: number;
  /** 1-based attempt of the maximum. */
  maxAttempt: number;
}

/** min / median / max of values (median of an even count: the mean of the middle two); null for none. */
export function spread(values: { v: number; attempt: number }[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a.v - b.v);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid].v : (sorted[mid - 1].v + sorted[mid].v) / 2;
  const top = sorted[sorted.length - 1];
  return { min: sorted[0].v, median, max: top.v, n: sorted.length, maxAttempt: top.attempt + 1 };
}

/** Per stage: forward durations of the finished attempts that ran the stage. */
export function stageSpreads(m: TimelineModel): { stage: number; s: Spread }[] {
  const out: { stage: number; s: Spread }[] = [];
  for (const st of FORWARD) {
    const s = spread(m.attempts.filter((a) => a.end >= 0 && a.stageUs[st] > 0).map((a) => ({ v: a.stageUs[st], attempt: a.index })));
    if (s !== null) out.push({ stage: st, s });
  }
  return out;
}

/** Per device: its hook time in each attempt (forward slices, all stages summed), and the stage it spends most in. */
export function deviceSpreads(m: TimelineModel): { device: number; s: Spread; stage: number }[] {
  const out: { device: number; s: Spread; stage: number }[] = [];
  for (const d of m.lanes) {
    const perAttempt = new Map<number, number>();
    const perStage = new Map<number, number>();
    for (const sl of m.slices) {
      if (sl.device !== d || sl.rollback || sl.attempt < 0 || sl.open) continue;
      perAttempt.set(sl.attempt, (perAttempt.get(sl.attempt) ?? 0) + sl.end - sl.start);
      perStage.set(sl.stage, (perStage.get(sl.stage) ?? 0) + sl.end - sl.start);
    }
    const s = spread(Array.from(perAttempt, ([attempt, v]) => ({ v, attempt })));
    if (s === null) continue;
    let stage = -1;
    perStage.forEach((v, k) => { if (stage < 0 || v > (perStage.get(stage) ?? 0)) stage = k; });
    out.push({ device: d, s, stage });
  }
  return out.sort((a, b) => b.s.max - a.s.max);
}

function row(label: string, s: Spread, extra: string): string {
  return "<tr><td>" + label + "</td><td class=\"num\">" + s.n + "</td><td class=\"num\">" + fmtUs(s.min) + "</td><td class=\"num\">" + fmtUs(s.median) +
    "</td><td class=\"num\">" + fmtUs(s.max) + "</td><td class=\"num\"><a href=\"#\" class=\"zoom-attempt\" data-attempt=\"" + (s.maxAttempt - 1) + "\">#" + s.maxAttempt + "</a></td>" + extra + "</tr>";
}

/** Both tables, or "" when the file holds fewer than two finished attempts. */
export function multiTables(m: TimelineModel): string {
  if (m.attempts.filter((a) => a.end >= 0).length < 2) return "";
  const head = "<th>n</th><th>min</th><th>median</th><th>max</th><th>max in</th>";
  let h = "<table class=\"multi-stages\"><thead><tr><th>stage</th>" + head + "</tr></thead><tbody>";
  for (const r of stageSpreads(m)) h += row(esc(r.stage === S_PLATFORM ? "sleep" : stageName(r.stage)), r.s, "");
  h += "</tbody></table><table class=\"multi-devices\"><thead><tr><th>device</th>" + head + "<th>mostly in</th></tr></thead><tbody>";
  for (const r of deviceSpreads(m)) h += row(esc(m.devices[r.device].name), r.s, "<td>" + esc(stageName(r.stage)) + "</td>");
  return h + "</tbody></table>";
}
