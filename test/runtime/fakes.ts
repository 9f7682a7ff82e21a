// Test doubles for the runtime suites: a virtual-time platform and scriptable fake drivers that log a trace.
import {
  PowerManager, OK, PENDING, IO, STAGE_NAMES, STATUS_NAMES, WAKE_NONE, WAKE_TEST_HOLD, WAKE_TIMER,
  type Platform, type PmHooks, type DeviceSpec, type PmConfig,
} from "../../runtime";
import { E_SUSPEND_BEGIN, E_SUSPEND_END } from "../../runtime/trace";

/** Minimal virtual clock platform: timers fire only when the test advances time. */
export class FakePlatform implements Platform {
  t = 0;
  log: string[];
  private deadlines: number[] = [];
  private callbacks: (() => void)[] = [];
  private wake: ((cause: number) => void) | null = null;
  masked = 0;
  singleCpu = 0;
  /** What sleep() does: "sync" returns syncCause, "async" waits for wakeNow(). */
  sleepMode: "sync" | "async" = "sync";
  syncCause = WAKE_TEST_HOLD;
  sleeping = false;
  /** The governor's timer wake for the next sleep (Platform.wakeAt), -1 none; a sync sleep with one ends there with WAKE_TIMER. */
  wakeAtUs = -1;
  /** Every sleep's target and its timer wake, for governor tests. */
  sleeps: { target: number; at: number; wakeAt: number }[] = [];
  private wakeTimer = -1;

  constructor(log: string[]) { this.log = log; }
  now(): number { return this.t; }
  createTimer(cb: () => void): number { this.callbacks.push(cb); this.deadlines.push(-1); return this.callbacks.length - 1; }
  schedule(h: number, d: number): void { this.deadlines[h] = this.t + d; }
  cancel(h: number): void { this.deadlines[h] = -1; }
  maskInterrupts(): void { this.masked++; this.log.push("irq:mask"); }
  unmaskInterrupts(): void { this.masked--; this.log.push("irq:unmask"); }
  enterSingleCpu(): void { this.singleCpu++; }
  leaveSingleCpu(): void { this.singleCpu--; }
  wakeAt(t: number): void { this.wakeAtUs = t; }
  /** Earliest armed timer (absolute), -1 none. */
  nextDeadline(): number { let b = -1; for (const d of this.deadlines) if (d >= 0 && (b < 0 || d < b)) b = d; return b; }
  sleep(target: number, test: number, holdUs: number): number {
    this.log.push("platform:sleep");
    const wakeAt = this.wakeAtUs;
    this.wakeAtUs = -1;
    this.sleeps.push({ target, at: this.t, wakeAt });
    if (wakeAt >= 0) {
      // The governor's timer wake: asleep until then, like the simulator's platform.
      if (this.wakeTimer < 0) this.wakeTimer = this.createTimer(() => this.wakeNow(WAKE_TIMER));
      this.sleeping = true;
      this.schedule(this.wakeTimer, Math.max(0, wakeAt - this.t));
      return WAKE_NONE;
    }
    if (this.sleepMode === "sync") { this.t += holdUs; return this.syncCause; }
    this.sleeping = true;
    return WAKE_NONE;
  }
  setWakeCallback(cb: (cause: number) => void): void { this.wake = cb; }
  wakeNow(cause: number): void { this.sleeping = false; this.wake!(cause); }
  /** Advances virtual time, firing due timers in deadline order. */
  advance(us: number): void {
    const end = this.t + us;
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.deadlines.length; i++) {
        if (this.deadlines[i] >= 0 && this.deadlines[i] <= end && (best < 0 || this.deadlines[i] < this.deadlines[best])) best = i;
      }
      if (best < 0) break;
      this.t = Math.max(this.t, this.deadlines[best]);
      this.deadlines[best] = -1;
      this.callbacks[best]();
    }
    this.t = end;
  }
}

export type Behaviour =
  | { kind: "ok" }
  | { kind: "fail"; status: number }
  | { kind: "pending"; afterUs: number; status?: number }
  | { kind: "hang" }
  | { kind: "throw" }
  | { kind: "late"; afterUs: number }
  /** Runs `fn` as the hook's body (hooks are looked up once at seal, so a test scripts them here). */
  | { kind: "call"; fn: (token: number) => number };

const HOOKS = ["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume", "reprobe"] as const;
export type HookName = (typeof HOOKS)[number];

