// Random runtime-PM worlds (reviewer's fuzzer): every request completed once, no attempt stuck, no supplier left up for nobody.
import { Env, FakeDevice } from "../runtime/fakes";
import { OK, IO, PENDING, T_STANDBY, T_HIBERNATE, TEST_NONE, RPM_SUSPENDED, RPM_STATE_NAMES, STATE_NAMES, RequestQueue, D_FAILED } from "../../runtime";

function rng(seed: number): () => number { return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }

type B = "ok" | "fail" | "pok" | "pfail" | "hang" | "throw";
class Dev extends FakeDevice {
  rs: B = "ok"; rr: B = "ok"; q!: RequestQueue;
  private run(which: string, b: B, t: number, up: boolean): number {
    const env = this.env; env.log.push(this.name + ":" + which);
    switch (b) {
      case "ok": up ? this.q.open() : this.q.gate(); return OK;
      case "fail": return IO;
      case "throw": throw new Error("x");
      case "hang": return PENDING;
      case "pok": if (!up) this.q.gate(); env.later(500, () => { if (up) this.q.open(); env.pm.port(this.id).complete(t, OK); }); return PENDING;
      case "pfail": env.later(500, () => env.pm.port(this.id).complete(t, IO)); return PENDING;
    }
  }
  runtimeSuspend(t: number): number { return this.run("runtimeSuspend", this.rs, t, false); }
  runtimeResume(t: number): number { return this.run("runtimeResume", this.rr, t, true); }
}

const Bs: B[] = ["ok", "ok", "ok", "ok", "fail", "pok", "pok", "pfail", "hang", "throw"];

/**
 * One random world: 3-5 devices with random parents and needs and autosuspend delays (none, 0, 1 or 3 ms), runtime hooks that
 * succeed, fail, pend, hang or throw, re-probes that fail or not, a request queue each; gets, puts, requests, standbys and
 * hibernates, also from trace listeners and completion callbacks. Then every fault is lifted and time passes. Returns what broke:
 * an attempt stuck, a request completed twice or never, a device still failed, a usage count off, a supplier left up with no
 * user and every consumer down, a device left up after a final get and put of everything.
 */
