// Seeded xorshift32 generator: jitter and bounce schedules replay exactly from a seed, with no allocation per draw.

/**
 * Marsaglia, "Xorshift RNGs" (J. Stat. Softw. 8(14), 2003), the 13/17/5 triple: period 2^32 - 1 over
 * non-zero states. State is one uint32 in a typed array so a draw is a few integer ops and no boxing.
 */
export class Xorshift32 {
  private readonly state: Uint32Array;
  /** `random` as a function value made once, so models can take it as their `Random` source. */
  readonly random: () => number;

  constructor(seed: number) {
    this.state = new Uint32Array(1);
    this.seed(seed);
    const self = this;
    this.random = function random(): number {
      return self.nextUint32() / 4294967296;
    };
  }

  /** Restarts the sequence. Seed 0 is a fixed point of xorshift, so it is replaced by the golden-ratio constant. */
  seed(seed: number): void {
    const s = seed >>> 0;
    this.state[0] = s === 0 ? 0x9e3779b9 : s;
  }

  nextUint32(): number {
    let x = this.state[0];
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state[0] = x;
    return this.state[0];
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}
