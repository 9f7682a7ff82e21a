// Push button with seeded contact bounce, wired active-low with a pull-up like the DevKitC BOOT button on GPIO0.
import type { Clock, ViolationSink } from "../core/contracts";
import { FAULT_NAK, FAULT_NONE, FAULT_STALL, type FaultKind, type NotifyingPowerModel, checkRange, faultCode } from "./common";
import type { Random } from "./prng";

export interface ButtonOptions {
  clock: Clock;
  /** Seeded source of [0,1) numbers (see prng.ts); the bounce schedule is a pure function of it. */
  random: Random;
  /** Accepted for uniform wiring; a button has no datasheet timing rule to break. */
  violations?: ViolationSink;
  name?: string;
  /** Level changes, including every bounce edge. May also be set later with setLevelListener. */
  onLevel?: (level: number) => void;
  /** Transitions per press/release, inclusive range; forced odd so the contact settles on the new level. Default 3..7. */
  minTransitions?: number;
  maxTransitions?: number;
  /** All bounce edges land within this window after press()/release(). Default 2000 us. */
  bounceWindowUs?: number;
  /**
   * Pull-up on the pin. Default 45 kOhm: the ESP32's internal pull-up (ESP32 datasheet, DC characteristics,
   * R_PU typ. 45 kOhm); the DevKitC relies on it for GPIO0. While the contact is closed Vdd/R flows to ground.
   */
  pullUpOhms?: number;
  supplyV?: number;
}

/** A button's level is 1 (released, pulled up) or 0 (pressed, shorted to ground). */
export class Button implements NotifyingPowerModel {
  readonly name: string;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly timer: number;
  private readonly minT: number;
  private readonly maxT: number;
  private readonly windowUs: number;
  private readonly closedUa: number;
  /** Edge offsets (us from the press/release call) for the bounce in progress. */
  private readonly edges: Float64Array;
  /** [level, target, edgeCount, nextEdge, fault, totalEdges, startedAt] */
  private readonly s: Float64Array;
  private onLevel: ((level: number) => void) | null;
  private powerListener: (() => void) | null = null;

  constructor(options: ButtonOptions) {
    this.name = options.name ?? "button";
    this.clock = options.clock;
    this.random = options.random;
    this.onLevel = options.onLevel ?? null;
    this.minT = checkRange(this.name, "minTransitions", options.minTransitions ?? 3, 1, 63);
    this.maxT = checkRange(this.name, "maxTransitions", options.maxTransitions ?? 7, this.minT, 63);
    this.windowUs = checkRange(this.name, "bounceWindowUs", options.bounceWindowUs ?? 2000, 1, 1_000_000);
    const ohms = options.pullUpOhms ?? 45_000;
    this.closedUa = ((options.supplyV ?? 3.3) / ohms) * 1e6;
    this.edges = new Float64Array(64);
    this.s = new Float64Array(7);
    this.s[0] = 1;
    this.s[1] = 1;
    const self = this;
    this.timer = this.clock.createTimer(function buttonEdge(): void {
      self.edge();
    });
  }

  setLevelListener(listener: (level: number) => void): void {
    this.onLevel = listener;
  }

  setPowerListener(listener: (() => void) | null): void {
    this.powerListener = listener;
  }

  /** Present pin level (1 released, 0 pressed). */
  level(): number {
    return this.s[0];
  }

  /** True once the last press/release has settled. */
  settled(): boolean {
    return this.s[3] >= this.s[2];
  }

  /** Edges delivered since construction/reset (bounces included). */
  edgeCount(): number {
    return this.s[5];
  }

  press(): void {
    this.moveTo(0);
  }

  release(): void {
    this.moveTo(1);
  }

  /** "stall": contacts stuck at the present level. "nak": contacts stuck open (reads released). */
  setFault(kind: FaultKind): void {
    const code = faultCode(this.name, kind);
    this.s[4] = code;
    if (code === FAULT_NAK && this.s[0] !== 1) {
      this.clock.cancel(this.timer);
      this.s[2] = 0;
      this.s[3] = 0;
      this.s[1] = 1;
      this.set(1);
    } else if (code !== FAULT_NONE) {
      this.clock.cancel(this.timer);
      this.s[2] = 0;
      this.s[3] = 0;
      this.s[1] = this.s[0];
    }
  }

  /** Power-on state: released, no bounce pending, no fault. */
  reset(): void {
    this.clock.cancel(this.timer);
    this.s[1] = 1;
    this.s[2] = 0;
    this.s[3] = 0;
    this.s[4] = FAULT_NONE;
    this.s[5] = 0;
    if (this.s[0] !== 1) this.set(1);
  }

  currentUa(): number {
    return this.s[0] === 0 ? this.closedUa : 0;
  }

  private moveTo(target: number): void {
    const fault = this.s[4];
    if (fault === FAULT_STALL || (fault === FAULT_NAK && target === 0)) return;
    if (this.s[1] === target) return;
    this.clock.cancel(this.timer);
    this.s[1] = target;
    // A bounce in progress may have left the contact at either level; an odd count from the level
    // it is at now flips it; from the target already, an even count ends there too.
    let n = this.minT + Math.floor(this.random() * (this.maxT - this.minT + 1));
    const needOdd = this.s[0] !== target;
    if ((n % 2 === 1) !== needOdd) n = n + 1 <= this.maxT ? n + 1 : n - 1;
    if (n <= 0) return;
    // Random gaps, scaled so the last edge lands inside the window (at 50-100% of it).
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const g = 0.05 + this.random();
      this.edges[i] = g;
      sum += g;
    }
    const span = this.windowUs * (0.5 + 0.5 * this.random());
    let acc = 0;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      acc += this.edges[i];
      let t = Math.round((acc / sum) * span);
      if (t <= prev) t = prev + 1;
      this.edges[i] = t;
      prev = t;
    }
    this.s[2] = n;
    this.s[3] = 0;
    this.s[6] = this.clock.now();
    this.clock.schedule(this.timer, this.edges[0]);
  }

  private edge(): void {
    const i = this.s[3];
    if (i >= this.s[2]) return;
    this.s[3] = i + 1;
    this.s[5] += 1;
    this.set(this.s[0] === 1 ? 0 : 1);
    if (i + 1 < this.s[2]) this.clock.schedule(this.timer, this.edges[i + 1] - this.edges[i]);
  }

  private set(level: number): void {
    this.s[0] = level;
    if (this.powerListener !== null) this.powerListener();
    if (this.onLevel !== null) this.onLevel(level);
  }
}
