// Consumers cut off behind a failed supplier (rpm-state.ts cutConsumers, device-port.ts cutOff): chains, two suppliers, attempts meanwhile.
import { describe, expect, test } from "vitest";
import { Env, statusNames } from "../runtime/fakes";
import { add, type RpmDevice } from "../runtime-pm/helpers";
import { OK, IO, PENDING, FAILED, T_STANDBY, T_HIBERNATE, TEST_NONE, ROLE_STORAGE, RPM_ACTIVE, RPM_SUSPENDED, RequestQueue, STATUS_NAMES, D_FAILED, type DevicePort } from "../../runtime";

function withQueue(env: Env, dev: RpmDevice, done: string[], onDone?: (t: number, s: number) => void): RequestQueue {
  const q = new RequestQueue(4, () => OK, (t, s) => { done.push(dev.name + " " + t + ":" + STATUS_NAMES[s]); onDone?.(t, s); });
  dev.queue = q;
  return q;
}
/** Seals the board, gives `dev` a queue on its port and takes it down (a get and a put): its queue and port. */
function sealedDown(env: Env, dev: RpmDevice, done: string[]): { q: RequestQueue; port: DevicePort } {
  const q = withQueue(env, dev, done);
  env.pm.seal();
  const port = env.pm.port(dev.id);
  port.registerQueue(q);
  port.get(); port.put();
  return { q, port };
}
const bal = (q: RequestQueue) => q.submitted - (q.refused + q.completed + q.length);

describe("cut off", () => {
  test("three levels: bus -> mid -> leaf; the bus's runtime resume fails: mid and leaf queues fail and drain; bus re-probed: both serve again", () => {
    const env = new Env({ reprobeFirstUs: 1_000, reprobeCapUs: 8_000 });
    const bus = add(env, { name: "bus" });
    const mid = add(env, { name: "mid", parent: "bus" });
    const leaf = add(env, { name: "leaf", parent: "mid" });
    const done: string[] = [];
    const qm = withQueue(env, mid, done), ql = withQueue(env, leaf, done);
    env.pm.seal();
    const pm = env.pm.port(mid.id), pl = env.pm.port(leaf.id);
    pm.registerQueue(qm); pl.registerQueue(ql);
    pl.get(); pl.put(); pm.get(); pm.put();
    expect([env.pm.port(bus.id).runtimeState, pm.runtimeState, pl.runtimeState]).toEqual([RPM_SUSPENDED, RPM_SUSPENDED, RPM_SUSPENDED]);
    bus.rr = { kind: "pending", afterUs: 100, status: IO };
    bus.behaviour.reprobe = { kind: "fail", status: IO };
    const answers = [pl.get(), ql.submit(1), qm.submit(2)];
    env.platform.advance(200);
    const mid1 = [STATUS_NAMES[ql.submit(3)], STATUS_NAMES[qm.submit(4)], [...done]];
    pl.put(); // the user gives up (usage 0)
    bus.rr = { kind: "ok" };
    bus.behaviour.reprobe = { kind: "ok" };
    env.platform.advance(1_000_000);
    expect({ answers, mid1, after: [pl.get(), STATUS_NAMES[ql.submit(5)], pm.get(), STATUS_NAMES[qm.submit(6)]], done, states: [env.pm.deviceState(bus.id), pm.runtimeState, pl.runtimeState], bal: [bal(qm), bal(ql)] })
      .toEqual({ answers: [PENDING, OK, OK], mid1: ["FAILED", "FAILED", ["mid 2:FAILED", "leaf 1:FAILED"]], after: [OK, "OK", OK, "OK"],
        done: ["mid 2:FAILED", "leaf 1:FAILED", "leaf 5:OK", "mid 6:OK"], states: [0, RPM_ACTIVE, RPM_ACTIVE], bal: [0, 0] });
  });

  test("a FAILED callback that gets and submits again (re-entrant cut-off drain): every request completes once, the queue balances", () => {
    const env = new Env({ reprobeFirstUs: 60_000_000 });
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus" });
    const done: string[] = [];
    let port = undefined as unknown as DevicePort;
    let n = 10;
    const q: RequestQueue = withQueue(env, chip, done, (t, s) => { port.put(); if (s === FAILED && n < 14) { port.get(); const r = q.submit(n++); if (r !== OK) port.put(); } });
    env.pm.seal();
    port = env.pm.port(chip.id);
    port.registerQueue(q);
    port.get(); port.put();
    bus.rr = { kind: "pending", afterUs: 100, status: IO };
    for (const t of [1, 2, 3]) { port.get(); q.submit(t); }
    env.platform.advance(1_000);
    expect({ done, len: q.length, bal: bal(q), usage: port.usage }).toEqual({ done: ["chip 1:FAILED", "chip 2:FAILED", "chip 3:FAILED"], len: 0, bal: 0, usage: 0 });
  });

  test("a consumer of two suppliers, one failed: cut off; the failed one re-probed: resumes and serves", () => {
    const env = new Env({ reprobeFirstUs: 1_000 });
    const p = add(env, { name: "p" });
    const r = add(env, { name: "r" });
    const c = add(env, { name: "c", parent: "p", needs: ["r"] });
    const done: string[] = [];
    const { q, port: cp } = sealedDown(env, c, done);
    p.rr = { kind: "fail", status: IO };
    expect([STATUS_NAMES[cp.get()], STATUS_NAMES[q.submit(1)]]).toEqual(["FAILED", "FAILED"]);
    p.rr = { kind: "ok" };
    env.platform.advance(10_000);
    expect([cp.runtimeState, STATUS_NAMES[q.submit(2)], done]).toEqual([RPM_ACTIVE, "OK", ["c 2:OK"]]);
  });

  test("standby and hibernate while cut off: the consumer's queue stays FAILED through them, reopens after the re-probe", () => {
    const env = new Env({ reprobeFirstUs: 50_000 });
    env.add({ name: "flash", roles: ROLE_STORAGE });
    const bus = add(env, { name: "bus" });
    const chip = add(env, { name: "chip", parent: "bus" });
    const done: string[] = [];
    const { q, port: cp } = sealedDown(env, chip, done);
    bus.rr = { kind: "fail", status: IO };
    expect(STATUS_NAMES[cp.get()]).toBe("FAILED");
    env.pm.suspend(T_STANDBY, TEST_NONE);
    const s1 = STATUS_NAMES[q.submit(1)];
    env.pm.suspend(T_HIBERNATE, TEST_NONE);
    const s2 = STATUS_NAMES[q.submit(2)];
    bus.rr = { kind: "ok" };
    env.platform.advance(1_000_000);
    expect([statusNames(env.outcomes), s1, s2, env.pm.deviceState(bus.id), STATUS_NAMES[q.submit(3)], done]).toEqual([["OK", "OK"], "FAILED", "FAILED", 0, "OK", ["chip 3:OK"]]);
  });
});
