// The viz suites' scenario: the reference tree with timed hooks, one good suspend woken by the button, one failing in S2.
import { makeTree } from "../runtime/tree";
import type { Env } from "../runtime/fakes";
import { OK, IO, T_STANDBY, TEST_NONE, RequestQueue } from "../../runtime";
import { attachViz, type VizHandle } from "../../host-sim/viz/collect";

/** A charge integrator like host-sim's EnergyMeter: 68 mA active, 0.8 mA in light sleep, on the fake clock. */
export class FakeEnergy {
  private q = 0;
  private at = 0;
  private ua = 68_000;
  private readonly start: number;
  constructor(private readonly now: () => number) {
    this.start = now();
    this.at = this.start;
  }
  setUa(ua: number): void {
    this.q += (this.ua * (this.now() - this.at)) / 1e6;
    this.at = this.now();
    this.ua = ua;
  }
  chargeUc(): number {
    return this.q + (this.ua * (this.now() - this.at)) / 1e6;
  }
  elapsedUs(): number {
    return this.now() - this.start;
  }
  averageUa(): number {
    const e = this.elapsedUs();
    return e > 0 ? (this.chargeUc() * 1e6) / e : this.ua;
  }
}

export interface Scenario {
  env: Env;
  viz: VizHandle;
  energy: FakeEnergy;
  queue: RequestQueue;
}

/** Timings (us) chosen to look like the real chips: flash and display drain slowly, buses are quick. */
export const TIMINGS = {
  flashSuspend: 1_800, flashResume: 900, displaySuspend: 1_200, displayResume: 600, bmePrepare: 150,
  bmeSuspend: 400, bmeResume: 300, touchSuspend: 250, telemetrySuspend: 700, consoleSuspend: 300, busUs: 60,
  sleepUs: 4_000, failAfterUs: 500,
};

/**
 * Attempt 1: standby, light sleep for 4 ms, the button (IRQ line 0) wakes it; the press is latched
 * while masked and delivered at unmask; the LED's queue parks two requests meanwhile.
 * Attempt 2: display's suspend answers PENDING and then fails with IO: rollback.
 */
export function runScenario(): Scenario {
  const env = makeTree();
  const d = env.devices;
  const T = TIMINGS;
  env.platform.sleepMode = "async";
  const energy = new FakeEnergy(() => env.platform.t);
  const sleep = env.platform.sleep.bind(env.platform);
  env.platform.sleep = (target: number, test: number, holdUs: number): number => {
    energy.setUa(800);
    return sleep(target, test, holdUs);
  };
  const wakeNow = env.platform.wakeNow.bind(env.platform);
  env.platform.wakeNow = (cause: number): void => {
    energy.setUa(68_000);
    wakeNow(cause);
  };
  env.pm.irq.register(0, () => undefined, true);
  env.pm.irq.register(1, () => undefined, true);
  const queue = new RequestQueue(4, () => OK, () => undefined);
  env.pm.registerQueue(queue);
  d.led.behaviour.suspend = { kind: "call", fn: () => { queue.gate(); return OK; } };
  d.led.behaviour.resume = { kind: "call", fn: () => { queue.open(); return OK; } };
  d.i2c0.behaviour = { suspend: { kind: "pending", afterUs: T.busUs }, resume: { kind: "pending", afterUs: T.busUs } };
  d.spi0.behaviour = { suspend: { kind: "pending", afterUs: T.busUs }, resume: { kind: "pending", afterUs: T.busUs } };
  d.flash.behaviour = { suspend: { kind: "pending", afterUs: T.flashSuspend }, resume: { kind: "pending", afterUs: T.flashResume } };
  d.display.behaviour = { suspend: { kind: "pending", afterUs: T.displaySuspend }, resume: { kind: "pending", afterUs: T.displayResume } };
  d.bme280.behaviour = {
    prepare: { kind: "pending", afterUs: T.bmePrepare }, suspend: { kind: "pending", afterUs: T.bmeSuspend },
    resume: { kind: "pending", afterUs: T.bmeResume },
  };
  d.touch.behaviour = { suspend: { kind: "pending", afterUs: T.touchSuspend } };
  d.telemetry.behaviour = { suspend: { kind: "pending", afterUs: T.telemetrySuspend } };
  d.console.behaviour = { suspend: { kind: "pending", afterUs: T.consoleSuspend } };

  const viz = attachViz(env.pm, { title: "quiesce: injected display failure", energy });
  env.platform.advance(1_000);
  env.pm.suspend(T_STANDBY, TEST_NONE);
  env.platform.advance(500);
  queue.submit(1);
  queue.submit(2);
  for (let i = 0; i < 200 && !env.platform.sleeping; i++) env.platform.advance(50);
  if (!env.platform.sleeping) throw new Error("scenario: attempt 1 did not reach platform sleep");
  env.platform.advance(T.sleepUs);
  env.pm.irq.raise(0);
  env.platform.wakeNow(0);
  env.platform.advance(20_000);

  d.display.behaviour.suspend = { kind: "pending", afterUs: T.failAfterUs, status: IO };
  env.pm.suspend(T_STANDBY, TEST_NONE);
  env.platform.advance(20_000);
  if (env.outcomes.length !== 2) throw new Error("scenario: expected 2 finished attempts, saw " + env.outcomes.join(","));
  return { env, viz, energy, queue };
}
