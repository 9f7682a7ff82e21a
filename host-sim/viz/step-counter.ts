// Step counters of a timeline (irq masked, current): samples that hold until the next, and their integral over a span.
import type { VizCounter } from "./model";

/**
 * Adds a sample of counter `name` to `counters` (made on its first sample): `value` holds from `time` on.
 * Samples at the same time replace each other (a zero-length state is invisible anyway); unchanged
 * values add no point. `time` NaN is the initial value, placed at the model's start when it is built.
 */
export function addSample(counters: VizCounter[], name: string, unit: string, time: number, value: number): void {
  let c: VizCounter | undefined;
  for (let i = 0; i < counters.length; i++) if (counters[i].name === name) c = counters[i];
  if (c === undefined) {
    c = { name, unit, times: [], values: [] };
    counters.push(c);
  }
  if (Number.isNaN(time)) {
    c.times.push(NaN);
    c.values.push(value);
    return;
  }
  const n = c.times.length;
  if (n > 0 && c.times[n - 1] === time) {
    c.values[n - 1] = value;
    if (n > 1 && c.values[n - 2] === value) {
      c.times.pop();
      c.values.pop();
    }
    return;
  }
  if (n > 0 && c.values[n - 1] === value) return;
  c.times.push(time);
  c.values.push(value);
}

/** Integral of a step counter over [from, to], value * us. */
export function integrate(c: VizCounter, from: number, to: number): number {
  let sum = 0;
  for (let i = 0; i < c.times.length; i++) {
    const a = Math.max(c.times[i], from);
    const b = Math.min(i + 1 < c.times.length ? c.times[i + 1] : to, to);
    if (b > a) sum += c.values[i] * (b - a);
  }
  return sum;
}