export function runSeed(seed: number, asyncSleep: boolean, standbyShare: number, steps = 200): string[] {
  const r = rng(seed);
  const pick = <T,>(a: T[]): T => a[Math.floor(r() * a.length)];
  const env = new Env({ reprobeFirstUs: 2_000, defaultBudgetUs: 3_000 });
  const N = 3 + Math.floor(r() * 3);
  const devs: Dev[] = [];
  const held = new Array(N).fill(0); const lastAuto = new Array(N).fill(false);
  const completions = new Map<number, number>();
  const accepted = new Set<number>();
  const problems: string[] = [];
  let tok = 1;
  const delays: (number | undefined)[] = [];
  for (let d = 0; d < N; d++) {
    const spec: any = { name: "d" + d };
    if (d > 0 && r() < 0.7) spec.parent = "d" + Math.floor(r() * d);
    if (d > 1 && r() < 0.4) { const n = "d" + Math.floor(r() * d); if (n !== spec.parent) spec.needs = [n]; }
    const dl = pick([undefined, 0, 0, 1, 3]);
    if (dl !== undefined) spec.autosuspendMs = dl;
    delays.push(dl);
    const dev = new Dev(spec.name, env);
    dev.id = env.pm.register({ ...spec, hooks: dev });
    devs.push(dev);
  }
  env.pm.seal();
  const ASYNC = asyncSleep; if (ASYNC) env.platform.sleepMode = "async";
  const LP = 0.02, CP = 0.1;
  const ports = devs.map((d) => env.pm.port(d.id));
  let inCb = 0; let live = true;
  for (const dev of devs) {
    const port = ports[dev.id];
    const q = new RequestQueue(4, (t) => {
      if (r() < 0.5) return OK;
      env.later(200, () => q.done(OK));
      return PENDING;
    }, (t, s) => {
      completions.set(t, (completions.get(t) ?? 0) + 1);
      if (completions.get(t)! > 1) problems.push("double completion " + t);
      port.putAutosuspend(); lastAuto[dev.id] = true;
      if (live && inCb === 0 && r() < CP) { inCb++; try { randomOp(); } finally { inCb--; } }
    });
    dev.q = q;
    dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
    dev.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
    port.registerQueue(q);
  }
  env.pm.trace.setListener(() => { if (live && inCb === 0 && r() < LP) { inCb++; try { randomOp(); } finally { inCb--; } } });
  function randomOp() {
    const d = Math.floor(r() * N);
    const x = r();
    if (x < 0.2) { const s = ports[d].get(); held[d]++; }
    else if (x < 0.35) { if (held[d] > 0) { held[d]--; ports[d].put(); lastAuto[d] = false; } }
    else if (x < 0.45) { if (held[d] > 0) { held[d]--; ports[d].putAutosuspend(); lastAuto[d] = true; } }
    else if (x < 0.7) { const t = tok++; ports[d].get(); const s = devs[d].q.submit(t); if (s === OK) accepted.add(t); else { ports[d].putAutosuspend(); lastAuto[d] = true; } }
    else if (x < 0.8) { env.pm.suspend(r() < standbyShare ? T_STANDBY : T_HIBERNATE, TEST_NONE); }
    else if (x < 0.95) { devs[d].rs = pick(Bs); devs[d].rr = pick(Bs); devs[d].behaviour.reprobe = r() < 0.5 ? { kind: "ok" } : { kind: "fail", status: IO }; }
    else { if (ports[d].usage === 0) ports[d].put(); }
  }
  try {
    for (let i = 0; i < steps; i++) {
      if (ASYNC && env.platform.sleeping && r() < 0.3) env.platform.wakeNow(0);
      if (r() < 0.4) env.platform.advance(Math.floor(r() * 4000));
      else randomOp();
    }
    live = false;
    if (env.platform.sleeping) env.platform.wakeNow(0);
    for (const dev of devs) { dev.rs = "ok"; dev.rr = "ok"; dev.behaviour.reprobe = { kind: "ok" }; }
    for (let k = 0; k < 12; k++) { env.platform.advance(10_000_000); if (env.platform.sleeping) env.platform.wakeNow(0); }
  } catch (e) { problems.push("threw " + (e as Error).message); return problems; }
  const rpm = env.pm.rpm as any;
  const st = () => devs.map((d) => d.name + "=" + STATE_NAMES[env.pm.deviceState(d.id)] + "/" + RPM_STATE_NAMES[rpm.state[d.id]] + "/u" + rpm.usage[d.id] + "/h" + held[d.id] + "/dl" + delays[d.id] + "/ref" + rpm.refused[d.id] + "/want" + rpm.want[d.id] + "/act" + rpm.active[d.id]).join(" ");
  if (env.pm.phase !== 0) problems.push("phase stuck " + env.pm.phase);
  for (const t of accepted) if (completions.get(t) !== 1) problems.push("req " + t + " completed " + (completions.get(t) ?? 0));
  // pre-sweep: suppliers with no user and every consumer down must be down
  const cons = (s: number) => { const out: number[] = []; for (let i = rpm.conStart[s]; i < rpm.conStart[s + 1]; i++) out.push(rpm.con[i]); return out; };
  for (let d = 0; d < N; d++) {
    if (env.pm.deviceState(d) === D_FAILED) { problems.push("still failed d" + d); continue; }
    if (rpm.usage[d] !== held[d]) problems.push("usage mismatch d" + d);
    if (rpm.usage[d] > 0) continue;
    const cs = cons(d);
    if (cs.some((c) => rpm.state[c] !== RPM_SUSPENDED)) continue;
    if (rpm.state[d] === RPM_SUSPENDED) continue;
    const dl = delays[d];
    if (dl === undefined && lastAuto[d]) continue;
    if (cs.length > 0) { if (!(rpm.refused[d] && (dl === undefined || dl === 0))) problems.push("supplier d" + d + " left up"); }
    else if (dl !== undefined && !(rpm.refused[d] && dl === 0)) problems.push("leaf d" + d + " left up");
  }
  if (problems.length) problems.push(st());
  // sweep
  for (let d = 0; d < N; d++) while (held[d] > 0) { held[d]--; ports[d].put(); lastAuto[d] = false; }
  for (let d = N - 1; d >= 0; d--) { ports[d].get(); ports[d].put(); }
  env.platform.advance(60_000_000);
  for (let d = 0; d < N; d++) if (rpm.state[d] !== RPM_SUSPENDED) { problems.push("after sweep d" + d + " up " + st()); break; }
  return problems;
}

