// The runtime-PM lane of the timeline: E_RPM_STATE records become state spans per device, failures and bad puts markers with the console's `rpm` words.
import { RPM_ACTIVE, RPM_SUSPENDING, RPM_SUSPENDED, RPM_RESUMING } from "../../runtime/status";
import { rpmStateText, rpmFailText, rpmBadPutText } from "./rpm-text";
import type { VizRpmSpan } from "./model";

/**
 * Runtime PM writes one E_RPM_STATE record per change (runtime/runtime-pm.ts `step`), so a device's
 * state holds from one record to its next. Before a device's first record the state is inferred where
 * the table allows only one predecessor (suspending comes from active, resuming from suspended); a
 * transition's end record carries its hook's µs, which places the transition a ring may have cut.
 */
export class RpmLane {
  private readonly spans: VizRpmSpan[] = [];
  /** Per device: the index of its open span. */
  private readonly openAt = new Map<number, number>();
  /** Per device: the state before its last change (a failure's words say what was being tried). */
  private readonly was = new Map<number, number>();
  private readonly fails = new Map<number, number>();
  private badPuts = 0;
  private readonly putBy = new Set<number>();

  /** Live: the device's state when the collector attached (placed at the model's start). */
  initial(device: number, state: number): void {
    if (this.openAt.has(device)) return;
    this.push(device, state, NaN, true);
  }

  /** An E_RPM_STATE record: `state` from `time` on; `durationUs` the hook's time when a transition ended. */
  state(time: number, device: number, state: number, durationUs: number): void {
    const open = this.openAt.get(device);
    let was = -1;
    if (open !== undefined) {
      const s = this.spans[open];
      s.end = time;
      was = s.state;
    } else if (state === RPM_SUSPENDING || state === RPM_RESUMING) {
      was = state === RPM_SUSPENDING ? RPM_ACTIVE : RPM_SUSPENDED;
      this.push(device, was, NaN, true);
      this.spans[this.spans.length - 1].end = time;
    } else if (durationUs > 0) {
      // The transition's start record is gone; a failed suspend also ends in active, so only suspended is sure.
      was = state === RPM_SUSPENDED ? RPM_SUSPENDING : -1;
      if (was >= 0) {
        this.push(device, was, time - durationUs, true);
        this.spans[this.spans.length - 1].end = time;
      }
    }
    this.was.set(device, was);
    this.push(device, state, time, false);
  }

  /** An E_RPM_FAIL record: "suspending: failures 1 last TIMEOUT" (the state the hook was moving out of). */
  failText(device: number, status: number): string {
    const n = (this.fails.get(device) ?? 0) + 1;
    this.fails.set(device, n);
    return rpmFailText(this.was.get(device) ?? -1, n, status);
  }

  /** An E_RPM_BAD_PUT record: "puts without a get N", counted over the trace as the console counts them. */
  badPutText(device: number): string {
    this.putBy.add(device);
    return rpmBadPutText(++this.badPuts);
  }

  /** Devices this lane has anything for. */
  has(device: number): boolean {
    return this.openAt.has(device) || this.fails.has(device) || this.putBy.has(device);
  }

  /** The spans as of now: inferred starts at `start`, open ones end at `stop`. */
  finish(start: number, stop: number): VizRpmSpan[] {
    return this.spans.map((s) => {
      const from = Number.isNaN(s.start) ? start : s.start;
      return s.end < 0 ? { ...s, start: from, end: Math.max(stop, from), open: true } : { ...s, start: from };
    });
  }

  private push(device: number, state: number, start: number, inferred: boolean): void {
    this.openAt.set(device, this.spans.length);
    this.spans.push({ device, state, name: rpmStateText(state), start, end: -1, open: false, inferred });
  }
}