/** A fake driver: each hook logs `name:hook` (and `name:hook:done` for async ones) and behaves as scripted. */
export class FakeDevice implements PmHooks {
  behaviour: Partial<Record<HookName, Behaviour>> = {};
  calls: Record<HookName, number> = { prepare: 0, suspend: 0, powerOffNoIrq: 0, powerOnNoIrq: 0, resume: 0, reprobe: 0 };
  id = -1;
  constructor(readonly name: string, readonly env: Env) {}
  private act(hook: HookName, token: number): number {
    this.calls[hook]++;
    const env = this.env;
    env.log.push(this.name + ":" + hook + (env.platform.masked > 0 ? "!" : ""));
    const b = this.behaviour[hook] ?? { kind: "ok" };
    switch (b.kind) {
      case "ok": return OK;
      case "fail": return b.status;
      case "throw": throw new Error("driver " + this.name + " exploded in " + hook);
      case "hang": return PENDING;
      case "pending":
        env.later(b.afterUs, () => { env.log.push(this.name + ":" + hook + ":done"); env.pm.complete(token, b.status ?? OK); });
        return PENDING;
      case "call": return b.fn(token);
      case "late":
        env.later(b.afterUs, () => { env.log.push(this.name + ":" + hook + ":late"); env.pm.complete(token, OK); });
        return PENDING;
    }
  }
  prepare(t: number): number { return this.act("prepare", t); }
  suspend(t: number): number { return this.act("suspend", t); }
  powerOffNoIrq(t: number): number { return this.act("powerOffNoIrq", t); }
  powerOnNoIrq(t: number): number { return this.act("powerOnNoIrq", t); }
  resume(t: number): number { return this.act("resume", t); }
  reprobe(t: number): number { return this.act("reprobe", t); }
}

export const BASE_CONFIG: PmConfig = {
  board: "boards/test-board", maxDevices: 16, stateArenaBytes: 256, blockCount: 8, blockSize: 32,
  irqLines: 8, traceRecords: 512, defaultBudgetUs: 10_000, testHoldUs: 1_000, failureHistory: 4,
};

/** A runtime over fake devices plus a tiny scheduler for their async completions. */
export class Env {
  log: string[] = [];
  platform = new FakePlatform(this.log);
  pm: PowerManager;
  devices: Record<string, FakeDevice> = {};
  outcomes: number[] = [];
  private timers: { at: number; fn: () => void }[] = [];
  private slot: number;
  constructor(config: Partial<PmConfig> = {}) {
    this.pm = new PowerManager({ ...BASE_CONFIG, ...config }, this.platform);
    this.slot = this.platform.createTimer(() => this.fire());
    this.pm.setDoneCallback((s) => { this.outcomes.push(s); this.log.push("done:" + s); });
  }
  add(spec: Omit<DeviceSpec, "hooks">): FakeDevice {
    const dev = new FakeDevice(spec.name, this);
    dev.id = this.pm.register({ ...spec, hooks: dev });
    this.devices[spec.name] = dev;
    return dev;
  }
  later(us: number, fn: () => void): void {
    this.timers.push({ at: this.platform.t + us, fn });
    this.rearm();
  }
  private rearm(): void {
    if (this.timers.length === 0) return;
    let min = this.timers[0].at;
    for (const t of this.timers) min = Math.min(min, t.at);
    this.platform.schedule(this.slot, Math.max(0, min - this.platform.t));
  }
  private fire(): void {
    const now = this.platform.t;
    const due = this.timers.filter((t) => t.at <= now);
    this.timers = this.timers.filter((t) => t.at > now);
    for (const t of due) t.fn();
    this.rearm();
  }
  /** Hook calls only (no async markers), in order. */
  calls(): string[] { return this.log.filter((l) => l.split(":").length === 2 && !l.startsWith("irq") && !l.startsWith("done") && !l.startsWith("platform")); }
  states(): string[] { const g = this.pm.graph; const out: string[] = []; for (let d = 0; d < g.count; d++) out.push(g.names[d] + "=" + this.pm.deviceState(d)); return out; }
}

export { STAGE_NAMES, IO };

/** The arena holds a hibernate image of every device, as a hibernate over all of them writes it (runtime/image.ts): a test's stand-in for a reboot from one. */
export function imageOfEvery(pm: PowerManager): void {
  const n = pm.graph.count;
  pm.image.mark(new Uint8Array(n).fill(1), n);
}

/** Statuses by name (the done callback's outcomes, for one readable assertion). */
export const statusNames = (s: readonly number[]): string[] => s.map((v) => STATUS_NAMES[v]);

/** The attempts' begin and end records in the trace, in order ("B", "E"): one attempt must end before the next begins. */
export function attemptRecords(env: Env): string {
  const t = env.pm.trace;
  let s = "";
  for (let i = 0; i < t.length; i++) {
    const e = t.eventAt(t.slot(i));
    if (e === E_SUSPEND_BEGIN) s += "B";
    else if (e === E_SUSPEND_END) s += "E";
  }
  return s;
}
