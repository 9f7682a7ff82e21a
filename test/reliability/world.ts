// A randomised world for the protocol: a device graph, fault plan, wakes, IRQs and requests, run on a virtual clock.
import {
  PowerManager, RequestQueue, OK, PENDING, IO, BUSY, FULL, FAILED, D_FAILED, ROLE_STORAGE, ROLE_WAKE, T_STANDBY, TEST_NONE,
  WAKE_NONE, WAKE_TIMER, S_POWER_OFF, S_POWER_ON, TraceEvents, type Platform, type PmHooks,
} from "../../runtime";

export type Fault = "ok" | "fail" | "hang" | "throw" | "pending" | "late";
export const HOOKS = ["prepare", "suspend", "powerOffNoIrq", "powerOnNoIrq", "resume"] as const;

export interface WorldSpec {
  n: number;
  parent: number[];
  needs: number[][];
  stateBytes: number[];
  storage: number;
  wakeDevices: number[];
  queued: boolean[];
  /** faults[device][hook] with a delay for pending/late. */
  faults: { kind: Fault; delay: number }[][];
  wakes: { at: number; k: number }[];
  irqs: { at: number; line: number }[];
  requests: { at: number; device: number; serviceUs: number }[];
  suspends: number[];
  sleepUs: number;
}

interface Ev { at: number; seq: number; fn: () => void }

/** Virtual-time platform with an event list; async sleep ends on a wake line or after `sleepUs` (timer wake). */
export class WorldPlatform implements Platform {
  t = 0;
  masked = 0;
  single = 0;
  sleeping = false;
  private seq = 0;
  private events: Ev[] = [];
  private timerAt: number[] = [];
  private timerFn: (() => void)[] = [];
  private wakeCb: ((c: number) => void) | null = null;
  sleepUs = 1000;
  private sleepTimer = -1;
  now(): number { return this.t; }
  createTimer(cb: () => void): number { this.timerFn.push(cb); this.timerAt.push(-1); return this.timerFn.length - 1; }
  schedule(h: number, us: number): void { this.timerAt[h] = this.t + Math.max(0, us); }
  cancel(h: number): void { this.timerAt[h] = -1; }
  maskInterrupts(): void { this.masked++; }
  unmaskInterrupts(): void { this.masked--; }
  enterSingleCpu(): void { this.single++; }
  leaveSingleCpu(): void { this.single--; }
  sleep(): number {
    this.sleeping = true;
    if (this.sleepTimer < 0) this.sleepTimer = this.createTimer(() => this.endSleep(WAKE_TIMER));
    this.schedule(this.sleepTimer, this.sleepUs);
    return WAKE_NONE;
  }
  setWakeCallback(cb: (c: number) => void): void { this.wakeCb = cb; }
  endSleep(cause: number): void {
    if (!this.sleeping) return;
    this.sleeping = false;
    this.cancel(this.sleepTimer);
    this.wakeCb!(cause);
  }
  at(t: number, fn: () => void): void { this.events.push({ at: t, seq: this.seq++, fn }); }
  /** Runs events and timers in time order until nothing is left before `until`. */
  run(until: number): void {
    for (;;) {
      let bestT = Infinity; let bestTimer = -1; let bestEv = -1;
      for (let i = 0; i < this.timerAt.length; i++) if (this.timerAt[i] >= 0 && this.timerAt[i] < bestT) { bestT = this.timerAt[i]; bestTimer = i; }
      for (let i = 0; i < this.events.length; i++) {
        const e = this.events[i];
        if (e.at < bestT) { bestT = e.at; bestEv = i; bestTimer = -1; }
      }
      if (bestT > until || bestT === Infinity) break;
      this.t = Math.max(this.t, bestT);
      if (bestTimer >= 0) { this.timerAt[bestTimer] = -1; this.timerFn[bestTimer](); }
      else { const e = this.events.splice(bestEv, 1)[0]; e.fn(); }
    }
    this.t = Math.max(this.t, until);
  }
}

export interface Observed {
  outcomes: number[];
  submitted: number;
  refusedAtSubmit: number;
  completions: Map<number, number>;
  completionOrder: Map<number, number[]>;
  acceptedOrder: Map<number, number[]>;
  contextErrors: string[];
  wakesRaised: number;
  deliveries: number[];
  latchEpisodes: number[];
  raisedUnmasked: number[];
  trace: { t: number; d: number; s: number; e: number; st: number }[];
  suspendCalls: number[];
}

export class World {
  readonly p = new WorldPlatform();
  readonly pm: PowerManager;
  readonly obs: Observed;
  readonly queues: (RequestQueue | null)[] = [];
  readonly spec: WorldSpec;
  readonly wakeLine: number[] = [];

