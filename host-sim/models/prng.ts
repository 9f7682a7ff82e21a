// Seeded, allocation-free PRNG (mulberry32) so fault and bounce schedules replay exactly from a seed.

/** A source of uniform numbers in [0, 1). Each call allocates nothing. */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain). State lives in a Uint32Array so each draw is a few
 * integer ops on an existing typed array; the closure is created once, at construction.
 */
export function createPrng(seed: number): Random {
  const state = new Uint32Array(1);
  state[0] = seed >>> 0;
  return function next(): number {
    state[0] = (state[0] + 0x6d2b79f5) >>> 0;
    let t = state[0];
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
