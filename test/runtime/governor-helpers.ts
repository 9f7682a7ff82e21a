// Governor test helpers: a decision as one line, the decisions the governor kept, and a two-device board with the governor on.
import { Env } from "./fakes";
import { TARGET_NAMES, type PmConfig } from "../../runtime";
import { Decision, REASON_NAMES, R_SLEEP, R_LOCK, R_BUSY } from "../../runtime/policy";
import { ESP32_STATES } from "../../boards/esp32-states";
import type { PowerManager } from "../../runtime/pm";

/** A decision as one line: reason, target, the numbers it weighed (only those that apply). */
export function line(d: Decision, pm?: PowerManager): string {
  const parts = [REASON_NAMES[d.reason]];
  if (d.reason === R_LOCK) parts.push(pm !== undefined ? pm.locks.names[d.other] : String(d.other));
  else if (d.reason === R_BUSY) parts.push("phase=" + d.other);
  else {
    if (d.target !== 0) parts.push(TARGET_NAMES[d.target]);
    parts.push("idle=" + d.idleUs, "breakEven=" + d.breakEvenUs, "latency=" + d.latencyUs);
    if (d.constraintUs >= 0) parts.push("constraint=" + d.constraintUs);
    if (d.reason === R_SLEEP) parts.push("wake=" + d.wakeAt);
    if (d.reason === R_SLEEP && d.other !== 0) parts.push("ruledOut=" + TARGET_NAMES[d.other]);
    if (d.reason !== R_SLEEP && d.other !== 0) parts.push("status=" + d.other);
  }
  return parts.join(" ");
}

/** Every decision the governor kept, oldest first (the log holds the last 8). */
export function decisions(pm: PowerManager): string[] {
  const out: string[] = [];
  for (let i = 7; i >= 0; i--) {
    const d = pm.governor.decision(i);
    if (d !== null) out.push("[" + d.time + "] " + line(d, pm));
  }
  return out;
}

/** No wake margin here, so the wake times read as deadline - exit - devices' resume costs. */
export const GOV: Partial<PmConfig> = { states: ESP32_STATES, governor: { enabled: true, minIdleUs: 1_000, wakeMarginUs: 0 } };

export function board(config: Partial<PmConfig> = GOV): Env {
  const env = new Env(config);
  env.add({ name: "bus" });
  env.add({ name: "sensor", parent: "bus" });
  return env;
}