  constructor(spec: WorldSpec) {
    this.spec = spec;
    const lines = spec.wakeDevices.length + 4;
    this.pm = new PowerManager({
      board: "test/reliability/world", maxDevices: spec.n, stateArenaBytes: 64 * spec.n + 64, blockCount: 4, blockSize: 16,
      irqLines: lines, traceRecords: 64, defaultBudgetUs: 5_000, testHoldUs: 500, failureHistory: 8,
    }, this.p);
    this.p.sleepUs = spec.sleepUs;
    const obs: Observed = {
      outcomes: [], submitted: 0, refusedAtSubmit: 0, completions: new Map(), completionOrder: new Map(), acceptedOrder: new Map(),
      contextErrors: [], wakesRaised: 0, deliveries: new Array(lines).fill(0), latchEpisodes: new Array(lines).fill(0),
      raisedUnmasked: new Array(lines).fill(0), trace: [], suspendCalls: [],
    };
    this.obs = obs;
    for (let d = 0; d < spec.n; d++) this.wakeLine.push(-1);
    spec.wakeDevices.forEach((d, k) => { this.wakeLine[d] = k; });
    for (let d = 0; d < spec.n; d++) {
      const q = spec.queued[d] ? this.makeQueue(d) : null;
      this.queues.push(q);
      this.pm.register({
        name: "d" + d, hooks: this.makeHooks(d, q), parent: spec.parent[d] >= 0 ? "d" + spec.parent[d] : undefined,
        needs: spec.needs[d].map((x) => "d" + x), stateBytes: spec.stateBytes[d],
        roles: (spec.storage === d ? ROLE_STORAGE : 0) | (this.wakeLine[d] >= 0 ? ROLE_WAKE : 0),
        wakeLine: this.wakeLine[d] >= 0 ? this.wakeLine[d] : undefined,
      });
    }
    this.pm.seal();
    // Queues go through the device's port, as a driver registers them: the runtime fails and revives them with it.
    for (let d = 0; d < spec.n; d++) { const q = this.queues[d]; if (q) this.pm.port(d).registerQueue(q); }
    for (let l = 0; l < lines; l++) this.pm.irq.register(l, (line) => { obs.deliveries[line]++; }, l < spec.wakeDevices.length);
    this.pm.irq.setObserver((line, ev) => { if (ev === 0) obs.latchEpisodes[line]++; });
    this.pm.trace.setListener((slot) => {
      const tr = this.pm.trace;
      obs.trace.push({ t: tr.time[slot], d: tr.deviceAt(slot), s: tr.stageAt(slot), e: tr.eventAt(slot), st: tr.statusAt(slot) });
    });
    this.pm.setDoneCallback((s) => obs.outcomes.push(s));
  }

  private makeQueue(d: number): RequestQueue {
    const obs = this.obs;
    const q: RequestQueue = new RequestQueue(4, (token) => {
      const service = this.service.get(token) ?? 10;
      this.p.at(this.p.t + service, () => q.done(OK));
      return PENDING;
    }, (token) => {
      obs.completions.set(token, (obs.completions.get(token) ?? 0) + 1);
      const list = obs.completionOrder.get(d) ?? [];
      list.push(token);
      obs.completionOrder.set(d, list);
    });
    return q;
  }

  private service = new Map<number, number>();

  private makeHooks(d: number, q: RequestQueue | null): PmHooks {
    const spec = this.spec;
    let drainToken = -1;
    if (q) q.setDrainListener(() => { if (drainToken >= 0) { const t = drainToken; drainToken = -1; this.pm.complete(t, OK); } });
    const act = (h: number, token: number): number => {
      // The runtime writes no call record (one record per hook, at its end): the order check needs the call.
      this.obs.trace.push({ t: this.p.t, d, s: -1, e: TraceEvents.E_HOOK_CALL, st: OK });
      const masked = this.pm.irq.masked;
      const noIrq = h === 2 || h === 3;
      if (masked !== noIrq) this.obs.contextErrors.push("d" + d + ":" + HOOKS[h] + (masked ? " masked" : " unmasked"));
      const f = spec.faults[d][h];
      if (f.kind === "fail") return IO;
      if (f.kind === "throw") throw new Error("fault d" + d);
      if (f.kind === "hang") return PENDING;
      if (q && h === 1) { q.gate(); if (!q.idle) { drainToken = token; return PENDING; } }
      if (q && h === 4) q.open();
      if (f.kind === "pending" || f.kind === "late") {
        this.p.at(this.p.t + f.delay, () => this.pm.complete(token, OK));
        return PENDING;
      }
      return OK;
    };
    return {
      prepare: (t) => act(0, t), suspend: (t) => act(1, t), powerOffNoIrq: (t) => act(2, t),
      powerOnNoIrq: (t) => act(3, t), resume: (t) => act(4, t),
    };
  }

  /** Schedules every event of the spec and runs the world to quiescence. */
  run(): void {
    const spec = this.spec;
    const obs = this.obs;
    let token = 1;
    for (const r of spec.requests) {
      const tk = token++;
      this.service.set(tk, r.serviceUs);
      this.p.at(r.at, () => {
        const q = this.queues[r.device];
        if (!q) return;
        obs.submitted++;
        const st = q.submit(tk);
        // Refused at submit: FULL, or FAILED while its device is failed (it is re-probed later); nothing else.
        if (st === FAILED && this.pm.deviceState(r.device) !== D_FAILED) throw new Error("d" + r.device + " refused with FAILED while not failed");
        if (st === FULL || st === FAILED) obs.refusedAtSubmit++;
        else if (st !== OK) throw new Error("d" + r.device + " submit answered " + st);
        else { const l = obs.acceptedOrder.get(r.device) ?? []; l.push(tk); obs.acceptedOrder.set(r.device, l); }
      });
    }
    for (const w of spec.wakes) this.p.at(w.at, () => this.raise(w.k));
    for (const i of spec.irqs) this.p.at(i.at, () => this.raise(spec.wakeDevices.length + (i.line % 4)));
    for (const s of spec.suspends) this.p.at(s, () => { obs.suspendCalls.push(this.pm.suspend(T_STANDBY, TEST_NONE)); });
    this.p.run(10_000_000);
  }

  private raise(line: number): void {
    if (line < this.spec.wakeDevices.length) this.obs.wakesRaised++;
    if (!this.pm.irq.masked) this.obs.raisedUnmasked[line]++;
    this.pm.irq.raise(line);
    if (line < this.spec.wakeDevices.length && this.p.sleeping) this.p.endSleep(line);
  }
}

export { TraceEvents, S_POWER_OFF, S_POWER_ON, BUSY };
