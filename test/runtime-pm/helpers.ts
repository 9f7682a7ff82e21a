// Runtime-PM test helpers: a fake driver with runtime hooks, scripted like the other fake hooks, and its log.
import { Env, FakeDevice, type Behaviour } from "../runtime/fakes";
import { OK, PENDING, RequestQueue, STATUS_NAMES, RPM_STATE_NAMES, TraceEvents, type DeviceSpec, type DevicePort } from "../../runtime";

/** A fake driver with runtime hooks: each logs `name:runtimeSuspend` / `name:runtimeResume` and behaves as scripted. */
export class RpmDevice extends FakeDevice {
  rs: Behaviour = { kind: "ok" };
  rr: Behaviour = { kind: "ok" };
  queue: RequestQueue | null = null;
  private run(hook: string, b: Behaviour, token: number): number {
    const env = this.env;
    env.log.push(this.name + ":" + hook);
    switch (b.kind) {
      case "ok": return OK;
      case "fail": return b.status;
      case "throw": throw new Error(this.name + " exploded in " + hook);
      case "hang": return PENDING;
      case "pending":
        env.later(b.afterUs, () => { env.log.push(this.name + ":" + hook + ":done"); env.pm.port(this.id).complete(token, b.status ?? OK); });
        return PENDING;
      case "call": return b.fn(token);
      case "late": return PENDING;
    }
  }
  // Shares code with S2/R2 as a real driver does: gate on the way down, reopen on the way up.
  runtimeSuspend(t: number): number { const s = this.run("runtimeSuspend", this.rs, t); if (s === OK || s === PENDING) this.queue?.gate(); return s; }
  runtimeResume(t: number): number { const s = this.run("runtimeResume", this.rr, t); if (s === OK) this.queue?.open(); else if (s === PENDING) this.reopenOnDone = true; return s; }
  reopenOnDone = false;
}

export function add(env: Env, spec: Omit<DeviceSpec, "hooks">, runtime = true): RpmDevice {
  const dev = runtime ? new RpmDevice(spec.name, env) : (new FakeDevice(spec.name, env) as RpmDevice);
  dev.id = env.pm.register({ ...spec, hooks: dev });
  env.devices[spec.name] = dev;
  return dev;
}

export function rpmCalls(env: Env): string[] {
  return env.log.filter((l) => /:(runtimeSuspend|runtimeResume|prepare|suspend|powerOffNoIrq!|powerOnNoIrq!|resume|reprobe)(:done)?$/.test(l));
}

/** Runtime-PM trace records as "device event value" (states and statuses by name), in order. */
export function rpmTrace(env: Env): string[] {
  const tr = env.pm.trace;
  const out: string[] = [];
  for (let i = 0; i < tr.length; i++) {
    const s = tr.slot(i);
    const ev = tr.eventAt(s);
    if (ev !== TraceEvents.E_RPM_STATE && ev !== TraceEvents.E_RPM_FAIL && ev !== TraceEvents.E_RPM_BAD_PUT) continue;
    const v = ev === TraceEvents.E_RPM_STATE ? RPM_STATE_NAMES[tr.statusAt(s)] : STATUS_NAMES[tr.statusAt(s)];
    out.push(env.pm.graph.names[tr.deviceAt(s)] + " " + TraceEvents.EVENT_NAMES[ev] + " " + v);
  }
  return out;
}

/** A sensor with a request queue: each request holds a get until it completes (then putAutosuspend). */
export function sensor(env: Env, autosuspendMs = 10) {
  const dev = add(env, { name: "sensor", autosuspendMs });
  const done: string[] = [];
  // Made at seal: the completion callback reads it once requests run (pm.port before seal throws).
  let port = undefined as unknown as DevicePort;
  const q = new RequestQueue(4, () => OK, (t, s) => { done.push(t + ":" + STATUS_NAMES[s]); port.putAutosuspend(); });
  dev.queue = q;
  dev.behaviour.suspend = { kind: "call", fn: () => { q.gate(); return OK; } };
  dev.behaviour.resume = { kind: "call", fn: () => { q.open(); return OK; } };
  env.pm.seal();
  port = env.pm.port(dev.id);
  port.registerQueue(q);
  const submit = (t: number): number => { port.get(); const s = q.submit(t); if (s !== OK) port.putAutosuspend(); return s; };
  return { dev, q, done, port, submit };
}
